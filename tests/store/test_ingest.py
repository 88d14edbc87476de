"""Ingest: read, build, write a copy, check it, swap it in; bad input never changes the
database in use. Ingests use the shipped text source (fast)."""

from __future__ import annotations

import errno
import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from store import ingest as store_ingest
from store.ingest import ensure_db, ingest, shipped_source
from store.model import DecreeError
from store.storage import read_decrees
from tests.helpers import TEXT_SOURCE, dump, other_decree
from tests.store import pdf_factory


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the shipped decree, read from its text."""
    path = tmp_path / "data" / "mamandyq.db"
    ingest(TEXT_SOURCE, path)
    return path


def test_ingest_creates_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "mamandyq.db"
    decree = ingest(TEXT_SOURCE, path)
    assert path.is_file()
    [stored] = read_decrees(path)
    assert stored.id == decree.id and len(stored.rows) == 132
    # The writers' lock stays (one lock file to agree on); no copy is left behind.
    assert sorted(p.name for p in path.parent.iterdir()) == ["mamandyq.db", "mamandyq.db.lock"]


def test_reingest_changes_nothing(db: Path) -> None:
    before = dump(db)
    ingest(TEXT_SOURCE, db)
    assert dump(db) == before


def test_a_second_decree_leaves_the_first_alone(db: Path, tmp_path: Path) -> None:
    first = dump(db)
    second = ingest(other_decree(tmp_path), db)
    after = dump(db)
    for table in ("rows", "appendices", "groups", "defects"):
        kept = [r for r in after[table] if r[0] != second.id]
        assert kept == first[table], table


def test_an_old_database_of_the_shipped_decree_is_rebuilt(db: Path) -> None:
    """What an older mamandyq built from the shipped decree alone is rebuilt, not refused."""
    conn = sqlite3.connect(db)
    conn.execute("UPDATE decrees SET source_name = ?", [shipped_source().name])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    ensure_db(db)
    [decree] = read_decrees(db)
    assert decree.source_name == shipped_source().name and len(decree.rows) == 132


def test_an_old_database_holding_other_decrees_is_kept_and_refused(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = db.read_bytes()
    ensure_db(db)
    assert db.read_bytes() == before
    with pytest.raises(DecreeError, match="another version"):
        read_decrees(db)


def test_the_database_is_readable_by_other_users(tmp_path: Path) -> None:
    """The bot may run as another user than the one who ingested (as in the Docker image)."""
    db = tmp_path / "m.db"
    ingest(TEXT_SOURCE, db)
    assert db.stat().st_mode & 0o777 == 0o644
    db.chmod(0o640)
    ingest(TEXT_SOURCE, db)
    assert db.stat().st_mode & 0o777 == 0o640  # an operator's choice is kept


# Bad input never changes the database --------------------------------------------------


def empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    return path


def truncated_pdf(tmp_path: Path) -> Path:
    data = shipped_source().read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted_pdf(tmp_path: Path) -> Path:
    return pdf_factory.text_pdf(tmp_path / "locked.pdf", ["Hello"], encrypt="secret")


def random_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "noise.bin"
    path.write_bytes(random.Random(0).randbytes(4096))
    return path


def other_pdf(tmp_path: Path) -> Path:
    return pdf_factory.text_pdf(tmp_path / "hello.pdf", ["Hello"])


def other_text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("Shopping list\nmilk\nbread\n1- қосымша\n", encoding="utf-8")
    return path


def directory(tmp_path: Path) -> Path:
    path = tmp_path / "a-directory.pdf"
    path.mkdir()
    return path


def missing(tmp_path: Path) -> Path:
    return tmp_path / "missing.pdf"


# Each bad source, and what the one-line message says about it.
BAD_SOURCES = [
    (empty_file, "the file is empty"),
    (truncated_pdf, "not a readable PDF"),
    (encrypted_pdf, "not a readable PDF (encrypted)"),
    (random_bytes, "neither a PDF nor UTF-8 text"),
    (other_pdf, "not a decree of this kind"),
    (other_text, "not a decree of this kind"),
    (directory, "cannot read"),
    (missing, "cannot read"),
]


def sources(tmp_path: Path) -> Path:
    """A folder for bad sources, away from the database's folder."""
    path = tmp_path / "sources"
    path.mkdir(exist_ok=True)
    return path


def assert_untouched(path: Path, data: bytes, stat: os.stat_result) -> None:
    """Same bytes, same file (not a copy renamed over it), and nothing but the writers'
    lock beside it."""
    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, f"{path.name}.lock"]


@pytest.mark.parametrize(
    ("make", "says"), BAD_SOURCES, ids=[make.__name__ for make, _ in BAD_SOURCES]
)
def test_bad_source_leaves_the_database(
    make: Callable[[Path], Path], says: str, db: Path, tmp_path: Path
) -> None:
    if make in (encrypted_pdf, other_pdf) and pdf_factory.fonts_missing():
        pytest.skip(f"DejaVu fonts not installed in {pdf_factory.FONT_DIR}")
    source = make(sources(tmp_path))
    data, stat = db.read_bytes(), db.stat()
    with pytest.raises(DecreeError) as raised:
        ingest(source, db)
    message = str(raised.value)
    assert says in message
    assert "\n" not in message
    assert_untouched(db, data, stat)


def test_full_disk_while_copying(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, stat = db.read_bytes(), db.stat()

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_ingest.shutil, "copyfile", no_space)
    with pytest.raises(DecreeError, match="No space left on device"):
        ingest(TEXT_SOURCE, db)
    assert_untouched(db, data, stat)


def test_full_disk_while_writing(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, stat = db.read_bytes(), db.stat()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_ingest, "replace_decree", disk_full)
    with pytest.raises(DecreeError, match="database or disk is full"):
        ingest(other_decree(sources(tmp_path)), db)
    assert_untouched(db, data, stat)


def test_failed_swap_leaves_the_database(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, stat = db.read_bytes(), db.stat()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store_ingest.os, "replace", refuse)
    with pytest.raises(DecreeError):
        ingest(TEXT_SOURCE, db)
    assert_untouched(db, data, stat)
