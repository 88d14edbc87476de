"""The store's one API for the bot and the command line.

A `Catalog` holds every decree of a data database. `Catalog.decree(id)` returns a
`DecreeView`: one decree as the bot reads it (its specialties, fields of education,
defects per row, search), resolved once per reply. A specialty is identified by its
printed name; its codes are attributes. Search indexes are built on first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from store.lexicon import Lexicon, lexicon
from store.model import Appendix, Decree, Defect, Group, LevelKind, Specialty
from store.search import SearchEngine, SearchResult
from store.storage import SCHEMA_VERSION, read_decrees, schema_version

SEARCH_CACHE_SIZE = 8192


@dataclass(frozen=True)
class Field:
    """A field of education, across the appendices of one decree."""

    code: str
    name: str
    specialties: tuple[Specialty, ...]

    @property
    def seats(self) -> int:
        return sum(r.seats for s in self.specialties for r in s.rows if r.group_code == self.code)


class DecreeView:
    """One decree as the bot reads it; built once per catalog."""

    def __init__(self, decree: Decree, words: Lexicon, only: bool) -> None:
        self.decree = decree
        self.only = only
        self._lexicon = words
        by_name: dict[str, list] = {}
        for row in decree.rows:
            by_name.setdefault(row.name, []).append(row)
        self.specialties = tuple(
            Specialty(name, tuple(rows), words.translations(name)) for name, rows in by_name.items()
        )
        self.by_id = {s.id: s for s in self.specialties}
        self._appendices = {a.appendix: a for a in decree.appendices}
        self._groups = {(g.appendix, g.code): g for g in decree.groups}
        # The data never changes while it is open, and the same questions come again and
        # again; `engine.search` is the same search without the cache.
        self.search = lru_cache(maxsize=SEARCH_CACHE_SIZE)(self._search)

    @property
    def id(self) -> str:
        return self.decree.id

    @cached_property
    def engine(self) -> SearchEngine:
        return SearchEngine(self.specialties, self._lexicon.entries)

    def _search(self, query: str, limit: int = 6) -> SearchResult:
        return self.engine.search(query, limit)

    def specialty(self, specialty_id: str) -> Specialty | None:
        return self.by_id.get(specialty_id)

    def appendix(self, number: int) -> Appendix:
        return self._appendices[number]

    def level_kind(self, number: int) -> LevelKind:
        found = self._appendices.get(number)
        return found.kind if found else LevelKind.UNKNOWN

    def group(self, appendix: int, code: str) -> Group | None:
        return self._groups.get((appendix, code))

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        """Fields of education in code order ("101" after "09"), each with its specialties."""
        names: dict[str, str] = {}
        for group in self.decree.groups:
            names.setdefault(group.code, group.name)
        return tuple(
            Field(
                code,
                names[code],
                tuple(s for s in self.specialties if any(r.group_code == code for r in s.rows)),
            )
            for code in sorted(names, key=lambda c: (len(c), c))
        )

    def field(self, code: str) -> Field | None:
        return next((f for f in self.fields if f.code == code), None)

    def top(self, count: int = 10) -> list[Specialty]:
        """Specialties with the most places, all levels together."""
        return sorted(self.specialties, key=lambda s: (-s.seats, s.name))[:count]

    def defects_of(self, specialty: Specialty) -> list[Defect]:
        """Defects the decree prints in this specialty's rows (shown on its card)."""
        rows = {(r.appendix, r.row) for r in specialty.rows}
        return [d for d in self.decree.defects if (d.appendix, d.row) in rows]


class Catalog:
    """Every decree in a data database; the newest academic year first."""

    def __init__(self, decrees: Sequence[Decree], words: Lexicon | None = None) -> None:
        words = words or lexicon()
        ordered = sorted(decrees, key=lambda d: d.region)
        ordered.sort(key=lambda d: d.academic_year, reverse=True)
        self.views = tuple(DecreeView(d, words, len(ordered) == 1) for d in ordered)
        self._by_id = {v.id: v for v in self.views}

    @classmethod
    def open(cls, db_path: Path) -> Catalog:
        """Load the catalog from a database (built from the shipped decree on first use)."""
        if not _current(db_path):
            from store.ingest import ensure_db  # builds or rebuilds it: slow to import

            ensure_db(db_path)
        return cls(read_decrees(db_path))

    def decree(self, decree_id: str | None = None) -> DecreeView:
        """A decree by id, or the default one; an unknown id falls back to the default."""
        return self._by_id.get(decree_id or "", self.views[0])

    def has(self, decree_id: str) -> bool:
        return decree_id in self._by_id


def _current(db_path: Path) -> bool:
    """Whether the database exists in this version's schema (then nothing needs building)."""
    try:
        return db_path.is_file() and schema_version(db_path) == SCHEMA_VERSION
    except sqlite3.Error:
        return False
