"""Keys for names and words: diacritic folding (written once, here), the match key that
finds a unit by name, and the loose key that ranks "did you mean" suggestions."""

from __future__ import annotations

import unicodedata

from movement_cli.text.clean import normalize, per_word

# The five tone marks (dấu thanh) as combining characters: huyền, sắc, ngã, hỏi, nặng.
# Every other mark on a Vietnamese letter (breve, circumflex, horn) makes a letter of its
# own and is kept.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


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
    if TONE_MARKS.isdisjoint(decomposed):
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
        if ch in TONE_MARKS and run:
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
    return " ".join(per_word(_MATCH_CACHE, _token_match_key, text.split(" ")))


def strip_marks(text: str) -> str:
    """``text`` without diacritics, case kept: every combining mark dropped after
    compatibility decomposition, and đ/Đ (which have no decomposition) as d/D.

    The one diacritic fold of the tool: kind words, header names, suggestion ranking and
    file names all go through it. Pure ASCII comes back as it is.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d): for matching words, never for names."""
    return strip_marks(text.casefold())


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
    return " ".join(per_word(_LOOSE_CACHE, strip_marks, text.split(" ")))


