"""Word forms: Russian lemmas from pymorphy3's dictionary, Kazakh stems by rule.

Russian inflects ("сварщика", "сварщиком", "на медсестру"); pymorphy3 with its Russian
dictionary gives the lemma of a known word and its part of speech, so "хочу" is a verb and
not a specialty. Kazakh agglutinates ("мейіргерлікке", "аспазшыға"); its endings, listed
in `data/kazakh_endings.json`, are taken off the search skeleton. The analyzer loads once
(about 0.1 s) and every answer is cached per word.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from store.text import WORD_CACHE_SIZE, clean, fold, is_cyrillic, is_kazakh, skeleton

# Parts of speech that name things, or narrow what is named ("сметное дело" is not any
# "дело"); a word of another kind ("хочу", "после", "рядом") says nothing about which
# specialty is meant. Evaluative adjectives ("хороший") are filler words (words.json).
_NAMING = frozenset({"NOUN", "ADJF", "ADJS"})
_DESCRIBING = frozenset({"ADJF", "ADJS", "PRTF"})


SHORT_STEM = 3  # "іс", the shortest stem a name has, with its possessive "і"


@cache
def _analyzer() -> Any:
    # Loaded on first use: a command whose words were all read before never pays.
    import pymorphy3
    import pymorphy3_dicts_ru

    # The dictionary by its path: finding it by entry point would import importlib.metadata.
    return pymorphy3.MorphAnalyzer(pymorphy3_dicts_ru.get_path(), lang="ru")


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _russian(word: str) -> tuple[tuple[str, ...], str | None]:
    """(lemmas, part of speech of the likeliest reading) of a Russian dictionary word;
    ((), None) otherwise. Two lemmas when the word reads both ways ("техник": the
    technician, or "of techniques")."""
    # Short words are too often another language's (Kazakh "ету" is not Russian "этот").
    if not is_cyrillic(word) or is_kazakh(word) or len(word) < 4:
        return (), None
    known, forms, pos, *_ = _parsed(word)
    if not known:
        return (), None
    return tuple(dict.fromkeys(forms))[:2], pos


# What the readings here need of pymorphy3's parses of a word: whether the likeliest is a
# dictionary word, the dictionary forms of the first three, the first's part of speech,
# case and number, and whether it is a person's name (a first name, surname, patronymic).
Parse = tuple[bool, tuple[str, ...], str | None, str | None, str | None, bool]
# Parses kept, per word (about 1 KB each); `store.index_cache` saves them with an index, so
# that a later process reads the same words without loading the analyzer.
MAX_PARSES = WORD_CACHE_SIZE
_parses: dict[str, Parse] = {}
_NO_PARSE: Parse = (False, (), None, None, None, False)


def _parsed(word: str) -> Parse:
    """pymorphy3's parse of a word (see `Parse`), kept instead of the parses themselves:
    one made before, one an earlier process saved (`consult`), or the analyzer's."""
    found = _parses.get(word)
    if found is None:
        found = _saved(word) or _analysed(word)
        if len(_parses) < MAX_PARSES:
            _parses[word] = found
    return found


_PERSON = frozenset({"Name", "Surn", "Patr"})


def _analysed(word: str) -> Parse:
    try:
        parses = _analyzer().parse(word)
    except ValueError:  # pymorphy3 names each character; some have no name ("𗀀")
        return False, (word,), None, None, None, False
    forms = tuple(p.normal_form.replace("ё", "е") for p in parses[:3])
    tag = parses[0].tag
    pos, case, number = tag.POS, tag.case, tag.number
    return (
        parses[0].is_known,
        forms,
        None if pos is None else str(pos),
        None if case is None else str(case),
        None if number is None else str(number),
        bool(_PERSON & tag.grammemes),
    )


def _nothing_saved(word: str) -> Parse | None:
    return None


_saved: Callable[[str], Parse | None] = _nothing_saved


def consult(saved: Callable[[str], Parse | None]) -> None:
    """Look a word up in `saved` (parses an earlier process made with the same analyzer)
    before loading the analyzer for it."""
    global _saved
    _saved = saved


def parsed_words() -> list[str]:
    """The words parsed so far, in the order they were first parsed."""
    return list(_parses)


def dictionary_words(words: Iterable[str]) -> list[str]:
    """Those of `words` parsed so far that are of the Russian dictionary."""
    return [word for word in words if (parse := _parses.get(word)) and parse[0]]


def form_parses(words: Iterable[str]) -> Iterator[tuple[str, Parse]]:
    """The parse of every form of each of these dictionary words ("сварщик": "сварщика",
    "сварщиками"...), as the analyzer gives it for that form: saved with an index, so that
    a later process reads an inflected word without loading the analyzer (about 0.1 s of a
    command's start). A form with "ё" is given with "е" too, as typed. One at a time, and
    each form once per word only (a form two words share is given twice), since a bot
    building its first index should not hold them all."""
    analyzer = _analyzer()
    for word in words:
        lexeme = analyzer.parse(word)[0].lexeme
        typed = {f.word for f in lexeme} | {f.word.replace("ё", "е") for f in lexeme}
        for form in sorted(typed):
            yield form, _parses.get(form) or _analysed(form)


def inflected(word: str) -> set[str]:
    """Every form the analyzer gives a Russian noun, one it knows or one it inflects by
    analogy: town names, which the dictionary mostly lacks ("Ботакара": "в Ботакаре")."""
    if not is_cyrillic(word) or is_kazakh(word):
        return set()
    try:
        found = _analyzer().parse(word)[0]
    except ValueError:  # a character without a name, as in `_analysed`
        return set()
    if found.tag.POS != "NOUN":
        return set()
    return {f.word.replace("ё", "е") for f in found.lexeme}


def parses() -> dict[str, Parse]:
    """Every parse kept so far, by word."""
    return dict(_parses)


def remember(found: dict[str, Parse]) -> None:
    """Keep parses made by an earlier process with the same analyzer (`parses`)."""
    for word, parse in found.items():
        if len(_parses) >= MAX_PARSES:
            break
        if isinstance(parse, tuple) and len(parse) == len(_NO_PARSE):  # not another `Parse`
            _parses.setdefault(word, parse)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def guessed_lemma(word: str) -> str:
    """pymorphy3's guess at the dictionary form of a Russian-looking word it does not know
    (a misspelling, "информацонная" -> "информацонный"), so that a slip can be matched
    whatever the ending; "" for other words."""
    if not is_cyrillic(word) or is_kazakh(word) or len(word) < 5 or _russian(word)[0]:
        return ""
    lemma = _parsed(word)[1][0]
    return lemma if lemma != word else ""


def russian_lemma(word: str) -> str:
    """The likeliest dictionary form of a Russian word ("сварщика" -> "сварщик"); other
    words as they are."""
    lemmas = _russian(word)[0]
    # A word that is itself a dictionary form is that word ("техник", not "of techniques").
    return word if word in lemmas or not lemmas else lemmas[0]


def is_known(word: str) -> bool:
    """True for a word of the Russian dictionary: a misspelling of another word it is not."""
    return bool(_russian(word)[0])


def is_a_name_in_a_case(word: str) -> bool:
    """True for a word whose likeliest reading is a person's name in a case other than the
    nominative ("аграном": "with Агран"), which a slip of another word often is."""
    _, _, _, case, _, person = _parsed(word)
    return person and case is not None and case != "nomn"


def names_nothing(word: str) -> bool:
    """True for a Russian dictionary word that is neither a noun nor an adjective (a verb,
    an adverb, a preposition...): it cannot be part of a specialty's name."""
    pos = _russian(word)[1]
    return pos is not None and pos not in _NAMING


def describes(word: str) -> bool:
    """True for a Russian dictionary word whose likeliest reading is an adjective or a
    participle ("цветная", "гостиничный")."""
    return _russian(word)[1] in _DESCRIBING


def names_a_kind(word: str) -> bool:
    """True for a Russian dictionary word that, in its likeliest reading, says what thing
    a name is about: an adjective or participle ("атомная"), or a noun in the nominative
    ("оптика", "пилот"); not a noun in another case ("ресторана", "по футболу"), which
    says where or for whom."""
    if not _russian(word)[0]:
        return False
    _, _, pos, case, *_ = _parsed(word)
    return describes(word) or (pos == "NOUN" and case == "nomn")


def is_plural(word: str) -> bool:
    """True for a Russian word whose likeliest reading, known or guessed, is in the plural
    ("спасательные", "айтишные"); not for a Kazakh or a short word."""
    if not is_cyrillic(word) or is_kazakh(word) or len(word) < 4:
        return False
    return _parsed(word)[4] == "plur"


# "-ка" and its case endings on a Russian noun made from an adjective, as skeletons.
_SLANG_ENDING = re.compile(r"^([a-z]{4,}?)k(a|i|u|e|oi|ami|ah)$")
# The adjective's suffix and ending on the skeleton ("-ное", "-ская", "-ный"...).
_ADJECTIVE = re.compile(r"^(n|sk)(ii|aia|oe|ie|ogo|omu|oi|uiu|ih|imi)$")


def slang_stem(skeleton: str) -> str:
    """The stem of the adjective a slang noun in -ка is made of ("lechebka": "lecheb",
    "gumanitarka": "gumanitar"); "" for another word."""
    found = _SLANG_ENDING.match(skeleton)
    return found.group(1) if found else ""


def is_adjective_of(stem: str, form: str) -> bool:
    """True when `form` is the adjective made from `stem` ("lecheb" -> "lechebnoe")."""
    return form.startswith(stem) and bool(_ADJECTIVE.match(form[len(stem) :]))


_NOUN_ADJECTIVE = re.compile(r"^([a-z]{4,}?)sk(ii|oi)$")


def noun_of_adjective(lemma: str) -> str:
    """The noun a Russian adjective in -ский/-ской is made of, on the skeleton of its
    dictionary form ("povarskoi" -> "povar", "shahterskii" -> "shahter"); "" otherwise."""
    found = _NOUN_ADJECTIVE.match(lemma)
    return found.group(1) if found else ""


def compact(skeleton: str) -> str:
    """A skeleton with each two-letter spelling of one Cyrillic letter as one character, so
    that a slip costs one edit whatever the letter ("ішсі" is one slip from "ісі")."""
    for pair, mark in _PAIRS:
        skeleton = skeleton.replace(pair, mark)
    return skeleton


_PAIRS = (("sh", "1"), ("ch", "2"), ("ts", "3"), ("iu", "4"), ("ia", "5"))


@cache
def _kazakh_endings() -> dict:
    return json.loads(
        (resources.files("store") / "data" / "kazakh_endings.json").read_text(encoding="utf-8")
    )


@cache
def _endings() -> tuple[frozenset[str], int]:
    data = _kazakh_endings()
    return frozenset(data["endings"]), int(data["min_stem"])


@cache
def _after_possessive() -> frozenset[str]:
    return frozenset(_kazakh_endings()["after_possessive"])


def _takes_off(word: str, end: str) -> bool:
    """True when `end` is an ending of `word` here: -на/-не only after the possessive -ы/-і,
    which is "i" on the skeleton (as и is: "медицина" is cut as though it were one)."""
    return end not in _after_possessive() or word[: -len(end)].endswith("i")


def is_kazakh_ending(word: str) -> bool:
    """True when a word, on the skeleton, is one of the Kazakh endings ("бен", "мен")."""
    return skeleton(word) in _endings()[0]


@lru_cache(maxsize=WORD_CACHE_SIZE)
def kazakh_stems(skeleton: str) -> tuple[str, ...]:
    """A skeleton word with one Kazakh ending more taken off at each step, longest ending
    first ("meditsinadagi", "meditsina", "meditsi", "medits"): a word stands for any of
    them, since an ending cannot be told from the end of a stem by spelling alone."""
    endings, min_stem = _endings()
    steps = [skeleton]
    longest = max(map(len, endings))
    while found := next(
        (
            end
            for end in _ending_cuts(steps[-1], min_stem, longest)
            if end in endings and _takes_off(steps[-1], end)
        ),
        None,
    ):
        stem = steps[-1][: -len(found)]
        steps.append(stem)
        # A stem's last к, қ or п is voiced before an ending's vowel ("еңбек" -> "еңбегі",
        # "мамандық" -> "мамандығы", "сынып" -> "сыныбы"): the stem as it is said alone.
        if found[0] in _VOWELS and stem[-1] in _SAID_ALONE:
            steps.append(stem[:-1] + _SAID_ALONE[stem[-1]])
    return tuple(steps)


_VOWELS = frozenset("aeiou")
_SAID_ALONE = {"g": "k", "b": "p"}  # a voiced stem end, as said without an ending


def _ending_cuts(word: str, min_stem: int, longest: int) -> Iterator[str]:
    """The ends of `word` of at most `longest` letters that leave at least `min_stem`,
    longest first."""
    for cut in range(max(min_stem, len(word) - longest), len(word)):
        yield word[cut:]


def short_stems(skeleton: str) -> list[str]:
    """A skeleton with one Kazakh ending off where that leaves a stem shorter than
    kazakh_stems allows ("isine" -> "isi", of "емдеу ісіне"): only worth trying against
    words an index has, since so short a stem is often not one."""
    return list(_cut_once(skeleton, _endings_longest_first(), _endings()[1]))


@cache
def _cases() -> tuple[str, ...]:
    return tuple(_kazakh_endings()["cases"])


@lru_cache(maxsize=WORD_CACHE_SIZE)
def case_stems(skeleton: str) -> tuple[str, ...]:
    """A skeleton with one case ending off, however long what is left ("etuge" -> "etu"):
    a filler word's forms ("ету"); never the plural, a possessive or a derivation ("жылу"
    is not "жыл", "сандық" not "сан")."""
    return tuple(_cut_once(skeleton, _cases(), len(skeleton)))


def _cut_once(skeleton: str, ends: Iterable[str], shorter_than: int) -> Iterator[str]:
    """The stems left by taking one of `ends` off, of SHORT_STEM letters and more and
    fewer than `shorter_than`."""
    for end in ends:
        left = len(skeleton) - len(end)
        fits = SHORT_STEM <= left < shorter_than
        if fits and skeleton.endswith(end) and _takes_off(skeleton, end):
            yield skeleton[: -len(end)]


@cache
def _endings_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_endings()[0], key=len, reverse=True))


def kazakh_stem(skeleton: str) -> str:
    """A skeleton word without its Kazakh endings ("meirgerlikke" -> "meirger")."""
    return kazakh_stems(skeleton)[-1]


@lru_cache(maxsize=WORD_CACHE_SIZE)
def forms(word: str, guess: bool = False) -> tuple[str, ...]:
    """Every skeleton form a typed word can be matched by: as typed, and its Russian lemmas
    for a Russian dictionary word, else each Kazakh stem on the way to the shortest (and,
    with `guess`, pymorphy3's guess at its dictionary form, for a query word that may be
    misspelt); no repeats."""
    surface = skeleton(word)
    lemmas = _russian(word)[0]
    found = [surface, *(skeleton(lemma) for lemma in lemmas)]
    found += [fold(m) for w in (word, *lemmas) if (m := _masculine(w))]
    if not lemmas:
        found += kazakh_stems(surface)[1:]
        if guess and (lemma := guessed_lemma(word)):
            found.append(skeleton(lemma))
    return tuple(f for f in dict.fromkeys(found) if f)


# Russian names a woman of a trade with a suffix on the man's word ("каменщица",
# "айтишница", "программистка"); the names and aliases have the man's word.
_FEMININE = (("щица", "щик"), ("чица", "чик"), ("ница", "ник"), ("истка", "ист"))


def _masculine(word: str) -> str:
    """The man's word of a woman's one ("каменщица" -> "каменщик"); "" for other words."""
    for feminine, masculine in _FEMININE:
        if word.endswith(feminine) and len(word) >= len(feminine) + 3 and is_cyrillic(word):
            return word[: -len(feminine)] + masculine
    return ""


def clear_caches() -> None:
    """Forget every cached answer (benchmarks measure a word never seen before)."""
    for cached in (_russian, guessed_lemma, kazakh_stems, case_stems, forms, fold, clean):
        cached.cache_clear()
    _parses.clear()
    consult(_nothing_saved)
