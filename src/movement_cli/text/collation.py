"""Vietnamese dictionary order without ICU."""

from __future__ import annotations

import unicodedata

from movement_cli.text.clean import per_word

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
    words = per_word(_WORD_CACHE, _word_weights, name.split(" "))
    primary, secondary, tertiary = zip(*words)  # noqa: B905 (triples; strict= is 3x slower)
    return (
        f"{_SPACE_P.join(primary)}{_SEP}{_SPACE_S.join(secondary)}{_SEP}{_SPACE_T.join(tertiary)}",
        code,
    )


