"""Search indexes saved between processes, so that `mamandyq search` does not rebuild one.

Building a decree's index takes most of a command's start-up: reading every name and alias
with pymorphy3, whose dictionary alone takes about 0.1 s to load. The index depends only on
what it is built from, so it is saved once under the user's cache directory, named by a
digest of all of it: the specialties, places and fields it indexes, the code and data files
of `store/` that read them, the Python version and the installed pymorphy3 and its
dictionary. Any change to one of those names another file; nothing is ever read stale.

The file is a pickle (the index is plain Python objects, and pickle reads it in about
15 ms). A pickle can run code when read, so a file is read only from a directory of our
own, only when it belongs to this user and nobody else can write it, which is the trust
Python already gives its own `__pycache__`. pymorphy3's answers for the words the index
needed are saved with it, so that a query of known words never loads the analyzer; and
beside it, in a small SQLite file read a word at a time, its answers for every form of
those words ("сварщиками"), so that an inflected one does not either.

A cache never decides an answer: a file that cannot be read or written is logged and the
index built as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import resources, util
from pathlib import Path

from store import morphology
from store.search import SearchEngine

log = logging.getLogger(__name__)

# How many saved indexes a directory keeps (one per decree and version of the code).
KEEP = 16
_PREFIX = "search-"
_SUFFIX = ".pickle"
_FORMS_SUFFIX = ".forms.sqlite"


def cached_engine(
    inputs: object, build: Callable[[], SearchEngine], directory: Path | None
) -> SearchEngine:
    """The index `build` makes from `inputs` (whose repr says all of them): read from
    `directory` when it was saved there before, else built and saved."""
    if directory is None:
        return build()
    path = directory / f"{_PREFIX}{digest(inputs)}{_SUFFIX}"
    engine = _load(path)
    if engine is None:
        engine = build()
        _save(path, engine)
    return engine


def digest(inputs: object) -> str:
    """A name for everything an index is built from (see the module's docstring)."""
    h = hashlib.sha256(repr(inputs).encode())
    h.update(_environment().encode())
    return h.hexdigest()[:40]


@cache
def _environment() -> str:
    """A digest of what an index depends on besides its data: the same for a process."""
    h = hashlib.sha256(sys.version.encode())
    for path in sorted(_sources(), key=str):
        h.update(str(path.name).encode())
        h.update(path.read_bytes())
    for package in ("pymorphy3", "pymorphy3_dicts_ru"):
        h.update(_installed(package).encode())
    return h.hexdigest()


def _sources() -> list[Path]:
    """The code and data files of `store/` that an index depends on."""
    root = Path(str(resources.files("store")))
    return [*root.glob("*.py"), *(root / "data").glob("*.json")]


def _installed(package: str) -> str:
    """Which files of an installed package are there, by name, size and time: an upgrade
    changes them. (importlib.metadata would cost more to import than the cache saves.)"""
    spec = util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return f"{package}: none"
    found = []
    for where in spec.submodule_search_locations:
        for folder, _, names in os.walk(where):
            for name in sorted(names):
                if not name.endswith(".pyc"):
                    info = os.stat(os.path.join(folder, name))
                    found.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return f"{package}: {' '.join(sorted(found))}"


def _load(path: Path) -> SearchEngine | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        log.info("cannot read the saved search index %s: %s", path, error)
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            log.warning("not reading %s: it is not this user's own file", path)
            return None
        try:
            saved = pickle.load(f)
            engine, parses = saved["engine"], saved["parses"]
            if not isinstance(engine, SearchEngine) or not isinstance(parses, dict):
                raise TypeError(f"holds a {type(engine).__name__}")
        except Exception as error:  # any unreadable file is rebuilt
            log.info("rebuilding the saved search index %s: %s", path, error)
            return None
    morphology.remember(parses)
    morphology.consult(_SavedForms(_forms_path(path)))
    return engine


def _forms_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(_SUFFIX) + _FORMS_SUFFIX)


class _SavedForms:
    """A lookup of the word forms saved beside an index (see `_save_forms`), opened on
    first use; a file that is missing, not this user's own or unreadable finds nothing,
    and the analyzer answers instead."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.opened = False

    def __call__(self, word: str) -> morphology.Parse | None:
        if not self.opened:
            self.opened = True
            self.db = self._open()
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT parse FROM forms WHERE word = ?", [word]).fetchone()
            return _parse_of(json.loads(row[0])) if row else None
        except (sqlite3.Error, ValueError) as error:
            log.info("cannot read the saved word forms %s: %s", self.path, error)
            self.db = None
            return None

    def _open(self) -> sqlite3.Connection | None:
        try:
            info = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return None
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            log.warning("not reading %s: it is not this user's own file", self.path)
            return None
        uri = f"{self.path.as_uri()}?mode=ro"
        # Read by the bot's worker threads too; SQLite serialises them.
        return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _parse_of(saved: object) -> morphology.Parse | None:
    """A saved parse back as a `morphology.Parse`; None for anything of another shape."""
    if not (isinstance(saved, list) and len(saved) == 5 and isinstance(saved[1], list)):
        return None
    known, forms, pos, case, number = saved
    return bool(known), tuple(map(str, forms)), pos, case, number


def _save(path: Path, engine: SearchEngine) -> None:
    """Write the index whole (a rename), readable by this user only; prune old ones."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=_SUFFIX)
    except OSError as error:
        log.info("cannot save the search index in %s: %s", path.parent, error)
        return
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump({"engine": engine, "parses": morphology.parses()}, f, protocol=5)
        os.replace(temporary, path)
        _save_forms(_forms_path(path))
        _prune(path.parent)
    except Exception as error:  # a full disk, or an index pickle refuses
        log.info("cannot save the search index %s: %s", path, error)
        Path(temporary).unlink(missing_ok=True)


def _save_forms(path: Path) -> None:
    """Write pymorphy3's parse of every form of the words the index read
    (`morphology.form_parses`) as a table of JSON, whole (a rename)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=_FORMS_SUFFIX)
    os.close(fd)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("CREATE TABLE forms (word TEXT PRIMARY KEY, parse TEXT) WITHOUT ROWID")
            db.executemany(
                "INSERT INTO forms VALUES (?, ?)",
                (
                    (w, json.dumps(p, ensure_ascii=False))
                    for w, p in morphology.form_parses().items()
                ),
            )
        db.close()
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _prune(directory: Path) -> None:
    """Keep the `KEEP` most recently written indexes, and their word forms."""
    saved = sorted(directory.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime_ns)
    for old in saved[:-KEEP]:
        old.unlink(missing_ok=True)
        _forms_path(old).unlink(missing_ok=True)
