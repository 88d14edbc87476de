"""The table's geometry from characters: lines, letter spacing, columns, cells, cut words.

Characters are built by hand (the shape pdfplumber gives them), so each rule is tested
apart from any PDF.
"""

from __future__ import annotations

import pytest

from store import read_pdf
from store.model import DecreeError
from store.names import cannot_start_a_word, clean_name, is_cut, whole_words
from store.pdf_layout import (
    Block,
    Columns,
    Line,
    cuts,
    find_columns,
    group_lines,
    line_text,
    name_blocks,
    number_blocks,
)

SIZE = 10.0
ADVANCE = 5.0  # every glyph 5 pt wide


def chars(text: str, x: float = 0.0, top: float = 0.0, gap: float = 0.0) -> list[dict]:
    """Glyphs of `text` from `x` on one baseline, `gap` extra points after each glyph."""
    found = []
    for char in text:
        found.append(
            {
                "text": char,
                "x0": x,
                "x1": x + ADVANCE,
                "top": top,
                "bottom": top + SIZE,
                "size": SIZE,
            }
        )
        x += ADVANCE + gap
    return found


def line(text: str, x: float = 0.0, top: float = 0.0, gap: float = 0.0) -> Line:
    return Line(chars(text, x, top, gap))


def test_letter_spacing_is_judged_within_the_line() -> None:
    assert line_text(chars("және", gap=4)) == "ж ә н е"  # stretched: one word
    assert line_text(chars("тіл", gap=4) + chars("мен", x=60, gap=4)) == "т і л  м е н"
    assert line_text(chars("Баспа ісі")) == "Баспа  ісі"  # a space glyph: two words
    assert line_text(chars("(с", gap=0) + chars("алалар", x=14, gap=4)).startswith("(с а л")


def test_a_slightly_stretched_word_is_letter_spaced_too() -> None:
    """A justified line of one long word gets small gaps between its letters."""
    assert line("орындарын", gap=1.0).spaced
    assert not line("орындарын").spaced


def test_lines_group_by_baseline() -> None:
    found = group_lines(chars("бір", top=0) + chars("екі", x=40, top=1) + chars("үш", top=30))
    assert [x.text for x in found] == ["бір  екі", "үш"]


def test_names_begin_with_a_capital_letter() -> None:
    lines = [line("Сәндік"), line("қолданбалы"), line("Баспа ісі"), line("(бейін бойынша)")]
    assert [b.text() for b in name_blocks(lines)] == [
        "Сәндік qолданбалы".replace("q", "қ"),
        "Баспа  ісі (бейін  бойынша)",
    ]


@pytest.mark.parametrize(
    ("lines", "cells", "text"),
    [
        (["465 161/552", "703"], 1, "465 161/552 703"),  # a number cut by a narrow cell
        (["465 161", "/552 703"], 1, "465 161 /552 703"),  # the second rate under the first
        (["511 788/873", "4433"], 1, "511 788/873 4433"),  # as the decree prints it
        (["460 672/4749", "40"], 1, "460 672/474940"),  # "474940" cut in two
        (["460 672/47494", "0"], 1, "460 672/474940"),  # no number begins with 0
        (["465 161", "421 909"], 2, "465 161"),  # two rows
    ],
)
def test_rate_cells_go_on_while_a_rate_is_unfinished(
    lines: list[str], cells: int, text: str
) -> None:
    blocks = number_blocks([line(t, top=12 * i) for i, t in enumerate(lines)])
    assert len(blocks) == cells
    assert " ".join(blocks[0].number_text().split()) == text


def test_places_never_go_on() -> None:
    assert len(number_blocks([line("25"), line("20", top=12)], rates=False)) == 2


def test_a_full_line_of_one_word_is_left_open_and_a_lone_letter_is_a_cut() -> None:
    width = 60.0  # 12 glyphs
    found = cuts(
        [
            line("Технологиялы"),  # full: the next letter would not fit
            line("қ процесстерді", top=12),  # several words
            line("автоматтанды", top=24),
            line("ру және", top=36),  # left open: "ру" may be a piece (store.names decides)
            line("басқару", top=48),  # one word, room left
            line("салалары", top=60),
        ],
        width,
    )
    assert found == [True, False, None, False, False, False]
    assert cuts([line("мультимедиял"), line("ық дизайн", top=12)], width) == [True, False]
    assert cuts([line("қамтамасызет"), line("жүйелері", top=12)], width) == [None, False]


def test_an_open_break_is_decided_by_the_words_the_document_prints() -> None:
    words = whole_words([["Пайдалы қазбалар кен", "орындарын ашық қазу"], ["Есеп және аудит"]])
    assert "ашық" in words and "кен" in words and "орындарын" not in words
    assert not is_cut("орындарын", "ашық қазу", words)  # "ашық" stands whole elsewhere
    assert is_cut("Электромехан", "икалық", frozenset())  # it ran to the edge: cut
    assert not is_cut("Графикалық", "және", frozenset())  # a short word that stands alone
    assert not is_cut("Маркетинг", "(салалар", frozenset())


def test_what_cannot_begin_a_word() -> None:
    assert cannot_start_a_word("қ дизайн") and cannot_start_a_word("лық өндірісі")
    assert not cannot_start_a_word("кен орындарын")  # "кен" is a word as well as an ending
    assert not cannot_start_a_word("халықтық") and not cannot_start_a_word("(түрлері")


def test_names_are_joined_as_the_page_says() -> None:
    assert clean_name(["Технологиялы", "қ процесстерді"], [True, False]) == (
        "Технологиялық процесстерді"
    )
    assert clean_name(["Темір-бетон", "және металл"], [False, False]) == "Темір-бетон және металл"


def body_line(*cells: tuple[str, float], top: float) -> Line:
    return Line([c for text, x in cells for c in chars(text, x, top)])


COLUMNS_X = (0.0, 20.0, 70.0, 200.0, 240.0, 300.0)


def test_columns_come_from_the_white_gaps_and_what_they_hold() -> None:
    body = [
        body_line(("1", 0), ("02110400", 20), ("Баспа ісі", 70), ("25", 200),
                  ("414 045", 240), ("460 672", 300), top=0),
        body_line(("2", 0), ("02140100", 20), ("Сәндік", 70), ("20", 200),
                  ("465 161", 240), ("511 788", 300), top=12),
        body_line(("қолданбалы", 70), top=24),
    ]  # fmt: skip
    columns = find_columns(body, [], 400.0)
    assert columns is not None
    for i, x in enumerate(COLUMNS_X):
        assert columns.index({"x0": x, "x1": x + ADVANCE}) == i


def test_lines_that_belong_to_no_row_stop_the_reading() -> None:
    columns = Columns((0.0, 18.0, 65.0, 195.0, 235.0, 295.0, 400.0))
    body = [
        body_line(("1", 0), ("02110400", 20), ("Баспа ісі", 70), ("25", 200),
                  ("414 045", 240), ("460 672", 300), top=0),
        body_line(("Сәндік", 70), top=12),  # a second name, no code for it
    ]  # fmt: skip
    carry = read_pdf._Carry()
    read_pdf._Body(body, columns, 7, carry).rows()  # may be a row the next page goes on
    with pytest.raises(DecreeError, match=r"page 7: table text that belongs to no row"):
        carry.finish()
    body.insert(0, body_line(("Маркетинг", 70), top=-12))
    with pytest.raises(DecreeError, match=r"page 7, row 1: cannot give every line"):
        read_pdf._Body(body, columns, 7, read_pdf._Carry()).rows()


def test_a_row_split_by_a_page_break_is_one_row() -> None:
    """A word processor may break a tall row over two pages: its code on one, part of
    its name on the other."""
    columns = Columns((0.0, 18.0, 65.0, 195.0, 235.0, 295.0, 400.0))
    carry = read_pdf._Carry()
    first = [
        body_line(("1", 0), ("02110400", 20), ("Баспа ісі", 70), ("25", 200),
                  ("414 045", 240), ("460 672", 300), top=0),
        body_line(("Технологиялық", 70), top=12),  # row 2 begins here
    ]  # fmt: skip
    second = [
        body_line(("2", 0), ("07140100", 20), ("басқару", 70), ("45", 200),
                  ("421 909", 240), ("468 536", 300), top=0),
    ]  # fmt: skip
    rows = read_pdf._Body(first, columns, 1, carry).rows()
    rows += read_pdf._Body(second, columns, 2, carry).rows()
    assert [r.code_raw for r in rows] == ["02110400", "07140100"]
    assert rows[1].name_lines == ["Технологиялық", "басқару"]
    carry.finish()  # nothing left over
    assert Block([]).lines == []


def test_a_total_whose_number_stands_off_its_label_is_one_total() -> None:
    """A bold "Барлығы" label and its places set a little apart on the page."""
    columns = Columns((0.0, 18.0, 65.0, 195.0, 235.0, 295.0, 400.0))
    body = [
        body_line(("1", 0), ("02110400", 20), ("Баспа ісі", 70), ("25", 200),
                  ("414 045", 240), ("460 672", 300), top=0),
        body_line(("Барлығы", 70), top=12),
        body_line(("25", 200), top=16),  # 4 pt lower than its label
    ]  # fmt: skip
    items = read_pdf._Body(body, columns, 2, read_pdf._Carry()).rows()
    assert [type(i).__name__ for i in items] == ["RawRow", "Total"]
    assert items[1].printed == "25"


def test_header_words_that_ran_on_below_the_header_rule_are_not_numbers() -> None:
    """A repeated header row of fixed height exported by LibreOffice: its cell "мемлекеттік
    білім беру тапсырысы" runs on below the rule, beside the first row's name."""
    places = [line("тапсырысы", top=89), line("20", top=107), line("105", top=154)]
    kept = read_pdf._without_header_overflow(read_pdf._SEATS, places)
    assert [n.text for n in kept] == ["20", "105"]
    # A rate going on from the page before begins with "/" or a digit: it stays.
    rates = [line("/552 703", top=60), line("465 161", top=107)]
    assert read_pdf._without_header_overflow(read_pdf._CITY, rates) == rates
    names = [line("мен механизмдерін", top=60)]
    assert read_pdf._without_header_overflow(read_pdf._NAME, names) == names


def test_the_row_numbering_the_columns_is_not_a_table_row() -> None:
    assert read_pdf._numbers_the_columns("1 2 3 4 5 6")
    assert read_pdf._numbers_the_columns("1  2  3  4  5  6  7")
    assert not read_pdf._numbers_the_columns("1 2 3")  # too few to be a table's columns
    assert not read_pdf._numbers_the_columns("13 07140500 130 421 909")


def _page(number: int, *texts_at: tuple[str, float]) -> read_pdf._Page:
    return read_pdf._Page(number, 595.0, 842.0, [line(t, top=y) for t, y in texts_at], [])


def test_a_footer_two_pages_print_alike_is_not_part_of_the_table() -> None:
    note = "Осы құжат «Электрондық құжат және электрондық цифрлық қолтаңба туралы» Заңына сәйкес"
    first = _page(1, ("12 07150700 Жүк көтергіш", 700), (note, 780), ("бет 1", 800))
    second = _page(2, ("13 07160400 Темір жол", 100), (note, 780), ("бет 2", 800))
    kept = read_pdf._without_footer(first, (None, second))
    assert [n.text for n in kept.lines] == ["12  07150700  Жүк  көтергіш", "бет  1"]
    # A short line at the foot of two pages, such as a name's "бойынша)", stays.
    a = _page(1, ("бойынша)", 790))
    b = _page(2, ("бойынша)", 790))
    assert [n.text for n in read_pdf._without_footer(a, (None, b)).lines] == ["бойынша)"]
