"""The store's one API for the bot and the command line.

A `Catalog` holds every decree of a data database. `Catalog.decree(id)` returns a
`DecreeView`: one decree as the bot reads it (its specialties, fields of education,
defects per row, search), resolved once per reply. A specialty is identified by its
printed name; its codes are attributes. Search indexes are built on first use, or read as
an earlier process saved them (`store.index_cache`).

A `LiveCatalog` is a catalog that follows its file: ingest replaces the database whole,
and a running bot serves the new data within a second or two, without a restart.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from store.index_cache import cached_engine
from store.lexicon import Lexicon, Region, lexicon
from store.limits import Identity
from store.model import (
    Appendix,
    ClassifierSpecialty,
    Decree,
    DecreeError,
    Defect,
    Group,
    LevelKind,
    Specialty,
    Translations,
)
from store.search import SearchEngine, SearchResult
from store.storage import SCHEMA_VERSION, read_decrees, schema_version

log = logging.getLogger(__name__)

SEARCH_CACHE_SIZE = 8192


@dataclass(frozen=True)
class Field:
    """A field of education, across the appendices of one decree."""

    code: str
    name: str
    specialties: tuple[Specialty, ...]
    translations: Translations = field(default_factory=Translations)

    @property
    def seats(self) -> int:
        return sum(r.seats for s in self.specialties for r in s.rows if r.group_code == self.code)

    def seats_by_appendix(self) -> dict[int, int]:
        """Places of this field in each appendix (level), in appendix order."""
        found: dict[int, int] = {}
        for row in sorted(
            (r for s in self.specialties for r in s.rows if r.group_code == self.code),
            key=lambda r: r.appendix,
        ):
            found[row.appendix] = found.get(row.appendix, 0) + row.seats
        return found


class DecreeView:
    """One decree as the bot reads it; built once per catalog."""

    def __init__(
        self,
        decree: Decree,
        words: Lexicon,
        only: bool,
        distinction: str = "",
        places: tuple[str, ...] = (),
        index_dir: Path | None = None,
    ) -> None:
        """`index_dir`: where search indexes are saved between processes (None: nowhere)."""
        self.decree = decree
        self.only = only
        # What tells this decree from another of its region and year ("· № 44/1, 06.08.2025").
        self.distinction = distinction
        # The decree's own words for it ("Қарағанды облысы · 2025-2026"); `title` translates.
        self.label = f"{decree.region} · {decree.academic_year}{distinction}"
        self._lexicon = words
        self._places = places
        self._index_dir = index_dir
        by_name: dict[str, list] = {}
        for row in decree.rows:
            by_name.setdefault(row.name, []).append(row)
        self.specialties = tuple(
            Specialty(
                name,
                tuple(rows),
                words.translations(name),
                words.qualifications(list(dict.fromkeys(r.code for r in rows))),
            )
            for name, rows in by_name.items()
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

    @property
    def region(self) -> Region:
        """The decree's region, named in each language (from the lexicon)."""
        return self._lexicon.region(self.decree.region)

    def region_named(self, name: str) -> Region:
        """Any region, by the name its akimat's decrees give it (from the lexicon)."""
        return self._lexicon.region(name)

    def title(self, language: str) -> str:
        """What a button choosing this decree says, the region named in `language`."""
        return f"{self.region.name(language)} · {self.decree.academic_year}{self.distinction}"

    @cached_property
    def engine(self) -> SearchEngine:
        names: dict[str, list[str]] = {}
        for group in self.decree.groups:  # every spelling the decree prints
            names.setdefault(group.code, []).append(group.name)
        for f in self.fields:
            names[f.code] += [f.translations.ru, f.translations.en]
        engine = cached_engine(
            (self.specialties, self._places, names),
            lambda: SearchEngine(self.specialties, self._lexicon, self._places, names),
            self._index_dir,
        )
        engine.specialties = list(self.specialties)  # the same objects as the cards'
        return engine

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
        """Fields of education in code order ("101" after "09"), each with its specialties.

        A field keeps the name its first group prints (the decree may spell it two ways)."""
        names: dict[str, str] = {}
        for group in self.decree.groups:
            names.setdefault(group.code, group.name)
        return tuple(
            Field(
                code,
                names[code],
                tuple(s for s in self.specialties if any(r.group_code == code for r in s.rows)),
                self._lexicon.field_translations(code),
            )
            for code in sorted(names, key=lambda c: (len(c), c))
        )

    def field(self, code: str) -> Field | None:
        return next((f for f in self.fields if f.code == code), None)

    def classifier_specialty(self, code: str) -> ClassifierSpecialty | None:
        """A specialty of the national classifier (from the lexicon), by code."""
        return self._lexicon.classifier.get(code)

    def top(self, count: int = 10) -> list[Specialty]:
        """Specialties with the most places, all levels together."""
        return sorted(self.specialties, key=lambda s: (-s.seats, s.name))[:count]

    def defects_of(self, specialty: Specialty) -> list[Defect]:
        """Defects the decree prints in this specialty's rows (shown on its card)."""
        rows = {(r.appendix, r.row) for r in specialty.rows}
        return [d for d in self.decree.defects if (d.appendix, d.row) in rows]


def _number_key(number: str) -> tuple[int, ...]:
    """A decree number as numbers: "43/19" -> (43, 19), so "43/19" comes after "9/2"."""
    return tuple(int(part) for part in re.findall(r"\d+", number))


def current_first(decrees: Sequence[Decree]) -> list[Decree]:
    """The newest academic year first, then regions by name; of two decrees for one
    region and year, the current one first: the later date, then the later number."""
    ordered = sorted(decrees, key=lambda d: (d.date, _number_key(d.number), d.id), reverse=True)
    ordered.sort(key=lambda d: d.region)
    ordered.sort(key=lambda d: d.academic_year, reverse=True)
    return ordered


def _short_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def distinctions(decrees: Sequence[Decree]) -> list[str]:
    """What makes each decree's label one no other has: nothing when its region and year
    are its own, else its number and date."""
    shared = [(d.region, d.academic_year) for d in decrees]
    return [
        f" · № {d.number}, {_short_date(d.date)}" if shared.count(key) > 1 else ""
        for d, key in zip(decrees, shared, strict=True)
    ]


def labels(decrees: Sequence[Decree]) -> list[str]:
    """A label for each decree that no other one has: region and year, and where two
    decrees share those, their number and date too."""
    return [
        f"{d.region} · {d.academic_year}{extra}"
        for d, extra in zip(decrees, distinctions(decrees), strict=True)
    ]


class Catalog:
    """Every decree in a data database; the newest academic year first, and the current
    decree of a region and year before any older one (`current_first`)."""

    def __init__(
        self,
        decrees: Sequence[Decree],
        words: Lexicon | None = None,
        index_dir: Path | None = None,
    ) -> None:
        """`index_dir`: where search indexes are saved between processes (None: nowhere)."""
        words = words or lexicon()
        ordered = current_first(decrees)
        # Place names of every loaded decree are read as places in any question.
        places = words.places(d.region for d in ordered)
        self.views = tuple(
            DecreeView(d, words, len(ordered) == 1, extra, places, index_dir)
            for d, extra in zip(ordered, distinctions(ordered), strict=True)
        )
        self._by_id = {v.id: v for v in self.views}

    @classmethod
    def open(cls, db_path: Path, index_dir: Path | None = None) -> Catalog:
        """Load the catalog from a database (built from the shipped decree on first use)."""
        return cls(read_decrees(ready(db_path)), index_dir=index_dir)

    def decree(self, decree_id: str | None = None) -> DecreeView:
        """A decree by id, or the default one; an unknown id falls back to the default."""
        return self._by_id.get(decree_id or "", self.views[0])

    def has(self, decree_id: str) -> bool:
        return decree_id in self._by_id

    def current(self) -> Catalog:
        """The catalog loaded now: this one (a `LiveCatalog` may load another)."""
        return self


def ready(db_path: Path) -> Path:
    """The database at `db_path`, built from the shipped decree first when it is missing or
    of an older schema; an existing one is opened without importing the ingest path."""
    if not _current(db_path):
        from store.ingest import ensure_db  # builds or rebuilds it: slow to import

        ensure_db(db_path)
    return db_path


def _current(db_path: Path) -> bool:
    """Whether the database exists in this version's schema (then nothing needs building)."""
    try:
        return db_path.is_file() and schema_version(db_path) == SCHEMA_VERSION
    except sqlite3.Error:
        return False


def file_identity(path: Path) -> Identity | None:
    """Which file `path` names now (None while there is none)."""
    try:
        return Identity.of(os.stat(path))
    except OSError:
        return None


class LiveCatalog(Catalog):
    """A `Catalog` of the database at `path` that follows the file.

    Ingest only ever replaces the file whole (a rename), so a new inode, mtime or size
    means new data. At most once per `interval` seconds, on use, the file's identity is
    compared with the one loaded; a changed file is read, and served from then on if it
    reads as a catalog. One that cannot be read is logged and skipped until the file
    changes again; the catalog already loaded goes on answering.
    """

    def __init__(
        self,
        path: Path,
        words: Lexicon | None = None,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        index_dir: Path | None = None,
    ) -> None:
        self.path = path
        self._index_dir = index_dir
        self.interval = interval
        self._words = words or lexicon()
        self._clock = clock
        self._identity = file_identity(path)
        self._current = Catalog(read_decrees(path), self._words, index_dir)
        self._refused: Identity | None = None
        self._checked = clock()

    @classmethod
    def open(cls, db_path: Path, index_dir: Path | None = None) -> LiveCatalog:
        return cls(ready(db_path), index_dir=index_dir)

    @property  # type: ignore[override]
    def views(self) -> tuple[DecreeView, ...]:
        return self.current().views

    def decree(self, decree_id: str | None = None) -> DecreeView:
        return self.current().decree(decree_id)

    def has(self, decree_id: str) -> bool:
        return self.current().has(decree_id)

    def current(self) -> Catalog:
        """The catalog of the file as it is now, looked at most once per interval."""
        now = self._clock()
        if now - self._checked >= self.interval:
            self._checked = now
            self._reload_if_replaced()
        return self._current

    def _reload_if_replaced(self) -> None:
        identity = file_identity(self.path)
        if identity is None or identity in (self._identity, self._refused):
            return
        try:
            catalog = Catalog(read_decrees(self.path), self._words, self._index_dir)
        except (DecreeError, sqlite3.Error, OSError) as error:
            self._refused = identity
            log.warning(
                "%s changed but cannot be read, still serving the data before: %s", self.path, error
            )
            return
        self._current, self._identity, self._refused = catalog, identity, None
        log.info("%s was replaced: now serving %d decree(s)", self.path, len(catalog.views))
