"""Numbers of decree rows, on cells as printed in store/data/decree-43-19.txt."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import amounts
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


# Bounded reading -------------------------------------------------------------------------


# 107 bytes of three-digit groups: every grouping of them is a different sequence of numbers
# (the exhaustive search of before needed more than 3.9 GB for it).
GROUPINGS = "1" + " 111" * 26 + " 1"
# Reads it in a fresh interpreter allowed 256 MB of address space.
BOUNDED_READ = f"""
import resource
resource.setrlimit(resource.RLIMIT_AS, (256 * 2**20, 256 * 2**20))
from store.amounts import rate_columns, read_total, row_numbers
text = {GROUPINGS!r}
assert row_numbers(text) == [] and rate_columns(text, 2) == [] and read_total(text) is None
"""


def test_many_digit_groups_are_read_in_bounded_memory() -> None:
    """Within the issue's limit of 30 s (as a generous time-out, not a measurement)."""
    assert len(GROUPINGS) == 107
    done = subprocess.run(
        [sys.executable, "-c", BOUNDED_READ], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr[-500:]


def test_a_very_long_flow_of_numbers_has_no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_TOKENS the search is not even started."""

    def never(*args: object) -> None:
        raise AssertionError("the search was started")

    monkeypatch.setattr(amounts, "_numbers_at", never)
    flow = "45 465 161 511 788 " * (amounts.MAX_TOKENS // 5 + 1)
    assert row_numbers(flow) == [] and rate_columns(flow, 2) == [] and read_total(flow) is None


@pytest.mark.parametrize("text", ["-50", "−50", "– 50 -7", "1 -050", "/-465 161"])
def test_a_minus_sign_is_not_dropped(text: str) -> None:
    assert read_total(text) is None
    assert rate_columns(text, 1) == []


def test_a_negative_seat_count_has_no_reading() -> None:
    assert row_numbers("-45 465 161 511 788") == []
    assert row_numbers("45 465 161 -511 788") == []
    assert only_reading("45 465 161 511 788").seats.value == 45


@pytest.mark.parametrize("text", ["9" * 13, "1 000 000 000 000 000", str(2**63), str(10**15)])
def test_numbers_too_long_for_a_decree_have_no_reading(text: str) -> None:
    assert read_total(text) is None
    assert row_numbers(f"{text} 465 161 511 788") == []


def exhaustive(tokens: tuple[str, ...]) -> list[tuple[Amount, ...]]:
    """Every way of reading tokens as numbers: the search as it was, exponential, kept
    here as the reference the bounded one must agree with on short texts."""
    if not tokens:
        return [()]
    slash = tokens[0] == "/"
    rest = tokens[1:] if slash else tokens
    if not rest or rest[0] == "/":
        return []
    lead, starts = rest[0], []
    if len(lead) > 3:
        starts = [(1, Amount(int(lead), lead, slash))]
    elif not (len(lead) > 1 and lead.startswith("0")):
        starts = [(1, Amount(int(lead), lead, slash))]
        for size in range(2, len(rest) + 1):
            if any(t == "/" or len(t) != 3 for t in rest[1:size]):
                break
            groups = rest[:size]
            starts.append((size, Amount(int("".join(groups)), " ".join(groups), slash)))
    return [(a, *tail) for size, a in starts for tail in exhaustive(rest[size:])]


def reference_rows(text: str) -> list[RowNumbers]:
    found = []
    for reading in exhaustive(amounts.tokenize(text)):
        if not reading or reading[0].after_slash or reading[0].value > amounts.MAX_SEATS:
            continue
        columns = amounts._columns(reading[1:])
        if len(columns) == 2 and all(amounts._is_rate(a) for a in reading[1:]):
            found.append(RowNumbers(reading[0], columns[0], columns[1]))
    found = list(dict.fromkeys(found))
    found.sort(
        key=lambda r: (
            len(r.city) != len(r.rural),
            r.seats.ungrouped or " " in r.seats.printed,
            sum(a.ungrouped for a in (*r.city, *r.rural)),
        )
    )
    return found


PIECES = ["1", "12", "45", "465", "161", "000", "0", "001", "999", "1231", "474940", "/", " /"]


@given(st.lists(st.sampled_from(PIECES), max_size=9))
def test_the_bounded_reading_agrees_with_the_exhaustive_one(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert row_numbers(text) == reference_rows(text)
    whole = [r[0] for r in exhaustive(amounts.tokenize(text)) if len(r) == 1]
    # Except that a number is never longer than a decree prints one.
    totals = [a.value for a in whole if len(a.printed.replace(" ", "")) <= amounts.MAX_DIGITS]
    assert read_total(text) == (totals[0] if totals else None)
