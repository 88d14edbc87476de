"""Shared fixtures: a database built once from the shipped decree, and the catalog over it.

Tests that change a database make their own under tmp_path; shared helpers live in
`tests.helpers`.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest

from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from tests import helpers


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """In CI, a test skipped because a tool or font is not installed fails instead: `.ci/run`
    installs them, and a skip there would quietly drop the layout matrix or the Calc check."""
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and os.environ.get("CI"):
        why = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if "not installed" in why:
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: {why} (CI must run it: see .ci/run)"
    return report


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Generator[Path, None, None]:
    """Search indexes that commands run by the tests save go under the session's tmp, not
    the user's own cache."""
    path = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAMANDYQ_CACHE_DIR", str(path))
        yield path


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data database built from the shipped PDF (read-only for tests)."""
    path = tmp_path_factory.mktemp("data") / "mamandyq.db"
    ingest(shipped_source(), path)
    return path


@pytest.fixture(scope="session")
def catalog(shipped_db: Path) -> Catalog:
    return Catalog.open(shipped_db)


@pytest.fixture(scope="session")
def expected_rows() -> list[dict[str, str]]:
    """The shipped decree's rows, transcribed by hand (see data/expected_NOTES.md)."""
    return list(helpers.expected_rows())


@pytest.fixture(scope="session")
def expected_groups() -> list[dict[str, str]]:
    """Its groups and appendix totals ("TOTAL"), printed and summed from the rows."""
    return list(helpers.expected_groups())
