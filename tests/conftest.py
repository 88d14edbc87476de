"""Shared fixtures: a database built once from the shipped decree, and the catalog over it.

Tests that change a database make their own under tmp_path.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from store.catalog import Catalog
from store.db import ingest, shipped_source

TESTS = Path(__file__).resolve().parent
# The export interface, in order, as the store issue specifies it.
EXPORT_FIELDS = [
    "appendix",
    "row",
    "group_code",
    "group_name",
    "code_raw",
    "code",
    "name",
    "seats",
    "city_costs",
    "rural_costs",
]
DATA = TESTS / "data"


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data database built from the shipped PDF (read-only for tests)."""
    path = tmp_path_factory.mktemp("data") / "mamandyq.db"
    ingest(shipped_source(), path)
    return path


@pytest.fixture(scope="session")
def catalog(shipped_db: Path) -> Catalog:
    return Catalog.open(shipped_db)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def expected_rows() -> list[dict[str, str]]:
    """The shipped decree's rows, transcribed by hand (see data/expected_NOTES.md)."""
    return read_tsv(DATA / "expected_rows.tsv")


@pytest.fixture(scope="session")
def expected_groups() -> list[dict[str, str]]:
    """Its groups and appendix totals ("TOTAL"), printed and summed from the rows."""
    return read_tsv(DATA / "expected_groups.tsv")
