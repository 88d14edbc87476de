"""Shared fixtures: a database built once from the shipped decree, and the catalog over it.

Tests that change a database make their own under tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.catalog import Catalog
from store.db import ingest, shipped_source

TESTS = Path(__file__).resolve().parent
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
