"""Ingest is bounded: any file up to 50 MB, or any stream, gives a decree or one line of
error within 30 s and 1 GB, and the database in use stays byte for byte the same.

Hostile inputs are made on the spot (tests/store/hostile.py). The issue's 30 s appear
here only as generous time-outs of the subprocesses (60 s, on a shared 2-core machine),
never as a measurement; `benchmarks/hostile_ingest.py` measures time and memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from store import bounded, limits
from store.bounded import Bounds, read_bounded, read_checked
from store.ingest import ingest, shipped_source
from store.model import DecreeError
from tests.helpers import TEXT_SOURCE
from tests.store import hostile, pdf_factory

REPO = Path(__file__).resolve().parents[2]
# Small bounds for the suite, so that a bomb is stopped in seconds.
SMALL = Bounds(memory=320 * 2**20, cpu=10, wall=40.0)
TIMEOUT = 60  # the limit is 30 s; this only stops a hung test


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "mamandyq.db"
    ingest(TEXT_SOURCE, path)
    return path


def folder(tmp_path: Path) -> Path:
    path = tmp_path / "sources"
    path.mkdir(exist_ok=True)
    return path


def cli_ingest(source: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "ingest", str(source), "--db", str(db)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def assert_refused(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stdout == ""
    assert done.stderr.startswith("mamandyq: ") and done.stderr.count("\n") == 1, done.stderr
    assert says in done.stderr


@pytest.mark.parametrize(
    ("make", "says"), hostile.HOSTILE_FILES, ids=[m.__name__ for m, _ in hostile.HOSTILE_FILES]
)
def test_hostile_files_are_refused_with_one_line(
    make: Callable[[Path], Path], says: str, db: Path, tmp_path: Path
) -> None:
    """FIFOs, devices, symlinks to them, huge files, absurd lines: refused before reading."""
    before = db.read_bytes()
    assert_refused(cli_ingest(make(folder(tmp_path)), db), says)
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("make", "says"),
    [(m, s) for m, s in hostile.HOSTILE_PDFS if m is not hostile.ruled_grid_pdf],
    ids=[m.__name__ for m, _ in hostile.HOSTILE_PDFS if m is not hostile.ruled_grid_pdf],
)
def test_hostile_pdfs_are_stopped_within_bounds(
    make: Callable[[Path], Path],
    says: str,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the suite's small bounds; the database in use is never touched."""
    monkeypatch.setattr(bounded, "BOUNDS", SMALL)
    source = make(folder(tmp_path))
    before = db.read_bytes()
    with pytest.raises(DecreeError) as raised:
        ingest(source, db)
    message = str(raised.value)
    assert says in message and "\n" not in message
    if make is hostile.flate_bomb_pdf:
        assert "needed more than 320 MB of memory" in message
    assert db.read_bytes() == before


def test_a_pdf_bomb_through_the_command_with_the_real_bounds(db: Path, tmp_path: Path) -> None:
    before = db.read_bytes()
    done = cli_ingest(hostile.flate_bomb_pdf(folder(tmp_path)), db)
    assert_refused(done, f"needed more than {bounded.BOUNDS.memory // 2**20} MB of memory")
    assert db.read_bytes() == before
    # With the command itself (45 MB measured; 150 MiB allowed): under 1 GB.
    assert bounded.BOUNDS.memory + 150 * 2**20 <= 10**9


def test_processor_time_is_bounded(tmp_path: Path) -> None:
    source = hostile.many_chars_pdf(folder(tmp_path))
    with pytest.raises(DecreeError, match=r"needed more than 1 s of processor time"):
        read_bounded(source, Bounds(cpu=1, wall=40.0))


def test_wall_time_is_bounded() -> None:
    with pytest.raises(DecreeError, match=r"reading took longer than 0 s"):
        read_bounded(shipped_source(), Bounds(wall=0.2))


def test_the_shipped_pdf_reads_the_same_bounded_and_in_process() -> None:
    assert read_bounded(shipped_source()) == read_checked(shipped_source())


def test_a_file_replaced_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "decree.pdf"
    source.write_bytes(shipped_source().read_bytes())
    real = bounded._read_pdf

    def swapped(path: Path) -> object:
        raw = real(path)
        replacement = tmp_path / "other.pdf"
        replacement.write_bytes(source.read_bytes() + b"\n")
        os.replace(replacement, path)
        return raw

    monkeypatch.setattr(bounded, "_read_pdf", swapped)
    with pytest.raises(DecreeError, match="changed while it was read"):
        read_checked(source)


def test_the_child_imports_this_checkout_whatever_the_working_directory(tmp_path: Path) -> None:
    """A `store` package in the current directory must not stand in for ours."""
    fake = tmp_path / "store"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('the wrong store')\n")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        decree = read_bounded(TEXT_SOURCE)
    finally:
        os.chdir(cwd)
    assert len(decree.rows) == 132


# Numbers on the PDF path ---------------------------------------------------------------------


def small_decree_pdf(path: Path, seats: int) -> Path:
    """A decree of two rows (the shipped decree's first two) drawn without ruling; the
    first row prints `seats` places."""
    if missing := pdf_factory.fonts_missing():
        pytest.skip(f"DejaVu fonts not installed in {pdf_factory.FONT_DIR}: {missing}")
    rows = [
        pdf_factory.Row(1, 1, "02", "02110400", "Баспа ісі", seats, (414045,), (460672,)),
        pdf_factory.Row(1, 2, "02", "02140100", "Кітапхана ісі", 25, (414045,), (460672,)),
    ]
    groups = [pdf_factory.Group(1, "02", "Өнер және гуманитарлық ғылымдар", None)]
    return pdf_factory.decree_pdf(path, rows, groups, {1: 50})


@pytest.mark.parametrize(
    ("seats", "says"),
    [
        (-50, "appendix 1, row 1: cannot read the places and costs '-50 |"),
        (100_000, "appendix 1, row 1: 100000 places is not plausible (a row orders 0 to 99 999)"),
        (10**11, "appendix 1, row 1: 100000000000 places is not plausible"),
        # Sixteen and more digits are wider than the places cell and overprint the city
        # costs, so the page has no column boundary left to find.
        (10**15, "page 2: cannot find the table's columns"),
        (2**63, "page 2: cannot find the table's columns"),
    ],
)
def test_implausible_places_in_a_pdf_stop_the_ingest(seats: int, says: str, tmp_path: Path) -> None:
    with pytest.raises(DecreeError) as raised:
        read_checked(small_decree_pdf(tmp_path / "decree.pdf", seats))
    assert says in str(raised.value)


def test_a_plausible_pdf_reads(tmp_path: Path) -> None:
    decree = read_checked(small_decree_pdf(tmp_path / "decree.pdf", 25))
    assert [r.seats for r in decree.rows] == [25, 25]


def test_places_of_2_to_the_63_give_one_line_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "mamandyq.db"
    done = cli_ingest(small_decree_pdf(tmp_path / "decree.pdf", 2**63), db)
    assert_refused(done, "page 2: cannot find the table's columns")
    assert not db.exists()


def test_limits_fit_the_shipped_decree() -> None:
    """The caps are far above what the shipped decree needs (so real decrees pass)."""
    text = TEXT_SOURCE.read_text(encoding="utf-8")
    assert max(map(len, text.splitlines())) * 5 < limits.MAX_LINE_CHARS
    decree = read_checked(TEXT_SOURCE)
    assert max(len(r.name) for r in decree.rows) * 2 < limits.MAX_NAME_CHARS
    assert len(decree.rows) * 20 < limits.MAX_ROWS
