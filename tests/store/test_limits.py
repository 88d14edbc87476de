"""What ingest accepts: plausible numbers on every path, names a message can carry, no
control characters; each refusal one line naming the row.

PDF-path rows are written as the PDF reader hands them over (one text per cell), so a
cell holds exactly what a ruled table would print in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.bounded import judge, read_checked
from store.limits import MAX_NAME_CHARS, check_text, strip_controls
from store.model import DecreeError
from store.raw import RawDecree, RawRow, RawTotal
from tests.helpers import TEXT_SOURCE

HEADING = (
    "Техникалық және кәсіптік, орта білімнен кейінгі білімі бар кадрларды даярлауға 2025-2026"
    " оқу жылына арналған мемлекеттік білім беру тапсырысын бекіту туралы\n"
    "Қарағанды облысының әкімдігінің 2025 жылғы 6 тамыздағы № 43/19 қаулысы"
)


def pdf_row(number: str, name: str, seats: str, city: str = "414 045", rural: str = "460 672"):
    return RawRow(
        1, number, "02110400", "02", name_lines=[name], seats=seats, city=city, rural=rural
    )


def pdf_decree(*rows: RawRow, group: str = "Өнер және гуманитарлық ғылымдар") -> RawDecree:
    return RawDecree(
        heading=HEADING,
        appendices={1: ["(жұмысшы мамандықтар бойынша кадрларды даярлау үшін)"]},
        groups={(1, "02"): [group]},
        rows=list(rows),
        totals=[RawTotal(1, "02", "50"), RawTotal(1, None, "50")],
    )


def refusal(raw: RawDecree) -> str:
    with pytest.raises(DecreeError) as raised:
        judge(raw)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_plausible_pdf_row_is_read() -> None:
    decree = judge(pdf_decree(pdf_row("1", "Баспа ісі", "25"), pdf_row("2", "Кітапхана ісі", "25")))
    assert [(r.name, r.seats, r.city_costs) for r in decree.rows] == [
        ("Баспа ісі", 25, (414045,)),
        ("Кітапхана ісі", 25, (414045,)),
    ]


@pytest.mark.parametrize(
    ("seats", "says"),
    [
        ("-50", "appendix 1, row 2: cannot read the places and costs '-50 |"),
        ("−50", "appendix 1, row 2: cannot read the places and costs '−50 |"),
        ("100000", "appendix 1, row 2: 100000 places is not plausible (a row orders 0 to 99 999)"),
        ("100000000000", "appendix 1, row 2: 100000000000 places is not plausible"),
        ("1000000000000000", "appendix 1, row 2: cannot read the places and costs"),
        (str(2**63), "appendix 1, row 2: cannot read the places and costs"),
        (str(2**64 + 5), "appendix 1, row 2: cannot read the places and costs"),
    ],
)
def test_implausible_places_in_a_pdf_cell_stop_the_ingest(seats: str, says: str) -> None:
    """Before: 10^15 places were stored, 2^63 gave a traceback, -50 was stored as 50."""
    raw = pdf_decree(pdf_row("1", "Баспа ісі", "25"), pdf_row("2", "Кітапхана ісі", seats))
    assert says in refusal(raw)


@pytest.mark.parametrize("city", ["-414 045", "414 045/-552 703", "4 140 450 000"])
def test_implausible_rates_in_a_pdf_cell_stop_the_ingest(city: str) -> None:
    raw = pdf_decree(pdf_row("1", "Баспа ісі", "25", city=city))
    assert "appendix 1, row 1: cannot read the places and costs" in refusal(raw)


@pytest.mark.parametrize("total", ["-50", "9" * 13])
def test_an_implausible_printed_total_is_not_read_as_one(total: str) -> None:
    raw = pdf_decree(pdf_row("1", "Баспа ісі", "25"))
    raw.totals[0] = RawTotal(1, "02", total)
    assert judge(raw).groups[0].printed_total is None


def test_a_total_of_ten_million_places_is_refused() -> None:
    raw = pdf_decree(pdf_row("1", "Баспа ісі", "25"))
    raw.totals[1] = RawTotal(1, None, "10 000 000")
    assert "appendix 1: a printed total of 10000000 places is not plausible" in refusal(raw)


# Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "—", "\u200b", "\x07\x1b", "12 /", "()"])
def test_a_row_without_a_name_is_refused(name: str) -> None:
    """Before: such rows were merged into one specialty across fields, and their empty
    button text broke /top for everyone."""
    raw = pdf_decree(pdf_row("1", "Баспа ісі", "25"), pdf_row("2", name, "25"))
    assert "appendix 1, row 2: the row has no specialty name" in refusal(raw)


@pytest.mark.parametrize("name", ["ә" * (MAX_NAME_CHARS + 1), "Баспа & " * 600])
def test_an_implausibly_long_name_is_refused(name: str) -> None:
    raw = pdf_decree(pdf_row("1", name, "25"))
    assert "appendix 1, row 1: a name of" in refusal(raw)


def test_a_field_without_a_name_is_refused() -> None:
    raw = pdf_decree(pdf_row("1", "Баспа ісі", "25"), group="\u200b")
    assert "appendix 1, group 02: the field of education has no name" in refusal(raw)


def test_a_name_of_the_longest_allowed_length_is_kept() -> None:
    name = ("Баспа ісі " * 40)[: MAX_NAME_CHARS - 1] + "і"
    assert judge(pdf_decree(pdf_row("1", name, "25"))).rows[0].name == name


# Control characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Баспа\x1b[2J ісі\x07", "Баспа[2J ісі"),
        ("a\x00b\x7fc\x9bd", "abcd"),
        ("tab\there", "tab here"),
        ("right\u202eto left\u2066", "rightto left"),
        ("Қазақ тілі ә ғ қ ң ө ұ ү һ і", "Қазақ тілі ә ғ қ ң ө ұ ү һ і"),
    ],
)
def test_strip_controls(text: str, clean: str) -> None:
    assert strip_controls(text) == clean


def test_control_characters_are_taken_out_of_names_at_ingest() -> None:
    raw = pdf_decree(pdf_row("1", "Баспа\x1b]0;pwned\x07 ісі\x00", "25"))
    raw.groups[(1, "02")] = ["Өнер\x1b[31m және гуманитарлық ғылымдар"]
    decree = judge(raw)
    assert decree.rows[0].name == "Баспа]0;pwned ісі"
    assert decree.groups[0].name == "Өнер[31m және гуманитарлық ғылымдар"


def test_control_characters_in_a_text_source(tmp_path: Path) -> None:
    text = TEXT_SOURCE.read_text(encoding="utf-8").replace("Баспа ісі", "Бас\x1bпа\x07 ісі")
    source = tmp_path / "decree.txt"
    source.write_text(text, encoding="utf-8")
    decree = read_checked(source)
    assert decree.rows[0].name == "Баспа ісі"
    assert not any(ord(c) < 32 for r in decree.rows for c in r.name)


# Text sizes ------------------------------------------------------------------------------------


def test_check_text() -> None:
    check_text("ok.txt", "a\n" * 1000)
    with pytest.raises(DecreeError, match=r"line 2 has 1,001 characters"):
        check_text("long.txt", "a\n" + "b" * 1001)
    with pytest.raises(DecreeError, match=r"2,000,001 characters of text"):
        check_text("huge.txt", "a" * 2_000_001)
