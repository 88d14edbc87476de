"""Numbers of decree rows, on cells as printed in store/data/decree-43-19.txt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.amounts import Amount, RowNumbers, rate_columns, read_total, repairs, row_numbers


def values(amounts: tuple[Amount, ...]) -> tuple[int, ...]:
    return tuple(a.value for a in amounts)


def only_reading(text: str) -> RowNumbers:
    found = row_numbers(text)
    assert len(found) == 1, found
    return found[0]


def test_plain_row() -> None:
    assert only_reading("45 465 161 511 788") == RowNumbers(
        Amount(45, "45"), (Amount(465161, "465 161"),), (Amount(511788, "511 788"),)
    )


def test_two_rates_a_column() -> None:
    numbers = only_reading("447 465 161/552 703 511 788 /599 330")
    assert numbers.seats.value == 447
    assert values(numbers.city) == (465161, 552703)
    assert values(numbers.rural) == (511788, 599330)
    assert [a.after_slash for a in numbers.city] == [False, True]


def test_three_rates_a_column_with_uneven_slashes() -> None:
    numbers = only_reading("802 465 161 /509 451 / 780 190 511 788/ 556 078 / 873 443")
    assert numbers.seats.value == 802
    assert values(numbers.city) == (465161, 509451, 780190)
    assert values(numbers.rural) == (511788, 556078, 873443)


def test_rate_without_thousands_space() -> None:
    numbers = only_reading("15 414 045 /428 314 460 672/ 474940")
    assert numbers.seats.value == 15
    assert values(numbers.city) == (414045, 428314)
    assert numbers.rural == (Amount(460672, "460 672"), Amount(474940, "474940", True))
    assert [a.ungrouped for a in (*numbers.city, *numbers.rural)] == [False, False, False, True]


def test_rates_in_millions() -> None:
    numbers = only_reading("4 1 231 599 1 441 468")
    assert numbers.seats.value == 4
    assert values(numbers.city) == (1231599,)
    assert values(numbers.rural) == (1441468,)


def test_stray_digit_has_no_reading_and_repairs_offer_the_rate() -> None:
    text = "104 465 161/780 190 511 788/ 873 4433"
    assert row_numbers(text) == []

    offered = dict(repairs(text))
    assert set(offered.values()) == {("873 4433", "873 433"), ("873 4433", "873 443")}
    fixed = next(t for t, (_, repaired) in offered.items() if repaired == "873 443")
    assert fixed == "104 465 161/780 190 511 788/ 873 443"
    numbers = only_reading(fixed)
    assert values(numbers.city) == (465161, 780190)
    assert values(numbers.rural) == (511788, 873443)


def test_repairs_leave_clean_cells_alone() -> None:
    assert list(repairs("45 465 161 511 788")) == []
    assert list(repairs("15 414 045 /428 314 460 672/ 474940")) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("465 161", (465161,)),
        ("465 161/552 703", (465161, 552703)),
        ("465 161 /509 451 / 780 190", (465161, 509451, 780190)),
        ("460 672/ 474940", (460672, 474940)),
        ("1 231 599", (1231599,)),
    ],
)
def test_rate_cell(cell: str, expected: tuple[int, ...]) -> None:
    found = rate_columns(cell, 1)
    assert len(found) == 1
    assert values(found[0][0]) == expected


def test_rate_columns_split_a_flow_into_columns() -> None:
    [columns] = rate_columns("465 161 511 788", 2)
    assert [values(c) for c in columns] == [(465161,), (511788,)]


@pytest.mark.parametrize("cell", ["873 4433", "", "-", "25", "465 161 511 788"])
def test_rate_cell_without_reading(cell: str) -> None:
    assert rate_columns(cell, 1) == []


@pytest.mark.parametrize(
    ("text", "total"),
    [("2 323", 2323), ("3790", 3790), ("1 505", 1505), (" 105 - -", 105), ("-", None), ("", None)],
)
def test_read_total(text: str, total: int | None) -> None:
    assert read_total(text) == total


def spaced(value: int) -> str:
    return f"{value:,}".replace(",", " ")


RATES = st.integers(100_000, 9_999_999)


@given(
    st.integers(1, 999),
    st.lists(st.tuples(RATES, RATES), min_size=1, max_size=3),
    st.sampled_from(["/", " /", "/ ", " / "]),
)
def test_printed_numbers_read_back(seats: int, pairs: list[tuple[int, int]], slash: str) -> None:
    """Seats, then the city rates, then the rural rates, as the decree prints a row."""
    city, rural = zip(*pairs, strict=True)
    text = f"{seats} {slash.join(map(spaced, city))} {slash.join(map(spaced, rural))}"
    best = row_numbers(text)[0]
    assert (best.seats.value, values(best.city), values(best.rural)) == (seats, city, rural)
