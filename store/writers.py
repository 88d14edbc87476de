"""One writer at a time per data database, and what killed writers left behind.

Two ingests into one database at the same time would each copy the file, add their
decree and rename their copy over it, and the first decree would be lost. So every
ingest holds an exclusive `flock` on `<database>.lock` (beside it, never deleted, so
that there is only ever one lock file to agree on) from the copy to the swap; a second
one waits its turn, or after `WAIT` seconds gives up with one line.

An ingest killed with SIGKILL leaves its copy (`.ingest-<database>.<random>.tmp`, and
SQLite's journal beside it). Whoever holds the lock next knows that no ingest into that
database is running, so every such file is stale and is removed. Files named as older
versions named them (`.ingest-<random>.db`) are removed when they are an hour old.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from store.model import DecreeError

WAIT = 60.0  # seconds; an ingest is bounded to 30 s
# Older versions named their copies ".ingest-<8 random characters>.db" and took no lock.
OLD_COPIES = ".ingest-????????.db*"
OLD_AGE = 3600.0


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def copy_prefix(db_path: Path) -> str:
    """How the copies of `db_path` being written are named (a random part follows)."""
    return f".ingest-{db_path.name}."


@contextlib.contextmanager
def writer_lock(db_path: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold the one writer's lock of `db_path`, waiting up to `wait` seconds for it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise DecreeError(
                    f"{db_path}: another ingest into it has been running for more than"
                    f" {wait:.0f} s; try again when it is done"
                )
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_stale(db_path: Path, now: float | None = None) -> list[Path]:
    """Remove the copies killed ingests left beside `db_path`; call with the lock held.
    Returns what was removed."""
    now = time.time() if now is None else now
    folder = db_path.parent
    stale = list(folder.glob(f"{_escape(copy_prefix(db_path))}*"))
    stale += [p for p in folder.glob(OLD_COPIES) if now - _mtime(p) > OLD_AGE]
    removed = []
    for path in stale:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def _escape(name: str) -> str:
    """A file name as a glob pattern that matches only itself."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")
