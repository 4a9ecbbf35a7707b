"""Detection and repair of text typed in the legacy 8-bit Vietnamese fonts (TCVN3, VNI)."""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence

from movement_cli.text.keys import TONE_MARKS

#
# Before Unicode, Vietnamese was typed with 8-bit fonts. A workbook typed in such a font
# holds the font's bytes read as Windows-1252, so the text only looks right in that font.
# TCVN3 (ABC, ".Vn" fonts) gives one byte per letter: "Ph\xadêng" is "Phường". VNI (VNI-Windows,
# "VNI-" fonts) gives a base letter followed by a mark byte: "Phöôøng" is "Phường".

# TCVN3: lowercase letters (the ".VnTime" font) and the seven capitals with letter marks;
# capitals with tones exist only in the separate ".VnTimeH" fonts, which use the lowercase
# codes (see _tcvn3_token).
_TCVN3 = dict(
    zip(
        "\u00b5\u00b8\u00b6\u00b7\u00b9"  # à á ả ã ạ
        "\u00a8\u00bb\u00be\u00bc\u00bd\u00c6"  # ă ằ ắ ẳ ẵ ặ
        "\u00a9\u00c7\u00ca\u00c8\u00c9\u00cb"  # â ầ ấ ẩ ẫ ậ
        "\u00ae\u00cc\u00d0\u00ce\u00cf\u00d1"  # đ è é ẻ ẽ ẹ
        "\u00aa\u00d2\u00d5\u00d3\u00d4\u00d6"  # ê ề ế ể ễ ệ
        "\u00d7\u00dd\u00d8\u00dc\u00de"  # ì í ỉ ĩ ị
        "\u00df\u00e3\u00e1\u00e2\u00e4"  # ò ó ỏ õ ọ
        "\u00ab\u00e5\u00e8\u00e6\u00e7\u00e9"  # ô ồ ố ổ ỗ ộ
        "\u00ac\u00ea\u00ed\u00eb\u00ec\u00ee"  # ơ ờ ớ ở ỡ ợ
        "\u00ef\u00f3\u00f1\u00f2\u00f4"  # ù ú ủ ũ ụ
        "\u00ad\u00f5\u00f8\u00f6\u00f7\u00f9"  # ư ừ ứ ử ữ ự
        "\u00fa\u00fd\u00fb\u00fc\u00fe"  # ỳ ý ỷ ỹ ỵ
        "\u00a1\u00a2\u00a7\u00a3\u00a4\u00a5\u00a6",  # Ă Â Đ Ê Ô Ơ Ư
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)
_TCVN3_TABLE = str.maketrans(_TCVN3)


def _vni_table() -> dict[str, str]:
    """VNI-Windows sequences (as Windows-1252 text) to Unicode letters.

    Mark bytes, lower case: tones ø (huyền) ù (sắc) û (hỏi) õ (ngã) ï (nặng); â circumflex
    with the tones à á å ã ä; ê breve with the tones è é ú ü ë. Single bytes: ô ơ, ö ư,
    ñ đ, and i with tones ì í æ ó ò, ỵ î. Capitals use the capital forms of the same bytes.
    """
    tones = {"": "", "ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
    circumflex = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303",
                  "ä": "\u0323"}  # fmt: skip
    breve = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
    table: dict[str, str] = {}

    def add(seq: str, letters: str) -> None:
        for upper in (False, True):
            # The base letter's case decides; the mark byte may be typed in either case.
            base = seq[0].upper() if upper else seq[0]
            result = unicodedata.normalize("NFC", letters.upper() if upper else letters)
            for mark in {seq[1:], seq[1:].upper()}:
                table[base + mark] = result

    for vowel in "aeouy":
        for mark, tone in tones.items():
            if mark:
                add(vowel + mark, vowel + tone)
    for vowel in "aeo":
        for mark, tone in circumflex.items():
            add(vowel + mark, vowel + "\u0302" + tone)
    for mark, tone in breve.items():
        add("a" + mark, "a\u0306" + tone)
    for single, letter in (("ô", "o\u031b"), ("ö", "u\u031b")):
        for mark, tone in tones.items():
            table[single + mark] = unicodedata.normalize("NFC", letter + tone)
            table[single.upper() + mark.upper()] = unicodedata.normalize(
                "NFC", (letter + tone).upper()
            )
    for single, letter in zip("ñìíæóòî", "đìíỉĩịỵ", strict=True):
        table[single] = letter
        table[single.upper()] = letter.upper()
    return table


_VNI = _vni_table()
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True) if k != _VNI[k])
)

# Text can only be legacy mojibake if every character is one Windows-1252 (or Latin-1) can
# produce; real Vietnamese nearly always has letters beyond that (ă, đ, ơ, ư, ạ, ố ...).
_CP1252_BEYOND_LATIN1_CHARACTERS = (
    "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e"
    "\u0178"
)
_NOT_LEGACY = re.compile(f"[^\x00-\xff{_CP1252_BEYOND_LATIN1_CHARACTERS}]")
# Tokens to judge: runs between whitespace, ASCII digits and punctuation, and the Windows-1252
# punctuation no legacy font uses for letters. Latin-1 symbols stay inside tokens, since
# TCVN3 uses them for letters.
_TOKEN = re.compile(r"[^\s!-@\[-`{-~\u2013\u2014\u2018-\u201f\u2022\u2026]+")
_ASCII_UPPER = re.compile(r"[A-Z]")
_ASCII_LOWER = re.compile(r"[a-z]")
# What only legacy text shows, so a verdict never rests on a word that is merely not
# Vietnamese ("Béi" reads "Bội" in TCVN3, but is not TCVN3 unless something else says so):
# for TCVN3 the symbols it uses for letters (ª for ê, the soft hyphen U+00AD for ư, µ for à,
# § for Đ ...); for VNI a vowel followed by a mark byte ("aø", "eâ", "ôø", "öô").
_TCVN3_SIGN = re.compile("[\u00a1-\u00ae\u00b5-\u00b9\u00bb-\u00be\u00d7\u00f7]")
_VNI_SIGN = re.compile("[aeiouyAEIOUYôöÔÖ][øùûõïâàáåãäêèéúüëôØÙÛÕÏÂÀÁÅÃÄÊÈÉÚÜËÔ]")
_SIGNS = {"TCVN3": _TCVN3_SIGN, "VNI": _VNI_SIGN}


def _has_case_pattern(token: str) -> bool:
    """Lower, UPPER or Title case: the only shapes a correct Vietnamese word takes."""
    return token.islower() or token.isupper() or (token[0].isupper() and token[1:].islower())


_VIET_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VIET_LETTERS = frozenset(
    unicodedata.normalize("NFC", c + t)
    for c in _VIET_LOWER + _VIET_LOWER.upper()
    for t in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
)
# A Vietnamese syllable without its tone: initial consonant, vowel nucleus, final consonant.
_SYLLABLE = re.compile(
    r"(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu"
    r"|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|ue|uê|ui|uô|uơ|uy"
    r"|ưa|ưi|ươ|ưu|ya|yê|[aăâeêioôơuưy])"
    r"(ch|ng|nh|[cmnpt])?"
)
# Which vowel of the nucleus may carry the tone (both for oa, oe, uy: old and new
# placement); the rest carry it on the second vowel, but "uyê" on the third (nguyễn).
_TONE_FIRST = frozenset("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu".split())
_TONE_EITHER = frozenset("oa oe uy oo".split())


@functools.lru_cache(maxsize=1 << 16)
def _is_plausible(token: str) -> bool:
    """True for an ASCII word or a well-formed Vietnamese syllable (any one case pattern,
    one tone, on a vowel that can carry it)."""
    if token.isascii():
        return True
    if not _VIET_LETTERS.issuperset(token) or not _has_case_pattern(token):
        return False
    lower = token.lower()
    decomposed = unicodedata.normalize("NFD", lower)
    tones = sum(ch in TONE_MARKS for ch in decomposed)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    if not tones:
        return True
    toned = next(i for i, (a, b) in enumerate(zip(lower, bare, strict=True)) if a != b)
    position = toned - match.start(2)
    nucleus = match.group(2)
    if len(nucleus) == 1 or nucleus in _TONE_FIRST:
        return position == 0
    if nucleus in _TONE_EITHER:
        return position in (0, 1)
    return position == (2 if nucleus == "uyê" else 1)


def _tcvn3_token(match: re.Match[str]) -> str:
    """Convert one TCVN3 token. Capitals with tones exist only in the ".VnTimeH" fonts, which
    show the lowercase codes as capitals; a token with an ASCII capital after its first
    letter and no ASCII lowercase ("THµNH") was typed so, and becomes all capitals."""
    token = match.group()
    fixed = token.translate(_TCVN3_TABLE)
    if fixed != token and not _ASCII_LOWER.search(token) and _ASCII_UPPER.search(token, 1):
        return fixed.upper()
    return fixed


def fix_legacy(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI mojibake (as `legacy_encoding` names it) back to Unicode (NFC).

    Call it on the raw text, before `normalize`: TCVN3 writes ư as the soft hyphen, which
    `normalize` removes.
    """
    if encoding == "TCVN3":
        return _TOKEN.sub(_tcvn3_token, text)
    if encoding == "VNI":
        return _VNI_PATTERN.sub(lambda m: _VNI[m.group()], text)
    raise ValueError(f"unknown legacy encoding {encoding!r}: expected 'TCVN3' or 'VNI'")


def legacy_encoding(text: str) -> str | None:
    """Name the legacy font encoding ("TCVN3" or "VNI") the text is mojibake of, or None.

    Old Excel rosters typed in ABC (.VnTime) or VNI fonts look right on screen but hold
    "Ph\\xadêng" or "Phöôøng" for "Phường"; storing that would make names unfindable and
    print garbage. Correct Vietnamese must never be flagged, so the text is only suspected
    when every character is one Windows-1252 can produce and some words are not Vietnamese
    syllables; an encoding is named only when converting with it turns (nearly) all such
    words into well-formed syllables, and at least one repaired word of two or more
    characters shows a sign of that encoding (or an impossible mix of cases, as "HuÕ").
    Run it on the raw text, before `normalize`, which removes TCVN3's ư (a soft hyphen).
    """
    if text.isascii() or _NOT_LEGACY.search(text):
        return None
    tokens = _TOKEN.findall(text)
    bad = [t for t in tokens if not _is_plausible(t)]
    if not bad:
        return None
    best: tuple[int, int, str] | None = None
    for encoding, sign in _SIGNS.items():
        converted_bad = sum(not _is_plausible(fix_legacy(t, encoding)) for t in tokens)
        if converted_bad >= len(bad) or converted_bad * 4 > len(bad):
            continue
        repaired = [t for t in bad if _is_plausible(fix_legacy(t, encoding))]
        if not any(len(t) >= 2 and (sign.search(t) or not _has_case_pattern(t)) for t in repaired):
            continue
        candidate = (converted_bad, -len(repaired), encoding)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[2]


def find_legacy(texts: Sequence[str]) -> list[tuple[int, str]]:
    """``(index, encoding)`` of the texts that are TCVN3 or VNI mojibake.

    The batch form of `legacy_encoding` for importers. Only a text whose every character is
    one Windows-1252 (or Latin-1) can produce may be mojibake, and real Vietnamese nearly
    always has a letter beyond those (ă, đ, ơ, ư, ạ, ố ...). So the texts are joined and
    encoded to Latin-1 at once, dropping what it cannot hold: a text that keeps its length
    holds Latin-1 only. (A batch with one of the few Windows-1252 punctuation marks beyond
    Latin-1 is tested text by text instead.) Only those candidates get the per-word check.
    """
    joined = "\n".join(texts)
    candidates: Iterable[int]
    if joined.count("\n") != len(texts) - 1 or any(
            map(joined.__contains__, _CP1252_BEYOND_LATIN1_CHARACTERS)):
        # A text with a line break of its own, or Windows-1252 punctuation somewhere (a
        # substring test per character: faster than a regular expression's scan): the
        # exact test on each text.
        candidates = [i for i, text in enumerate(texts) if not _NOT_LEGACY.search(text)]
    else:
        kept = joined.encode("latin-1", "ignore").split(b"\n")
        candidates = itertools.compress(
            itertools.count(), map(operator.eq, map(len, texts), map(len, kept))
        )
    found = []
    for index in candidates:
        encoding = legacy_encoding(texts[index])
        if encoding:
            found.append((index, encoding))
    return found
