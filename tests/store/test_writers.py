"""Ingests into one database take turns, with real concurrent processes, and what a
killed ingest left behind is cleared by the next one without touching a running one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.ingest import ingest
from store.model import DecreeError
from store.storage import read_decrees
from store.writers import copy_prefix, lock_path, remove_stale, writer_lock
from tests.helpers import TEXT_SOURCE, other_decree

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds; only stops a hung test


def start_ingest(source: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ingest", str(source), "--db", str(db)],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, out, err


def test_concurrent_ingests_keep_every_decree(tmp_path: Path) -> None:
    """Before: two ingests at once both said "Ingested" and one decree was lost (4 of 5
    runs). Five processes start together here, each with another decree."""
    db = tmp_path / "data" / "mamandyq.db"
    ingest(TEXT_SOURCE, db)
    sources = [other_decree(tmp_path, number=f"{n}/1") for n in range(1, 6)]
    processes = [start_ingest(source, db) for source in sources]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0] * 5, [err for _, _, err in results]
    numbers = sorted(d.number for d in read_decrees(db))
    assert numbers == ["1/1", "2/1", "3/1", "4/1", "43/19", "5/1"]
    assert not list(db.parent.glob(".ingest-*"))


def test_a_second_ingest_waits_for_the_first(tmp_path: Path) -> None:
    db = tmp_path / "mamandyq.db"
    ingest(TEXT_SOURCE, db)
    with writer_lock(db):
        waiting = start_ingest(other_decree(tmp_path), db)
        wait_until_holding(waiting, lock_path(db))
        assert waiting.poll() is None
        assert len(read_decrees(db)) == 1
    code, _out, err = finish(waiting)
    assert (code, err) == (0, "")
    assert len(read_decrees(db)) == 2


def test_waiting_too_long_fails_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "mamandyq.db"
    with (
        writer_lock(db),
        pytest.raises(DecreeError, match="another ingest into it"),
        writer_lock(db, wait=0.2),
    ):
        pass


def wait_until_holding(process: subprocess.Popen[str], path: Path) -> None:
    """Wait until `process` has `path` open (it is then at the lock, waiting its turn)."""
    deadline = time.monotonic() + TIMEOUT
    fds = Path(f"/proc/{process.pid}/fd")
    while time.monotonic() < deadline:
        try:
            if any(os.readlink(fd) == str(path) for fd in fds.iterdir()):
                return
        except FileNotFoundError:
            pass
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError(f"{process.pid} never opened {path}")


# What killed ingests leave behind --------------------------------------------------------


def leftovers(db: Path) -> list[Path]:
    """What `kill -9` during an ingest leaves: the copy and SQLite's journal."""
    copy = db.with_name(f"{copy_prefix(db)}k9x2ab.tmp")
    made = [copy, copy.with_name(copy.name + "-journal")]
    for path in made:
        path.write_bytes(b"x" * 4096)
    return made


def test_the_next_ingest_removes_what_killed_ingests_left(tmp_path: Path) -> None:
    """Before: 17 files after 30 kills, up to 446 KB each, never cleaned up."""
    db = tmp_path / "mamandyq.db"
    ingest(TEXT_SOURCE, db)
    left = leftovers(db)
    old = tmp_path / ".ingest-abcd1234.db"  # named as older versions named them
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    recent_old = tmp_path / ".ingest-wxyz9876.db"
    recent_old.write_bytes(b"x")
    other_db = tmp_path / f"{copy_prefix(tmp_path / 'other.db')}k9x2ab.tmp"
    other_db.write_bytes(b"x")

    ingest(other_decree(tmp_path), db)

    assert not any(p.exists() for p in (*left, old))
    # An old-style copy under an hour old might still be written; another database's
    # copies are that database's business.
    assert recent_old.exists() and other_db.exists()
    assert len(read_decrees(db)) == 2


def test_a_running_ingest_is_not_touched(tmp_path: Path) -> None:
    """While one ingest holds the lock with its copy, a second one waits and touches
    nothing; once the first is gone, what it left is stale and is removed."""
    db = tmp_path / "mamandyq.db"
    ingest(TEXT_SOURCE, db)
    with writer_lock(db):
        copy = leftovers(db)[0]  # the running ingest's copy, being written
        waiting = start_ingest(other_decree(tmp_path), db)
        wait_until_holding(waiting, lock_path(db))
        assert copy.read_bytes() == b"x" * 4096
    assert finish(waiting)[0] == 0
    assert not copy.exists()


def test_remove_stale_removes_only_copies_of_that_database(tmp_path: Path) -> None:
    db = tmp_path / "m[1].db"  # glob characters in the name match only themselves
    mine = tmp_path / f"{copy_prefix(db)}abc.tmp"
    theirs = tmp_path / ".ingest-m1.db.abc.tmp"
    for path in (mine, theirs, db):
        path.write_bytes(b"x")
    assert remove_stale(db) == [mine]
    assert theirs.exists() and db.exists()
