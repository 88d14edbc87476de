"""The same decree in many layouts must read to the same rows.

Each layout of tests.store.layouts.MATRIX is rendered into tmp_path, and each Word
document converted by LibreOffice (tests/data/layouts/*.pdf, made by
tests/store/make_word_layouts.py) is read as committed. Every one is read with the
project's ingest entry point and compared with the hand transcription
tests/data/expected_rows.tsv: all columns, names character for character.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.store.layouts import MATRIX, Layout, fonts_missing, render

DATA = Path(__file__).resolve().parents[1] / "data"
WORD_PDFS = sorted((DATA / "layouts").glob("*.pdf"))
# Renderings from the blind benchmarks (benchmarks/reader_blind*/) that the reader once
# failed on and was then fixed for: kept so that the fix stays (they are no longer blind).
SEEN_PDFS = sorted((DATA / "layouts" / "seen").glob("*.pdf"))
FIELDS = (
    "appendix",
    "row",
    "group_code",
    "code_raw",
    "code",
    "name",
    "seats",
    "city_costs",
    "rural_costs",
)


def read_rows(path: Path) -> list[dict]:
    """The adapter to the reader: the rows of the decree in `path`, as dicts with FIELDS
    (costs as tuples of ints). Change this when the ingest interface changes."""
    from store.ingest import read_source

    decree = read_source(path)
    return [
        {
            "appendix": int(r.appendix),
            "row": int(r.row),
            "group_code": str(r.group_code),
            "code_raw": str(r.code_raw),
            "code": str(r.code),
            "name": str(r.name),
            "seats": int(r.seats),
            "city_costs": tuple(int(c) for c in r.city_costs),
            "rural_costs": tuple(int(c) for c in r.rural_costs),
        }
        for r in decree.rows
    ]


def expected_rows() -> list[dict]:
    with (DATA / "expected_rows.tsv").open(encoding="utf-8") as file:
        return [
            {
                "appendix": int(r["appendix"]),
                "row": int(r["row"]),
                "group_code": r["group_code"],
                "code_raw": r["code_raw"],
                "code": r["code"],
                "name": r["name"],
                "seats": int(r["seats"]),
                "city_costs": tuple(int(c) for c in r["city_costs"].split("|")),
                "rural_costs": tuple(int(c) for c in r["rural_costs"].split("|")),
            }
            for r in csv.DictReader(file, delimiter="\t")
        ]


def diff(expected: list[dict], actual: list[dict], limit: int = 5) -> str:
    """What differs, rows matched by (appendix, row); "" when nothing does."""
    want = {(r["appendix"], r["row"]): r for r in expected}
    got: dict[tuple[int, int], dict] = {}
    duplicates = []
    for r in actual:
        key = (r["appendix"], r["row"])
        if key in got:
            duplicates.append(key)
        got[key] = r
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    changed = [
        (key, [(f, want[key][f], got[key][f]) for f in FIELDS if want[key][f] != got[key][f]])
        for key in want
        if key in got and want[key] != got[key]
    ]
    lines = []
    if len(actual) != len(expected):
        lines.append(f"{len(actual)} rows read, {len(expected)} expected")
    if missing:
        lines.append(f"{len(missing)} rows missing (appendix, row): {missing[:10]}")
    if extra:
        lines.append(f"{len(extra)} unexpected rows: {extra[:10]}")
    if duplicates:
        lines.append(f"rows read twice: {duplicates[:10]}")
    if changed:
        lines.append(f"{len(changed)} rows differ; the first {min(limit, len(changed))}:")
        for (appendix, row), fields in changed[:limit]:
            lines.append(f"  appendix {appendix} row {row}:")
            lines.extend(f"    {f}: expected {e!r}, read {a!r}" for f, e, a in fields)
    order = [(r["appendix"], r["row"]) for r in actual]
    if not lines and order != [(r["appendix"], r["row"]) for r in expected]:
        lines.append(f"rows out of order: {order[:10]}...")
    return "\n".join(lines)


# Breaks no rule of the page or the document can decide: a name column 2.5 cm wide,
# right-aligned, "сертификат" filling a line and "тау" (also a word, "mountain") after it.
# Every character is read; only this word break may come out as a space.
OPEN_BREAKS = {("word-ruled-narrow-right", 2, 67)}


def check(path: Path) -> None:
    try:
        actual = read_rows(path)
    except Exception as error:  # the reader rejecting the file is a failure like any other
        pytest.fail(f"{path.name}: {type(error).__name__}: {error}")
    expected = expected_rows()
    for want, got in zip(expected, actual, strict=False):
        if (path.stem, want["appendix"], want["row"]) in OPEN_BREAKS:
            assert got["name"].replace(" ", "") == want["name"].replace(" ", "")
            got["name"] = want["name"]
    message = diff(expected, actual)
    assert not message, f"{path.name}:\n{message}"


@pytest.mark.skipif(bool(fonts_missing()), reason=f"fonts not installed: {fonts_missing()}")
@pytest.mark.parametrize("layout", MATRIX, ids=[layout.name for layout in MATRIX])
def test_rendered_layout(layout: Layout, tmp_path: Path) -> None:
    path = tmp_path / f"{layout.name}.pdf"
    render(layout, path)
    check(path)


@pytest.mark.parametrize("path", WORD_PDFS, ids=[p.stem for p in WORD_PDFS])
def test_word_layout(path: Path) -> None:
    check(path)


@pytest.mark.parametrize("path", SEEN_PDFS, ids=[p.stem for p in SEEN_PDFS])
def test_once_failed_blind_layout(path: Path) -> None:
    """A repeated header cell running on below its rule; an e-document's running footer;
    the row numbering the columns and "1-қосымшаның жалғасы" on continuation pages."""
    check(path)


def test_word_fixtures_committed() -> None:
    assert len(WORD_PDFS) >= 2, "run tests/store/make_word_layouts.py"
