"""The schema and reading back: what is stored is exactly the model that was parsed."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from pathlib import Path

import pytest

from store.ingest import ingest
from store.model import Decree, DecreeError, LevelKind, Row
from store.storage import CHILDREN, DECREES, columns, read_decrees
from tests.helpers import TEXT_SOURCE, expected_groups, expected_rows, other_decree, row_as_tsv


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the shipped decree, read from its text."""
    path = tmp_path / "data" / "mamandyq.db"
    ingest(TEXT_SOURCE, path)
    return path


def test_every_model_field_is_a_column() -> None:
    """The schema is the model: adding a field to Row adds a column, nothing else to edit."""
    assert list(columns(CHILDREN["rows"])) == ["decree_id"] + [
        f.name for f in dataclasses.fields(Row)
    ]
    decree_fields = [f.name for f in dataclasses.fields(Decree) if f.name not in CHILDREN]
    assert list(columns(DECREES)) == ["id", *decree_fields]


def test_stored_totals(db: Path) -> None:
    """Printed totals as printed, seats as the rows add up (expected_groups.tsv has both)."""
    conn = sqlite3.connect(db)
    try:
        groups = conn.execute(
            "SELECT appendix, code, name, printed_total, seats FROM groups ORDER BY rowid"
        ).fetchall()
        appendices = conn.execute(
            "SELECT appendix, kind, printed_total, seats FROM appendices ORDER BY appendix"
        ).fetchall()
        decree = conn.execute(
            "SELECT region, issuer, number, date, academic_year, source_name, source_sha256"
            " FROM decrees"
        ).fetchall()
    finally:
        conn.close()
    assert groups == [
        (int(g["appendix"]), g["group_code"], g["group_name"], int(g["printed_total"]),
         int(g["rows_sum"]))
        for g in expected_groups()
        if g["group_code"] != "TOTAL"
    ]  # fmt: skip
    kinds = {1: "workers", 2: "mid_level", 3: "post_secondary"}
    assert appendices == [
        (int(g["appendix"]), kinds[int(g["appendix"])], int(g["printed_total"]), int(g["rows_sum"]))
        for g in expected_groups()
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
            hashlib.sha256(TEXT_SOURCE.read_bytes()).hexdigest(),
        )
    ]


def test_the_shipped_decree_reads_back(shipped_db: Path) -> None:
    [decree] = read_decrees(shipped_db)
    assert (decree.region, decree.number, decree.date) == (
        "Қарағанды облысы",
        "43/19",
        "2025-08-06",
    )
    assert [row_as_tsv(r) for r in decree.rows] == list(expected_rows())
    assert all(r.line is None for r in decree.rows)
    assert [(a.appendix, a.kind, a.printed_total, a.seats) for a in decree.appendices] == [
        (1, LevelKind.WORKERS, 3790, 3790),
        (2, LevelKind.MID_LEVEL, 5238, 5238),
        (3, LevelKind.POST_SECONDARY, 272, 272),
    ]
    group = next(g for g in decree.groups if (g.appendix, g.code) == (2, "07"))
    assert (group.name, group.printed_total, group.seats) == (
        "Инженерлік, өңдеу және құрылыс салалары",
        1505,
        1510,
    )
    assert sorted((d.kind, d.appendix, d.row or 0) for d in decree.defects) == [
        ("code_digits", 2, 75),
        ("code_names", 1, 24),
        ("code_names", 2, 3),
        ("code_names", 2, 4),
        ("code_names", 3, 2),
        ("code_names", 3, 3),
        ("code_names", 3, 7),
        ("group_names", 3, 0),
        ("no_thousands_space", 1, 38),
        ("stray_digit", 1, 30),
        ("total_mismatch", 2, 0),
        ("total_mismatch", 2, 0),
    ]


def test_two_decrees_side_by_side(db: Path, tmp_path: Path) -> None:
    second = ingest(other_decree(tmp_path), db)
    assert (second.region, second.number) == ("Ұлытау облысы", "12/3")
    decrees = read_decrees(db)
    assert sorted((d.region, d.number) for d in decrees) == [
        ("Қарағанды облысы", "43/19"),
        ("Ұлытау облысы", "12/3"),
    ]
    for decree in decrees:
        assert (len(decree.rows), len(decree.appendices), len(decree.groups)) == (132, 3, 25)


def test_what_is_not_a_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(DecreeError, match="not a mamandyq database"):
        read_decrees(junk)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(DecreeError):
        read_decrees(empty)


def test_a_database_of_another_schema_version_is_refused(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DecreeError, match="another version"):
        read_decrees(db)
    with pytest.raises(DecreeError, match="another version"):
        ingest(TEXT_SOURCE, db)
    assert db.read_bytes() == before
