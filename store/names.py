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

from store.morphology import is_known

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
        # A letter with punctuation held on ("(с", "р)") is one letter too.
        if len(tokens) > 1 and all(sum(c.isalpha() for c in t) == 1 for t in tokens):
            words.append("".join(tokens))
        else:
            words.append(segment)
    return " ".join(w for w in words if w)


_ENDING_RUN = "(?:" + "|".join(sorted(_ENDINGS, key=len, reverse=True)) + ")+"
# What the rest of a word cut at a line's end looks like: at most a vowel and a consonant
# of its stem, then suffixes only (Kazakh derivation and inflection, and the -ика/-ция of
# loanwords): "ациялар", "аникалық", "ндыру", "рылған", "лы".
_SUFFIXES = [*_ENDINGS, "дыр", "дір", "тыр", "тір", "ғыз", "гіз", "қыз", "кіз", "ыл", "іл",
             "ла", "ле", "ын", "ін", "ым", "ім", "ың", "ің", "сы", "сі", "ғы", "гі", "қы", "кі",
             "тын", "тін", "дын", "дін", "лы", "лі", "ика", "ция", "ка"]  # fmt: skip
_VOWELS = "аеиыіоөуүұәэюя"
_SUFFIX_RUN = f"(?:{'|'.join(sorted(_SUFFIXES, key=len, reverse=True))})+"
_PIECE = re.compile(
    # suffixes alone; a vowel (and a consonant) before three letters of suffixes or more;
    # a consonant no native word begins with, or a consonant before a consonant.
    rf"^(?:{_SUFFIX_RUN}|[{_VOWELS}][^{_VOWELS}]?(?={_SUFFIX_RUN}$).{{3,}}"
    rf"|[рлңғ]{_SUFFIX_RUN}|[^{_VOWELS}](?=[^{_VOWELS}]){_SUFFIX_RUN})$"
)
# No Kazakh or Russian word begins with these letters.
_NEVER_FIRST = frozenset("ыңъь")
# Short common words (Kazakh and Russian) that stand alone, never the end of a cut word.
_SHORT_WORDS = frozenset(
    {"және", "мен", "бен", "пен", "үшін", "ету", "беру", "жол", "жер", "кен", "ет", "іс",
     "су", "ас", "ақ", "ат", "ай", "жылу", "салу", "қазу", "алу", "и", "в", "по", "на"}
)  # fmt: skip


def cannot_start_a_word(fragment: str) -> bool:
    """Text that opens a line and surely ends a word cut at the line before, wherever the
    break stands: one letter, a letter no word begins with, or nothing but endings
    ("лық" after "Резеңке-техника" in the shipped decree)."""
    match = re.match(r"[^\W\d_]+", fragment)
    if not match or not fragment[:1].islower():
        return False
    word = match.group(0).lower()
    if word in _SHORT_WORDS:  # "кен" (ore) is a word as well as an ending
        return False
    return len(word) == 1 or word[0] in _NEVER_FIRST or bool(re.fullmatch(_ENDING_RUN, word))


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


def whole_words(names: list[list[str]]) -> frozenset[str]:
    """The words a document prints whole: every word of a name's lines but the ones a
    line break could have cut (the first word of a line that goes on a name, and a line
    of one word before another line)."""
    found: set[str] = set()
    for lines in names:
        closed = [close_letter_spacing(line).split() for line in lines]
        for i, words in enumerate(closed):
            last = i == len(closed) - 1
            for j, word in enumerate(words):
                if (j == 0 and i > 0) or (len(words) == 1 and not last):
                    continue
                found.add(word.lower().strip(",.;:()"))
    return frozenset(found)


def is_cut(line: str, after: str, words: frozenset[str]) -> bool:
    """For a line of one word that ran to the cell's edge (`line`) and the line after it:
    was the word cut because it did not fit, or did it just fit? The page cannot tell;
    the document can: yes when it prints the joined word whole elsewhere, no when it
    prints either part whole (or the next line begins with a short word that stands
    alone, "кен", "және"); otherwise yes when what opens the next line is only the end
    of a word (a suffix, after at most a letter or two of a stem)."""
    head = close_letter_spacing(line).lower().rsplit("-", 1)[-1].strip(",.;:()")
    tail = (close_letter_spacing(after).split() or [""])[0].lower()
    tail_word = tail.strip(",.;:()")
    if not tail_word or not tail_word[0].isalpha():
        return False
    if (head + tail_word) in words or _russian_stem_cut(head, tail_word):
        return True
    if tail_word in words or head in words or tail_word in _SHORT_WORDS:
        return False
    return len(tail_word) <= 2 or bool(_PIECE.match(tail_word))


def _russian_stem_cut(head: str, tail: str) -> bool:
    """The joined word is a Russian dictionary word ("эпидемиоло" / "гия"), or one with
    Kazakh suffixes ("рефрижера" / "торлы": рефрижератор + лы)."""
    for k in range(len(tail), 1, -1):
        rest = tail[k:]
        if is_known(head + tail[:k]) and (not rest or re.fullmatch(_SUFFIX_RUN, rest)):
            return True
    return False


def clean_name(
    lines: list[str], cuts: list[bool | None] | None = None, words: frozenset[str] = frozenset()
) -> str:
    """Join the lines of one name cell into a clean, single-spaced name.

    `cuts[i]` says whether the break after line i cut a word, as the PDF reader saw it on
    the page (None: the page cannot tell, decided by `is_cut` with the document's `words`);
    without `cuts`, a break is judged from the text alone (`continues_word`).
    """
    marks = cuts if cuts is not None else [None] * len(lines)
    pairs = [
        (close_letter_spacing(line), line, cut) for line, cut in zip(lines, marks, strict=True)
    ]
    pairs = [p for p in pairs if p[0]]
    if not pairs:
        return ""
    text, raw, cut = pairs[0]
    for part, next_raw, next_cut in pairs[1:]:
        if cuts is None:
            joined = continues_word(text, part)
        else:
            joined = is_cut(raw, next_raw, words) if cut is None else cut
        if text.endswith("-") or (joined and part[:1].islower()):
            text += part
        else:
            text += " " + part
        raw, cut = next_raw, next_cut
    return _close_stray_spaces(_SPACES.sub(" ", text)).strip()


def normalise_code(code_raw: str) -> str:
    """The 8-digit code for a code as printed; a 7-digit code lost its leading zero."""
    digits = re.sub(r"\D", "", code_raw)
    if len(digits) == 7:
        return "0" + digits
    return digits
