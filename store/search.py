"""Find the specialty a person means, whatever they type.

Every text (specialty names, official Russian and English names, everyday aliases, and
the query) is folded to one Latin skeleton: Kazakh and Russian Cyrillic, the 2021 Kazakh
Latin alphabet and informal Latin spellings all land on the same letters, so "Бағдарламалық",
"багдарламалык" and "Bağdarlamalyq" are the same word. Filler words ("сколько мест",
"қанша орын") are dropped. Each remaining query word is matched to the words of every
specialty with rapidfuzz (typos) and by stem (inflection: "сварщика" ~ "сварщик"); a
specialty scores by how much of the query it explains, and a little by how much of its
own name the query covers. Digits are read as codes or code prefixes.

The index is built once (`SearchEngine(...)`); a query then costs a few rapidfuzz calls.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

from store.model import Specialty

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
MATCH_THRESHOLD = 70.0
AMBIGUOUS_MARGIN = 3.0
# Below this the best match is shown as a question ("did you mean?"), not as an answer.
CONFIDENT_SCORE = 80.0
# A query that is exactly one of a specialty's names or aliases scores this much.
FULL_FORM_SCORE = {"name": 100.0, "official": 100.0, "alias": 97.0}
# A query word counts against a specialty that does not explain it by how surely it is
# a word of some specialty at all: fully when it is (nearly) exact somewhere, a little
# when it only resembles something, hardly when it is nowhere ("этом", "бөлінген").
STRONG_WORD = 90.0
WEAK_WORD_WEIGHT = 0.4
UNKNOWN_WORD_WEIGHT = 0.15
# How much words of the decree's own name add, to prefer it over a shared alias.
NAME_BONUS = 3.0
ALTERNATIVES_MARGIN = 12.0

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
_LATIN_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("dj", "j"))

# Words that carry no meaning for the match, in the forms people type them.
_FILLER = """
сколько скольких стоит стоимость цена стоят сколько-то мест места место местах бюджетных
бюджетные бюджетное бюджет грант гранта гранты грантов на по в во и для о об про за с
обучения обучение учиться учеба учёба обучиться учат есть ли где как хочу хотел хотела
стать быть буду мне я мы нужно надо можно специальность специальности специальностей
профессия профессии профессию колледж колледже колледжа колледжи год году в год есть
какие какая какой сколько-нибудь расскажи покажи найди информация инфо инфу подскажите
подскажи пожалуйста плиз please
қанша орын орны орындар бар ма ме ба бе па пе неше тұрады тұрады? құны құнын ақысы ақы
оқу оқуға оқығым оқимын мамандық мамандығы мамандыққа мамандығына колледжде колледж
туралы керек қалай қай қандай грант гранты мемлекеттік тегін жыл жылына үшін және мен
бойынша түрлері салалар салалары бейін
этом этот этой году годы лет после класса классов 9 11 бесплатно бесплатное поступить
поступать поступление работать выучиться научиться отучиться интересует интересно
ребенок ребёнок сын дочь чтобы кого каком какое
учат учит обучают готовят свой свои карагандинской караганде караганда области
бөлінген бөлінді бөлінеді болғым болу болып келеді түсу түсуге оқытады оқиды саны
бағасы қаншаға ақылы ақысыз қайда кім қарағанды облысында облыс
how many much places place seats seat cost costs price for the a an of to in is are
what there study studying college specialty want become free
"""


def _fold(text: str) -> str:
    """Lowercase Latin skeleton of any Kazakh, Russian or Latin text."""
    text = unicodedata.normalize("NFC", text).lower()
    for digraph, letter in _LATIN_DIGRAPHS:
        text = text.replace(digraph, letter)
    out = []
    for char in text:
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char in _LATIN:
            out.append(_LATIN[char])
        elif "a" <= char <= "z" or char.isdigit():
            out.append(char)
        else:
            base = unicodedata.normalize("NFD", char)[0]
            out.append(base if "a" <= base <= "z" else " ")
    return "".join(out)


def skeleton_words(text: str) -> list[str]:
    """The words of a text on the common skeleton, in order."""
    return re.findall(r"[a-z]+|\d+", _fold(text))


FILLER = frozenset(w for line in _FILLER.split() for w in skeleton_words(line))
# Long filler words also stand for their inflected forms ("mamandik" -> "mamandikta").
_FILLER_STEMS = tuple(sorted(w for w in FILLER if len(w) >= 6))


def is_filler(word: str) -> bool:
    return word in FILLER or (len(word) > 6 and word.startswith(_FILLER_STEMS))


def meaningful_words(text: str) -> list[str]:
    """Skeleton words without filler words and digits."""
    return [w for w in skeleton_words(text) if not w.isdigit() and not is_filler(w)]


def _word_cutoff(word: str) -> float:
    """How similar a word must be to count: short words must be (nearly) exact."""
    if len(word) <= 3:
        return 100.0
    if len(word) <= 7:
        return 80.0
    return 75.0


def _stem_score(a: str, b: str) -> float:
    """Similarity of two words sharing a stem: "svarshchika" ~ "svarshchik"."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    ending = len(long_) - len(short)
    if len(short) < 4 or not long_.startswith(short) or ending > max(3, len(short) // 2):
        return 0.0
    return 100.0 * (0.8 + 0.2 * len(short) / len(long_))


def _shared_start_score(a: str, b: str) -> float:
    """Similarity of two inflected forms of one word: "ispolnenie" ~ "ispolnitelstvo"."""
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    if shared < 5 or shared < 0.6 * min(len(a), len(b)):
        return 0.0
    return 100.0 * (0.6 + 0.4 * shared / max(len(a), len(b)))


@dataclass(frozen=True)
class Match:
    """A specialty the engine stands behind, with its score (0-100)."""

    specialty: Specialty
    score: float


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
    FUNDING = "funding"  # grants, free study, stipends, without a specialty


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

    @property
    def ambiguous(self) -> bool:
        """True when the bot should ask rather than show one card."""
        return self.kind == Kind.QUESTION or (self.kind == Kind.CODES and len(self.matches) > 1)

    @property
    def by_code(self) -> bool:
        return self.kind == Kind.CODES


@dataclass
class _Key:
    specialty: int
    words: list[str]
    # "name": the decree's own name; "official": the Russian and English names; "alias".
    kind: str
    length: int = field(init=False)

    def __post_init__(self) -> None:
        self.length = sum(len(w) for w in self.words) or 1


class SearchEngine:
    """An index over one decree's specialties, built once and queried many times.

    `aliases` maps a decree name to its lexicon entry (official Russian and English names,
    everyday words; see `store.lexicon`).
    """

    def __init__(self, specialties: Sequence[Specialty], aliases: dict[str, dict]) -> None:
        self.specialties = list(specialties)
        self.keys: list[_Key] = []
        self._full_forms: dict[str, dict[int, float]] = defaultdict(dict)
        for index, specialty in enumerate(self.specialties):
            entry = aliases.get(specialty.name, {})
            texts = [
                ("name", specialty.name),
                ("name", re.sub(r"\([^)]*\)", " ", specialty.name)),
                ("official", specialty.translations.ru),
                ("official", specialty.translations.en),
            ]
            for words in entry.get("aliases", {}).values():
                texts += [("alias", word) for word in words]
            for kind, text in texts:
                words = meaningful_words(text)
                if words:
                    self.keys.append(_Key(index, words, kind))
                    form = self._full_forms[" ".join(words)]
                    form[index] = max(form.get(index, 0.0), FULL_FORM_SCORE[kind])
        self._word_keys: dict[str, set[int]] = defaultdict(set)
        for key_index, key in enumerate(self.keys):
            for word in key.words:
                self._word_keys[word].add(key_index)
        self._vocabulary = sorted(self._word_keys)
        self._codes: dict[str, set[int]] = defaultdict(set)
        for index, specialty in enumerate(self.specialties):
            for row in specialty.rows:
                self._codes[row.code].add(index)
                self._codes[re.sub(r"\D", "", row.code_raw)].add(index)

    def _similar_words(self, word: str) -> dict[str, float]:
        """Vocabulary words close to `word`, by edit similarity or shared stem."""
        found: dict[str, float] = {}
        for other, score, _ in process.extract(
            word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=_word_cutoff(word), limit=20
        ):
            found[other] = score
        # Longer vocabulary words that start with the query word ("metallurg" -> "metallurgiia").
        if len(word) >= 4:
            start = bisect_left(self._vocabulary, word)
            for other in self._vocabulary[start : start + 50]:
                if not other.startswith(word):
                    break
                found[other] = max(found.get(other, 0.0), _stem_score(word, other))
        # Shorter vocabulary words the query word starts with ("svarshchika" -> "svarshchik").
        for end in range(4, len(word)):
            prefix = word[:end]
            if prefix in self._word_keys:
                found[prefix] = max(found.get(prefix, 0.0), _stem_score(word, prefix))
        # Other forms of the same word, sharing a long start ("ispolnenie" ~ "ispolnitelstvo").
        if len(word) >= 5:
            start = bisect_left(self._vocabulary, word[:5])
            for other in self._vocabulary[start : start + 50]:
                if not other.startswith(word[:5]):
                    break
                score = _shared_start_score(word, other)
                if score > found.get(other, 0.0):
                    found[other] = score
        return found

    def search(self, query: str, limit: int = 6) -> SearchResult:
        """The specialties `query` means, best first; empty when nothing in the decree fits."""
        query = query[:MAX_QUERY_CHARS]
        if codes := _code_query(query):
            return self._search_codes(query, codes, limit)
        words = list(dict.fromkeys(meaningful_words(query)))[:MAX_QUERY_WORDS]
        if not words:
            return SearchResult(query, ())
        # For each specialty: the best similarity of each query word to any of its words,
        # and to words of its decree name; for each key: how much of it the query covers.
        word_best: dict[int, dict[str, float]] = defaultdict(dict)
        name_best: dict[int, dict[str, float]] = defaultdict(dict)
        key_matched: dict[int, float] = defaultdict(float)
        weight: dict[str, float] = {}
        for word in words:
            similar = self._similar_words(word)
            surest = max(similar.values(), default=0.0)
            if surest >= STRONG_WORD:
                weight[word] = len(word)
            else:
                weight[word] = len(word) * (WEAK_WORD_WEIGHT if similar else UNKNOWN_WORD_WEIGHT)
            per_key: dict[int, float] = {}
            for other, score in similar.items():
                for key_index in self._word_keys[other]:
                    per_key[key_index] = max(per_key.get(key_index, 0.0), score)
            for key_index, score in per_key.items():
                key = self.keys[key_index]
                best = name_best if key.kind == "name" else word_best
                best[key.specialty][word] = max(best[key.specialty].get(word, 0.0), score)
                key_matched[key_index] += len(word) * score / 100
        covered: dict[int, float] = defaultdict(float)
        for key_index, matched in key_matched.items():
            key = self.keys[key_index]
            covered[key.specialty] = max(covered[key.specialty], min(1.0, matched / key.length))
        full = self._full_forms.get(" ".join(words), {})
        scored: list[Match] = []
        for index in set(word_best) | set(name_best):
            by_name = name_best[index]
            best = {w: max(word_best[index].get(w, 0.0), by_name.get(w, 0.0)) for w in words}
            total = sum(weight.values())
            explained = sum(weight[w] * s for w, s in best.items()) / total
            from_name = sum(weight[w] * s for w, s in by_name.items()) / total / 100
            score = explained * (0.85 + 0.15 * covered[index])
            score = max(score, full.get(index, 0.0)) * (1 - NAME_BONUS / 100)
            score += NAME_BONUS * from_name
            if score >= MATCH_THRESHOLD:
                scored.append(Match(self.specialties[index], round(score, 1)))
        return _result(query, scored, limit)

    def _search_codes(self, query: str, codes: list[str], limit: int) -> SearchResult:
        found: list[Match] = []
        for code in codes:
            if len(code) >= 7:
                indexes = self._codes.get(code, set()) | self._codes.get("0" + code, set())
            else:
                indexes = {i for c, ids in self._codes.items() if c.startswith(code) for i in ids}
            found += [Match(self.specialties[i], 100.0) for i in sorted(indexes)]
        unique = list({m.specialty.id: m for m in found}.values())
        kind = Kind.CODES if unique else Kind.NONE
        return SearchResult(query, tuple(unique[:limit]), kind, total=len(unique))


def _result(query: str, scored: list[Match], limit: int) -> SearchResult:
    scored.sort(key=lambda m: (-m.score, -m.specialty.seats, m.specialty.name))
    if not scored:
        return SearchResult(query, ())
    top = scored[0].score
    kept = [m for m in scored if m.score >= top - ALTERNATIVES_MARGIN]
    # Near-equal answers, or a best answer that is only a likely guess: ask, do not tell.
    ambiguous = top < CONFIDENT_SCORE or (len(kept) > 1 and kept[1].score >= top - AMBIGUOUS_MARGIN)
    kind = Kind.QUESTION if ambiguous else Kind.CARD
    return SearchResult(query, tuple(kept[:limit]), kind, total=len(kept))


def _code_query(query: str) -> list[str]:
    """Codes or code prefixes in a query: "06130100", "6130100", "0613 0100", "0613", "07".

    A query counts as a code query when, apart from filler words, it is only digits.
    """
    if not re.search(r"\d", query) or meaningful_words(query):
        return []
    runs = re.findall(r"\d+", query)
    joined = "".join(runs)
    if len(runs) > 1 and len(joined) in (7, 8):
        return [joined]
    return [r for r in runs if 2 <= len(r) <= 8]
