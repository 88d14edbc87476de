"""The SQLite store: ingest, re-ingest, several decrees, reading back, and bad input.

Ingests use the shipped text source (fast); the shipped PDF is read once, by `shipped_db`.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from store import db as store_db
from store.db import Store, default_db_path, export_rows, ingest, shipped_source, specialty_id
from store.decree import DecreeError
from tests.conftest import EXPORT_FIELDS
from tests.store import pdf_factory

TEXT = shipped_source().with_suffix(".txt")


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (in a stable order) and the schema; decrees without ingested_at."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out: dict[str, list[tuple]] = {
            "schema": sorted(conn.execute("SELECT type, name, sql FROM sqlite_master")),
            "user_version": conn.execute("PRAGMA user_version").fetchall(),
        }
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM [{table}]")
            columns = [c[0] for c in cursor.description]
            rows = [
                tuple(v for c, v in zip(columns, row, strict=True) if c != "ingested_at")
                for row in cursor
            ]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def other_decree(tmp_path: Path) -> Path:
    """The shipped text with another region and number in its heading (before appendix 1)."""
    text = TEXT.read_text(encoding="utf-8")
    heading, appendices = text.split("1- қосымша", 1)
    heading = heading.replace("Қарағанды облысының", "Ұлытау облысының").replace("43/19", "12/3")
    path = tmp_path / "decree-12-3.txt"
    path.write_text(heading + "1- қосымша" + appendices, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the shipped decree, read from its text."""
    path = tmp_path / "data" / "mamandyq.db"
    ingest(TEXT, path)
    return path


def test_ingest_creates_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "mamandyq.db"
    decree = ingest(TEXT, path)
    assert path.is_file()
    store = Store(path)
    assert [d.id for d in store.decrees] == [decree.id]
    assert len(store.rows) == 132
    assert sorted(p.name for p in path.parent.iterdir()) == ["mamandyq.db"]


def test_stored_totals(db: Path, expected_groups: list[dict[str, str]]) -> None:
    """Printed totals as printed, seats as the rows add up (expected_groups.tsv has both)."""
    conn = sqlite3.connect(db)
    try:
        groups = conn.execute(
            "SELECT appendix, code, name, printed_total, seats FROM groups ORDER BY rowid"
        ).fetchall()
        levels = conn.execute(
            "SELECT appendix, kind, printed_total, seats FROM levels ORDER BY appendix"
        ).fetchall()
        decree = conn.execute(
            "SELECT region, issuer, number, date, academic_year, source_name, source_sha256"
            " FROM decrees"
        ).fetchall()
    finally:
        conn.close()
    assert groups == [
        (
            int(g["appendix"]),
            g["group_code"],
            g["group_name"],
            int(g["printed_total"]),
            int(g["rows_sum"]),
        )
        for g in expected_groups
        if g["group_code"] != "TOTAL"
    ]
    kinds = {1: "workers", 2: "mid_level", 3: "post_secondary"}
    assert levels == [
        (int(g["appendix"]), kinds[int(g["appendix"])], int(g["printed_total"]), int(g["rows_sum"]))
        for g in expected_groups
        if g["group_code"] == "TOTAL"
    ]
    assert decree == [
        (
            "Қарағанды облысы",
            "Қарағанды облысының әкімдігі",
            "43/19",
            "2025-08-06",
            "2025-2026",
            "decree-43-19.txt",
            hashlib.sha256(TEXT.read_bytes()).hexdigest(),
        )
    ]


def test_reingest_changes_nothing(db: Path) -> None:
    before = dump(db)
    ingest(TEXT, db)
    assert dump(db) == before


def test_two_decrees_side_by_side(db: Path, tmp_path: Path) -> None:
    first = dump(db)
    second = ingest(other_decree(tmp_path), db)
    assert (second.region, second.number) == ("Ұлытау облысы", "12/3")

    store = Store(db)
    assert sorted((d.region, d.number) for d in store.decrees) == [
        ("Қарағанды облысы", "43/19"),
        ("Ұлытау облысы", "12/3"),
    ]
    for decree in store.decrees:
        assert len(store.rows_of(decree.id)) == 132
        assert len(store.levels_of(decree.id)) == 3
        assert len(store.groups_of(decree.id)) == 25
    after = dump(db)
    for table in ("rows", "levels", "groups", "defects"):
        kept = [r for r in after[table] if r[0] != second.id]
        assert kept == first[table], table


def test_store_reads_the_shipped_decree(
    shipped_db: Path, expected_rows: list[dict[str, str]]
) -> None:
    store = Store(shipped_db)
    [decree] = store.decrees
    assert (decree.region, decree.number, decree.date) == (
        "Қарағанды облысы",
        "43/19",
        "2025-08-06",
    )
    assert store.decree() == decree
    assert store.decree(decree.id) == decree
    with pytest.raises(KeyError):
        store.decree("nope")

    rows = store.rows_of(decree.id)
    assert len(rows) == len(expected_rows)
    kinds = {1: "workers", 2: "mid_level", 3: "post_secondary"}
    for row, want in zip(rows, expected_rows, strict=True):
        assert (
            str(row.appendix),
            str(row.row),
            row.group_code,
            row.code_raw,
            row.code,
            row.name,
            str(row.seats),
            "|".join(map(str, row.city_costs)),
            "|".join(map(str, row.rural_costs)),
            str(row.page),
        ) == tuple(want.values())
        assert row.level_kind == kinds[row.appendix]
        assert row.specialty_id == specialty_id(row.name)
        assert row.line is None

    assert [(lv.appendix, lv.printed_total, lv.seats) for lv in store.levels_of(decree.id)] == [
        (1, 3790, 3790),
        (2, 5238, 5238),
        (3, 272, 272),
    ]
    group = next(g for g in store.groups_of(decree.id) if (g.appendix, g.code) == (2, "07"))
    assert (group.name, group.printed_total, group.seats) == (
        "Инженерлік, өңдеу және құрылыс салалары",
        1505,
        1510,
    )
    assert sorted((d.kind, d.appendix, d.row) for d in store.defects_of(decree.id)) == [
        ("code_digits", 2, 75),
        ("no_thousands_space", 1, 38),
        ("stray_digit", 1, 30),
        ("total_mismatch", 2, None),
        ("total_mismatch", 2, None),
    ]


def test_export_rows(shipped_db: Path, expected_rows: list[dict[str, str]]) -> None:
    store = Store(shipped_db)
    rows = list(export_rows(store, store.decree().id))
    assert len(rows) == 132
    assert all(list(r) == EXPORT_FIELDS for r in rows)
    welding = next(r for r in rows if (r["appendix"], r["row"]) == (1, 16))
    assert welding == {
        "appendix": 1,
        "row": 16,
        "group_code": "07",
        "group_name": "Инженерлік, өңдеу және құрылыс салалары",
        "code_raw": "07150500",
        "code": "07150500",
        "name": "Дәнекерлеу ісі (түрлері бойынша)",
        "seats": 447,
        "city_costs": [465161, 552703],
        "rural_costs": [511788, 599330],
    }
    json.dumps(rows)  # plain data: lists, not tuples of custom types


def test_store_refuses_what_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(DecreeError, match="not a mamandyq database"):
        Store(junk)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(DecreeError):
        Store(empty)


def test_default_db_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MAMANDYQ_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("MAMANDYQ_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "mamandyq" / "mamandyq.db"


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
    """Same bytes, same file (not a copy renamed over it), and nothing left beside it."""
    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


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

    monkeypatch.setattr(store_db.shutil, "copyfile", no_space)
    with pytest.raises(DecreeError, match="No space left on device"):
        ingest(TEXT, db)
    assert_untouched(db, data, stat)


def test_full_disk_while_writing(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, stat = db.read_bytes(), db.stat()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_db, "_replace_decree", disk_full)
    with pytest.raises(DecreeError, match="database or disk is full"):
        ingest(other_decree(sources(tmp_path)), db)
    assert_untouched(db, data, stat)


def test_failed_swap_leaves_the_database(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, stat = db.read_bytes(), db.stat()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store_db.os, "replace", refuse)
    with pytest.raises(DecreeError):
        ingest(TEXT, db)
    assert_untouched(db, data, stat)


def test_the_database_is_readable_by_other_users(tmp_path: Path) -> None:
    """The bot may run as another user than the one who ingested (as in the Docker image)."""
    db = tmp_path / "m.db"
    ingest(TEXT, db)
    assert db.stat().st_mode & 0o777 == 0o644
    db.chmod(0o640)
    ingest(TEXT, db)
    assert db.stat().st_mode & 0o777 == 0o640  # an operator's choice is kept


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    ingest(TEXT, db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DecreeError, match="another version"):
        Store(db)
    with pytest.raises(DecreeError, match="another version"):
        ingest(TEXT, db)
    assert db.read_bytes() == before
