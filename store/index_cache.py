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
import itertools
import json
import logging
import os
import pickle
import sqlite3
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import closing, suppress
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
        before = len(morphology.parsed_words())
        engine = build()
        _save(path, engine)
        _save_forms(_forms_path(directory), before)
        _prune(directory)
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
    forms = _forms_path(path.parent)
    _touch(forms)  # in use: the newest, whatever pruning another version does
    morphology.consult(_SavedForms(forms))
    return engine


def _forms_path(directory: Path) -> Path:
    return directory.absolute() / f"{_FORMS_PREFIX}{_environment()[:40]}{_FORMS_SUFFIX}"


def _touch(path: Path) -> None:
    with suppress(OSError):
        os.utime(path, follow_symlinks=False)


def _own(info: os.stat_result) -> bool:
    """True for a file of this user's that nobody else can write."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class _SavedForms:
    """A lookup of the saved word forms (see `_save_forms`), opened on first use; a file
    that is missing, not this user's own or unreadable finds nothing, and the analyzer
    answers instead. The bot's worker threads share it: SQLite serialises their reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.opened = False
        self.opening = threading.Lock()

    def __call__(self, word: str) -> morphology.Parse | None:
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT parse FROM forms WHERE word = ?", [word]).fetchone()
            return _parse_of(json.loads(row[0])) if row else None
        except sqlite3.OperationalError:  # being written, or not yet: this word only
            return None
        except (sqlite3.DatabaseError, ValueError, TypeError) as error:
            log.info("cannot read the saved word forms %s: %s", self.path, error)
            self.db = None
            return None

    def _connection(self) -> sqlite3.Connection | None:
        with self.opening:
            if not self.opened:
                self.opened = True
                self.db = self._open()
            return self.db

    def _open(self) -> sqlite3.Connection | None:
        try:
            info = os.stat(self.path, follow_symlinks=False)
            if not _own(info) or not stat.S_ISREG(info.st_mode):
                log.warning("not reading %s: it is not this user's own file", self.path)
                return None
            # A word never waits long for a writer: it is then read by the analyzer.
            uri = f"{self.path.as_uri()}?mode=ro"
            return sqlite3.connect(uri, uri=True, timeout=0.05, check_same_thread=False)
        except (OSError, ValueError, sqlite3.Error):  # gone meanwhile, or not a file
            return None


def _parse_of(saved: object) -> morphology.Parse | None:
    """A saved parse back as a `morphology.Parse`; None for anything of another shape."""
    if not (isinstance(saved, list) and len(saved) == 6):
        return None
    known, forms, *tags, person = saved
    if not (isinstance(known, bool) and isinstance(forms, list) and isinstance(person, bool)):
        return None
    if not all(isinstance(f, str) for f in forms):
        return None
    if not all(tag is None or isinstance(tag, str) for tag in tags):
        return None
    pos, case, number = tags
    return known, tuple(forms), pos, case, number, person


def _save(path: Path, engine: SearchEngine) -> None:
    """Write the index whole (a rename), readable by this user only."""
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
    except Exception as error:  # a full disk, or an index pickle refuses
        log.info("cannot save the search index %s: %s", path, error)
        Path(temporary).unlink(missing_ok=True)


def _save_forms(path: Path, before: int) -> None:
    """Add to the word-form file the forms (`morphology.form_parses`, as JSON) of the
    dictionary words an index just read, those parsed after the first `before`: the words
    queries brought are not the index's. A new file takes every dictionary word parsed so
    far (at most `morphology.MAX_PARSES`), since an index's words may have been parsed
    before it was built, by another index of the same process. A file that cannot be
    written is logged: commands then load the analyzer for an inflected word, as before."""
    try:
        _add_forms(path, before)
    except Exception as error:  # a full disk, a locked or damaged file: only slower
        log.info("cannot save the word forms %s: %s", path, error)


# Forms written per transaction: a reader waits for a writer a moment at most.
_FORMS_BATCH = 2000


def _add_forms(path: Path, before: int) -> None:
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
    info = os.stat(path, follow_symlinks=False)
    if not _own(info) or not stat.S_ISREG(info.st_mode):
        log.warning("not writing %s: it is not this user's own file", path)
        return
    with closing(sqlite3.connect(path, timeout=1)) as db:
        with db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS forms"
                " (word TEXT PRIMARY KEY, parse TEXT NOT NULL) WITHOUT ROWID"
            )
            db.execute("CREATE TABLE IF NOT EXISTS lexemes (word TEXT PRIMARY KEY) WITHOUT ROWID")
            done = {word for (word,) in db.execute("SELECT word FROM lexemes")}
        words = morphology.parsed_words()[before if done else 0 :]
        # A word that is a form the file has came from it, most often: its lexeme is in.
        new = [
            word
            for word in morphology.dictionary_words(words)
            if word not in done
            and not db.execute("SELECT 1 FROM forms WHERE word = ?", [word]).fetchone()
        ]
        rows = (
            (word, json.dumps(parse, ensure_ascii=False))
            for word, parse in morphology.form_parses(new)
        )
        while batch := list(itertools.islice(rows, _FORMS_BATCH)):
            with db:
                db.executemany("INSERT OR IGNORE INTO forms VALUES (?, ?)", batch)
        with db:  # last, so that a word is never marked done before its forms are in
            db.executemany("INSERT OR IGNORE INTO lexemes VALUES (?)", ((w,) for w in new))
    _touch(path)


def _prune(directory: Path) -> None:
    """Keep the `KEEP` most recently written indexes and `KEEP_FORMS` word-form files."""
    for pattern, keep in (
        (f"{_PREFIX}*{_SUFFIX}", KEEP),
        (f"{_FORMS_PREFIX}*{_FORMS_SUFFIX}", KEEP_FORMS),
    ):
        try:
            saved = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
            for old in saved[:-keep]:
                old.unlink(missing_ok=True)
        except OSError as error:  # another process pruned first, or no directory
            log.info("cannot prune %s: %s", directory, error)
