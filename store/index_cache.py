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
in one SQLite file beside them all, read a word at a time, its answers for every form of
those words ("сварщиками"), so that an inflected one does not either. That file grows by
the words a new index brings (decrees share most of theirs) and is named, as the indexes
are, by the code and the analyzer that made it.

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
from contextlib import closing
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
_FORMS_PREFIX = "forms-"
_FORMS_SUFFIX = ".sqlite"
# How many word-form files a directory keeps (one per version of the code and analyzer).
KEEP_FORMS = 2


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
        if not _own(info):
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
    morphology.consult(_SavedForms(_forms_path(path.parent)))
    return engine


def _forms_path(directory: Path) -> Path:
    return directory / f"{_FORMS_PREFIX}{_environment()[:40]}{_FORMS_SUFFIX}"


def _own(info: os.stat_result) -> bool:
    """True for a file of this user's that nobody else can write."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class _SavedForms:
    """A lookup of the saved word forms (see `_save_forms`), opened on first use; a file
    that is missing, not this user's own or unreadable finds nothing, and the analyzer
    answers instead."""

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
        except sqlite3.OperationalError:  # being written, or not yet: this word only
            return None
        except (sqlite3.DatabaseError, ValueError) as error:
            log.info("cannot read the saved word forms %s: %s", self.path, error)
            self.db = None
            return None

    def _open(self) -> sqlite3.Connection | None:
        try:
            info = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return None
        if not _own(info):
            log.warning("not reading %s: it is not this user's own file", self.path)
            return None
        uri = f"{self.path.as_uri()}?mode=ro"
        # Read by the bot's worker threads too; SQLite serialises them. A word never
        # waits long for a writer: it is then read by the analyzer.
        return sqlite3.connect(uri, uri=True, timeout=0.05, check_same_thread=False)


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
        _save_forms(_forms_path(path.parent))
        _prune(path.parent)
    except Exception as error:  # a full disk, or an index pickle refuses
        log.info("cannot save the search index %s: %s", path, error)
        Path(temporary).unlink(missing_ok=True)


def _save_forms(path: Path) -> None:
    """Add to the word-form file the forms of the dictionary words this process parsed
    whose forms it does not have yet (`morphology.form_parses`), as JSON, in one
    transaction. A file that cannot be written is logged: commands then load the analyzer
    for an inflected word, as before."""
    try:
        _add_forms(path)
    except (OSError, sqlite3.Error) as error:
        log.info("cannot save the word forms %s: %s", path, error)


def _add_forms(path: Path) -> None:
    if path.exists() and not _own(path.stat()):
        log.warning("not writing %s: it is not this user's own file", path)
        return
    with closing(sqlite3.connect(path, timeout=5)) as db, db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS forms (word TEXT PRIMARY KEY, parse TEXT) WITHOUT ROWID"
        )
        db.execute("CREATE TABLE IF NOT EXISTS lexemes (word TEXT PRIMARY KEY) WITHOUT ROWID")
        done = {word for (word,) in db.execute("SELECT word FROM lexemes")}
        new = [word for word in morphology.dictionary_words() if word not in done]
        if not new:
            return
        db.executemany(
            "INSERT OR IGNORE INTO forms VALUES (?, ?)",
            (
                (word, json.dumps(parse, ensure_ascii=False))
                for word, parse in morphology.form_parses(new)
            ),
        )
        db.executemany("INSERT OR IGNORE INTO lexemes VALUES (?)", ((w,) for w in new))


def _prune(directory: Path) -> None:
    """Keep the `KEEP` most recently written indexes and `KEEP_FORMS` word-form files."""
    for pattern, keep in (
        (f"{_PREFIX}*{_SUFFIX}", KEEP),
        (f"{_FORMS_PREFIX}*{_FORMS_SUFFIX}", KEEP_FORMS),
    ):
        saved = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
        for old in saved[:-keep]:
            old.unlink(missing_ok=True)
