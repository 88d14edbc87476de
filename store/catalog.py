"""The store's small API for the bot and the command line: decrees, specialties, search.

A `Catalog` is loaded once from a data database. It groups rows into specialties (a
specialty is identified by its printed name; its codes are attributes) and keeps one
search index per decree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from store.db import DecreeInfo, DefectRecord, GroupRecord, LevelRecord, Store, ensure_db
from store.search import Level, SearchEngine, SearchResult, Specialty, load_aliases

SEARCH_CACHE_SIZE = 8192


@dataclass(frozen=True)
class Field:
    """A field of education, across the levels of one decree."""

    code: str
    name: str
    specialties: tuple[Specialty, ...]


class Catalog:
    """Everything the bot asks the store, for every decree in the database."""

    def __init__(self, store: Store, aliases: dict[str, dict] | None = None) -> None:
        self.store = store
        aliases = load_aliases() if aliases is None else aliases
        self._specialties: dict[str, dict[str, Specialty]] = {}
        self._engines: dict[str, SearchEngine] = {}
        for decree in store.decrees:
            specialties = _specialties(store, decree.id)
            engine = SearchEngine(specialties, aliases)
            self._engines[decree.id] = engine
            self._specialties[decree.id] = engine.by_id
        self._fields = {d.id: _fields(store, d.id, self.specialties(d.id)) for d in store.decrees}
        # The data never changes while it is open, and the same questions come again and
        # again; `engine(...).search` is the same search without the cache.
        self.search = lru_cache(maxsize=SEARCH_CACHE_SIZE)(self._search)

    @classmethod
    def open(cls, db_path: Path | None = None) -> Catalog:
        """Load the catalog from a database (the default one, built on first use)."""
        return cls(Store(ensure_db(db_path)))

    @property
    def decrees(self) -> list[DecreeInfo]:
        return self.store.decrees

    def decree(self, decree_id: str | None = None) -> DecreeInfo:
        """A decree by id, or the default one; an unknown id falls back to the default."""
        try:
            return self.store.decree(decree_id)
        except KeyError:
            return self.store.decree()

    def engine(self, decree_id: str | None = None) -> SearchEngine:
        """The search index of a decree (the default one without an id)."""
        return self._engines[self.decree(decree_id).id]

    def _search(self, query: str, decree_id: str | None = None, limit: int = 6) -> SearchResult:
        """What `query` means in a decree (called as `catalog.search`, through a cache)."""
        return self.engine(decree_id).search(query, limit)

    def specialty(self, specialty_id: str, decree_id: str | None = None) -> Specialty | None:
        return self._specialties[self.decree(decree_id).id].get(specialty_id)

    def specialties(self, decree_id: str | None = None) -> list[Specialty]:
        """All specialties of a decree, in the decree's order."""
        return list(self._specialties[self.decree(decree_id).id].values())

    def fields(self, decree_id: str | None = None) -> list[Field]:
        """Fields of education in code order, each with its specialties."""
        return self._fields[self.decree(decree_id).id]

    def top(self, decree_id: str | None = None, count: int = 10) -> list[Specialty]:
        """Specialties with the most places, all levels together."""
        return sorted(self.specialties(decree_id), key=lambda s: (-s.seats, s.name))[:count]

    def levels(self, decree_id: str | None = None) -> list[LevelRecord]:
        return self.store.levels_of(self.decree(decree_id).id)

    def groups(self, decree_id: str | None = None) -> list[GroupRecord]:
        return self.store.groups_of(self.decree(decree_id).id)

    def defects(self, decree_id: str | None = None) -> list[DefectRecord]:
        return self.store.defects_of(self.decree(decree_id).id)

    def defects_for(self, specialty: Specialty, decree_id: str | None = None) -> list[DefectRecord]:
        """Defects the decree prints in this specialty's rows (shown on its card)."""
        rows = {(lv.appendix, lv.row) for lv in specialty.levels}
        return [d for d in self.defects(decree_id) if (d.appendix, d.row) in rows]


def _fields(store: Store, decree_id: str, specialties: list[Specialty]) -> list[Field]:
    """Fields of education in code order ("101" after "09"), each with its specialties."""
    names: dict[str, str] = {}
    for group in store.groups_of(decree_id):
        names.setdefault(group.code, group.name)
    return [
        Field(
            code,
            names[code],
            tuple(s for s in specialties if any(lv.group_code == code for lv in s.levels)),
        )
        for code in sorted(names, key=lambda c: (len(c), c))
    ]


def _specialties(store: Store, decree_id: str) -> list[Specialty]:
    """Rows grouped by name, in the order names first appear in the decree."""
    by_name: dict[str, list[Level]] = {}
    ids: dict[str, str] = {}
    for row in store.rows_of(decree_id):
        ids[row.name] = row.specialty_id
        by_name.setdefault(row.name, []).append(
            Level(
                appendix=row.appendix,
                row=row.row,
                level_kind=row.level_kind,
                code=row.code,
                code_raw=row.code_raw,
                group_code=row.group_code,
                group_name=row.group_name,
                seats=row.seats,
                city_costs=row.city_costs,
                rural_costs=row.rural_costs,
            )
        )
    return [Specialty(ids[name], name, tuple(levels)) for name, levels in by_name.items()]
