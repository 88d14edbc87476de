"""Words that are not in the decree: reviewed data files shipped with the package, loaded
once per process. Translations of specialty names (labelled as such wherever shown) and
everyday aliases, in `data/aliases.json`, one entry per decree name; the qualifications
each specialty code leads to, from the national classifier as quoted by public sources
(each entry names its source), in `data/qualifications.json`; translations of the fields
of education, by classifier code, in `data/fields.json`; region names in each
language and their towns, in `data/regions.json`; the classifier's specialties, as public
sources name them (each entry names its source), in `data/classifier.json`, so that a query
naming one a decree does not fund is told so."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from store.model import ClassifierSpecialty, Qualification, Translations
from store.text import fold


def _data(name: str) -> str:
    return (resources.files("store") / "data" / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Region:
    """A region's name in each language ("of the region" forms too) and its main towns."""

    kk: str
    kk_genitive: str
    ru: str
    ru_genitive: str
    en: str
    towns: tuple[str, ...] = ()
    formed_from: str = ""  # the region this one was part of (Ulytau, of Karaganda, in 2022)

    def name(self, language: str) -> str:
        return {"ru": self.ru, "en": self.en}.get(language, self.kk)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a question may call it by: the region's and its towns'."""
        return (self.kk, self.ru, self.en, *self.towns)


@dataclass(frozen=True)
class Lexicon:
    """The alias file, keyed by the decree's Kazakh name, and the regions."""

    entries: dict[str, dict]
    regions: dict[str, Region] = field(default_factory=dict)
    by_code: dict[str, tuple[Qualification, ...]] = field(default_factory=dict)
    fields: dict[str, Translations] = field(default_factory=dict)
    # The narrow fields of ISCED-F (three digits) by code: their names in kk, ru and en.
    narrow_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words saying a name is a region's ("облысы"), and place names that are also ordinary
    # words or people's names ("Рудный", "Абай"): see data/regions.json.
    region_words: frozenset[str] = frozenset()
    ordinary_words: frozenset[str] = frozenset()
    # The national classifier's specialties by code, as public sources name them.
    classifier: dict[str, ClassifierSpecialty] = field(default_factory=dict)

    def translations(self, name: str) -> Translations:
        entry = self.entries.get(name, {})
        return Translations(ru=entry.get("ru", ""), en=entry.get("en", ""))

    def qualifications(self, codes: list[str]) -> tuple[Qualification, ...]:
        """The classifier's qualifications of these specialty codes, in code order."""
        return tuple(q for code in codes for q in self.by_code.get(code, ()))

    def field_translations(self, code: str) -> Translations:
        """A field of education's name in Russian and English (translations), by its code."""
        return self.fields.get(code, Translations())

    def region(self, name: str) -> Region:
        """A decree's region (as the decree names it); unknown ones keep the decree's name."""
        return self.regions.get(name) or Region(name, name, name, name, name)

    def places(self, regions: Iterable[str]) -> tuple[str, ...]:
        """The place names questions about these regions use: theirs, and those of the
        regions formed from them, whose families still count as theirs."""
        keys = set(regions)
        covered = [self.region(k) for k in keys]
        covered += [r for r in self.regions.values() if r.formed_from in keys]
        return tuple(sorted({n for r in covered for n in r.names} | keys))

    def elsewhere(self, places: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """(place name, region) for every region whose names are not among `places`: a
        question naming one asks about a decree that is not loaded. A name is given
        without its region words ("Атырау" for "Атырау облысы"), but for one that is then
        an ordinary word, a person's name or a city's too, which only with them names the
        region ("Абай облысы", "Алматы облысы"); a town that is one is left out."""
        known = set(places)
        ordinary = {fold(w) for w in self.ordinary_words}
        cities = {fold(n) for key, r in self.regions.items() if key.endswith("қаласы")
                  for n in (r.kk, r.ru, r.en, *r.towns)}  # fmt: skip
        found: dict[tuple[str, str], None] = {}
        for key, r in self.regions.items():
            if key in known:
                continue
            city = key.endswith("қаласы")
            for name in (r.kk, r.ru, r.en):
                said = " ".join(w for w in name.split() if w.lower() not in self.region_words)
                whole = not said or fold(said) in ordinary or said in known
                found[(name if whole or (not city and fold(said) in cities) else said, key)] = None
            for town in r.towns:
                if town not in known and fold(town) not in ordinary:
                    found[(town, key)] = None
        return tuple(found)


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon (read once)."""
    places = json.loads(_data("regions.json"))
    regions = places["regions"]
    classifier = json.loads(_data("qualifications.json"))
    sources = classifier["sources"]
    by_code = {
        code: tuple(
            Qualification(
                q["code"],
                q["level"],
                q.get("ru", ""),
                q.get("kk", ""),
                sources[q["source"]]["where"],
            )
            for q in entry["qualifications"]
        )
        for code, entry in classifier["specialties"].items()
    }
    field_data = json.loads(_data("fields.json"))
    fields = field_data["fields"]
    return Lexicon(
        {entry["name"]: entry for entry in json.loads(_data("aliases.json"))},
        {
            key: Region(**{**value, "towns": tuple(value.get("towns", ()))})
            for key, value in regions.items()
        },
        by_code,
        {code: Translations(ru=value["ru"], en=value["en"]) for code, value in fields.items()},
        narrow_fields={
            code: (value["kk"], value["ru"], value["en"], *value.get("also", ()))
            for code, value in field_data["narrow"].items()
        },
        region_words=frozenset(places["region_words"]),
        ordinary_words=frozenset(places["ordinary_words"]),
        classifier=_classifier(json.loads(_data("classifier.json"))),
    )


def _classifier(data: dict[str, Any]) -> dict[str, ClassifierSpecialty]:
    """data/classifier.json's specialties by code, each with where its source is."""
    sources = data["sources"]
    return {
        entry["code"]: ClassifierSpecialty(
            entry["code"],
            entry.get("ru") or "",
            entry.get("kk") or "",
            sources[entry["source"]]["where"],
            tuple(
                name
                for q in entry.get("qualifications", ())
                for name in dict.fromkeys((q.get("ru"), q.get("kk")))
                if name
            ),
        )
        for entry in data["specialties"]
    }
