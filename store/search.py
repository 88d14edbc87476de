"""Find what a person means, whatever they type, and never show a card it cannot stand behind.

Every text (the decree's names, official Russian and English names, everyday aliases,
qualifications, and the query) is read into words with skeleton forms (`store.query`,
`store.morphology`): one Latin skeleton for every script, Russian lemmas, Kazakh stems.
A query word matches an index word exactly, by form, by a shared stem, or as a phone typo
(a bounded edit distance). A specialty *explains* the query when every meaningful query
word matches one of its words strongly, and its best name or alias is *covered* when the
query holds that name's informative words (weighted by how few specialties share them).

The answer (`SearchResult.kind`): a *card* only when one specialty explains every
meaningful word and covers one of its own, specific names; a *question* when the best
guesses are close or only likely; *several* when the query names several specialties;
a *field* when it names a whole field of education; *small talk*; or *none*, with a
pointer to a related field (or to where to ask, for another region). Text that is not
understood as typed, and is not made of words as typed, is read as typed on each other
keyboard layout too, and the reading the index explains best wins, by the same scoring.

The index is built once per decree (`SearchEngine(...)`); a query costs a few rapidfuzz
calls per word, cached per word.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from itertools import chain

from rapidfuzz import process
from rapidfuzz.distance import OSA

from store import query as q
from store.keyboard import likely_slip, readings
from store.lexicon import Lexicon
from store.model import Specialty
from store.morphology import (
    case_stems,
    compact,
    describes,
    guessed_lemma,
    is_a_name_in_a_case,
    is_adjective_of,
    is_kazakh_ending,
    is_known,
    is_plural,
    kazakh_stems,
    names_a_kind,
    names_nothing,
    noun_of_adjective,
    russian_lemma,
    short_stems,
    slang_stem,
)
from store.query import Token
from store.text import (
    WORD_CACHE_SIZE,
    fold,
    is_cyrillic,
    is_kazakh,
    skeleton,
    skeleton_words,
    words,
)

# How strongly a query word must match a specialty's word to count as explained by it.
STRONG = 0.8
# How much of a name's informative weight the query must hold for a card: part of the
# decree's long names is enough ("кітапхана"), an everyday alias must be held nearly whole.
COVER = {"name": 0.5, "official": 0.5, "alias": 0.75, "qualification": 0.75}
# A name whose every word is shared by this many specialties or more ("техник") is generic:
# it explains a word but never makes a card on its own.
GENERIC_DF = 4
RARE_DF = 2  # specialties of the decree at most that have a word for it to say which one
GLUED_WORD = 5  # the shortest dictionary word taken for one of several glued ones
GLUED_MOST = 32  # the longest word taken apart: the pieces of one are asked of each cut
# The lengths of a filler word glued in another form than typed ("мест", "места"): short
# ones, each looked up in the dictionary.
FILLER_FORM = (4, 6)
# Scores within this many points of the best are equally good: ask, do not tell.
AMBIGUOUS_MARGIN = 3.0
NAMING_WORDS = 3  # a query of at most this many words to explain is a name, all of it
LAYOUT_WORD = 4  # a word this long that is a word as typed was not typed on another layout
STEM_LETTERS = 6  # letters two words of one root share ("исполн-ение", "исполн-ительство")
ALTERNATIVES_MARGIN = 12.0
# A question needs at least this share of the query explained strongly.
QUESTION_SHARE = 0.5
MAX_SEVERAL = 3
# Words, each naming something of one field, that together name the field.
EXAMPLES_OF_A_FIELD = 3
SURE_SCORE = 85.0  # a match at least this good is the word's meaning, not a guess at it
# Points for a query explained by the decree's own name rather than by an alias.
NAME_BONUS = 3.0


class Kind(StrEnum):
    """What kind of answer a query gets."""

    CARD = "card"  # one specialty, surely
    QUESTION = "question"  # a likely guess, or near-equal options: ask, do not tell
    SEVERAL = "several"  # the query names several specialties: answer (compare) each
    CODES = "codes"  # digits: the specialties with that code, or whose codes start with it
    FIELD = "field"  # a field of education or a topic: its list, not one specialty
    SMALLTALK = "smalltalk"  # a greeting, thanks, a request for help or the list
    NONE = "none"  # nothing in the decree fits


class Topic(StrEnum):
    """What small talk is about."""

    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    LIST = "list"  # "all specialties", "список"
    BYE = "bye"
    FUNDING = "funding"  # grants, free study, stipends, without a specialty


class KeyKind(StrEnum):
    """Where a name of a specialty comes from."""

    NAME = "name"  # the decree's own
    OFFICIAL = "official"  # the official Russian and English names
    ALIAS = "alias"  # everyday words (reviewed data file)
    QUALIFICATION = "qualification"  # qualification names from the classifier


@dataclass(frozen=True)
class Match:
    """A specialty the engine stands behind, with its score (0-100)."""

    specialty: Specialty
    score: float


@dataclass(frozen=True)
class SearchResult:
    """What a query found: matches best first, and what kind of answer they make."""

    query: str
    matches: tuple[Match, ...]
    kind: Kind = Kind.NONE
    # How many specialties fit before `limit` cut the list (a code prefix fits many).
    total: int = 0
    field: str = ""  # the field's code, for Kind.FIELD
    topic: Topic | None = None  # for Kind.SMALLTALK
    # For Kind.NONE: a field of education the query seems to be about, to point to.
    related_field: str = ""
    # For Kind.NONE: the region a query names whose decree is not loaded ("Атырау облысы").
    elsewhere: str = ""
    # The code of a classifier's specialty the query names that this decree orders no places
    # for ("гостиничный бизнес"): the whole answer (Kind.NONE), or beside the others named.
    unfunded: str = ""
    grade: int | None = None  # "после 9 класса": 9

    @property
    def ambiguous(self) -> bool:
        """True when the bot should ask rather than show one card."""
        return self.kind == Kind.QUESTION or (self.kind == Kind.CODES and len(self.matches) > 1)

    @property
    def by_code(self) -> bool:
        return self.kind == Kind.CODES


@dataclass(frozen=True)
class _Key:
    """One name of a specialty as words, each word with its skeleton forms."""

    specialty: int
    kind: KeyKind
    words: tuple[tuple[str, ...], ...]
    # An English name: a word typed in Cyrillic is never matched against it, so that
    # "электрик" is not "electric welder".
    english: bool = False
    # For a Russian alias, which of its words are adjectives ("черная металлургия").
    describing: tuple[bool, ...] = ()


class _Postings:
    """Where each form occurs (key, word position), and the forms sorted for prefix scans."""

    def __init__(self, keys: list[_Key], include: bool) -> None:
        self.at: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for key_index, key in enumerate(keys):
            if key.english and not include:
                continue
            for position, word_forms in enumerate(key.words):
                for form in word_forms:
                    self.at[form].append((key_index, position))
        self.vocabulary = sorted(self.at)
        # For slips: the forms by length, since a form more edits longer or shorter than a
        # word cannot be that many edits from it.
        self.by_length: dict[int, tuple[list[str], list[int]]] = {}
        for at, form in enumerate(self.vocabulary):
            short = compact(form)
            forms, positions = self.by_length.setdefault(len(short), ([], []))
            forms.append(short)
            positions.append(at)

    def near(self, word: str, limit: int) -> list[tuple[int, int]]:
        """(edits, vocabulary index) of the ten forms nearest `word` (a compact skeleton),
        at most `limit` edits away, nearest first."""
        found = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            if length not in self.by_length:
                continue
            forms, at = self.by_length[length]
            found += [
                (distance, at[i])
                for _, distance, i in process.extract(
                    word, forms, scorer=OSA.distance, score_cutoff=limit, limit=10
                )
            ]
        return sorted(found)[:10]


_NAME_KINDS = (KeyKind.NAME, KeyKind.OFFICIAL)


@dataclass
class _Candidate:
    """What the query's words match in one specialty."""

    index: int
    explained: dict[str, float]  # query word -> best strength
    held: float = 0.0  # the most of a specific (non-generic) name's weight the query holds
    cover: float = 0.0  # the same, against what a card needs from that kind of name
    full: bool = False  # the query is exactly one of its specific names
    score: float = 0.0
    strong_share: float = 0.0  # the share of the query's weight it explains strongly

    def explains(self, needed: Sequence[str]) -> bool:
        return all(self.explained.get(w, 0.0) >= STRONG for w in needed)

    def card_ok(self, needed: Sequence[str]) -> bool:
        return self.cover >= COVER["name"] and self.explains(needed)


def _stem_strength(a: str, b: str) -> float:
    """Two forms of one word where one starts the other: "svarshchika" ~ "svarshchik"."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    ending = len(long_) - len(short)
    # Four letters and three more are too often another word ("кино", "кинолог").
    most = max(2 if len(short) == 4 else 3, len(short) // 2)
    if len(short) < 4 or not long_.startswith(short) or ending > most:
        return 0.0
    return 0.8 + 0.2 * len(short) / len(long_)


def _shared_start_strength(a: str, b: str) -> float:
    """Two words sharing a long start ("ispolnenie" ~ "ispolnitelstvo"): related, never
    sure ("охранник" is not "охрана"), so below STRONG."""
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    if shared < 5 or shared < 0.6 * min(len(a), len(b)):
        return 0.0
    return 0.55 + 0.2 * shared / max(len(a), len(b))


def _clipped_strength(word: str, other: str) -> float:
    """A word cut short, as people clip long ones ("стомат", "фарма"): as strong as a
    name's word must be, so that the names it begins are asked about or, when they are one
    specialty's, shown."""
    return STRONG if len(other) >= len(word) + 2 and other.startswith(word) else 0.0


def _typo_strength(word: str, distance: int, same_start: bool) -> float:
    """How sure a slip of `distance` edits is: one edit is sure in any word that allows it,
    two only in long words (an 8-letter word two edits from another is often a different
    word: "астроном", "агроном")."""
    strength = 0.92 - 0.07 * (distance - 1) - (0.0 if same_start else 0.04)
    # Two slips, one of them the first letter, are more often another word ("дарламашы" is
    # not "жарнамашы").
    if distance >= 2 and (len(word) < 9 or not same_start):
        strength = min(strength, STRONG - 0.02)
    # A short word with another first letter is as often another word ("sailor" is no
    # slip of "tailor").
    if not same_start and len(word) <= 6:
        strength = min(strength, STRONG - 0.02)
    return strength


def _one_word(a: str, b: str) -> bool:
    """True when two skeletons may be one word: another form of it ("iske", of "is") or a
    slip of it ("raiuota", of "rabota"; fewer in a short word: "sut" is no slip of "et")."""
    if a[:3] == b[:3] or a.startswith(b) or b.startswith(a):
        return True
    slips = q.max_typos(max(a, b, key=len)) + 1
    return OSA.distance(a, b, score_cutoff=slips) <= slips


def _adjective_of(stem: str, form: str) -> float:
    """Sure when `form` is the adjective made from `stem` ("lecheb" -> "lechebnoe")."""
    return STRONG if is_adjective_of(stem, form) else 0.0


# The plain letter a Russian keyboard puts for each Kazakh one.
_PLAIN_FOR = {
    "ә": "а",
    "ө": "о",
    "ү": "у",
    "ұ": "у",
    "қ": "к",
    "ғ": "г",
    "ң": "н",
    "һ": "х",
    "і": "и",
}


def _letters_apart(typed: str, spelled: str) -> int:
    """The letters two spellings of one skeleton differ by: a Kazakh letter typed where
    the name has another, or ы for і; not a plain letter for the name's Kazakh one, which
    a Russian keyboard types ("артисі"), nor the ending a typed word has beyond the name's
    ("аңшыға" is two from "әнші": ң for н, ы for і)."""
    plain = "".join(
        b if i < len(spelled) and _PLAIN_FOR.get(b := spelled[i]) == a else a
        for i, a in enumerate(typed)
    )
    return OSA.distance(plain, spelled) - max(0, len(typed) - len(spelled))


def _scan(
    index: _Postings,
    start: str,
    word: str,
    found: dict[str, float],
    strength: Callable[[str, str], float],
) -> None:
    """Index forms beginning with `start`, with their strength against `word`."""
    first = bisect_left(index.vocabulary, start)
    for other in index.vocabulary[first : first + 50]:
        if not other.startswith(start):
            break
        found[other] = max(found.get(other, 0.0), strength(word, other))


class SearchEngine:
    """An index over one decree's specialties, built once and queried many times."""

    def __init__(
        self,
        specialties: Sequence[Specialty],
        words_of: Lexicon,
        places: Iterable[str] = (),
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """`fields`: each field of education's names (as the decree prints them, and their
        translations), by code; a query made of a field name's words opens the field."""
        self.specialties = list(specialties)
        places = tuple(places)
        self.book = q.phrasebook(places, words_of.elsewhere(places), words_of.region_words)
        self._field_words = {
            code: _Words(self._content_words(" ".join(names)))
            for code, names in (fields or {}).items()
        }
        self._field_codes = list(self._field_words)
        self._field_names = _WordsIndex(list(self._field_words.values()))
        # Names with a filler word in them, word for word as typed ("train driver", "іс
        # жүргізуші": "train" and "іс" are words of questions too).
        self._with_filler: dict[tuple[str, ...], set[int]] = defaultdict(set)
        # How each skeleton of a Kazakh name's word is spelled there ("anshi": "әнші").
        self._spelled: dict[str, set[str]] = defaultdict(set)
        self.keys = [k for i, s in enumerate(self.specialties) for k in self._keys(i, s, words_of)]
        self._latin = _Postings(self.keys, include=True)
        self._cyrillic = _Postings(self.keys, include=False)
        owners: dict[str, set[int]] = defaultdict(set)
        for key in self.keys:
            for word_forms in key.words:
                for form in word_forms:
                    owners[form].add(key.specialty)
        count = max(1, len(self.specialties))
        self._idf = {form: math.log(1 + count / len(s)) for form, s in owners.items()}
        self._generic_idf = math.log(1 + count / GENERIC_DF)
        self._rare_idf = math.log(1 + count / RARE_DF)
        self._key_weights = [
            [max(self._idf.get(f, 0.0) for f in w) for w in k.words] for k in self.keys
        ]
        self._generic = [max(w, default=0.0) < self._generic_idf for w in self._key_weights]
        self._pointers = frozenset(self.book.pointers)
        self._joiners = frozenset(fold(j) for j in self.book.joiners)
        # Joining words without a space, as they may be glued between two words; not one that is a
        # Kazakh case ending too ("газбенжабдықтау": -бен is the instrumental). "и" is a
        # possessive's skeleton, but no case: a glued "и" is the joining word.
        self._glued_joiners = tuple(
            sorted(
                (
                    j
                    for j in self.book.joiners
                    if " " not in j and not (len(j) == 3 and is_kazakh_ending(j))
                ),
                key=len,
                reverse=True,
            )
        )
        # The names of the narrow fields no specialty here is in ("Рыбное хозяйство"),
        # each as its content words.
        trained = {code[:3] for s in self.specialties for code in s.codes}
        self._untrained = [
            (code, _Words(found), [_Words([w]) for w in found])
            for code, names in words_of.narrow_fields.items()
            if code not in trained
            for found in map(self._content_words, names)
        ]
        # The classifier's specialties this decree orders no places for, each name (and each
        # of its qualifications') as its content words, and each of those words alone.
        funded = {code for s in self.specialties for code in s.codes}
        self._unfunded = [
            (code, _Words(found), [_Words([w]) for w in found])
            for code, specialty in words_of.classifier.items()
            if code not in funded
            for name in (specialty.ru, specialty.kk, *specialty.qualifications)
            if name and (found := self._content_words(name))
        ]
        self._unfunded_names = _WordsIndex([name for _, name, _ in self._unfunded])
        # Each specialty's own names and their official translations (not aliases).
        self._name_keys: dict[int, list[_Key]] = defaultdict(list)
        for key in self.keys:
            if key.kind in _NAME_KINDS:
                self._name_keys[key.specialty].append(key)
        # The names a query can be exactly; a generic one ("техник") is never a name.
        self._full_forms: dict[tuple[str, ...], set[int]] = defaultdict(set)
        # The same by the first word, for a name in another form.
        self._by_first_word: dict[str, list[_Key]] = defaultdict(list)
        for key, generic in zip(self.keys, self._generic, strict=True):
            if not generic:
                self._full_forms[tuple(w[0] for w in key.words)].add(key.specialty)
                self._by_first_word[key.words[0][0]].append(key)
        self._codes: dict[str, set[int]] = defaultdict(set)
        self._members: dict[str, set[int]] = defaultdict(set)  # field code -> specialties
        for index, specialty in enumerate(self.specialties):
            for row in specialty.rows:
                self._members[row.group_code].add(index)
                self._codes[row.code].add(index)
                self._codes[re.sub(r"\D", "", row.code_raw)].add(index)
        self._start_caches()

    def _start_caches(self) -> None:
        self._matches = lru_cache(maxsize=WORD_CACHE_SIZE)(self._word_matches)
        self._fields_of = lru_cache(maxsize=WORD_CACHE_SIZE)(self._fields_with_word)
        # The pieces of a joined query are read alone and together, some more than once.
        self._piece = lru_cache(maxsize=1024)(self._piece_uncached)
        self._forms_of_specialty = lru_cache(maxsize=None)(self._forms_of_specialty_uncached)
        self._own_words = lru_cache(maxsize=None)(self._own_words_uncached)
        self._glued_words = lru_cache(maxsize=1024)(self._glued_uncached)
        self._dictionary_words = lru_cache(maxsize=1024)(self._dictionary_words_uncached)

    def __getstate__(self) -> dict[str, object]:
        """The index without its per-word caches (`store.index_cache` saves it)."""
        return {k: v for k, v in self.__dict__.items() if not hasattr(v, "cache_clear")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._start_caches()

    def _content_words(self, text: str) -> list[Token]:
        """The words of a name that say something: no filler, no generic word."""
        return [t for t in q.tokens(text, guess=False) if self._says_something(t)]

    def _says_something(self, t: Token) -> bool:
        return not self.book.is_filler(t) and not set(t.forms) & self.book.generic

    def _field_named(self, found: list[Token], misses: int = 0) -> str | None:
        """The field whose name the query is made of ("көлік қызметі", "социальные науки и
        информация"): two words or more, each a word of that field's name or a topic word of
        it ("транспортные услуги и перевозки"), but for `misses` of them."""
        said = [t for t in found if self._says_something(t)]
        if len(said) == 1 and not misses:
            asked = any(set(t.forms) & self.book.field_markers for t in found)
            return self._field_word(said[0], asked)
        if len(said) < 2 + misses:
            return None
        fields = [self._fields_of(t) for t in said]
        if not misses:
            return next((c for c in self._field_words if all(c in f for f in fields)), None)
        # Allowing a miss, only the one field that misses fewest ("социальное обеспечение и
        # науки" is 09 whole but 03 too, but for one word: neither).
        missed = {c: sum(c not in f for f in fields) for c in self._field_words}
        fewest = min(missed.values(), default=misses + 1)
        found = [c for c, n in missed.items() if n == fewest]
        return found[0] if fewest <= misses and len(found) == 1 else None

    def _field_word(self, t: Token, asked: bool = False) -> str | None:
        """The field a word alone names: a word of one field's name, as it is there or in
        its dictionary form, that no specialty's name has ("гуманитарлық", of "Өнер және
        гуманитарлық ғылымдар"; not "инженер", which is a person, for "Инженерлік"), or
        that one has when the query `asked` for a field ("ақпарат саласы")."""
        fields = [code for code, name in self._field_words.items() if name.is_word(t)]
        sure = not asked and max(self._matches(t).values(), default=0.0) >= STRONG
        return fields[0] if len(fields) == 1 and not sure else None

    def _fields_with_word(self, t: Token) -> set[str]:
        """The fields whose name has this word in some form, or that it is a topic of."""
        named = {self._field_codes[i] for i in self._field_names.having(t)}
        return named | q.topic_fields(self.book, t)

    def _keys(self, index: int, specialty: Specialty, lexicon: Lexicon) -> list[_Key]:
        aliases = lexicon.entries.get(specialty.name, {}).get("aliases", {})
        texts = [
            (KeyKind.NAME, specialty.name, "kk"),
            (KeyKind.NAME, re.sub(r"\([^)]*\)", " ", specialty.name), "kk"),
            (KeyKind.OFFICIAL, specialty.translations.ru, "ru"),
            (KeyKind.OFFICIAL, specialty.translations.en, "en"),
            *((KeyKind.ALIAS, a, lang) for lang, found in aliases.items() for a in found),
            *(
                (KeyKind.QUALIFICATION, name, lang)
                for qualification in specialty.qualifications
                for name, lang in ((qualification.ru, "ru"), (qualification.kk, "kk"))
            ),
        ]
        keys = []
        for kind, text, language in texts:
            every = q.tokens(text, guess=False)
            if language == "kk":
                every = [t.as_kazakh() for t in every]
            found = [t for t in every if not self.book.is_filler(t)]
            for t in found:
                if is_kazakh(t.text):
                    self._spelled[t.skeleton].add(t.text.lower())
            if found:
                describing = ()
                if kind == KeyKind.ALIAS and language == "ru":
                    describing = tuple(describes(t.text) for t in found)
                forms = tuple(t.forms for t in found)
                keys.append(_Key(index, kind, forms, language == "en", describing))
            if found and len(found) < len(every):
                self._with_filler[tuple(t.skeleton for t in every)].add(index)
        return list(dict.fromkeys(keys))

    def _index_for(self, t: Token) -> _Postings:
        return self._cyrillic if is_cyrillic(t.text) else self._latin

    def clear_cache(self) -> None:
        """Forget the per-word matches (benchmarks measure words never seen before)."""
        for value in list(self.__dict__.values()):
            if hasattr(value, "cache_clear"):
                value.cache_clear()
        self.book.topic_words_seen.clear()

    # Matching words

    def _word_matches(self, t: Token) -> dict[str, float]:
        """Index forms close to a query word, with how strongly (0-1)."""
        index = self._index_for(t)
        found: dict[str, float] = {}
        for i, form in enumerate(t.forms):
            if form in index.at:
                found[form] = 1.0 if i == 0 else 0.96
        if not found:
            found |= {stem: 0.96 for stem in short_stems(t.skeleton) if stem in index.at}
        word = t.skeleton
        if len(word) >= 4:
            _scan(index, word, word, found, _stem_strength)
            for end in range(4, len(word)):
                if word[:end] in index.at:
                    prefix = word[:end]
                    found[prefix] = max(found.get(prefix, 0.0), _stem_strength(word, prefix))
        if max(found.values(), default=0.0) < STRONG:
            self._other_readings(t, index, found)
        if is_kazakh(t.text):
            self._spelled_otherwise(t, found)
        return {form: s for form, s in found.items() if s >= 0.6}

    def _spelled_otherwise(self, t: Token, found: dict[str, float]) -> None:
        """A word typed with Kazakh letters is written by someone who types them: where a
        name's word of the same skeleton has other letters in more places than a slip
        makes, it is another word ("аңшы", a hunter, is not "әнші", a singer: ң for н and
        ы for і), and only a guess at the name's. One letter may be a slip ("мейірғер",
        "кіім"); a word without Kazakh letters ("анши") may be either."""
        typed = t.text.lower()
        if re.search("[a-z]", typed):  # "tärbiesі": Latin with a Cyrillic letter, no spelling
            return
        for form, strength in found.items():
            spelled = self._spelled.get(form)
            if not spelled or strength < STRONG:
                continue
            if all(_letters_apart(typed, w) > max(1, q.max_typos(w)) for w in spelled):
                found[form] = STRONG - 0.02

    def _other_readings(self, t: Token, index: _Postings, found: dict[str, float]) -> None:
        """What a word the index has no sure form of may still be: slang, or a slip."""
        word = t.skeleton
        stem = self._derivations(t, index, found)
        # A slip is a reading of last resort: not for a word the index has as typed, nor
        # for a word of the Russian dictionary (that is another word, not a slip).
        known = is_known(t.text) and not is_a_name_in_a_case(t.text)
        if max(found.values(), default=0.0) >= STRONG or known:
            return
        if len(word) >= 5:
            _scan(index, word[:5], word, found, _shared_start_strength)
            _scan(index, word, word, found, _clipped_strength)
        # A word clipped and given the slang -ка ("стоматка": "стомат-ология").
        if len(stem) >= 5:
            _scan(index, stem, stem, found, _clipped_strength)
        for form in (word, skeleton(guessed_lemma(t.text))):
            if form:
                self._typos(index, form, found)

    @staticmethod
    def _derivations(t: Token, index: _Postings, found: dict[str, float]) -> str:
        """Index words a word is made from, put into `found`; returns the stem of its
        slang -ка ("" when it has none), which a clipped word may be."""
        # Russian slang names a thing by its adjective and -ка: "лечебка" is "лечебное
        # дело", "на железку" "железная дорога", "пожарка" "пожарная безопасность".
        if stem := slang_stem(t.skeleton):
            _scan(index, stem, stem, found, _adjective_of)
        # An adjective of a name's noun: "поварское дело" is the cook's; not a noun made
        # of one ("мастерская", "учительская": rooms).
        for lemma in t.forms[1:] if describes(t.text) else ():
            if (noun := noun_of_adjective(lemma)) in index.at:
                found[noun] = max(found.get(noun, 0.0), STRONG)
        return stem

    def _typos(self, index: _Postings, word: str, found: dict[str, float]) -> None:
        limit = q.max_typos(word)
        if not limit:
            return
        for distance, at in index.near(compact(word), limit):
            other = index.vocabulary[at]
            strength = _typo_strength(word, distance, other[0] == word[0])
            found[other] = max(found.get(other, 0.0), strength)

    # Scoring specialties

    def _weights(self, needed: list[Token]) -> dict[str, float]:
        """How much each query word says: the weight (idf) of the index word it matches
        best, and the most for a word the index does not know (it names something else)."""
        most = math.log(1 + max(1, len(self.specialties)))
        weights = {}
        for t in needed:
            matches = self._matches(t)
            if not matches:
                weights[t.skeleton] = most
                continue
            form = max(matches, key=lambda f: (matches[f], self._idf.get(f, 0.0)))
            weights[t.skeleton] = self._idf.get(form, most)
        return weights

    def _candidates(self, needed: list[Token]) -> list[_Candidate]:
        """Every specialty some query word matches, scored."""
        per_key: dict[int, dict[int, float]] = defaultdict(dict)  # key -> position -> strength
        explained: dict[int, dict[str, float]] = defaultdict(dict)
        by_name: dict[int, dict[str, float]] = defaultdict(dict)
        keys = self.keys
        for t in needed:
            postings = self._index_for(t).at
            word = t.skeleton
            for form, strength in self._matches(t).items():
                # The hottest loop of a search: plain comparisons, no tuples or max().
                for key_index, position in postings[form]:
                    key = keys[key_index]
                    best = explained[key.specialty]
                    if strength > best.get(word, 0.0):
                        best[word] = strength
                    if key.kind in _NAME_KINDS:
                        named = by_name[key.specialty]
                        if strength > named.get(word, 0.0):
                            named[word] = strength
                    positions = per_key[key_index]
                    if strength > positions.get(position, 0.0):
                        positions[position] = strength
        candidates = {i: _Candidate(i, e) for i, e in explained.items()}
        for key_index, positions in per_key.items():
            self._cover(candidates[self.keys[key_index].specialty], key_index, positions)
        full = self._named_exactly(needed)
        weights = self._weights(needed)
        total = sum(weights.values()) or 1.0
        for c in candidates.values():
            share = sum(weights[w] * s for w, s in c.explained.items()) / total
            named = sum(weights[w] * s for w, s in by_name[c.index].items()) / total
            c.full = c.index in full
            c.score = 100.0 if c.full else 100 * (0.7 * share + 0.3 * min(1.0, c.held))
            # The decree's own name (or its official translation) wins a tie with an alias.
            c.score += NAME_BONUS * named
            c.strong_share = sum(w for k, w in weights.items() if c.explained.get(k, 0) >= STRONG)
            c.strong_share /= total
        return sorted(
            candidates.values(),
            key=lambda c: (-c.score, not c.full, -self.specialties[c.index].seats, c.index),
        )

    def _cover(self, candidate: _Candidate, key_index: int, positions: dict[int, float]) -> None:
        """How much of a name's informative weight the query holds (generic names: none)."""
        # A name made only of words many specialties share ("техник") holds nothing.
        if self._generic[key_index]:
            return
        key = self.keys[key_index]
        weights = self._key_weights[key_index]
        needed = COVER[key.kind]
        held = sum(weights[p] * min(1.0, s / STRONG) for p, s in positions.items()) / sum(weights)
        candidate.held = max(candidate.held, held)
        # On one scale for every kind of name: 1.0 at what a card needs from this kind.
        candidate.cover = max(candidate.cover, min(1.0, held * COVER["name"] / needed))

    # Answering

    def search(self, query: str, limit: int = 6) -> SearchResult:
        """What `query` means in this decree: a card, a question, several, a field, small
        talk, or nothing (see `Kind`)."""
        query = query[: q.MAX_QUERY_CHARS]
        best = self._read(query, limit)
        # Other layouts only when the query as typed is not understood, nor made of words.
        unsure = self._unsure(best) and not self._all_words(query)
        for other in readings(query) if unsure else ():
            if not re.search(r"\w", other):  # "ж" on the English layout is ";": no reading
                continue
            result = self._read(other, limit)
            if _rank(result) > _rank(best):
                best = result
        return replace(best, query=query, grade=q.grade(query))

    def _all_words(self, text: str) -> bool:
        """True when the query is words as typed: each word of four letters or more (one at
        least) is of the Russian dictionary, the index or the phrasebook, and no word has a
        digit in it (the Kazakh letters of the number row: "ба5алау"). Text typed with the
        wrong layout is letters that make no word ("ghjuhfvvbcn", "тгкыу"), and a query of
        words, read on another layout, reads as nothing."""
        if any(re.search(r"\d", w) and re.search(r"[^\W\d_]", w) for w in text.split()):
            return False
        long_words = [w for w in words(text) if len(w) >= LAYOUT_WORD]
        return bool(long_words) and all(is_known(w) or self._known_as_typed(w) for w in long_words)

    @staticmethod
    def _unsure(result: SearchResult) -> bool:
        """Nothing, or a question whose best guess is weak: worth reading another way."""
        weak = not result.matches or result.matches[0].score < SURE_SCORE
        nothing = result.kind == Kind.NONE and not result.elsewhere and not result.unfunded
        return nothing or (result.kind == Kind.QUESTION and weak)

    def _read(self, text: str, limit: int) -> SearchResult:
        """One reading of the query, answered."""
        if found := q.codes(self.book, text):
            return self._search_codes(text, found, limit)
        if talk := q.smalltalk(self.book, text):
            # A list of a topic's specialties ("список it специальностей") is its field's.
            if talk == Topic.LIST and (field := q.listed_field(self.book, q.tokens(text))):
                return SearchResult(text, (), Kind.FIELD, field=field)
            return SearchResult(text, (), Kind.SMALLTALK, topic=Topic(talk))
        typed_tokens = q.without_levels(self.book, q.tokens(text))
        if region := q.elsewhere(self.book, typed_tokens):
            return SearchResult(text, (), elsewhere=region)
        every = self._joined_apart(self._split_glued(typed_tokens))
        named = self._named_with_filler(every)
        if len(named) == 1:  # a name with a filler word in it, typed whole
            specialty = self.specialties[next(iter(named))]
            return SearchResult(text, (Match(specialty, 100.0),), Kind.CARD, total=1)
        meaningful = [t for t in every if not self.book.is_filler(t) and not t.text.isdigit()]
        if not meaningful:
            return self._without_names(text, every)
        nothing = SearchResult(text, (), related_field=q.related_field(self.book, every))
        if q.errand(self.book, every):
            return nothing
        return self._named(text, every, meaningful, limit) or nothing

    def _named_with_filler(self, every: list[Token]) -> set[int]:
        """The specialties a name with a filler word in it is ("іс жүргізуші"), typed word
        for word, its last word in any form it has here ("іс жүргізушіге")."""
        if not every:
            return set()
        start = tuple(t.skeleton for t in every[:-1])
        for form in every[-1].forms:
            if named := self._with_filler.get((*start, form)):
                return named
        return set()

    def _named(
        self, text: str, every: list[Token], meaningful: list[Token], limit: int
    ) -> SearchResult | None:
        """What the query's meaningful words name: a field, a specialty or several."""
        compares = q.compares(self.book, text)
        # A word said twice is two names sharing it ("стоматология и ортопедическая
        # стоматология"), though the words, each once, make one name.
        typed = [fold(w) for w in words(text)]
        words_said = [t for t in every if not t.text.isdigit()]
        if field := q.listed_field(self.book, words_said):
            return SearchResult(text, (), Kind.FIELD, field=field)
        if self._is_a_name(meaningful) and not compares and len(set(typed)) == len(typed):
            return self._whole_field(self._specialties(text, meaningful, limit), words_said)
        if field := q.topic(self.book, words_said) or self._field_named(words_said):
            return self._field_or_its_part(text, field, words_said)
        if all(set(t.forms) & self._pointers for t in meaningful):
            return None
        if answer := self._one_or_several(text, meaningful, compares, limit):
            return self._whole_field(answer, words_said)
        return self._field_in_other_words(text, words_said)

    def _one_or_several(
        self, text: str, meaningful: list[Token], compares: bool, limit: int
    ) -> SearchResult | None:
        """The specialty the query names, or each of several it names; None for neither."""
        whole = self._specialties(text, meaningful, limit)
        # One name with "и" in it, not funded here, or a sibling's: not its pieces.
        if whole.unfunded or (whole.kind == Kind.NONE and whole.related_field):
            return whole
        parts = q.parts(self.book, text)
        if field := self._field_with_its_specialties(parts, limit, whole.kind == Kind.CARD):
            return SearchResult(text, (), Kind.FIELD, field=field)
        several, cards, every_piece = self._several(text, parts, meaningful, limit)
        # Words without a joining word between them are one name when together they are a
        # card ("ортопедической стоматологии"), though each alone is one.
        if several and whole.kind == Kind.CARD and len(parts) < 2:
            return whole
        # "повар и сварщик" names two; "ғимараттар мен құрылыстар" is one name with "мен".
        if several and (compares or cards == len(several.matches) or (
            whole.kind != Kind.CARD and (cards >= 2 or every_piece)
        ) or self._names_another(parts, whole)):  # fmt: skip
            return several
        # Nothing that says why is an answer: a sibling's or an unfunded specialty's name.
        return whole if whole.kind != Kind.NONE or whole.related_field or whole.unfunded else None

    def _whole_field(self, result: SearchResult, words_said: list[Token]) -> SearchResult:
        """The field an answer stands for, when what it found is all of one field and:
        - a question's one guess is of the field the query names as a topic too ("медик");
        - a question's options are every specialty of the field, and the query asks for a
          field ("мчс направление") or says it in two words or more, which then are what
          those specialties share ("организация перевозок", "охрана природы");
        - several specialties, half the field or more, are named with a word asking for a
          field ("кітапхана және архив саласы");
        - it asks in the plural for specialties of a kind ("айтишные направления",
          "спасательные специальности") and they are half the field or more.
        - a card, half its field, is asked for with a word for a field ("экология
          направления": field 05 has two specialties).
        The field's list answers it whole."""
        question, several = result.kind == Kind.QUESTION, result.kind == Kind.SEVERAL
        if not (question or several or result.kind == Kind.CARD):
            return result
        if len(result.matches) < result.total:
            return result
        options = {self._index_of(m.specialty) for m in result.matches}
        topic = q.topic(self.book, words_said) if question and len(options) == 1 else None
        marked = self._asks_for_a_field(words_said)
        # One word for all of a field's specialties is slang for them ("мчс"): ask which.
        shared = sum(not self.book.is_filler(t) for t in words_said) >= 2
        listed = not several and self._asks_in_the_plural(words_said)
        for code, members in self._members.items():
            if not options <= members:
                continue
            # Half the field or more, of two or more: "сварщик и электрик направление" names
            # two of field 07's 46, not the field.
            most = len(members) >= 2 and 2 * len(options) >= len(members)
            whole = question and (marked or shared) and most and options == members
            # Plural words name specialties too ("специальности электрика"): only what is
            # most of a field is a kind of its own.
            kind = listed and most
            # Several specialties, or one, that are half the field or more, asked for as a
            # field ("кітапхана және архив саласы", "экология направления").
            named = not question and marked and most
            if code == topic or whole or named or kind:
                return SearchResult(result.query, (), Kind.FIELD, field=code)
        return result

    def _asks_for_a_field(self, words_said: list[Token]) -> bool:
        """True when a word asks for a field ("экология направления"), not when it says by
        which ones, as a name's qualifier does ("(по отраслям)", "(салалар бойынша)")."""
        markers = self.book.field_markers
        return any(
            not qualified and not markers.isdisjoint(t.forms)
            for t, qualified in self._qualifiers(words_said)
        )

    def _qualified(self, words_said: list[Token]) -> bool:
        """True when a field's word in the plural is a name's qualifier ("Финансы (по
        отраслям)", "қаржы (салалар бойынша)"): the query names a specialty of the
        classifier, not a field, which "медицина саласы бойынша", "по направлению IT" ask
        for."""
        markers = self.book.field_markers
        # "салалар" is "сала" with the plural, too short a stem for kazakh_stems.
        return any(
            qualified
            and _plural(t)
            and not markers.isdisjoint({*t.forms, *short_stems(t.skeleton)})
            for t, qualified in self._qualifiers(words_said)
        )

    def _qualifiers(self, words_said: list[Token]) -> Iterator[tuple[Token, bool]]:
        """Each word, and whether a qualifier's "по" stands before it or "бойынша" after."""
        before, after = self.book.field_qualifiers
        said = [t.skeleton for t in words_said]
        for i, t in enumerate(words_said):
            yield (
                t,
                not (before.isdisjoint(said[i - 1 : i]) and after.isdisjoint(said[i + 1 : i + 2])),
            )

    def _asks_in_the_plural(self, words_said: list[Token]) -> bool:
        """True when the query asks for specialties in the plural: "мамандықтар", or a
        Russian "специальности" beside another word in the plural ("спасательные")."""
        book = self.book
        if any(t.skeleton in book.list_words for t in words_said):
            return True
        return any(t.skeleton in book.ambiguous_list_words for t in words_said) and any(
            is_plural(t.text)
            for t in words_said
            if t.skeleton not in book.ambiguous_list_words and not book.is_filler(t)
        )

    def _without_names(self, text: str, every: list[Token]) -> SearchResult:
        """A query of filler words only: a question of funding, one for the list of
        specialties ("какие вообще есть специальности?"), or nothing."""
        topic = Topic.FUNDING if q.funding(self.book, every) else None
        if topic is None and any(set(t.forms) & self.book.specialty_words for t in every):
            topic = Topic.LIST
        return SearchResult(text, (), Kind.SMALLTALK if topic else Kind.NONE, topic=topic)

    def _field_with_its_specialties(
        self, parts: list[str], limit: int, one_card: bool = False
    ) -> str | None:
        """The field one piece of a joined query names when each other piece is a specialty
        of that field ("природа и окружающая среда", "сервис и гостеприимство"): the query
        asks about the field, of which the others are examples. A piece that is a card on
        its own names a specialty, not a field ("автоперевозки и жд перевозки"). When the
        whole query is `one_card`, only if the others are half the field or more ("мчс и
        пожарные": field 103 has two); else it is that card's name ("ғимараттар мен
        құрылыстар", one of field 07's many)."""
        if len(parts) < 2:
            return None
        named: set[str] = set()
        others: list[str] = []
        for piece in parts:
            found = q.tokens(piece)
            field = q.topic(self.book, found) or self._field_named(found)
            if field and getattr(self._piece(piece, limit), "kind", None) != Kind.CARD:
                named.add(field)
            else:
                others.append(piece)
        if len(named) != 1 or not others:
            return None
        field = named.pop()
        examples: set[int] = set()
        for piece in others:
            result = self._piece(piece, limit)
            if result is None or not result.matches:
                return None
            if field not in {row.group_code for row in result.matches[0].specialty.rows}:
                return None
            examples.add(self._index_of(result.matches[0].specialty))
        if one_card and 2 * len(examples) < len(self._members[field]):
            return None
        return field

    def _field_in_other_words(self, text: str, words_said: list[Token]) -> SearchResult | None:
        """A field named in three words or more, one of them a paraphrase's own ("инженерия,
        обработка и строительство"), or by examples of it ("музыка танцы театр"): asked only
        when no specialty explains the query."""
        if field := self._field_named(words_said, misses=1) or self._field_of_each(words_said):
            return self._field_or_its_part(text, field, words_said)
        return None

    def _field_of_each(self, words_said: list[Token]) -> str | None:
        """The one field that each of three words or more names, as a word of the field or
        by the specialties it finds alone ("обслуживание туризм питание": 101)."""
        said = [t for t in words_said if self._says_something(t)]
        said = [t for t in said if self.book.field_markers.isdisjoint(t.forms)]
        if len(said) < EXAMPLES_OF_A_FIELD:
            return None
        common: set[str] | None = None
        for t in said:
            fields = set(self._fields_of(t))
            result = self._piece(t.text, MAX_SEVERAL)
            for m in result.matches if result is not None else ():
                if m.score >= SURE_SCORE:
                    fields |= {row.group_code for row in m.specialty.rows}
            common = fields if common is None else common & fields
            if not common:
                return None
        return next(iter(common)) if common and len(common) == 1 else None

    def _field_or_its_part(self, text: str, field: str, words_said: list[Token]) -> SearchResult:
        """The field, unless the query names a narrow field of it that no specialty here is
        in, whole or by a pointer word ("рыбное хозяйство", of "Сельское, лесное, рыбное
        хозяйство и ветеринария"; "құқық", of "Кәсіпкерлік, басқару және құқық";
        "статистика"): the decree does not train for it. Then nothing, pointing to the field."""
        naming = [
            t
            for t in words_said
            if not self.book.is_filler(t) and self.book.generic_or_markers.isdisjoint(t.forms)
        ]
        if self._qualified(words_said):  # "Финансы (по отраслям)": a specialty's name
            return SearchResult(text, (), related_field=field)
        # Part of its name is enough when that part is a pointer ("статистика").
        pointed = all(set(t.forms) & self._pointers for t in naming)
        for code, name, each in self._untrained if naming else ():
            if (
                code.startswith(field)
                and all(name.has(t) for t in naming)
                and (pointed or all(any(w.has(t) for t in naming) for w in each))
            ):
                return SearchResult(text, (), related_field=field)
        return SearchResult(text, (), Kind.FIELD, field=field)

    def _names_another(self, parts: list[str], whole: SearchResult) -> bool:
        """True when a piece of a joined query is on its own exactly a name of other
        specialties than the card for the whole ("электрик и сварщик": "электрик" is not
        welding, though "электр-газ дәнекерлеуші" shares its stem)."""
        if whole.kind != Kind.CARD:
            return False
        card = self._index_of(whole.matches[0].specialty)
        for piece in parts:
            found = [t for t in q.tokens(piece) if not self.book.is_filler(t)]
            if (named := self._named_exactly(found)) and card not in named:
                return True
        return False

    def _is_a_name(self, meaningful: list[Token]) -> bool:
        return bool(self._named_exactly(meaningful))

    def _named_exactly(self, found: Sequence[Token]) -> set[int]:
        """The specialties one of whose names the words are, word for word: as typed, or a
        Russian word in another form than its dictionary one ("авиации", "электромехаником";
        "энергетика" is itself, not "of энергетик"). Not by a Kazakh stem: "кәсіпкерлік" is
        a field, though "кәсіпкер" is a name."""
        if not found:
            return set()
        typed = tuple(t.skeleton for t in found)
        if named := self._full_forms.get(typed):
            return named
        # Its last word with a case ending ("авиацияға"), not a derivation ("-лік").
        for stem in case_stems(typed[-1]):
            if named := self._full_forms.get((*typed[:-1], stem)):
                return named
        said = [t.primary for t in found]
        return {
            key.specialty
            for form in said[0]
            for key in self._by_first_word.get(form, ())
            if len(key.words) == len(found)
            and all(w[0] in forms for forms, w in zip(said[1:], key.words[1:], strict=True))
        }

    def _needed(self, meaningful: list[Token]) -> list[Token]:
        """The words a card must explain: not a word the index does not know that names
        nothing (a verb, an adjective: "хочу", "хороший")."""
        return [t for t in meaningful if self._matches(t) or not names_nothing(t.text)]

    def _specialties(self, text: str, meaningful: list[Token], limit: int) -> SearchResult:
        needed = self._needed(meaningful)
        if not needed:
            return SearchResult(text, ())
        candidates = self._candidates(needed)
        if not candidates:
            return self._unfunded_named(text, needed) or SearchResult(text, ())
        top = candidates[0]
        close = [c for c in candidates if c.score >= top.score - ALTERNATIVES_MARGIN]
        # Of close ones, the one whose field another word says comes first ("лаборант в
        # медколледже": the medical laboratory, not the chemical one).
        # A word for the top one's field is context ("в медколледже"), unless the query is
        # joined: "финансы и бухгалтерия" names a field and one of its specialties.
        joined = len(q.parts(self.book, text)) > 1
        if not joined and (in_field := self._in_the_field_said(close, needed)):
            top, close = in_field, [in_field, *(c for c in close if c is not in_field)]
        else:
            in_field = None
        context = [] if joined else [t for t in needed if self._of_its_field(t, top)]
        skeletons = [t.skeleton for t in needed if t not in context]
        rivals = self._rivals(close, skeletons, context if in_field else None)
        if top.card_ok(skeletons) and not rivals and self._not_by_a_slip(top, needed, context):
            return self._result(text, Kind.CARD, close, limit)
        # Not a card: the query may name a specialty the decree does not fund (whole, by its
        # first words, or by a word nothing here explains).
        if unfunded := self._unfunded_named(text, needed):
            return unfunded
        if top.strong_share >= QUESTION_SHARE and not self._names_other(needed):
            if self._a_sibling_of(text, top, needed):
                field = self.specialties[top.index].rows[0].group_code
                return SearchResult(text, (), related_field=field)
            return self._result(text, Kind.QUESTION, close, limit)
        return SearchResult(text, ())

    def _not_by_a_slip(self, top: _Candidate, needed: list[Token], context: list[Token]) -> bool:
        """True unless a word explains the top specialty only as a slip no phone makes:
        letters far apart on the keys, nor heard alike ("кальянщик" is not "каменщик",
        "fisherman" not "fireman"). Such a word is a guess at the name: ask, do not tell."""
        forms = self._forms_of_specialty(top.index)
        for t in needed:
            if t in context:
                continue
            strong = [f for f, s in self._matches(t).items() if s >= STRONG and f in forms]
            if strong and not any(self._slip_or_form(t, f) for f in strong):
                return False
        return True

    @staticmethod
    def _slip_or_form(t: Token, form: str) -> bool:
        """True when `form` is the word, one of its forms or stems, one that begins as it
        does (a stem, slang made of it, a slip late in it; in Latin letters, where the
        spelling of a name varies, its first three letters), or a slip a phone makes."""
        cyrillic = is_cyrillic(t.text)
        start = 5 if cyrillic else 3
        if form in t.forms or form in t.stems or any(f[:start] == form[:start] for f in t.forms):
            return True
        return any(likely_slip(f, form, cyrillic) for f in t.forms)

    def _forms_of_specialty_uncached(self, index: int) -> frozenset[str]:
        return frozenset(
            f for key in self.keys if key.specialty == index for w in key.words for f in w
        )

    def _rivals(
        self, close: list[_Candidate], skeletons: list[str], field_said: list[Token] | None
    ) -> list[_Candidate]:
        """The close ones that stand in the way of the first one's card: one that explains
        the query too; when the query is one of the first one's names word for word
        ("dental technician"), only another that it is a name of; when `field_said` chose
        the first, only another of that field."""
        top = close[0]
        rivals = [c for c in close[1:] if c.explains(skeletons)]
        rivals += [c for c in close[1:] if c.card_ok(skeletons) and c.score >= top.score - 3]
        if top.full:
            rivals = [c for c in rivals if c.full]
        if field_said is not None:
            rivals = [c for c in rivals if any(self._of_its_field(t, c) for t in field_said)]
        return rivals

    def _in_the_field_said(self, close: list[_Candidate], needed: list[Token]) -> _Candidate | None:
        """The one close specialty whose field a word of the query says, when the first
        one's field is not said."""
        if any(self._of_its_field(t, close[0]) for t in needed):
            return None
        said = [c for c in close[1:] if any(self._of_its_field(t, c) for t in needed)]
        return said[0] if len(said) == 1 else None

    def _of_its_field(self, t: Token, top: _Candidate) -> bool:
        """True when a word no name has says the top specialty's field ("фельдшер в
        медколледже": a medical college is where a feldsher is trained): context, not a
        word the card must explain."""
        if top.explained.get(t.skeleton, 0.0) > 0.0 or self._matches(t):
            return False
        fields = {row.group_code for row in self.specialties[top.index].rows}
        return bool(fields & self._fields_of(t))

    def _unfunded_named(self, text: str, needed: list[Token]) -> SearchResult | None:
        """Nothing, saying which specialty of the classifier the query names, when its
        words are all of one this decree orders no places for, and half of its name or
        more, or one of them a word no funded name has ("бурение скважин", "гостиничный
        бизнес", "монтаж трубопроводов"): the decree's nearest one is not it."""
        best: tuple[int, str, int] | None = None
        # Less than half the name will do with a word no funded name has ("монтаж
        # трубопроводов", of «Монтаж магистральных локальных и сетевых трубопроводов»).
        unknown = [t for t in needed if not self._matches(t)]
        having = [set(self._unfunded_names.having(t)) for t in needed]
        for i in sorted(set.intersection(*having)) if needed else ():
            code, name, _ = self._unfunded[i]
            enough = 2 * len(needed) >= len(name.skeletons) or (
                bool(unknown) and all(name.shares(t) for t in unknown)
            )
            if enough:
                left = len(name.skeletons) - len(needed)
                if best is None or left < best[0]:
                    best = (left, code, i)
        # The whole name, or its first words with a word few funded names have
        # ("химическая технология", of «Химическая технология и производство»; not
        # "организация обслуживания"), or a word the funded names do not have
        # ("гостиничный"): not only words funded names share, anywhere in it ("эксплуатация
        # месторождений" is the decree's mining too).
        if best is None or (
            best[0] > 0
            and not (self._begins(best[2], needed) and self._rare(needed))
            and all(max(self._matches(t).values(), default=0.0) >= STRONG for t in needed)
        ):
            return None
        code = best[1]
        # Its field here: the longest field code it begins with ("10130100": 101).
        related = max((f for f in self._members if code.startswith(f)), key=len, default="")
        return SearchResult(text, (), related_field=related, unfunded=code)

    def _rare(self, needed: list[Token]) -> bool:
        """True when one of the words is one RARE_DF specialties here or fewer have."""
        return max(self._weights(needed).values(), default=0.0) >= self._rare_idf

    def _begins(self, unfunded: int, needed: list[Token]) -> bool:
        """True when the words are the first words of an unfunded name, in its order."""
        words = self._unfunded[unfunded][2]
        return len(needed) <= len(words) and all(
            w.has(t) for w, t in zip(words, needed, strict=False)
        )

    def _a_sibling_of(self, text: str, top: _Candidate, needed: list[Token]) -> bool:
        """True when the query is one of the top specialty's names with one word put in
        place of another that nothing here explains ("металлургия цветных металлов" for
        «Металлургия черных металлов», "түсті металдар металлургиясы" for «Қара металдар
        металлургиясы»):
        the specialty next to this one in the classifier, which the decree does not fund,
        not a slip of this one."""
        odd = [t for t in needed if top.explained.get(t.skeleton, 0.0) < STRONG]
        if len(odd) != 1:
            return False
        word = odd[0]
        # A bare name: a question's words ("грант", "после 9") say it is about this one;
        # a name's own joining words ("және", "на") and qualifier ("(по видам)") do not.
        said = q.tokens(re.sub(r"\([^)]*\)", " ", text))
        own = self._own_words(top.index)
        if not all(t in needed or t.skeleton in own for t in said):
            return False
        needed = [t for t in needed if t in said]
        if len(needed) < 2 or word not in needed:
            return False
        at = needed.index(word)
        if max(self._matches(word).values(), default=0.0) > 0.0 or not self._a_word_of_a_name(word):
            return False
        # The decree's own names and their official translations, not everyday aliases:
        # "опытный повар" is not a sibling of «шеф повар»; but an adjective in an alias's
        # adjective's place is ("цветная металлургия" for "черная металлургия").
        keys = self._name_keys[top.index]
        if any(_one_word(word.skeleton, f) for key in keys for forms in key.words for f in forms):
            return False
        if describes(word.text):
            keys = [*keys, *(k for k in self.keys if k.specialty == top.index and k.describing)]
        # The name's word the odd one replaces must not be said too ("производство мяса и
        # молочных продуктов" for «мяса и мясных продуктов» adds dairy to meat).
        return any(
            len(key.words) == len(needed)
            and (not key.describing or key.describing[at])
            and all(j == at or set(t.forms) & set(key.words[j]) for j, t in enumerate(needed))
            and not any(_one_word(f, t.skeleton) for f in key.words[at] for t in needed)
            for key in keys
        )

    def _own_words_uncached(self, index: int) -> frozenset[str]:
        """The words of a specialty's decree names and official translations, filler ones
        ("на") included, and the joining words."""
        specialty = self.specialties[index]
        names = (specialty.name, specialty.translations.ru, specialty.translations.en)
        return frozenset(t.skeleton for name in names for t in q.tokens(name or "")) | self._joiners

    def _a_word_of_a_name(self, t: Token) -> bool:
        """True when a word may say which of two sibling specialties a name is: a Russian
        adjective ("цветная"), or a Kazakh word of three letters or more that is not a form
        of a filler word ("етуге", of "ету"); not a slip, a Latin word or a short one."""
        if not is_cyrillic(t.text):
            return False
        if not is_kazakh(t.text):
            return describes(t.text)
        stems = (*kazakh_stems(t.skeleton)[1:], *short_stems(t.skeleton))
        return len(t.skeleton) >= 3 and not any(stem in self.book.filler for stem in stems)

    def _names_other(self, needed: list[Token]) -> bool:
        """True when a short query (each of its words there to name what it asks for) has
        a Russian word that names a kind of thing (`names_a_kind`) no specialty has in any
        form, nor one of its root ("атомная энергетика", "медицинская оптика", "пилот
        самолета"): another thing than the decree's, not a slip of it. Beside a word that is
        a card alone it says where, how or for whom ("сварщик вахта", "опытный сварщик"),
        and a longer query has words of its own: then the bot still asks."""
        if len(needed) > NAMING_WORDS:
            return False
        kinds = [
            t
            for t in needed
            if not self._matches(t) and names_a_kind(t.text) and not self._shares_a_stem(t)
        ]
        return bool(kinds) and not any(self._card_alone(t) for t in needed if t not in kinds)

    def _shares_a_stem(self, t: Token) -> bool:
        """True when a word of the index begins as this word does ("исполнение", of
        "исполнительство"): another word of the same root, not another thing."""
        if len(t.skeleton) <= STEM_LETTERS:
            return False
        stem = t.skeleton[:STEM_LETTERS]
        vocabulary = self._index_for(t).vocabulary
        at = bisect_left(vocabulary, stem)
        return at < len(vocabulary) and vocabulary[at].startswith(stem)

    def _result(
        self, text: str, kind: Kind, candidates: list[_Candidate], limit: int
    ) -> SearchResult:
        matches = tuple(
            Match(self.specialties[c.index], round(min(c.score, 100.0), 1)) for c in candidates
        )
        return SearchResult(text, matches[:limit], kind, total=len(matches))

    def _several(
        self, text: str, parts: list[str], meaningful: list[Token], limit: int
    ) -> tuple[SearchResult | None, int, bool]:
        """Several specialties named in one query ("повар и сварщик", "повар сварщик"; its
        `parts` at commas and joining words), each answered on its own (None when it names
        fewer than two), how many of the pieces were a card on their own, and whether every
        piece found something."""
        pieces = self._rejoined(parts, limit)
        if len(pieces) < 2:
            pieces = [t.text for t in meaningful] if self._all_names(meaningful) else []
        chosen: list[Match] = []
        cards = 0
        unfunded = ""
        for piece in pieces[:MAX_SEVERAL]:
            result = self._piece(piece, limit)
            if result is not None and result.unfunded:
                unfunded = unfunded or result.unfunded
                continue
            if result is None or result.kind not in (Kind.CARD, Kind.QUESTION):
                continue
            taken = {m.specialty.id for m in chosen}
            pick = next((m for m in result.matches if m.specialty.id not in taken), None)
            if pick is not None:
                chosen.append(pick)
                cards += result.kind == Kind.CARD and pick == result.matches[0]
        if len(chosen) == 1 and unfunded and cards:
            # "повар и гостиничный бизнес": the card, saying the other is not funded.
            return SearchResult(text, tuple(chosen), Kind.CARD, total=1, unfunded=unfunded), 1, True
        if len(chosen) < 2:
            return None, 0, False
        several = SearchResult(
            text, tuple(chosen[:limit]), Kind.SEVERAL, total=len(chosen), unfunded=unfunded
        )
        return several, cards, len(chosen) == len(pieces[:MAX_SEVERAL])

    def _piece_uncached(self, piece: str, limit: int) -> SearchResult | None:
        """A piece of a joined query, answered as a query of its own."""
        every = self._joined_apart(self._split_glued(q.without_levels(self.book, q.tokens(piece))))
        found = [t for t in every if not self.book.is_filler(t)]
        return self._specialties(piece, found, limit) if found else None

    def _rejoined(self, pieces: list[str], limit: int) -> list[str]:
        """The pieces, with neighbours put back together where a name was split at its own
        "и" or "мен" ("гигиена и эпидемиология, экология": two names, not three): both
        point to one specialty first, and together they are its card."""
        out: list[str] = []
        for piece in pieces:
            if out and self._one_name(out[-1], piece, limit):
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
        return out

    def _one_name(self, left: str, right: str, limit: int) -> bool:
        top = None
        for text in (left, right, f"{left} {right}"):
            result = self._piece(text, limit)
            if result is None or not result.matches:
                return False
            if top is not None and result.matches[0].specialty is not top:
                return False
            top = result.matches[0].specialty
        return result.kind == Kind.CARD

    def _all_names(self, meaningful: list[Token]) -> bool:
        """Two or more words, each a name of other specialties than the rest's, or alone
        the card of another ("повар сварщик", "сварщик токарь слесарь")."""
        if not 2 <= len(meaningful) <= MAX_SEVERAL:
            return False
        names = []
        for t in meaningful:
            if not (named := self._named_exactly([t]) or self._card_alone(t)):
                return False
            names.append(named)
        return len(set().union(*names)) == sum(map(len, names))

    def _card_alone(self, t: Token) -> set[int]:
        """The specialty whose card a word alone gets (none when it gets no card)."""
        result = self._specialties(t.text, [t], 1)
        if result.kind != Kind.CARD:
            return set()
        return {self._index_of(result.matches[0].specialty)}

    def _index_of(self, specialty: Specialty) -> int:
        return next(i for i, s in enumerate(self.specialties) if s is specialty)

    def _split_glued(self, found: list[Token]) -> list[Token]:
        """Words typed without a space between them ("медсестрапосле") taken apart, when
        the word is unknown and both halves are known."""
        out: list[Token] = []
        for t in found:
            sure = self.book.is_filler(t) or max(self._matches(t).values(), default=0.0) >= STRONG
            if len(t.skeleton) < 8 or sure:
                out.append(t)
            elif is_known(t.text):
                # A word of the dictionary is one word ("сантехник" is no "сан техник"), or
                # a compound of two ("газосварка").
                out += self._compound(t.text) or [t]
            else:
                out += self._glued(t)
        return out

    def _joined_apart(self, found: list[Token]) -> list[Token]:
        """A word typed in two ("соц работник", "парик махер"): two neighbours that make a
        word of the index, when one of them alone matches nothing."""
        out: list[Token] = []
        for t in found:
            if out and self._apart(out[-1], t):
                out[-1] = q.token(out[-1].text + t.text)
            else:
                out.append(t)
        return out

    def _apart(self, left: Token, right: Token) -> bool:
        """True when two words are one word of the index in two: as typed, or in another
        form, a clipped start before a word that matches ("соц работника")."""
        if is_cyrillic(left.text) != is_cyrillic(right.text):
            return False
        if {fold(left.text), fold(right.text)} & self._joiners:
            return False
        text = left.text + right.text
        if self._known_as_typed(text):
            both = self._matches(left) and self._matches(right)
            return not both and not self.book.is_filler(q.token(text))
        # A word's other form needs the dictionary: only for a start that matches nothing
        # and is no word of a question ("на повара" is no "наповара").
        if self.book.is_filler(left) or self.book.is_filler(right):
            return False
        if bool(self._matches(left)) == bool(self._matches(right)):
            return False
        lemma = russian_lemma(text) if is_known(text) else guessed_lemma(text)
        return bool(lemma) and self._known_as_typed(lemma)

    def _glued(self, t: Token) -> list[Token]:
        """The words a word typed without spaces is made of (`_glued_uncached`), or the
        word itself."""
        if len(t.text) > GLUED_MOST:
            return [t]
        return list(self._glued_words(t.text)) or [t]

    def _glued_uncached(self, text: str) -> tuple[Token, ...]:
        """Two words as typed, or two with a joining word between them, or a dictionary
        word and a word as typed, or filler words and the rest, or dictionary words; ()
        for none. Kept per text: the rest of a cut is taken apart the same way, and a text
        may be cut at many places ("местместмест...")."""
        return tuple(
            self._two_glued(text, self._known_as_typed)
            or self._glued_with_joiner(text)
            or self._two_glued(text, self._known_word)
            or self._filler_glued(text)
            or self._dictionary_glued(text)
        )

    def _dictionary_glued(self, text: str) -> tuple[Token, ...]:
        """Dictionary words glued, each in any form, the last one a word of the index or a
        filler word ("начальныеклассы", "учительначальныхклассов"); Russian only, since
        only Russian words have forms to look up."""
        if not is_cyrillic(text) or is_kazakh(text):
            return ()
        return self._dictionary_words(text)

    def _dictionary_words_uncached(self, text: str) -> tuple[Token, ...]:
        for cut in range(len(text) - GLUED_WORD, GLUED_WORD - 1, -1):
            left, right = text[:cut], text[cut:]
            if not is_known(right):
                continue
            if not (self._known_word(right) or self.book.is_filler(q.token(right, False))):
                continue
            if self._known_word(left):
                return q.token(left), q.token(right)
            if len(found := self._dictionary_words(left)) > 1:
                return *found, q.token(right)
        return ()

    def _filler_glued(self, text: str) -> list[Token]:
        """Filler words glued before the rest ("хочунаповара": хочу, на, повара), each
        taken off while what is left is no word (Cyrillic only: a Latin word is most often
        an English one, not words glued)."""
        if not is_cyrillic(text):
            return []
        for cut in range(2, len(text) - 3):
            left, rest = text[:cut], text[cut:]
            # As typed, or a dictionary word in another form ("мест"), never a guessed one.
            typed = skeleton(left) in self.book.filler
            short = FILLER_FORM[0] <= len(left) <= FILLER_FORM[1]
            if not typed and not (short and is_known(left) and self.book.is_filler(q.token(left))):
                continue
            if self._known_as_typed(rest) or self._known_word(rest):
                return [q.token(left), q.token(rest)]
            if len(rest) >= 6 and len(found := self._glued(q.token(rest))) > 1:
                return [q.token(left), *found]
        return []

    def _two_glued(self, text: str, known: Callable[[str], bool]) -> list[Token]:
        for cut in range(3, len(text) - 2):
            left, right = text[:cut], text[cut:]
            # The cheap test (the halves as typed) before the analysis of each half.
            if not self._known_as_typed(right):
                continue
            if known(left):
                return [q.token(left), q.token(right)]
            if self._linked(left):
                return [q.token(left[:-1]), q.token(right)]
        return []

    def _compound(self, text: str) -> list[Token]:
        """The two words of the index a Russian compound is made of, with its linking vowel
        ("газосварка": газ-о-сварка)."""
        for cut in range(4, len(text) - 2):
            left, right = text[:cut], text[cut:]
            if self._linked(left) and self._known_as_typed(right):
                return [q.token(left[:-1]), q.token(right)]
        return []

    def _linked(self, left: str) -> bool:
        """True when `left` is a word of the index and a compound's linking vowel."""
        return left[-1] in "оеoe" and len(left) >= 4 and self._known_as_typed(left[:-1])

    def _glued_with_joiner(self, text: str) -> list[Token]:
        """Two words with a joining word glued between them ("учетиаудит": учет и аудит)."""
        for cut in range(3, len(text) - 4):
            left, rest = text[:cut], text[cut:]
            for joiner in self._glued_joiners:  # longest first: "или" before "и"
                right = rest[len(joiner) :]
                if (
                    rest.startswith(joiner)
                    and self._known_as_typed(left)
                    and self._known_as_typed(right)
                ):
                    return [q.token(left), q.token(joiner), q.token(right)]
        return []

    def _known_word(self, text: str) -> bool:
        """A word of the dictionary (six letters or more) that the index has in some form
        ("бухгалтерский"), or a Cyrillic word of no dictionary (five or more) whose stem,
        its Kazakh endings taken off, the index has as typed ("аспазға", "аспазга")."""
        if len(text) < 5:
            return False
        if is_known(text):
            return len(text) >= 6 and bool(self._matches(q.token(text)))
        return is_cyrillic(text) and any(f in self._cyrillic.at for f in q.token(text).stems)

    def _known_as_typed(self, text: str) -> bool:
        typed = skeleton(text)
        return typed in self._latin.at or typed in self.book.filler

    def _specialty_code(self, code: str) -> set[int]:
        """The specialties of an 8-digit code, or of the qualification code it is: the
        classifier numbers a specialty's qualifications in its last two digits (07150501
        is a qualification of 07150500)."""
        found = self._codes.get(code, set())
        if not found and len(code) == 8 and not code.endswith("00"):
            found = self._codes.get(code[:6] + "00", set())
        return found

    def _search_codes(self, text: str, codes: list[str], limit: int) -> SearchResult:
        found: list[Match] = []
        for code in codes:
            if len(code) >= 7:
                indexes = self._specialty_code(code) or self._specialty_code("0" + code)
            else:
                indexes = {i for c, ids in self._codes.items() if c.startswith(code) for i in ids}
            found += [Match(self.specialties[i], 100.0) for i in sorted(indexes)]
        unique = list({m.specialty.id: m for m in found}.values())
        kind = Kind.CODES if unique else Kind.NONE
        return SearchResult(text, tuple(unique[:limit]), kind, total=len(unique))


_KIND_RANK = {
    Kind.NONE: 0,
    Kind.QUESTION: 1,
    Kind.FIELD: 2,
    Kind.SMALLTALK: 2,
    Kind.SEVERAL: 3,
    Kind.CODES: 3,
    Kind.CARD: 4,
}


class _Words:
    """The words of a name, to ask whether a query word is one of them in some form: a
    shared form or stem ("науки", "наука"; "қызметі", "қызмет")."""

    def __init__(self, found: list[Token]) -> None:
        self.forms = {f for t in found for f in t.forms}
        self.primary = {f for t in found for f in t.primary}
        self.skeletons = [t.skeleton for t in found]
        self.starts = {w[:4] for w in self.skeletons}
        # For words glued to another word ("балықшаруашылығы", "соцобеспечение"): the long
        # words, and the starts and ends of each that leave three letters or more.
        self.long = frozenset(w for w in self.skeletons if len(w) >= 5)
        self.pieces = frozenset(
            piece for w in self.long for k in range(5, len(w) - 2) for piece in (w[:k], w[-k:])
        )

    def is_word(self, t: Token) -> bool:
        """One of the words, as typed or in its dictionary form."""
        return not self.primary.isdisjoint(t.primary)

    def shares(self, t: Token) -> bool:
        """A form or stem of one of the words, not a word glued to it ("гидротехник" is
        not the "техник" of a name)."""
        return not self.forms.isdisjoint(t.forms) or not self.forms.isdisjoint(t.stems)

    def has(self, t: Token) -> bool:
        if self.shares(t):
            return True
        word = t.skeleton
        # One must begin the other.
        if word[:4] in self.starts and any(
            _stem_strength(word, w) >= STRONG for w in self.skeletons
        ):
            return True
        return self._glued(word)

    def _glued(self, word: str) -> bool:
        """One of the name's words is `word` glued to another word, or `word` is one of them
        glued to another: the decree prints "балықшаруашылығы", people type
        "соцобеспечение" for "социальное обеспечение"."""
        if word in self.pieces:
            return True
        ends = range(5, len(word) - 2)
        return any(word[:k] in self.long or word[-k:] in self.long for k in ends)


class _WordsIndex:
    """Many names' `_Words`, indexed by what `_Words.has` looks at, so that a query word is
    tried only on the names it may be in (the unfunded specialties' names and their
    qualifications', the fields' names), not on each in turn."""

    def __init__(self, names: Sequence[_Words]) -> None:
        self.names = list(names)
        self._by: dict[str, set[int]] = defaultdict(set)
        for i, name in enumerate(self.names):
            for key in chain(
                name.forms,
                (f"^{start}" for start in name.starts),
                (f"+{piece}" for piece in name.pieces),
                (f"={word}" for word in name.long),
            ):
                self._by[key].add(i)

    def having(self, t: Token) -> list[int]:
        """The names that have the word (`_Words.has`), in their order."""
        word = t.skeleton
        ends = range(5, len(word) - 2)
        keys = chain(
            t.forms,
            t.stems,
            (f"^{word[:4]}", f"+{word}"),
            (f"={piece}" for k in ends for piece in (word[:k], word[-k:])),
        )
        maybe = set().union(*(self._by.get(key, ()) for key in keys))
        return sorted(i for i in maybe if self.names[i].has(t))


def _plural(t: Token) -> bool:
    """A Russian word in the plural, or a Kazakh one with the plural ending ("салалар")."""
    if is_known(t.text):
        return is_plural(t.text)
    return bool(_KAZAKH_PLURAL.search(t.skeleton))


# The plural ending, and the cases or possessive that may follow it ("салалар", "салаларға").
_KAZAKH_PLURAL = re.compile(r"[ldt][ae]r[a-z]{0,4}$")


def _rank(result: SearchResult) -> tuple[int, float]:
    """How well a reading is explained: its kind of answer first, then its best score."""
    best = result.matches[0].score if result.matches else 0.0
    return _KIND_RANK[result.kind], best


def meaningful_words(text: str) -> list[str]:
    """Skeleton words of a text that are not filler words or digits (for the query log)."""
    book = q.phrasebook()
    return [t.skeleton for t in q.tokens(text) if not book.is_filler(t) and not t.text.isdigit()]


__all__ = [
    "Kind",
    "Match",
    "SearchEngine",
    "SearchResult",
    "Topic",
    "meaningful_words",
    "skeleton_words",
    "words",
]
