"""Both readers on the shipped decree, and the PDF reader on a table drawn without lines.

Expected rows and groups are the hand transcription in tests/data.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from store.decree import build_decree
from store.grammar import ROW_START
from store.ingest import shipped_source
from store.model import Decree, DecreeError, Row
from store.read_pdf import read_pdf
from store.read_text import read_text
from tests.helpers import row_as_tsv
from tests.store import pdf_factory

PDF = shipped_source()
TEXT = PDF.with_suffix(".txt")


@pytest.fixture(scope="module")
def text_decree() -> Decree:
    return build_decree(read_text(TEXT.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def pdf_decree() -> Decree:
    return build_decree(read_pdf(PDF))


@pytest.fixture(params=["text", "pdf"])
def decree(request: pytest.FixtureRequest) -> Decree:
    return request.getfixturevalue(f"{request.param}_decree")


def assert_rows(rows: list[Row], expected: list[dict[str, str]], pages: bool) -> None:
    assert len(rows) == len(expected) == 132
    for row, want in zip(rows, expected, strict=True):
        got = row_as_tsv(row)
        if not pages:
            got["pdf_page"] = want["pdf_page"]
        assert got == want, f"appendix {want['appendix']} row {want['row']}"


def test_text_rows(text_decree: Decree, expected_rows: list[dict[str, str]]) -> None:
    assert_rows(text_decree.rows, expected_rows, pages=False)


def test_pdf_rows(pdf_decree: Decree, expected_rows: list[dict[str, str]]) -> None:
    assert_rows(pdf_decree.rows, expected_rows, pages=True)
    assert all(row.line is None for row in pdf_decree.rows)


def test_text_rows_know_their_lines(text_decree: Decree) -> None:
    lines = TEXT.read_text(encoding="utf-8").splitlines()
    for row in text_decree.rows:
        assert row.page is None
        assert row.line is not None
        match = ROW_START.match(lines[row.line - 1])
        assert match, (row.row, lines[row.line - 1])
        assert match.group(1, 2) == (str(row.row), row.code_raw)


def test_counts(decree: Decree) -> None:
    assert len(decree.rows) == 132
    assert len({r.name for r in decree.rows}) == 99
    assert [
        sum(r.seats for r in decree.rows if r.appendix == appendix) for appendix in (1, 2, 3)
    ] == [3790, 5238, 272]


def test_metadata(decree: Decree) -> None:
    assert decree.region == "Қарағанды облысы"
    assert decree.issuer == "Қарағанды облысының әкімдігі"
    assert decree.number == "43/19"
    assert decree.date == "2025-08-06"
    assert decree.academic_year == "2025-2026"
    assert decree.title == (
        "Техникалық және кәсіптік, орта білімнен кейінгі білімі бар кадрларды даярлауға "
        "2025-2026 оқу жылына арналған мемлекеттік білім беру тапсырысын бекіту туралы"
    )


def test_levels(decree: Decree) -> None:
    assert [(lv.appendix, lv.kind, lv.printed_total) for lv in decree.appendices] == [
        (1, "workers", 3790),
        (2, "mid_level", 5238),
        (3, "post_secondary", 272),
    ]
    assert decree.appendices[0].title == "жұмысшы мамандықтар бойынша кадрларды даярлау үшін"
    assert decree.appendices[1].title == "орта буын кадрларын даярлау үшін"


def groups(decree: Decree) -> list[tuple[int, str, str, int | None]]:
    return [(g.appendix, g.code, g.name, g.printed_total) for g in decree.groups]


def listed_groups(expected_groups: list[dict[str, str]]) -> list[tuple[int, str, str, int]]:
    return [
        (int(g["appendix"]), g["group_code"], g["group_name"], int(g["printed_total"]))
        for g in expected_groups
        if g["group_code"] != "TOTAL"
    ]


def test_groups(decree: Decree, expected_groups: list[dict[str, str]]) -> None:
    assert groups(decree) == listed_groups(expected_groups)


def test_every_row_belongs_to_a_group_of_its_appendix(decree: Decree) -> None:
    groups = {(g.appendix, g.code) for g in decree.groups}
    assert {(r.appendix, r.group_code) for r in decree.rows} == groups


DEFECTS = {
    ("stray_digit", 1, 30, None, "873 4433", "873 443"),
    ("no_thousands_space", 1, 38, None, "474940", "474 940"),
    ("code_digits", 2, 75, None, "9160100", "09160100"),
    ("total_mismatch", 2, None, "04", "585", "580"),
    ("total_mismatch", 2, None, "07", "1505", "1510"),
    # One code, two names (expected_NOTES.md, item 9): each row names the other.
    ("code_names", 1, 24, None, "Тағам өндірісінің технологиясы", "07210100"),
    ("code_names", 3, 7, None, "Ет және ет өнімдерін өндіру", "07210100"),
    ("code_names", 2, 3, None, "Дене тәрбиесі және спорт", "01140200"),
    ("code_names", 3, 3, None, "Музыкалық білім беру", "01140200"),
    (
        "code_names",
        2,
        4,
        None,
        "Негізгі орта білім берудегі тіл мен әдебиетті оқытудың педагогикасы мен әдістемесі",
        "01140300",
    ),
    ("code_names", 3, 2, None, "Көркем еңбек", "01140300"),
    # Field 09 spelled two ways (item 8).
    (
        "group_names",
        3,
        None,
        "09",
        "Денсаулық сақтау және әлеуметтік қамтамасыздандыру",
        "Денсаулық сақтау және әлеуметтік қамтамасыз ету",
    ),
}


def defects(decree: Decree) -> list[tuple]:
    return [(d.kind, d.appendix, d.row, d.group_code, d.printed, d.stored) for d in decree.defects]


def test_pdf_defects(pdf_decree: Decree) -> None:
    found = defects(pdf_decree)
    assert len(found) == len(DEFECTS)
    assert set(found) == DEFECTS


def test_text_defects(text_decree: Decree) -> None:
    """The text file also cuts appendix 1 row 12 at a page break, rural rate first."""
    split = (
        "costs_split_by_page",
        1,
        12,
        None,
        "45 468 536 421 909",
        "city 421 909, rural 468 536",
    )
    found = defects(text_decree)
    assert len(found) == len(DEFECTS) + 1
    assert set(found) == {*DEFECTS, split}


def test_defects_are_data_not_sentences(pdf_decree: Decree) -> None:
    """Where a defect is, is said by its fields; the reader writes no sentence."""
    stray = next(d for d in pdf_decree.defects if d.kind == "stray_digit")
    assert (stray.appendix, stray.row, stray.group_code) == (1, 30, None)
    assert {f for f in vars(stray)} == {
        "kind",
        "printed",
        "stored",
        "appendix",
        "row",
        "group_code",
    }


# A table drawn without ruling lines -------------------------------------------------------


def factory_input(
    expected_rows: list[dict[str, str]], expected_groups: list[dict[str, str]]
) -> tuple[list[pdf_factory.Row], list[pdf_factory.Group], dict[int, int]]:
    def rates(text: str) -> tuple[int, ...]:
        return tuple(int(v) for v in text.split("|"))

    rows = [
        pdf_factory.Row(
            int(r["appendix"]),
            int(r["row"]),
            r["group_code"],
            r["code_raw"],
            r["name"],
            int(r["seats"]),
            rates(r["city_costs"]),
            rates(r["rural_costs"]),
        )
        for r in expected_rows
    ]
    fields = [
        pdf_factory.Group(
            int(g["appendix"]), g["group_code"], g["group_name"], int(g["printed_total"])
        )
        for g in expected_groups
        if g["group_code"] != "TOTAL"
    ]
    totals = {
        int(g["appendix"]): int(g["printed_total"])
        for g in expected_groups
        if g["group_code"] == "TOTAL"
    }
    return rows, fields, totals


@pytest.fixture(scope="module")
def lineless_pdf(
    tmp_path_factory: pytest.TempPathFactory,
    expected_rows: list[dict[str, str]],
    expected_groups: list[dict[str, str]],
) -> Path:
    if missing := pdf_factory.fonts_missing():
        pytest.skip(f"DejaVu fonts not installed in {pdf_factory.FONT_DIR}: {missing}")
    path = tmp_path_factory.mktemp("lineless") / "decree.pdf"
    return pdf_factory.decree_pdf(path, *factory_input(expected_rows, expected_groups))


def test_lineless_pdf_is_what_it_claims(lineless_pdf: Path) -> None:
    """No ruling (or the table finder would read it, not the text flow), and long names
    going on over several lines."""
    name_x = pdf_factory.COLUMNS[2][0]
    continued = 0
    with pdfplumber.open(lineless_pdf) as pdf:
        assert len(pdf.pages) > 4
        for page in pdf.pages:
            assert not page.lines
            assert not page.rects
            assert not page.find_tables()
            for line in page.extract_text_lines():
                if abs(line["x0"] - name_x) < 1 and line["text"] != "Барлығы":
                    continued += 1
    assert continued > 100


def test_lineless_pdf_reads_like_the_decree(
    lineless_pdf: Path,
    expected_rows: list[dict[str, str]],
    expected_groups: list[dict[str, str]],
) -> None:
    decree = build_decree(read_pdf(lineless_pdf))
    assert_rows(decree.rows, expected_rows, pages=False)
    assert groups(decree) == listed_groups(expected_groups)
    assert decree.region == "Қарағанды облысы"
    assert (decree.number, decree.date, decree.academic_year) == (
        "43/19",
        "2025-08-06",
        "2025-2026",
    )
    assert [(lv.kind, lv.printed_total) for lv in decree.appendices] == [
        ("workers", 3790),
        ("mid_level", 5238),
        ("post_secondary", 272),
    ]
    assert decree.appendices[1].title == "орта буын кадрларын даярлау үшін"
    # The PDF prints the intended values (no stray digit, every thousands space); the
    # codes with two names and the field spelled two ways are the decree's own.
    assert set(defects(decree)) == {
        d for d in DEFECTS if d[0] not in ("stray_digit", "no_thousands_space")
    }


def test_lineless_pdf_without_repeated_headers_loses_no_row(
    tmp_path: Path,
    expected_rows: list[dict[str, str]],
    expected_groups: list[dict[str, str]],
) -> None:
    """Continuation pages that do not repeat the table header are read with the columns
    found on the page before."""
    if missing := pdf_factory.fonts_missing():
        pytest.skip(f"DejaVu fonts not installed in {pdf_factory.FONT_DIR}: {missing}")
    path = pdf_factory.decree_pdf(
        tmp_path / "decree.pdf",
        *factory_input(expected_rows, expected_groups),
        repeat_header=False,
    )
    decree = build_decree(read_pdf(path))
    assert_rows(decree.rows, expected_rows, pages=False)


def test_rows_outside_any_appendix_are_refused() -> None:
    raw = read_text(TEXT.read_text(encoding="utf-8"))
    raw.rows[0].appendix = 0
    with pytest.raises(DecreeError, match="outside any appendix"):
        build_decree(raw)


def shipped_text_with(old: str, new: str) -> str:
    text = TEXT.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_a_row_whose_numbers_cannot_be_read_stops_the_ingest() -> None:
    # Appendix 1 row 1 is "1 02110400 Баспа ісі 25 414 045 460 672"; a dash for a cost.
    text = shipped_text_with("Баспа ісі 25 414 045 460 672", "Баспа ісі 25 414 045 -")
    with pytest.raises(DecreeError, match="appendix 1, row 1: cannot read"):
        build_decree(read_text(text))


def test_page_split_costs_never_pair_unknown_rates_silently() -> None:
    # Row 12 prints "45 468 536", the rest of its name, then "421 909". With the rural rate
    # changed to one printed nowhere else, the pairs cannot decide: the lower is the city rate.
    text = shipped_text_with("45 468 536\n", "45 468 537\n")
    decree = build_decree(read_text(text))
    row = next(r for r in decree.rows if (r.appendix, r.row) == (1, 12))
    assert (row.city_costs, row.rural_costs) == ((421909,), (468537,))
    assert ("costs_split_by_page", 1, 12) in {(d.kind, d.appendix, d.row) for d in decree.defects}


def test_a_missing_group_total_does_not_glue_the_next_heading_to_a_row() -> None:
    text = shipped_text_with("Барлығы 70\n", "")
    decree = build_decree(read_text(text))
    row3 = next(r for r in decree.rows if (r.appendix, r.row) == (1, 3))
    row4 = next(r for r in decree.rows if (r.appendix, r.row) == (1, 4))
    assert row3.name == "Графикалық және мультимедиялық дизайн"
    assert row4.group_code == "03"
