"""The domain, once: a decree, its appendices, groups, rows and defects, and specialties.

Every other module speaks these types: the builder makes them, the storage writes and
reads them back (its schema is derived from the fields below), search and the bot read
them. Adding a column means adding a field here.

The words are the decree's own: an *appendix* orders one level of training; a *group* is
a field of education within an appendix; a *row* is one specialty at one level, with its
*seats* (state-funded places) and the state's average yearly spending per student in city
and rural colleges (*city_costs*, *rural_costs*; a cell may print several rates).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class DecreeError(ValueError):
    """The input is not a readable decree of this kind; the message is one line for the user."""


class LevelKind(StrEnum):
    """The level of training an appendix orders."""

    WORKERS = "workers"
    MID_LEVEL = "mid_level"
    POST_SECONDARY = "post_secondary"
    UNKNOWN = "unknown"


class DefectKind(StrEnum):
    """Something the decree prints that is not as it should be."""

    STRAY_DIGIT = "stray_digit"  # "873 4433": one digit too many in a thousands group
    CODE_FORM = "code_digits"  # a code not printed in the 8-digit classifier form
    CODE_NAMES = "code_names"  # one code, different names in different appendices
    GROUP_NAMES = "group_names"  # one field code, its name spelled differently
    COSTS_SPLIT_BY_PAGE = "costs_split_by_page"
    AMBIGUOUS_NUMBERS = "ambiguous_numbers"
    NO_THOUSANDS_SPACE = "no_thousands_space"
    ROW_NUMBERING = "row_numbering"
    TOTAL_MISMATCH = "total_mismatch"


@dataclass(frozen=True)
class Defect:
    """A defect of the source: where it is, what was printed, and what was stored.

    Data, not sentences: the command line and the bot word it in their own language.
    `group_code` without `row` is a group; neither is the appendix as a whole.
    """

    kind: DefectKind
    printed: str
    stored: str
    appendix: int | None = None
    row: int | None = None
    group_code: str | None = None


@dataclass(frozen=True)
class Row:
    """One row of an appendix, as the decree states it."""

    appendix: int
    row: int
    group_code: str
    code_raw: str
    code: str
    name: str
    seats: int
    city_costs: tuple[int, ...]
    rural_costs: tuple[int, ...]
    page: int | None = None
    line: int | None = None

    @property
    def specialty_id(self) -> str:
        return specialty_id(self.name)


@dataclass(frozen=True)
class Appendix:
    """An appendix: the order for one level of training, with its printed total."""

    appendix: int
    kind: LevelKind
    title: str
    printed_total: int | None
    seats: int


@dataclass(frozen=True)
class Group:
    """A field of education within one appendix."""

    appendix: int
    code: str
    name: str
    printed_total: int | None
    seats: int


@dataclass(frozen=True)
class Decree:
    """A validated decree: what the act says, and where the file came from."""

    region: str
    issuer: str
    number: str
    date: str  # ISO, 2025-08-06
    academic_year: str  # 2025-2026
    title: str
    appendices: tuple[Appendix, ...] = ()
    groups: tuple[Group, ...] = ()
    rows: tuple[Row, ...] = ()
    defects: tuple[Defect, ...] = ()
    source_name: str = ""
    source_sha256: str = ""
    ingested_at: str = ""

    @property
    def id(self) -> str:
        """A short, stable id: the same act gets the same id on every ingest."""
        key = f"{self.issuer}|{self.number}|{self.date}"
        return hashlib.sha1(key.encode()).hexdigest()[:8]

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.rows)


def specialty_id(name: str) -> str:
    """A short id for a specialty name, stable across decrees and ingests (deep links use it)."""
    return hashlib.sha1(name.encode()).hexdigest()[:7]


@dataclass(frozen=True)
class ClassifierSpecialty:
    """A specialty of the national classifier as a public source names it (`source`), for
    one a decree orders no places for: said to be not funded, never shown as the decree's."""

    code: str
    ru: str = ""
    kk: str = ""
    source: str = ""
    # Names of its qualifications, as a source lists them ("Слесарь-сантехник").
    qualifications: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        """Its name in Kazakh or Russian as the source gives it (English: the Russian)."""
        first = self.kk if language == "kk" else self.ru
        return first or self.ru or self.kk


@dataclass(frozen=True)
class Translations:
    """A specialty's name in other languages: labelled translations, not the decree's words."""

    ru: str = ""
    en: str = ""

    def get(self, language: str) -> str:
        return {"ru": self.ru, "en": self.en}.get(language, "")


@dataclass(frozen=True)
class Qualification:
    """A qualification a specialty leads to, from the national classifier (not the decree)."""

    code: str
    level: str
    ru: str
    kk: str
    source: str


@dataclass(frozen=True)
class Specialty:
    """A specialty as a decree names it, with every row (level) it is ordered at."""

    name: str
    rows: tuple[Row, ...]
    translations: Translations = field(default_factory=Translations)
    qualifications: tuple[Qualification, ...] = ()

    @cached_property
    def id(self) -> str:
        return specialty_id(self.name)

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(row.code for row in self.rows))

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.rows)

    @property
    def appendices(self) -> list[int]:
        return sorted({row.appendix for row in self.rows})

    def name_in(self, language: str) -> str:
        """The name a reader of `language` knows best: a translation, else the decree's."""
        return self.translations.get(language) or self.name
