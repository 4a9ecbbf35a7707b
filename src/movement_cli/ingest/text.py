"""Vietnamese text handling: the one normaliser every input passes through, the keys that
find, rank and sort units by name, and detection of legacy-font (TCVN3, VNI) mojibake.

Everything here is pure and memoised where it runs per name, because imports, lookups and
sorts call it for every row (up to a million names).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

# --------------------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------------------

# Zero-width characters that arrive from the web and Word: ZWSP, ZWNJ, ZWJ, LRM, RLM,
# word joiner, BOM used as ZWNBSP. The soft hyphen (U+00AD) stays: it is how TCVN3 "ư"
# shows in a Unicode font, and legacy_encoding() needs it to recognise such text.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))
# Non-breaking and other fixed-width spaces become ordinary spaces.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_CLEAN = {**_ZERO_WIDTH, **_SPACES}
_NEEDS_WORK = re.compile(r"[^\x20-\x7e]|\s\s|^\s|\s$|[\t\r\n\f\v]")
_NEEDS_CLEAN = re.compile("[" + "".join(map(chr, _CLEAN)) + "]")


def normalize(value: str) -> str:
    """NFC, zero-width characters removed, NBSP to space, whitespace stripped and collapsed.

    Pure-ASCII values without odd whitespace (most codes, dates, numbers) skip the work;
    the translate and NFC steps run only when a fast check says they would change something
    (names arrive by the million and nearly all are already clean).
    """
    if not _NEEDS_WORK.search(value):
        return value
    if _NEEDS_CLEAN.search(value):
        value = value.translate(_CLEAN)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


# Per-word memo tables: a roster of a million names has only some thousands of distinct
# words, so each word is worked out once. Cleared when they grow past the limit.
_CACHE_LIMIT = 1 << 17
_T = TypeVar("_T")


def _per_word(cache: dict[str, _T], compute: Callable[[str], _T], words: list[str]) -> list[_T]:
    """`compute` of each word, memoised in `cache`."""
    try:
        return [cache[w] for w in words]
    except KeyError:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for w in words:
            if w not in cache:
                cache[w] = compute(w)
        return [cache[w] for w in words]


# --------------------------------------------------------------------------------------
# match_key and loose_key
# --------------------------------------------------------------------------------------

# The five tone marks (dấu thanh) as combining characters: huyền, sắc, ngã, hỏi, nặng.
# Every other mark on a Vietnamese letter (breve, circumflex, horn) makes a letter of its
# own and is kept.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _token_match_key(token: str) -> str:
    """One whitespace-separated token (already case-folded) with each syllable's tone mark
    moved to the end of that syllable.

    Old ("Thuỷ", "Hoà") and new ("Thủy", "Hòa") placement put the same tone on different
    vowels of one syllable; moving it to a fixed place folds the two while the tone itself,
    which tells units apart ("Thuận Hóa" and "Thuận Hòa"), stays in the key. A syllable is a
    run of letters with their marks, so "hòa-bình" keeps one tone per syllable. The tone is
    appended as the bare combining mark: the rest of the key never holds one, so the key is
    unambiguous.
    """
    decomposed = unicodedata.normalize("NFD", token)
    if _TONE_MARKS.isdisjoint(decomposed):
        return token
    out: list[str] = []
    run: list[str] = []
    tones: list[str] = []

    def flush() -> None:
        if run:
            out.append(unicodedata.normalize("NFC", "".join(run)))
            out.extend(tones)
            run.clear()
            tones.clear()

    for ch in decomposed:
        if ch in _TONE_MARKS and run:
            tones.append(ch)
        elif ch.isalpha() or (run and unicodedata.combining(ch)):
            run.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


_MATCH_CACHE: dict[str, str] = {}


def match_key(name: str) -> str:
    """The key used to find a unit by name: folds case, whitespace and tone placement only.

    "Phường Thủy Biều" finds "Phường Thuỷ Biều" (the real roster writes both placements),
    but tones themselves are kept because they tell real units apart: "Phường Thuận Hóa"
    (19789) and "Phường Thuận Hòa" (19762) give different keys, and so do "Phước Vịnh" and
    "Phước Vĩnh". Letter diacritics (ă â ê ô ơ ư đ) are kept for the same reason.
    """
    text = normalize(name).casefold()
    if text.isascii():
        return text
    return " ".join(_per_word(_MATCH_CACHE, _token_match_key, text.split(" ")))


def _token_loose_key(token: str) -> str:
    """One case-folded token with every diacritic removed and đ mapped to d."""
    if token.isascii():
        return token
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", token) if not unicodedata.combining(ch)
    )
    return stripped.replace("đ", "d")


_LOOSE_CACHE: dict[str, str] = {}


def loose_key(name: str) -> str:
    """A diacritic-free key for ranking "did you mean" suggestions, never for matching.

    People type names without accents or with the wrong ones; this key lets such input rank
    the real names that are close. It folds far too much to identify a unit ("Thuận Hóa" and
    "Thuận Hòa" collide), so it must only order candidates. "đ" has no decomposition and is
    mapped explicitly.
    """
    text = normalize(name).casefold()
    if text.isascii():
        return text
    return " ".join(_per_word(_LOOSE_CACHE, _token_loose_key, text.split(" ")))


# --------------------------------------------------------------------------------------
# collation_key
# --------------------------------------------------------------------------------------
#
# The key reproduces ICU's `vi` collation (CLDR root order plus the `vi` tailoring
# "&\u0300<<\u0309<<\u0303<<\u0301<<\u0323 &a<ă<â &d<đ &e<ê &o<ô<ơ &u<ư", tone marks written
# as escapes here) at its default strength: tertiary, punctuation not ignorable, lower case
# first at the tertiary level. It needs no ICU.
# A name becomes one string "primaries \x01 secondaries \x01 tertiaries": one primary weight
# per letter, digit, space or punctuation mark; one secondary weight per collation element
# (common for a letter, a mark's own weight for a tone or other accent that follows it);
# one tertiary weight per letter (lower or upper). Comparing such strings compares letters
# first, then accents, then case, exactly as ICU compares its sort keys. Weights are chars
# below U+0100 so the strings stay compact (one byte a char) for a million names. Each
# word's weights are computed once (a space has weights of its own on every level, so a
# name's key is its words' keys joined).

_SEP = "\x01"  # level separator: lower than every weight, so a shorter name sorts first

# Whitespace, punctuation and symbols in ICU root primary order (generated with ICU 72.1,
# CLDR 42; each character has a primary weight of its own).
_SYMBOL_ORDER = (
    "\t\n\x0b\x0c\r \u203e_\u2017-\u2010\u2012\u2013\u2014\u2015\u2053,;\u204f:!\u00a1?"
    "\u00bf\u203d.\u00b7\u2055\u2056\u2058\u2059\u205a\u205b\u205c\u205d\u205e'\u2018\u2019"
    '\u201a\u201b\u2039\u203a"\u201c\u201d\u201e\u201f\u00ab\u00bb()[]{}\u2045\u2046\u2016'
    "\u00a7\u00b6\u204b@*\u204e\u2051/\\&\u204a#%\u2030\u2031\u2020\u2021\u2022\u2023\u2027"
    "\u2043\u204c\u204d\u2032\u2035\u2038\u203b\u203f\u2054\u2040\u2050\u2041\u2042`\u00b4^"
    "\u00af\u00a8\u00b8\u00b0\u00a9\u00ae+\u00b1\u00f7\u00d7<=>\u00ac|\u00a6~\u2212\u2044"
    "\u00a4\u00a2$\u00a3\u00a5\u20a0\u20a1\u20a2\u20a3\u20a4\u20a5\u20a6\u20a7\u20a9\u20aa"
    "\u20ab\u20ac\u20ad\u20ae\u20af\u20b0\u20b1\u20b2\u20b3\u20b4\u20b5\u20b6\u20b7\u20b8"
    "\u20b9\u20ba\u20bb\u20bc\u20bd\u20be\u20bf\u20a8"
)
# The Vietnamese alphabet at the primary level: ă, â, đ, ê, ô, ơ, ư are letters of their own
# (plus the English letters f, j, w, z, and the dotless ı that ICU places after i).
_ALPHABET = ("a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "ı", "j", "k", "l",
             "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y",
             "z")  # fmt: skip
# Combining marks in ICU `vi` secondary order, marks in one string sharing a weight: the
# tones come first as huyền < hỏi < ngã < sắc < nặng, then breve, circumflex and the rest.
_MARK_ORDER = (
    "\u0332", "\u0313", "\u0314", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323", "\u0306",
    "\u0302", "\u030c", "\u030a", "\u0342", "\u0308", "\u030b", "\u0307", "\u0338", "\u0327",
    "\u0328", "\u0304",
    "\u030d\u030e\u0312\u033d\u033e\u033f\u0346\u034a\u034b\u034c\u0350\u0351\u0352\u0357"
    "\u035b\u0315\u031a\u035d\u035e",
    "\u0316\u0317\u0318\u0319\u031c\u031d\u031e\u031f\u0320\u0329\u032a\u032b\u032c\u032f"
    "\u0333\u033a\u033b\u033c\u0347\u0348\u0349\u034d\u034e\u0353\u0354\u0355\u0356\u0359"
    "\u035a\u035c\u035f\u0362",
    "\u0336\u0337", "\u0335", "\u0305", "\u030f", "\u0310", "\u0311", "\u031b", "\u0321",
    "\u0322", "\u0324", "\u0325", "\u0326", "\u032d", "\u032e", "\u0330", "\u0331", "\u0334",
    "\u0339", "\u0345", "\u0358", "\u0360", "\u0361",
)  # fmt: skip
# A letter written as base + mark that is a letter of its own in Vietnamese (ICU contracts
# them even when a tone sits between, as in the decomposed "ặ" = a + dot below + breve).
_CONTRACTIONS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Characters ICU expands to others (tertiary differences dropped) and Latin letters with no
# decomposition that ICU sorts as a base letter plus an accent.
_EXPANSIONS = {
    "\u2011": "\u2010",
    "\u2024": ".",
    "\u2025": "..",
    "\u2026": "...",
    "\u2116": "No",
    "\u2122": "TM",
    "\u00f8": "o\u0338",
    "\u00d8": "O\u0338",
    "\u0142": "l\u0335",
    "\u0141": "L\u0335",
}

# Primary weights: symbols, then an escape for other symbols, digits, letters, then an
# escape for letters of other alphabets (the escape is followed by the character itself,
# which orders those by code point: ICU's own order there is not reproduced).
_P_SYMBOL = {ch: chr(0x02 + i) for i, ch in enumerate(_SYMBOL_ORDER)}
_P_OTHER_SYMBOL = chr(0x02 + len(_SYMBOL_ORDER))
_P_DIGIT0 = 0x03 + len(_SYMBOL_ORDER)
_P_LETTER = {ch: chr(_P_DIGIT0 + 10 + i) for i, ch in enumerate(_ALPHABET)}
_P_OTHER_LETTER = chr(_P_DIGIT0 + 10 + len(_ALPHABET))
_S_COMMON = "\x05"
_S_VARIANT = "\x06"  # a letter's own secondary difference (ð is d with one), below all marks
_S_MARK = {m: chr(0x07 + i) for i, group in enumerate(_MARK_ORDER) for m in group}
_S_OTHER_MARK = chr(0x07 + len(_MARK_ORDER))
_T_LOWER = "\x05"
_T_UPPER = "\x06"
_T_VARIANT = "\x07"  # NBSP and other fixed spaces: a space with a tertiary difference
_VARIANTS = {
    "\u00f0": (_P_LETTER["d"], _S_VARIANT, _T_LOWER),
    "\u00d0": (_P_LETTER["d"], _S_VARIANT, _T_UPPER),
    "\u00df": (_P_LETTER["s"] * 2, _S_VARIANT + _S_COMMON, _T_LOWER + _T_VARIANT),
    "\u00e6": (_P_LETTER["a"] + _P_LETTER["e"], _S_VARIANT + _S_COMMON, _T_LOWER + _T_VARIANT),
    "\u00c6": (_P_LETTER["a"] + _P_LETTER["e"], _S_VARIANT + _S_COMMON, _T_UPPER + _T_UPPER),
    "\u0153": (_P_LETTER["o"] + _P_LETTER["e"], _S_VARIANT + _S_COMMON, _T_LOWER + _T_VARIANT),
    "\u0152": (_P_LETTER["o"] + _P_LETTER["e"], _S_VARIANT + _S_COMMON, _T_UPPER + _T_UPPER),
}
assert ord(_P_OTHER_LETTER) < 0x100


def _weights(ch: str) -> tuple[str, str, str]:
    """Primary, secondary and tertiary weight strings of one (NFC) character."""
    if ch in _VARIANTS:
        return _VARIANTS[ch]
    if ch in _EXPANSIONS:
        parts = [_weights(c) for c in _EXPANSIONS[ch]]
        return tuple("".join(p[i] for p in parts) for i in range(3))  # type: ignore[return-value]
    if ch in _P_SYMBOL:
        return _P_SYMBOL[ch], _S_COMMON, _T_LOWER
    lower = ch.lower()
    if lower in _P_LETTER:
        return _P_LETTER[lower], _S_COMMON, (_T_LOWER if ch == lower else _T_UPPER)
    category = unicodedata.category(ch)
    if ch in _S_MARK or category.startswith("M"):
        return "", _S_MARK.get(ch, _S_OTHER_MARK), ""
    if category == "Zs":
        return _P_SYMBOL[" "], _S_COMMON, _T_VARIANT
    if category in ("Cc", "Cf"):
        return "", "", ""  # ignorable, as in ICU
    if category in ("Cn", "Co", "Cs"):
        return _P_OTHER_LETTER + ch, _S_COMMON, _T_LOWER  # ICU: implicit weights, last
    decomposed = unicodedata.normalize("NFD", ch)
    if decomposed == ch:
        compat = unicodedata.normalize("NFKD", ch)
        if compat != ch:  # fullwidth forms, ligatures, superscripts: ICU's tertiary variants
            parts = [_weights(c) for c in compat]
            return tuple("".join(p[i] for p in parts) for i in range(3))  # type: ignore[return-value]
        if category == "Nd":
            return chr(_P_DIGIT0 + unicodedata.digit(ch)), _S_COMMON, _T_LOWER
        if category.startswith("L"):
            return _P_OTHER_LETTER + lower, _S_COMMON, (_T_LOWER if ch == lower else _T_UPPER)
        return _P_OTHER_SYMBOL + ch, _S_COMMON, _T_LOWER
    base, marks = decomposed[0], list(decomposed[1:])
    for i, mark in enumerate(marks):
        letter = _CONTRACTIONS.get((base.lower(), mark))
        if letter is not None:
            base = letter if base.islower() else letter.upper()
            del marks[i]
            break
    primary, secondary, tertiary = _weights(base)
    return primary, secondary + "".join(_weights(m)[1] for m in marks), tertiary


def _word_weights(word: str) -> tuple[str, str, str]:
    """Primary, secondary and tertiary weight strings of one space-free word."""
    word = unicodedata.normalize("NFC", word)
    levels = [_weights(ch) for ch in word]
    return tuple("".join(w[i] for w in levels) for i in range(3))  # type: ignore[return-value]


_WORD_CACHE: dict[str, tuple[str, str, str]] = {}
_SPACE_P, _SPACE_S, _SPACE_T = _weights(" ")


def collation_key(name: str, code: str = "") -> tuple[str, str]:
    """Sort key that orders names as ICU's `vi` collation does, then by code.

    Officials expect Vietnamese dictionary order: letters first, with ă, â, đ, ê, ô, ơ, ư as
    letters of their own ("Xã An" < "Xã Az" < "Xã Ăn" < "Xã Ân" < "Xã Dz" < "Xã Đa"); tones
    only break ties between names whose letters are equal, ngang < huyền < hỏi < ngã < sắc <
    nặng ("Ma" < "Mà" < "Mả" < "Mã" < "Má" < "Mạ" < "Mac"); then lower case before upper
    case; then the code, so equal names still sort the same way every time. Code-point order
    and accent stripping both get this wrong. Spaces, punctuation and digits count, before
    letters, as in ICU (no numeric ordering: "10" < "2"). Works without PyICU.
    """
    words = _per_word(_WORD_CACHE, _word_weights, name.split(" "))
    primary, secondary, tertiary = zip(*words)  # noqa: B905 (triples; strict= is 3x slower)
    return (
        f"{_SPACE_P.join(primary)}{_SEP}{_SPACE_S.join(secondary)}{_SEP}{_SPACE_T.join(tertiary)}",
        code,
    )


# --------------------------------------------------------------------------------------
# legacy_encoding and fix_legacy
# --------------------------------------------------------------------------------------
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
    tones = sum(ch in _TONE_MARKS for ch in decomposed)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
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
