"""Turn a specialty name as laid out in the decree into the name a Kazakh reader would write.

The decree prints names in narrow table cells. Three layout artefacts have to be undone:

* letter-spaced words ("т ү р л е р і"), drawn with wide character spacing. Our line
  convention (shared by the text and PDF readers) is: one space between the letters of a
  letter-spaced word, two or more spaces between words;
* words broken across lines ("мультимедиялы" / "қ"), because a long word did not fit;
* stray spaces ("Маркетинг ( салалар", "Дизайн ,", "көліг іне").

Everything here is a pure function of strings, so it is tested without any file.
"""

from __future__ import annotations

import re

_MULTISPACE = re.compile(r" {2,}")
_SPACES = re.compile(r"\s+")

# Kazakh endings (case, plural, possessive, derivational) that a word can be cut before.
# A line that starts with nothing but such endings continues the word above it.
_ENDINGS = [
    "лық",
    "лік",
    "дық",
    "дік",
    "тық",
    "тік",
    "ық",
    "ік",
    "лар",
    "лер",
    "дар",
    "дер",
    "тар",
    "тер",
    "ған",
    "ген",
    "қан",
    "кен",
    "лған",
    "лген",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
    "на",
    "не",
    "ға",
    "ге",
    "қа",
    "ке",
    "ия",
    "я",
    "ю",
    "ы",
    "і",
    "у",
    "а",
    "е",
]
_ENDING_CHAIN = re.compile(
    r"^[аеиыіоөуүұ]?(?:" + "|".join(sorted(_ENDINGS, key=len, reverse=True)) + r")+$"
)
# Kazakh spelling devoices a final б, в, г, ғ, д, so a "word" ending in one of them
# followed by a bare ending ("көліг іне") is one word with a stray space inside.
_VOICED_FINALS = frozenset("бвгғд")
# A layout engine breaks inside a word only when the word is longer than the cell is wide.
_MIN_BROKEN_WORD = 12


def close_letter_spacing(line: str) -> str:
    """Close up letter-spaced words in one line: "т і л  м е н" -> "тіл мен".

    Words are separated by two or more spaces; a run whose tokens are all single
    letters (at least two of them) is one letter-spaced word.
    """
    words = []
    for segment in _MULTISPACE.split(line.strip()):
        tokens = segment.split(" ")
        if len(tokens) > 1 and all(len(t) == 1 and t.isalpha() for t in tokens):
            words.append("".join(tokens))
        else:
            words.append(segment)
    return " ".join(w for w in words if w)


def is_word_tail(fragment: str) -> bool:
    """True when `fragment` can only be the end of a word (a lone letter or bare endings)."""
    word = fragment.lower()
    return (len(word) == 1 and word.isalpha()) or bool(_ENDING_CHAIN.match(word))


def continues_word(before: str, after: str) -> bool:
    """Decide whether a line ending in `before` and a line starting with `after` split one word."""
    if not before or not after or not after[0].islower():
        return False
    head = re.split(r"[\s(]", before)[-1]
    tail = re.split(r"[\s,.;:()]", after)[0]
    if not head or not tail or not head[-1].isalpha():
        return False
    return len(head) + len(tail) >= _MIN_BROKEN_WORD and is_word_tail(tail)


def _close_stray_spaces(text: str) -> str:
    """Drop spaces the typesetting put inside words and around punctuation."""
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+([),.;:])", r"\1", text)

    words: list[str] = []
    for word in text.split(" "):
        head = words[-1] if words else ""
        if head[-1:].lower() in _VOICED_FINALS and word.isalpha() and is_word_tail(word):
            words[-1] = head + word
        else:
            words.append(word)
    return " ".join(words)


def clean_name(lines: list[str]) -> str:
    """Join the lines of one name cell into a clean, single-spaced name."""
    parts = [close_letter_spacing(line) for line in lines]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        if text.endswith("-") or continues_word(text, part):
            text += part
        else:
            text += " " + part
    return _close_stray_spaces(_SPACES.sub(" ", text)).strip()


def normalise_code(code_raw: str) -> str:
    """The 8-digit code for a code as printed; a 7-digit code lost its leading zero."""
    digits = re.sub(r"\D", "", code_raw)
    if len(digits) == 7:
        return "0" + digits
    return digits
