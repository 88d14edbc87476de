"""Text as search compares it: every script folded onto one Latin skeleton.

Kazakh and Russian Cyrillic, the 2021 Kazakh Latin alphabet and informal Latin spellings
all land on the same letters, so "Бағдарламалық", "багдарламалык" and "Bağdarlamalyq" are
the same word. Pure functions; no data files.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "j", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# Kazakh Latin (2021 alphabet and informal spellings) onto the same skeleton.
_LATIN = {
    "ä": "a", "ğ": "g", "q": "k", "ñ": "n", "ö": "o", "ū": "u", "ü": "u", "ı": "i", "y": "i",
    "ş": "sh", "ç": "ch", "w": "u", "x": "h", "c": "k", "é": "e", "İ": "i",
}  # fmt: skip
# Latin digraphs first ("ch" is ч, not "kh" by way of c -> k).
_LATIN_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("dj", "j"), ("ch", "ч"), ("sh", "ш"))
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_WORD = re.compile(r"[a-z]+|\d+")
# Control and format characters (NUL, ESC, zero-width, bidi controls) carry no words.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
# How many words (or texts) each per-word cache of the search keeps. A bot reads words all
# day; at 65 536 a cache of each kind, the search grew by about 108 MB over 40 000 words it
# had never seen (`benchmarks/word_caches.py`).
WORD_CACHE_SIZE = 4096


@lru_cache(maxsize=WORD_CACHE_SIZE)
def clean(text: str) -> str:
    """NFC, lower case, control and format characters removed."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        return text.lower()
    return "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in text).lower()


_FOLD = str.maketrans({**_CYRILLIC, **_LATIN})
_OTHER = re.compile(r"[^a-z0-9]")


def _other(match: re.Match[str]) -> str:
    base = unicodedata.normalize("NFD", match.group(0))[0]
    return base if "a" <= base <= "z" else " "


@lru_cache(maxsize=WORD_CACHE_SIZE)
def fold(text: str) -> str:
    """Lowercase Latin skeleton of any Kazakh, Russian or Latin text."""
    text = clean(text)
    for digraph, letter in _LATIN_DIGRAPHS:
        text = text.replace(digraph, letter)
    return _OTHER.sub(_other, text.translate(_FOLD))


def skeleton(word: str) -> str:
    """The skeleton one word is matched by: its `fold`, in one piece ("Ф.И.О." is "fio")."""
    return fold(word).replace(" ", "")


def skeleton_words(text: str) -> list[str]:
    """The words of a text on the common skeleton, in order (digit runs are words too)."""
    return _WORD.findall(fold(text))


# A Russian slang ending hyphenated to a Latin word, in any form ("IT-шник", "IT-шником",
# "IT-шка", "IT-шная", "SMM-щик"): the word itself, as people say it.
_LATIN_SLANG = re.compile(r"(?<=[a-z0-9])-(?:шн|щ|шк)[а-яё]*")


def words(text: str) -> list[str]:
    """The words of a text as typed (lower case, any script): letters and digits apart,
    hyphenated words apart ("шеф-повар" is "шеф", "повар"), but for a slang ending on a
    Latin word ("IT-шник" is "it")."""
    text = _LATIN_SLANG.sub("", clean(text).replace("'", "").replace("’", ""))
    return re.findall(r"[^\W\d_]+|\d+", text)


def is_kazakh(word: str) -> bool:
    """True when a word has a letter only Kazakh writes."""
    return any(c in KAZAKH_LETTERS for c in word)


def is_cyrillic(word: str) -> bool:
    return any("а" <= c <= "я" or c in "ёәғқңөұүһі" for c in word)
