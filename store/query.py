"""Reading a query before matching it: its words, and what is plainly not a specialty.

The words that are not specialties live in `data/words.json` (filler of questions, small
talk, funding words, topics that stand for a whole field, professions the decree does not
train) and, for places, in `data/regions.json`; this module turns them into a
`Phrasebook` and answers questions about a query with pure functions: which words carry
meaning, is it a code, small talk, a topic, several specialties joined by "и"/"және".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from store.morphology import (
    case_stems,
    forms,
    inflected,
    is_adjective_of,
    is_known,
    kazakh_stems,
    russian_lemma,
    slang_stem,
)
from store.text import (
    WORD_CACHE_SIZE,
    clean,
    is_cyrillic,
    is_kazakh,
    skeleton,
    skeleton_words,
    words,
)

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
SMALLTALK_SIMILARITY = 88.0
SMALLTALK_WORD_SIMILARITY = 75.0
# The most words a phrase of small talk in words.json has.
SMALLTALK_WORDS = 4

# A qualification code: its level digit, one or two letters (Latin, or the Cyrillic "С"
# typed for "S"), the specialty's six digits and two more ("4S06130103", "3 W 0715 0501").
# The level may be typed as the Cyrillic "З" before a Latin letter ("ЗW10130301"). Any
# other letters ("за 2025-2026", "2 на 25.08.2025") only in a query that is the code alone.
_QUALIFICATION_CODE = re.compile(
    r"(?<![\w])(?:[1-5]|[Зз](?=\s*[-.]?\s*[A-Za-z]))\s*[-.]?\s*[A-Za-zСс]{1,2}\s*[-.]?\s*"
    r"((?:\d[\s.\-]?){7}\d)(?!\d)"
)
_LOOSE_QUALIFICATION_CODE = re.compile(
    r"(?<![\w])[1-5]\s*[-.]?\s*[^\W\d_]{1,3}\s*[-.]?\s*((?:\d[\s.\-]?){7}\d)(?!\d)"
)
_GRADE = re.compile(
    r"(?<!\d)(9|11)(?!\d)\s*-?\s*(?:ый|ти|ого|го|класс\w*|кл\b|сынып\w*|grade)"
    r"|(?:после|на\s+базе|на\s+основе|базе|after|grade)\s+(9|11)(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Token:
    """A query word as typed, with the skeleton forms it can be matched by."""

    text: str
    forms: tuple[str, ...]
    # As typed, and its likeliest dictionary form: what a topic word must be (the other
    # readings of "техник" include "of techniques", which is not a topic).
    primary: frozenset[str] = frozenset()
    # A word that is not Russian with one Kazakh ending after another taken off
    # ("медицинадағы": медицина).
    stems: tuple[str, ...] = ()

    @property
    def skeleton(self) -> str:
        return self.forms[0]

    def as_kazakh(self) -> Token:
        """The word read as Kazakh: its Russian readings only where it begins with them, as
        a stem ("техника": "техник"), not another word's forms ("салу", to build, read as
        Russian is the dative of "сало"; "хорды" is "of a chord")."""
        stems = kazakh_stems(self.skeleton)
        kept = tuple(f for f in self.forms if f in stems or self.skeleton.startswith(f))
        return Token(self.text, kept, frozenset(f for f in self.primary if f in kept), self.stems)


def token(word: str, guess: bool = True) -> Token:
    """A query word (`guess`: with a guess at the dictionary form of an unknown word)."""
    found = forms(word, guess)
    if not found:
        return Token(word, found)
    lemma = skeleton(russian_lemma(word))
    stems = () if is_known(word) else kazakh_stems(found[0])[1:]
    return Token(word, found, frozenset({found[0], lemma}), stems)


def _data(name: str) -> dict:
    return json.loads((resources.files("store") / "data" / name).read_text(encoding="utf-8"))


def _skeletons(phrases: Iterable[str]) -> list[tuple[str, ...]]:
    """Each phrase as the skeletons of its words."""
    return [tuple(token(w, False).skeleton for w in words(p)) for p in phrases if words(p)]


@dataclass(frozen=True)
class Phrasebook:
    """The words of `data/words.json` and the place names, on the search skeleton."""

    filler: frozenset[str]
    code_words: frozenset[str]
    joiners: tuple[str, ...]
    compare: frozenset[str]
    smalltalk: dict[str, str]  # phrase skeleton ("spasibo bolshoe") -> topic
    funding: frozenset[str]
    generic: frozenset[str]
    topics: tuple[tuple[tuple[str, ...], str], ...]  # (phrase words, field code)
    topic_forms: dict[str, frozenset[str]]  # any form of a topic word -> the words it is
    pointers: dict[str, str]  # form -> field code
    errands: frozenset[str]  # words of a request for a service or a purchase
    listing: frozenset[str] = frozenset()  # words asking for a list ("список", "тізімі")
    field_markers: frozenset[str] = frozenset()  # words asking for a field ("саласы")
    # Words that make a field word say by which fields, not ask for one: (before, after).
    field_qualifiers: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    specialty_words: frozenset[str] = frozenset()  # "специальность", "мамандық"
    list_words: frozenset[str] = frozenset()  # "мамандықтар", "specialties"
    # Russian list words, which are also singular cases ("о профессии агронома").
    ambiguous_list_words: frozenset[str] = frozenset()
    # Words of small talk in any order, by their forms: form -> topic; and the words that
    # may stand beside them in it ("немен көмектесе аласың").
    smalltalk_words: dict[str, str] = field(default_factory=dict)
    smalltalk_glue: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # forms of the loaded decrees' place names
    # Forms that are filler only as English words: "an" is none in "ән" (a song).
    english_only: frozenset[str] = frozenset()
    # Phrases of a level of study ("прикладной бакалавр"), each as its words' skeletons.
    level_phrases: tuple[tuple[str, ...], ...] = ()
    # Places of regions whose decree is not loaded: (the skeletons of its words, region).
    elsewhere: tuple[tuple[tuple[str, ...], str], ...] = ()

    @cached_property
    def smalltalk_company(self) -> frozenset[str]:
        """The words that may stand beside small-talk words: the glue, and the words for a
        specialty or a list of them ("барлық мамандықтарды көрсет")."""
        return self.smalltalk_glue | self.list_words | self.specialty_words

    @cached_property
    def smalltalk_stems(self) -> tuple[tuple[str, str], ...]:
        """(word, topic) of the small-talk words long enough to stand for the Kazakh words
        they begin (verb forms: "көмектес", "көмектесе")."""
        return tuple((w, topic) for w, topic in self.smalltalk_words.items() if len(w) >= 5)

    @cached_property
    def topic_vocabulary(self) -> list[str]:
        return list(self.topic_forms)

    @cached_property
    def smalltalk_phrases(self) -> list[str]:
        return list(self.smalltalk)

    @cached_property
    def generic_or_markers(self) -> frozenset[str]:
        """Words that say a query is about a field, not which one ("сфера", "специальности")."""
        return self.generic | self.field_markers

    def __getstate__(self) -> dict[str, object]:
        """A saved index's phrasebook (`store.index_cache`), without what queries filled."""
        state = self.__dict__.copy()
        state.pop("topic_words_seen", None)
        return state

    @cached_property
    def topic_words_seen(self) -> dict[Token, frozenset[str]]:
        """The topic words of each query word read so far (`_topic_words`), which a query
        asks for many times over (for its pieces, its topic and the field it points to)."""
        return {}

    @cached_property
    def smalltalk_by_first_letter(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for phrase in self.smalltalk:
            found.setdefault(phrase[0], []).append(phrase)
        return found

    @cached_property
    def smalltalk_first_words(self) -> frozenset[str]:
        return frozenset(p.split()[0] for p in self.smalltalk)

    @cached_property
    def topics_by_first_word(self) -> dict[str, list[int]]:
        """Where in `topics` each phrase's first word begins one: a query holds a phrase
        whole only if it has its first word."""
        found: dict[str, list[int]] = {}
        for at, (phrase, _) in enumerate(self.topics):
            found.setdefault(phrase[0], []).append(at)
        return found

    @cached_property
    def splitter(self) -> re.Pattern[str]:
        """Commas and joining words, where a query naming several specialties is split."""
        joiners = "|".join(re.escape(j) for j in sorted(self.joiners, key=len, reverse=True))
        return re.compile(rf"[,;/+&]|\b(?:{joiners})\b")

    @cached_property
    def one_word_topics(self) -> dict[str, frozenset[str]]:
        """The fields each one-word topic phrase stands for."""
        found: dict[str, set[str]] = {}
        for phrase, code in self.topics:
            if len(phrase) == 1:
                found.setdefault(phrase[0], set()).add(code)
        return {word: frozenset(codes) for word, codes in found.items()}

    @cached_property
    def elsewhere_by_first_word(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for at, (phrase, _) in enumerate(self.elsewhere):
            found.setdefault(phrase[0], []).append(at)
        return found

    @cached_property
    def level_starts(self) -> frozenset[str]:
        return frozenset(phrase[0] for phrase in self.level_phrases)

    def is_filler(self, t: Token) -> bool:
        """True for a filler word in any form: one of its forms, or, for a Cyrillic word not
        of the Russian dictionary, a filler word with a case ending, however short its stem
        ("етуге", "болуға": the light verbs "ету", "болу", with the dative)."""
        kazakh = is_kazakh(t.text)
        if any(f in self.filler and not (kazakh and f in self.english_only) for f in t.forms):
            return True
        # Kazakh written in Cyrillic only: "barmen" is no "bar" and "men".
        if not any(s in self.filler for s in case_stems(t.skeleton)):
            return False
        return is_cyrillic(t.text) and not is_known(t.text)


def _place_forms(places: Iterable[str]) -> set[str]:
    """Every form of the place names: as `_forms_of` reads them, and in each Russian case
    ("Осакаровка": "в Осакаровке"), though the dictionary has few towns."""
    found = _forms_of(places)
    for w in {w for p in places for w in words(p)}:
        found |= {skeleton(form) for form in inflected(w)}
    return found


def _forms_of(phrases: Iterable[str]) -> set[str]:
    """Every form of every word of `phrases` (the words of our lists are dictionary words:
    no guessing at a misspelling)."""
    return {f for p in phrases for w in words(p) for f in forms(w)}


def _kazakh_forms_of(phrases: Iterable[str]) -> set[str]:
    """Every form of Kazakh words (`Token.as_kazakh`): "сала", a field, is no "of сало",
    whose dative is "салу", to build."""
    return {f for p in phrases for w in words(p) for f in token(w, False).as_kazakh().forms}


@cache
def phrasebook(
    places: tuple[str, ...] = (),
    elsewhere: tuple[tuple[str, str], ...] = (),
    region_words: frozenset[str] = frozenset(),
) -> Phrasebook:
    """The phrasebook, with the names of `places` (regions and towns) read as filler, and
    those of `elsewhere` ((name, region) of regions whose decree is not loaded) known;
    `region_words` ("облысы") say a name is a region's, not which."""
    data = _data("words.json")
    filler = _forms_of(data["filler"]["ru"]) | _kazakh_forms_of(data["filler"]["kk"])
    english = _forms_of(data["filler"]["en"])
    filler |= english
    filler |= _forms_of((*data["grade_words"], *data["code_words"], *data["compare"]))
    place_forms = _place_forms(places)
    filler |= place_forms | _forms_of(data["funding"])
    # "привет, сколько мест на повара": a greeting or thanks before a question says nothing;
    # "педагогика тізімі": a list of what the other words name.
    filler |= {token(p).skeleton for topic in ("greeting", "thanks", "bye", "list")
               for p in data["smalltalk"][topic] if len(words(p)) == 1}  # fmt: skip
    listing = frozenset(token(p).skeleton for p in data["smalltalk"]["list"] if len(words(p)) == 1)
    topics = tuple(
        (phrase, code) for code, phrases in data["topics"].items() for phrase in _skeletons(phrases)
    )
    pointers = {f: code for code, ws in data["pointers"].items() for p in ws for f in forms(p)}
    # A word of a topic or a pointer is never filler: "ауыл шаруашылығы" is a field.
    topic_forms: dict[str, set[str]] = {}
    for w in {w for ps in data["topics"].values() for p in ps for w in words(p)}:
        for f in token(w, False).primary:
            topic_forms.setdefault(f, set()).add(token(w, False).skeleton)
    filler -= (set(topic_forms) | set(pointers)) - _forms_of(data["joiners"])
    here = frozenset(place_forms - _place_forms(region_words))  # without "облысы"
    smalltalk = {
        " ".join(skeleton_words(p)): topic
        for topic, phrases in data["smalltalk"].items()
        for p in phrases
    }
    return Phrasebook(
        filler=frozenset(filler),
        english_only=frozenset(
            english - _forms_of(data["filler"]["ru"]) - _kazakh_forms_of(data["filler"]["kk"])
        ),
        code_words=frozenset(f for p in data["code_words"] for w in words(p) for f in forms(w)),
        joiners=tuple(data["joiners"]),
        compare=frozenset(f for p in data["compare"] for w in words(p) for f in forms(w)),
        smalltalk=smalltalk,
        smalltalk_words={
            f: topic
            for topic, phrases in data["smalltalk_words"].items()
            if topic != "about"
            for f in _forms_of(phrases)
        },
        smalltalk_glue=frozenset(_forms_of(data["smalltalk_glue"])),
        funding=frozenset(f for p in data["funding"] for w in words(p) for f in forms(w)),
        generic=frozenset(f for p in data["generic"] for w in words(p) for f in forms(w)),
        topics=topics,
        topic_forms={f: frozenset(ws) for f, ws in topic_forms.items()},
        pointers=pointers,
        errands=frozenset(f for p in data["errands"] for w in words(p) for f in token(w).primary),
        listing=listing,
        # "Карагандинская область" names a region, not a field.
        field_markers=frozenset(
            token(w, False).skeleton for w in data["field_markers"] if w not in region_words
        ),
        field_qualifiers=(
            frozenset(token(w, False).skeleton for w in data["field_qualifiers"]["before"]),
            frozenset(token(w, False).skeleton for w in data["field_qualifiers"]["after"]),
        ),
        specialty_words=frozenset(f for w in data["specialty_words"] for f in forms(w)),
        list_words=frozenset(
            token(w, False).skeleton for lang in ("kk", "en") for w in data["list_words"][lang]
        ),
        ambiguous_list_words=frozenset(token(w, False).skeleton for w in data["list_words"]["ru"]),
        places=here,
        elsewhere=_place_phrases(elsewhere, here),
        level_phrases=tuple(_skeletons(data["level_phrases"])),
    )


def _place_phrases(
    names: tuple[tuple[str, str], ...], places: frozenset[str]
) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each place name (`Lexicon.elsewhere`) as the skeletons of its words, as typed: a
    guess at a dictionary form would make "Семей" a form of "семья". A name that is also
    one of `places` (the forms of the loaded decrees' places) is theirs."""
    found: list[tuple[tuple[str, ...], str]] = []
    for name, region in names:
        phrase = tuple(token(w, False).skeleton for w in words(name))
        if phrase and not all(w in places for w in phrase):
            found.append((phrase, region))
    return tuple(found)


def tokens(text: str, guess: bool = True) -> list[Token]:
    """The words of a query, in order, at most MAX_QUERY_WORDS distinct ones (a "word" of
    characters no script of ours has, such as "ȴ", is none)."""
    found = [token(w, guess) for w in dict.fromkeys(words(text[:MAX_QUERY_CHARS]))]
    return [t for t in found if t.forms][:MAX_QUERY_WORDS]


def without_levels(book: Phrasebook, found: list[Token]) -> list[Token]:
    """The query's words but for a phrase that names a level of study ("прикладного
    бакалавриата", `Phrasebook.level_phrases`): it says which appendix, not which specialty.
    Only the whole phrase, in any form, is taken out: "бакалавр" alone is a university's."""
    if not any(f in book.level_starts for t in found for f in t.forms):
        return found
    taken: set[int] = set()
    for phrase in book.level_phrases:
        for at in range(len(found) - len(phrase) + 1):
            if all(w in t.forms for w, t in zip(phrase, found[at:], strict=False)):
                taken.update(range(at, at + len(phrase)))
    return [t for i, t in enumerate(found) if i not in taken] if taken else found


def grade(text: str) -> int | None:
    """The school grade a question is asked from ("после 9 класса", "11 сыныптан"): 9 or 11."""
    match = _GRADE.search(clean(text))
    return int(match.group(1) or match.group(2)) if match else None


def codes(book: Phrasebook, text: str) -> list[str]:
    """Specialty codes or code prefixes a query asks for; [] when it is not a code query.

    A qualification code ("4S06130103": level, letters, the specialty's six digits and two
    more) stands for its specialty (06130100), wherever it is in the query. Otherwise a
    code query is digits only, apart from filler and code words ("код", "шифр"):
    "06130100", "6130100", "0613 0100", "06.13.01.00", "0613", "07".
    """
    text = clean(text[:MAX_QUERY_CHARS])
    if not re.search(r"\d", text):
        return []
    # A qualification code is nothing else, whatever words are around it ("диплом
    # 4S04110103 это какая специальность").
    found = _QUALIFICATION_CODE.search(text) or _LOOSE_QUALIFICATION_CODE.fullmatch(text.strip())
    if found or (
        (found := _LOOSE_QUALIFICATION_CODE.search(text)) and _only_filler(book, text, found.span())
    ):
        digits = re.sub(r"\D", "", found.group(1))
        return [digits[:6] + "00"]
    # "01140400 9 сыныптан кейін": the grade is not part of the code.
    if found := _GRADE.search(text):
        text = f"{text[: found.start()]} {text[found.end() :]}"
    if not re.search(r"\d", text) or not _only_filler(book, text, None):
        return []
    runs = re.findall(r"\d+", text)
    joined = "".join(runs)
    if len(runs) > 1 and len(joined) in (7, 8):
        return [joined]
    return [r for r in runs if 2 <= len(r) <= 8]


def _only_filler(book: Phrasebook, text: str, span: tuple[int, int] | None) -> bool:
    rest = text if span is None else text[: span[0]] + " " + text[span[1] :]
    return all(
        book.is_filler(t) or not book.code_words.isdisjoint(t.forms)
        for t in tokens(rest)
        if not t.text.isdigit()
    )


# When a message says two things ("привет, что умеешь?"), the one to answer.
_SMALLTALK_ORDER = ("funding", "help", "list", "thanks", "bye", "greeting")


def smalltalk(book: Phrasebook, text: str) -> str | None:
    """The small-talk topic of a message (greeting, thanks, help, list, bye), if it is
    one; a message of several small-talk clauses is its most useful one."""
    text = text[:MAX_QUERY_CHARS]
    # No letter or digit: "???" asks what the bot reads; "👍" is a thanks, answered briefly
    # (in a group too, where a reply to the bot is addressed to it).
    if text.strip() and not re.search(r"[^\W_]", text):
        return "help" if "?" in text else "thanks"
    if len(words(text)) > 2 * SMALLTALK_WORDS:  # longer than two clauses of small talk
        return None
    if said := _smalltalk_clause(book, text):
        return said
    clauses = [c for c in re.split(r"[,.!?;:]+", text) if c.strip()]
    said_each = [_smalltalk_clause(book, c) for c in clauses]
    if len(clauses) < 2 or not all(said_each):
        return None
    return min(said_each, key=lambda topic: _SMALLTALK_ORDER.index(topic or "greeting"))


def _smalltalk_clause(book: Phrasebook, text: str) -> str | None:
    said_words = skeleton_words(text)
    phrase = " ".join(said_words)
    if not phrase or len(phrase) > 60:
        return None
    if phrase in book.smalltalk:
        return book.smalltalk[phrase]
    # A slip in a phrase of small talk (its phrases have at most four words): close as a
    # whole, or as many typos off as a word of its length may be ("привте", "памагите").
    if len(phrase) >= 5 and len(said_words) <= SMALLTALK_WORDS + 1:
        best = process.extractOne(
            phrase, book.smalltalk_phrases, scorer=fuzz.ratio, score_cutoff=SMALLTALK_SIMILARITY
        ) or _typo_of_smalltalk(book, text, phrase)
        if best and _slip_in_each_word(said_words, best[0].split()):
            return book.smalltalk[best[0]]
    if said := _smalltalk_words(book, text):
        return said
    # What is left needs a phrase of small talk; most clauses have none, and need no parsing.
    if not set(said_words) & book.smalltalk_first_words:
        return None
    return _smalltalk_phrases(book, text, said_words)


def _smalltalk_words(book: Phrasebook, text: str) -> str | None:
    """The topic of a short message made of small-talk words and the words that go with
    them, in any order ("немен көмектесе аласың", "full list please"); None when a word is
    neither."""
    said = words(text)
    if not said or len(said) > SMALLTALK_WORDS + 1:
        return None
    topics = []
    for w in said:
        t = token(w, False)
        forms = {*t.forms, *t.primary, *t.stems}
        topic = next((book.smalltalk_words[f] for f in forms if f in book.smalltalk_words), None)
        if topic is None and is_kazakh(w):
            topic = next((v for k, v in book.smalltalk_stems if t.skeleton.startswith(k)), None)
        if topic:
            topics.append(topic)
        elif forms.isdisjoint(book.smalltalk_company):
            return None
    return min(topics, key=_SMALLTALK_ORDER.index) if topics else None


def _typo_of_smalltalk(book: Phrasebook, text: str, phrase: str) -> tuple | None:
    """The phrase of small talk a few typos off, its first letter kept, when no word typed
    is a dictionary word of its own ("салат", "хорошие" are not "салам", "хорошо"; "балам"
    is not "салам")."""
    best = process.extractOne(
        phrase,
        book.smalltalk_by_first_letter.get(phrase[0], ()),
        scorer=OSA.distance,
        score_cutoff=max_typos(phrase),
    )
    return best if best and not any(is_known(w) for w in words(text)) else None


def _smalltalk_phrases(book: Phrasebook, text: str, said_words: list[str]) -> str | None:
    """The topic of a clause made of small-talk phrases and filler words ("не понимаю как
    пользоваться", "барлық мамандықтар тізімі"): its most useful one."""
    typed = words(text)
    if len(typed) != len(said_words) or any(w.isdigit() for w in typed):
        return None
    covered = [False] * len(said_words)
    said: list[str] = []
    for n in range(min(SMALLTALK_WORDS, len(said_words)), 0, -1):
        for i in range(len(said_words) - n + 1):
            topic = book.smalltalk.get(" ".join(said_words[i : i + n]))
            if topic and not any(covered[i : i + n]):
                covered[i : i + n] = [True] * n
                said.append(topic)
    rest = [token(w) for w, done in zip(typed, covered, strict=True) if not done]
    if not said or not all(book.is_filler(t) or set(t.forms) & book.generic for t in rest):
        return None
    # "что ты знаешь про гранты" asks about funding.
    if any(set(t.forms) & book.funding for t in rest):
        return "funding"
    return min(said, key=_SMALLTALK_ORDER.index)


def _slip_in_each_word(said: list[str], phrase: list[str]) -> bool:
    """A phrase of the same words, each one with a slip at most: "аграрлық мамандықтар" is
    not "барлық мамандықтар", though the two are close as wholes."""
    if len(said) != len(phrase):
        # Words glued or split: only the whole can be compared, and it has the same letters
        # but for a slip ("какие специальности есть IT" has a word more, not a space).
        return abs(len("".join(said)) - len("".join(phrase))) <= 1
    pairs = zip(said, phrase, strict=True)
    return all(fuzz.ratio(a, b) >= SMALLTALK_WORD_SIMILARITY for a, b in pairs)


def max_typos(word: str) -> int:
    """Edits a phone typo may make in a word of this length (short words must be exact)."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2 if len(word) <= 11 else 3


def _topic_words(book: Phrasebook, t: Token) -> frozenset[str]:
    """The topic words a query word is: as typed, or with one slip in a long word."""
    seen = book.topic_words_seen
    found = seen.get(t)
    if found is None:
        found = frozenset(_read_topic_words(book, t))
        if len(seen) < WORD_CACHE_SIZE:
            seen[t] = found
    return found


def _read_topic_words(book: Phrasebook, t: Token) -> set[str]:
    found = {w for f in (*t.primary, *t.stems) for w in book.topic_forms.get(f, ())}
    # Slang made of a topic's adjective and -ка: "гуманитарка" is "гуманитарный".
    if not found and (stem := slang_stem(t.skeleton)):
        found = {
            w
            for other in book.topic_vocabulary
            if is_adjective_of(stem, other)
            for w in book.topic_forms[other]
        }
    # A topic glued to a word for a field: "агросектор", "медсфера".
    if not found:
        word = t.skeleton
        for cut in range(GLUED_TOPIC, len(word) - GLUED_TOPIC + 1):
            if word[cut:] in book.field_markers and word[:cut] in book.topic_forms:
                found = set(book.topic_forms[word[:cut]])
                break
    # A slip only in a word that is not itself a word of the dictionary ("техник").
    if not found and len(t.skeleton) >= 6 and not is_known(t.text):
        found = {
            w
            for other, _, _ in process.extract(
                t.skeleton, book.topic_vocabulary, scorer=OSA.distance, score_cutoff=1, limit=3
            )
            for w in book.topic_forms[other]
        }
    return found


def _matched_topics(
    book: Phrasebook, found: list[Token]
) -> list[tuple[tuple[str, ...], str, set[int]]]:
    """The topic phrases the query holds whole, each with the query words it uses."""
    near = [_topic_words(book, t) for t in found]
    present = set().union(*near) if near else set()
    if not present:
        return []
    starting = sorted(at for w in present for at in book.topics_by_first_word.get(w, ()))
    return [
        (phrase, code, {i for i, n in enumerate(near) if n & set(phrase)})
        for phrase, code in (book.topics[at] for at in starting)
        if all(w in present for w in phrase)
    ]


def topic_fields(book: Phrasebook, t: Token) -> set[str]:
    """The fields a word stands for as a topic on its own ("перевозки": 104)."""
    said = _topic_words(book, t)
    return {code for w in said for code in book.one_word_topics.get(w, ())}


def topic(book: Phrasebook, found: list[Token]) -> str | None:
    """The field a query names as a whole ("медицина", "информационные технологии",
    "қызмет көрсету саласы"): its words, filler and generic ones ("специальности") aside,
    all belong to topic phrases of one field that the query holds whole."""
    needed = {
        i
        for i, t in enumerate(found)
        if not book.is_filler(t) and book.generic_or_markers.isdisjoint(t.forms)
    }
    if not needed:
        return None
    covered: dict[str, set[int]] = {}
    for _, code, used in _matched_topics(book, found):
        covered.setdefault(code, set()).update(used)
    return next((code for code, used in covered.items() if needed <= used), None)


GLUED_TOPIC = 4  # letters of a topic glued to a field word, and of that word ("агро", "сфера")
PLACE_STEM = 6  # "Семей" is no stem: "семейный" is not of Semey
PLACE_TAIL = 5


def elsewhere(book: Phrasebook, found: list[Token]) -> str | None:
    """The region a query names when no loaded decree is that region's ("Атырау колледж на
    сварщика", "Алматыда"): these places are not this decree's to tell. Not when it also
    names a loaded decree's place ("из Павлодара учиться в Караганде"), unless that word
    is part of the other region's name ("Абай облысы": Abai is a town here too)."""
    # "атырауской", "павлодарский": a place's own word with an ending of a few letters.
    near = [
        {*t.forms, *t.stems}
        | {
            t.skeleton[:k]
            for k in range(max(PLACE_STEM, len(t.skeleton) - PLACE_TAIL), len(t.skeleton))
        }
        for t in found
    ]
    present = set().union(*near) if near else set()
    starting = sorted({at for f in present for at in book.elsewhere_by_first_word.get(f, ())})
    named = [
        book.elsewhere[at] for at in starting if all(w in present for w in book.elsewhere[at][0])
    ]
    if not named:
        return None
    # The longest name said: "Алматы облысы" is the region, "Алматы" alone the city.
    phrase, region = max(named, key=lambda p: len(p[0]))
    used = {i for i, n in enumerate(near) if any(w in n for w in phrase)}
    here = any(set(t.forms) & book.places for i, t in enumerate(found) if i not in used)
    return None if here else region


def listed_field(book: Phrasebook, found: list[Token]) -> str | None:
    """The field a request for a list names by a topic of its own ("мчс и пожарная охрана,
    все специальности": 103), when it names one field only."""
    if not any(t.skeleton in book.listing for t in found):
        return None
    codes = {code for _, code, _ in _matched_topics(book, found)}
    return codes.pop() if len(codes) == 1 else None


def related_field(book: Phrasebook, found: list[Token]) -> str:
    """A field a query points to (a profession the decree does not train, or a topic)."""
    for t in found:
        for f in t.forms:
            if f in book.pointers:
                return book.pointers[f]
    matched = _matched_topics(book, found)
    return matched[0][1] if matched else ""


def parts(book: Phrasebook, text: str) -> list[str]:
    """The pieces of a query that names several specialties ("повар и сварщик", "сравни
    бухгалтер, юрист"): split at commas and joining words."""
    pieces = book.splitter.split(clean(text[:MAX_QUERY_CHARS]))
    return [p.strip() for p in pieces if p and p.strip() and any(c.isalnum() for c in p)]


def compares(book: Phrasebook, text: str) -> bool:
    """True when the query asks to compare ("сравни", "салыстыр", "что лучше")."""
    return any(set(t.forms) & book.compare for t in tokens(text))


def errand(book: Phrasebook, found: list[Token]) -> bool:
    """True when a query asks for a service or a purchase ("аптека рядом", "мебель на
    заказ купить"), not for studying."""
    return any(t.primary & book.errands for t in found)


def funding(book: Phrasebook, found: list[Token]) -> bool:
    return any(f in book.funding for t in found for f in t.forms)
