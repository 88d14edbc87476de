"""Every form of a name finds what the name finds: a measure of morphology that no one
tunes by hand.

    python -m benchmarks.inflected_forms [--failures PATH]

Each Russian and Kazakh name the search knows (the decree's Kazakh names, their official
Russian translations, the everyday aliases and the classifier's qualification names) that,
typed alone, gets one specialty's card, is put into other forms, and each form is searched:

- Russian: pymorphy3 inflects the name's first noun, and the adjectives before it in
  agreement, into the genitive, dative, accusative, instrumental, prepositional and the
  plural; and "учиться на ..." (accusative), "хочу стать ..." (instrumental);
- Kazakh: the name's last word takes the plural, the six cases, the possessive with the
  dative (-сына/-ына), and -лық with the dative, by the rules of Kazakh grammar (vowel
  harmony, and an ending's first sound after each final sound: "аспаз" -> "аспазға",
  "сварщик" -> "сварщикке"; a stem's к, қ, п voiced before the possessive's vowel:
  "аспаздық" -> "аспаздығына"); after a possessive already there ("Мейіргер ісі") the
  cases come after it ("ісіне", "ісін"); and "... оқығым келеді" (dative).

A form is right when the name's specialty is its first match, as the accuracy benchmark
counts a top-1 answer (a card or a question); "still a card" counts cards only. The rules
make a few forms a native speaker would not (a loanword's harmony is a guess): they are
the same on every run, so two runs compare.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pymorphy3

from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from store.lexicon import lexicon
from store.search import Kind, SearchEngine

BACK = frozenset("аоұыяю")
FRONT = frozenset("әөүіеэи")
VOWELS = frozenset("аәеоөұүыіэюя")
GLIDES = frozenset("уий")  # after these, endings are those after р
VOICELESS = frozenset("кқпстфхцчшщбвгд")  # б, в, г, д are said voiceless at a word's end
NASALS = frozenset("мнң")
VOICED = frozenset("лзж")
RUSSIAN_CASES = ("gent", "datv", "accs", "ablt", "loct")


@cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def _back(word: str) -> bool:
    """True when the word's last vowel is a back one (its endings have а, ы)."""
    for letter in reversed(word):
        if letter in BACK:
            return True
        if letter in FRONT:
            return False
    return True


def _sound(word: str) -> str:
    """What kind of sound a word ends in, for choosing an ending's first letter."""
    last = word[-1]
    if last in VOWELS:
        return "vowel"
    if last in GLIDES or last == "р":
        return "glide"
    if last in NASALS:
        return "nasal"
    if last in VOICED:
        return "voiced"
    return "voiceless"


# An ending by the sound before it: the back-vowel spelling (the front one is made from it).
_ENDINGS = {
    "pl": {"vowel": "лар", "glide": "лар", "nasal": "дар", "voiced": "дар", "voiceless": "тар"},
    "dat": {"vowel": "ға", "glide": "ға", "nasal": "ға", "voiced": "ға", "voiceless": "қа"},
    "acc": {"vowel": "ны", "glide": "ды", "nasal": "ды", "voiced": "ды", "voiceless": "ты"},
    "loc": {"vowel": "да", "glide": "да", "nasal": "да", "voiced": "да", "voiceless": "та"},
    "abl": {"vowel": "дан", "glide": "дан", "nasal": "нан", "voiced": "дан", "voiceless": "тан"},
    "gen": {"vowel": "ның", "glide": "дың", "nasal": "ның", "voiced": "дың", "voiceless": "тың"},
    "ins": {"vowel": "мен", "glide": "мен", "nasal": "мен", "voiced": "бен", "voiceless": "пен"},
    "lik": {"vowel": "лық", "glide": "лық", "nasal": "дық", "voiced": "дық", "voiceless": "тық"},
}
_FRONT_OF = str.maketrans({"а": "е", "ы": "і", "ғ": "г", "қ": "к"})
# After a possessive (-ы, -і, -сы, -сі): the cases begin with н.
_AFTER_POSSESSIVE = {
    "dat": "на", "acc": "н", "loc": "нда", "abl": "нан", "ins": "мен", "gen": "ның",
}  # fmt: skip


def _ending(word: str, back: str, front: bool | None = None) -> str:
    """`back` in the word's harmony; "мен" is the same in both."""
    front = not _back(word) if front is None else front
    return back.translate(_FRONT_OF) if front and back != "мен" else back


def _with(word: str, kind: str) -> str:
    return word + _ending(word, _ENDINGS[kind][_sound(word)])


def _possessive(word: str) -> str:
    """The third person's possessive: -сы/-сі after a vowel, else -ы/-і with the stem's к,
    қ, п voiced ("еңбек" -> "еңбегі", "сынып" -> "сыныбы")."""
    if _sound(word) == "vowel":
        return word + _ending(word, "сы")
    stem = word[:-1] + {"к": "г", "қ": "ғ", "п": "б"}.get(word[-1], word[-1])
    return stem + _ending(word, "ы")


def kazakh_forms(word: str, possessed: bool) -> dict[str, str]:
    """A Kazakh word's forms by kind ("dat": "аспазға"); `possessed` when it already ends
    in the possessive of an izafet ("ісі" in "Мейіргер ісі")."""
    w = word.lower()
    if possessed:
        return {kind: w + _ending(w, end) for kind, end in _AFTER_POSSESSIVE.items()}
    found = {kind: _with(w, kind) for kind in ("pl", "dat", "acc", "loc", "abl", "gen", "ins")}
    owned = _possessive(w)
    found["poss+dat"] = owned + _ending(w, "на")
    found["lik+dat"] = _with(_with(w, "lik"), "dat")
    return found


def kazakh_phrase_forms(phrase: str) -> dict[str, str]:
    words = phrase.split()
    last = words[-1].lower()
    possessed = len(words) >= 2 and last[-1] in "ыі" and not last.endswith(("шы", "ші"))
    found = {k: " ".join([*words[:-1], f]) for k, f in kazakh_forms(last, possessed).items()}
    found["dat+оқығым келеді"] = found["dat"] + " оқығым келеді"
    return found


def _russian_phrase(phrase: str, case: str, number: str = "sing") -> str | None:
    """The phrase with its first noun, and the adjectives before it, in `case`."""
    words = phrase.split()
    parses = [_analyzer().parse(w)[0] for w in words]
    head = next((i for i, p in enumerate(parses) if p.tag.POS == "NOUN"), None)
    if head is None:
        return None
    noun = parses[head].tag
    out = []
    for i, (word, parse) in enumerate(zip(words, parses, strict=True)):
        grammemes = {case, number}
        if i < head and parse.tag.POS in ("ADJF", "PRTF"):
            if number == "sing" and noun.gender:
                grammemes.add(noun.gender)
            if case == "accs" and noun.animacy:
                grammemes.add(noun.animacy)
        elif i != head:
            out.append(word)
            continue
        inflected = parse.inflect(grammemes)
        if inflected is None:
            return None
        out.append(inflected.word)
    return " ".join(out)


def russian_forms(phrase: str) -> dict[str, str]:
    found = {case: f for case in RUSSIAN_CASES if (f := _russian_phrase(phrase, case))}
    if plural := _russian_phrase(phrase, "nomn", "plur"):
        found["plur"] = plural
    if "accs" in found:
        found["учиться на +accs"] = "учиться на " + found["accs"]
    if "ablt" in found:
        found["хочу стать +ablt"] = "хочу стать " + found["ablt"]
    return found


def names() -> Iterator[tuple[str, str]]:
    """(language, name) for every name the search knows, without its "(...)" part."""
    words = lexicon()
    for name, entry in words.entries.items():
        yield "kk", name
        if entry.get("ru"):
            yield "ru", entry["ru"]
        for language in ("ru", "kk"):
            for alias in entry.get("aliases", {}).get(language, []):
                yield language, alias
    for qualifications in words.by_code.values():
        for q in qualifications:
            yield from (("ru", q.ru), ("kk", q.kk))


def measure(engine: SearchEngine) -> tuple[Counter, Counter, Counter, list[tuple[str, ...]]]:
    """Per (language, kind of form) and per language: forms tried, right, still a card;
    and every form that is not right."""
    tried: Counter = Counter()
    right: Counter = Counter()
    cards: Counter = Counter()
    wrong: list[tuple[str, ...]] = []
    seen: set[tuple[str, str]] = set()
    for language, raw in names():
        phrase = re.sub(r"\s*\(.*?\)", "", raw).strip()
        if not phrase or "," in phrase or (language, phrase) in seen:
            continue
        seen.add((language, phrase))
        alone = engine.search(phrase)
        if alone.kind != Kind.CARD:
            continue
        want = alone.matches[0].specialty.name
        forms = russian_forms(phrase) if language == "ru" else kazakh_phrase_forms(phrase)
        for kind, form in forms.items():
            if form.lower() == phrase.lower():
                continue
            got = engine.search(form)
            ok = bool(got.matches) and got.matches[0].specialty.name == want
            ok = ok and got.kind in (Kind.CARD, Kind.QUESTION)
            for key in ((language, kind), (language, "all")):
                tried[key] += 1
                right[key] += ok
                cards[key] += ok and got.kind == Kind.CARD
            if not ok:
                first = got.matches[0].specialty.name if got.matches else ""
                wrong.append((language, kind, phrase, form, got.kind.value, first))
    return tried, right, cards, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=Path, help="write the forms not found here (TSV)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ingest(shipped_source(), db)
        engine = Catalog.open(db).decree().engine
    tried, right, cards, wrong = measure(engine)
    print("| language | form | n | right | still a card |")
    print("|---|---|---:|---:|---:|")
    for key in sorted(tried, key=lambda k: (k[0], k[1] == "all", k[1])):
        n = tried[key]
        print(f"| {key[0]} | {key[1]} | {n} | {100 * right[key] / n:.1f}% |"
              f" {100 * cards[key] / n:.1f}% |")  # fmt: skip
    if args.failures:
        args.failures.write_text("".join("\t".join(w) + "\n" for w in wrong), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
