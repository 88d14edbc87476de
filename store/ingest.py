"""From a file to the database in use: read, build, write a copy, check it, swap it in.

A data database holds any number of decrees side by side. It is only ever replaced
whole: `ingest` copies it, writes the decree into the copy, reads the copy back and
compares it with what was parsed, and only then renames it over the original, so a
failure at any step leaves the database in use byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import sqlite_utils

from store.bounded import read_bounded
from store.model import Decree, DecreeError
from store.storage import (
    SCHEMA_VERSION,
    create_schema,
    load,
    replace_decree,
    require_schema,
    schema_version,
)
from store.writers import copy_prefix, remove_stale, writer_lock

SHIPPED_SOURCE = "decree-43-19.pdf"


def shipped_source() -> Path:
    """The decree shipped inside the package."""
    return Path(str(resources.files("store") / "data" / SHIPPED_SOURCE))


def read_source(path: Path) -> Decree:
    """Read and validate a decree file (a PDF, or text extracted from one), noting the
    file's name and SHA-256 so the store can say exactly which file it came from.

    The reading runs in a bounded child process (`store.bounded`): any file up to 50 MB,
    or anything that is not a regular file, gives a decree or one line of error within
    30 s and 1 GB of memory.
    """
    return read_bounded(path)


def _check(path: Path, decree: Decree) -> None:
    """Read the written copy back: it must hold exactly the parsed decree."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DecreeError("the new database failed SQLite's integrity check")
        stored = {d.id: d for d in load(conn)}
    finally:
        conn.close()
    if stored.get(decree.id) != decree:
        raise DecreeError("the new database does not read back as the decree that was parsed")
    names: dict[str, str] = {}
    for row in (r for d in stored.values() for r in d.rows):
        if names.setdefault(row.specialty_id, row.name) != row.name:
            raise DecreeError(f"specialty id collision: {row.specialty_id}")


def ingest(source: Path, db_path: Path) -> Decree:
    """Parse `source`, store it in a copy of `db_path`, check the copy, then swap it in.

    Raises DecreeError (one line, for the user) when anything is wrong; `db_path` is then
    untouched. Ingesting the same decree again replaces it and changes nothing else.
    Ingests into one database take turns (`store.writers`): the slow reading runs
    first, then the copy, check and swap hold the database's writer lock, which also
    clears what killed ingests left behind.
    """
    decree = replace(
        read_source(source), ingested_at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    try:
        with writer_lock(db_path):
            remove_stale(db_path)
            _swap_in(decree, db_path)
    except (OSError, sqlite3.Error) as error:
        raise DecreeError(f"{db_path}: could not write the database ({error})") from error
    return decree


def _swap_in(decree: Decree, db_path: Path) -> None:
    """Write `decree` into a copy of `db_path`, check the copy, rename it over the file."""
    fd, tmp_name = tempfile.mkstemp(prefix=copy_prefix(db_path), suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if db_path.exists():
            require_schema(db_path)
            shutil.copyfile(db_path, tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            create_schema(sqlite_utils.Database(conn))
            replace_decree(conn, decree)
        finally:
            conn.close()
        _check(tmp, decree)
        # mkstemp makes the file private; the database keeps the mode it had (or the usual
        # one), so a bot running as another user can still read it.
        mode = stat.S_IMODE(db_path.stat().st_mode) if db_path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, db_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def ensure_db(path: Path) -> Path:
    """The database at `path`, built from the shipped decree the first time it is needed,
    and rebuilt when an older version of mamandyq built it from the shipped decree alone
    (nothing else is lost then; any other old database is refused with one line)."""
    if path.exists() and _only_shipped_in_old_schema(path):
        path.unlink()
    if not path.exists():
        ingest(shipped_source(), path)
    return path


def _only_shipped_in_old_schema(path: Path) -> bool:
    try:
        version = schema_version(path)
        if version in (0, SCHEMA_VERSION):
            return False
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT source_name FROM decrees")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return names == {SHIPPED_SOURCE}
