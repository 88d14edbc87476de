"""Text typed with the wrong keyboard layout, read as the layout that was meant.

People in Kazakhstan switch between the English (QWERTY), Russian and Kazakh (ЙЦУКЕН)
layouts and often type a word with the wrong one active: "ghjuhfvvbcn" is «программист»
typed on QWERTY, "ыцуфеук" is "sweater" typed on the Russian layout. On the Kazakh layout
the nine Kazakh letters sit on the number row (ә і ң ғ ү ұ қ ө һ on 2 3 4 5 8 9 0 - =;
xkb's symbols/kz), so «қазақ» typed with QWERTY or the Russian layout active comes out as
"0fpf0" or "0аза0". `readings` gives every other reading of a text; the search decides
which one the decree explains best.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import Levenshtein

from store.morphology import compact
from store.text import fold, is_kazakh

# The keys of each row, left to right, as each layout prints them (unshifted).
_QWERTY = "`1234567890-=qwertyuiop[]asdfghjkl;'zxcvbnm,./"
_RUSSIAN = "ё1234567890-=йцукенгшщзхъфывапролджэячсмитьбю."
_KAZAKH = '("әіңғ,.үұқөһйцукенгшщзхъфывапролджэячсмитьбю№'


def _table(source: str, target: str) -> dict[int, str]:
    """A str.translate table from one layout's keys to another's, letters only where they
    differ, upper case included."""
    table: dict[int, str] = {}
    for a, b in zip(source, target, strict=True):
        if a != b:
            table[ord(a)] = b
            if a.upper() != a and b.upper() != b:
                table[ord(a.upper())] = b.upper()
    return table


QWERTY_TO_RUSSIAN = _table(_QWERTY, _RUSSIAN)
QWERTY_TO_KAZAKH = _table(_QWERTY, _KAZAKH)
RUSSIAN_TO_QWERTY = _table(_RUSSIAN, _QWERTY)
# Kazakh typed with the Russian layout active: the Kazakh letters' keys give digits.
DIGITS_TO_KAZAKH = _table("234567890-=", "әіңғ,.үұқөһ")

_LATIN_WORD = re.compile(r"[a-z]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
# A digit, "-" or "=" between letters, where a Kazakh letter's key was pressed.
_KEY_IN_WORD = re.compile(
    r"(?<=[а-яёәғқңөұүһіa-z])[02345689=\-]|[02345689=\-](?=[а-яёәғқңөұүһіa-z])", re.I
)


def readings(text: str) -> list[str]:
    """Other readings of `text` as typed with the wrong layout; none for text that has
    both scripts or neither."""
    latin = bool(_LATIN_WORD.search(text))
    cyrillic = bool(_CYRILLIC.search(text))
    found: list[str] = []
    if latin and not cyrillic:
        found.append(_in_words(text, QWERTY_TO_RUSSIAN))
        # A "," or "." that ends a word may be its б or ю ("ghjatccb." is «профессию»).
        found.append(text.translate(QWERTY_TO_RUSSIAN))
        if _KEY_IN_WORD.search(text):
            found += _kazakh(text, QWERTY_TO_KAZAKH)
    elif cyrillic and not latin:
        # A Kazakh letter was typed on the Kazakh layout, whose number row it is on: with
        # QWERTY active that key is a digit, which no English word has.
        if not is_kazakh(text):
            found.append(text.translate(RUSSIAN_TO_QWERTY))
        if _KEY_IN_WORD.search(text):
            found += _kazakh(text, DIGITS_TO_KAZAKH)
    return [r for r in dict.fromkeys(found) if r != text]


# A "-" inside a word (between letters or the number row's keys), which may be a hyphen;
# kept aside by a character no table has.
_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
_HYPHEN_MARK = "\u2011"


def _kazakh(text: str, table: dict[int, str]) -> list[str]:
    """The Kazakh reading; and, since the ө key prints "-", where a "-" inside a word may
    be a hyphen ("ая0-ки3м": «аяқ-киім»), the reading with that "-" kept too."""
    found = [_in_words(text, table)]
    if _HYPHEN.search(text):
        kept = _in_words(_HYPHEN.sub(_HYPHEN_MARK, text), table)
        found.append(kept.replace(_HYPHEN_MARK, "-"))
    return found


# A word as typed: letters, the number row's keys, and the keys that are letters on ЙЦУКЕН
# (";" is ж, "'" э, "[" х); "," (б) and "." (ю) only before more of the word, since after
# a word they are punctuation.
_TYPED_WORD = re.compile(r"(?:[\w\-=;'\[\]`]|[,.]+(?=[\w\-=;'\[\]`]))+")


def _in_words(text: str, table: dict[int, str]) -> str:
    """Translate each word as typed (`_TYPED_WORD`) that has a letter in it, so that a code
    or a grade ("после 9") keeps its digits and punctuation after a word stays itself."""

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        return token.translate(table) if re.search(r"[^\W\d_]", token) else token

    return re.sub(_TYPED_WORD, word, text)


# Letters one mistakes for another by ear: the vowels, the voiced and voiceless
# consonants ("ветиренар", "стамотология"), л and р ("лаболатория"), ц, с and т, ш and с
# ("ашпаз"), к and х ("парихмахер"); in Latin letters the vowels and "c" read as "s" or
# "k" ("nurce").
_HEARD_ALIKE = {
    True: ("аоуыэеиіәөүұяю", "бп", "вф", "гк", "дт", "зс", "жш", "цст", "лр", "шщс", "кх"),
    False: ("aeiouy", "cs", "ck"),
}
_ROWS = (13, 12, 11, 10)  # keys per row of each layout string above


def _squeezed(skeleton: str) -> str:
    """A skeleton with each letter Latin spells with two or more ("ш": "sh") as one
    character, so that its key has neighbours ("свардик" is a slip of "сварщик": д is
    under щ)."""
    return compact(skeleton).replace("12", "6")  # "shch" (щ) is "sh" and "ch" compacted


# The Latin letters each of those is also spelled with, or begins with ("ofitsiant",
# "oficiant").
_SH, _CH, _SHCH = _squeezed("sh"), _squeezed("ch"), _squeezed("shch")
_SPELLED_ALSO = {
    _SH: "sc" + _CH + _SHCH,
    _CH: "c" + _SH + _SHCH,
    _SHCH: "sc" + _SH + _CH,
    _squeezed("ts"): "tsc",
    _squeezed("iu"): "iuy",
    _squeezed("ia"): "iay",
}


@cache
def _near_keys(cyrillic: bool) -> frozenset[frozenset[str]]:
    """Pairs of letters a phone slip swaps in a word of that script, as `_squeezed`
    skeletons: keys side by side, or one above the other (a row's key j touches the next
    row's keys j-1 and j), on the Russian ЙЦУКЕН or on QWERTY; and letters heard alike.
    The Kazakh layout's letter rows are the Russian ones."""
    pairs: set[frozenset[str]] = set()
    layout = _RUSSIAN if cyrillic else _QWERTY
    starts = [sum(_ROWS[:r]) for r in range(len(_ROWS))]
    rows = [layout[a : a + n] for a, n in zip(starts, _ROWS, strict=True)]
    for r, row in enumerate(rows):
        below = rows[r + 1] if r + 1 < len(rows) else ""
        for j, key in enumerate(row):
            for other in (row[j + 1 : j + 2], below[max(0, j - 1) : j + 1]):
                pairs |= {frozenset((_squeezed(fold(key)), _squeezed(fold(n)))) for n in other}
    for group in _HEARD_ALIKE[cyrillic]:
        letters = {_squeezed(fold(c)) for c in group}
        pairs |= {frozenset((a, b)) for a in letters for b in letters}
    return frozenset(p for p in pairs if len(p) == 2 and all(len(c) == 1 for c in p))


def likely_slip(typed: str, meant: str, cyrillic: bool = True) -> bool:
    """True when `typed` (the skeleton of a word typed in that script) is a slip a phone
    makes of `meant`: every letter put for another is a key beside it, one heard alike,
    or half of two letters swapped; letters left out or doubled are always slips, and so,
    in Latin letters, is another spelling of a letter Latin writes with two ("c" for "ts").
    "жазушы" (a writer) is no slip of "жарушы" (a blaster): з and р are far apart."""
    near = _near_keys(cyrillic)
    typed, meant = _squeezed(typed), _squeezed(meant)
    for tag, at, to in Levenshtein.editops(typed, meant):
        pair = frozenset((typed[at], meant[to])) if tag == "replace" else frozenset()
        if tag != "replace" or pair in near:
            continue
        if not cyrillic and _spelled_alike(typed[at], meant[to], near):
            continue
        swapped = (
            at + 1 < len(typed)
            and to + 1 < len(meant)
            and typed[at] == meant[to + 1]
            and typed[at + 1] == meant[to]
        ) or (at and to and typed[at] == meant[to - 1] and typed[at - 1] == meant[to])
        if not swapped:
            return False
    return True


def _spelled_alike(a: str, b: str, near: frozenset[frozenset[str]]) -> bool:
    """True when one of two Latin skeleton letters is a two-letter one (`_SPELLED_ALSO`)
    and the other is a letter it is also spelled with, or a key beside one."""
    for two, one in ((a, b), (b, a)):
        also = _SPELLED_ALSO.get(two, "")
        if one in also or any(frozenset((one, x)) in near for x in also):
            return True
    return False
