"""The catalog: which decree is current when a region and year have two, labels that tell
them apart, and a live catalog that follows its database file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from store.catalog import Catalog, LiveCatalog, current_first, labels
from store.ingest import ingest
from store.storage import read_decrees
from tests.helpers import TEXT_SOURCE, other_decree

KARAGANDA = "Қарағанды облысы"


def same_region_decree(folder: Path, number: str, day: int = 6) -> Path:
    """The shipped decree again, as another act of the same akimat for the same year."""
    path = other_decree(folder, region="Қарағанды облысының", number=number)
    text = path.read_text(encoding="utf-8").replace(
        "2025 жылғы 6 тамыздағы", f"2025 жылғы {day} тамыздағы", 1
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_of_a_year(tmp_path: Path) -> Path:
    """The shipped decree (No 43/19 of 6 August) and No 44/1 of the same day."""
    db = tmp_path / "two.db"
    ingest(TEXT_SOURCE, db)
    ingest(same_region_decree(tmp_path, "44/1"), db)
    return db


def numbers(catalog: Catalog) -> list[str]:
    return [v.decree.number for v in catalog.views]


def test_the_later_number_is_current_whatever_the_order_of_ingest(
    two_of_a_year: Path, tmp_path: Path
) -> None:
    """Before: the default decree flipped on every re-ingest (the last written won)."""
    assert numbers(Catalog.open(two_of_a_year)) == ["44/1", "43/19"]
    ingest(TEXT_SOURCE, two_of_a_year)
    assert numbers(Catalog.open(two_of_a_year)) == ["44/1", "43/19"]
    assert Catalog.open(two_of_a_year).decree().decree.number == "44/1"


def test_the_later_date_is_current_before_the_number(two_of_a_year: Path, tmp_path: Path) -> None:
    ingest(same_region_decree(tmp_path, "2/1", day=20), two_of_a_year)
    assert numbers(Catalog.open(two_of_a_year)) == ["2/1", "44/1", "43/19"]


def test_numbers_compare_as_numbers(tmp_path: Path) -> None:
    db = tmp_path / "many.db"
    for number in ("9/2", "43/19", "43/3"):
        ingest(same_region_decree(tmp_path, number), db)
    assert [d.number for d in current_first(read_decrees(db))] == ["43/19", "43/3", "9/2"]


def test_other_regions_keep_their_order(two_of_a_year: Path, tmp_path: Path) -> None:
    ingest(other_decree(tmp_path, region="Ұлытау облысының", number="12/3"), two_of_a_year)
    catalog = Catalog.open(two_of_a_year)
    assert [(v.decree.region, v.decree.number) for v in catalog.views] == [
        (KARAGANDA, "44/1"),
        (KARAGANDA, "43/19"),
        ("Ұлытау облысы", "12/3"),
    ]


def test_labels_differ_where_region_and_year_do_not(two_of_a_year: Path, tmp_path: Path) -> None:
    """Before: /region showed two identical buttons."""
    ingest(other_decree(tmp_path, region="Ұлытау облысының", number="12/3"), two_of_a_year)
    catalog = Catalog.open(two_of_a_year)
    assert [v.label for v in catalog.views] == [
        f"{KARAGANDA} · 2025-2026 · № 44/1, 06.08.2025",
        f"{KARAGANDA} · 2025-2026 · № 43/19, 06.08.2025",
        "Ұлытау облысы · 2025-2026",
    ]
    assert labels([d.decree for d in catalog.views][2:]) == ["Ұлытау облысы · 2025-2026"]


# LiveCatalog ---------------------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "mamandyq.db"
    ingest(TEXT_SOURCE, path)
    return path


def test_a_live_catalog_serves_a_replaced_file_within_a_second(db: Path, tmp_path: Path) -> None:
    """Before: a running bot served the old data until it was restarted."""
    clock = Clock()
    live = LiveCatalog(db, clock=clock)
    assert len(live.views) == 1
    ingest(other_decree(tmp_path), db)
    clock.now += 0.5
    assert len(live.views) == 1  # looked at most once a second
    clock.now += 0.5
    assert len(live.views) == 2
    assert live.has(live.views[1].id) and live.decree(live.views[1].id) is live.views[1]


def test_a_live_catalog_keeps_serving_when_the_new_file_cannot_be_read(
    db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    live = LiveCatalog(db, clock=clock)
    before = live.decree()
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    os.replace(broken, db)
    clock.now += 1
    with caplog.at_level(logging.WARNING, logger="store.catalog"):
        assert live.decree() is before
    assert "cannot be read, still serving the data before" in caplog.text
    caplog.clear()
    clock.now += 1
    with caplog.at_level(logging.WARNING, logger="store.catalog"):
        assert live.decree() is before
    assert caplog.text == ""  # the same broken file is not read (and logged) again

    fresh = tmp_path / "fresh.db"
    ingest(TEXT_SOURCE, fresh)
    os.replace(fresh, db)
    clock.now += 1
    assert live.decree() is not before
    assert live.decree().decree.rows == before.decree.rows


def test_a_live_catalog_keeps_serving_while_the_file_is_missing(db: Path) -> None:
    clock = Clock()
    live = LiveCatalog(db, clock=clock)
    db.unlink()
    clock.now += 1
    assert len(live.views) == 1


def test_a_live_catalog_is_a_catalog(db: Path) -> None:
    """The bot takes either; a LiveCatalog answers the same as a Catalog of the same file."""
    live = LiveCatalog.open(db)
    fixed = Catalog.open(db)
    assert isinstance(live, Catalog)
    assert [v.decree for v in live.views] == [v.decree for v in fixed.views]
    assert live.decree("nope").id == fixed.decree().id
