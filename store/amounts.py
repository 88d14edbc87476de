"""Read the numbers of a decree row: places, and the city and rural cost rates.

The decree groups thousands with spaces ("1 231 599") and also separates columns with
spaces, so "45 465 161 511 788" is read by trying every way of grouping the digit runs
and keeping the readings that make sense: a seat count, then one column of city rates
and one of rural rates, where several rates in one column are joined by "/"
("465 161/552 703"). Everything here is pure; the caller decides what to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

MIN_RATE = 10_000
MAX_RATE = 99_999_999
MAX_SEATS = 99_999

_TOKEN = re.compile(r"\d+|/")


@dataclass(frozen=True)
class Amount:
    """One number as printed: its value, its text, and whether "/" joins it to the one before."""

    value: int
    printed: str
    after_slash: bool = False

    @property
    def ungrouped(self) -> bool:
        """A number of five or more digits printed without a thousands space."""
        return " " not in self.printed and len(self.printed) >= 5


@dataclass(frozen=True)
class RowNumbers:
    """The numbers of one row, split into its columns."""

    seats: Amount
    city: tuple[Amount, ...]
    rural: tuple[Amount, ...]


def tokenize(text: str) -> tuple[str, ...]:
    """Digit runs and "/" markers, in order; everything else (spaces, dashes) separates."""
    return tuple(_TOKEN.findall(text))


@cache
def _readings(tokens: tuple[str, ...]) -> tuple[tuple[Amount, ...], ...]:
    """Every way of reading the tokens as a sequence of numbers."""
    if not tokens:
        return ((),)
    slash = tokens[0] == "/"
    rest = tokens[1:] if slash else tokens
    if not rest or rest[0] == "/":
        return ()
    results: list[tuple[Amount, ...]] = []
    for size, amount in _numbers_at(rest, slash):
        for tail in _readings(rest[size:]):
            results.append((amount, *tail))
    return tuple(results)


def _numbers_at(tokens: tuple[str, ...], after_slash: bool) -> Iterator[tuple[int, Amount]]:
    """Each number that can start at tokens[0], with how many tokens it takes."""
    lead = tokens[0]
    if len(lead) > 3:
        yield 1, Amount(int(lead), lead, after_slash)
        return
    if len(lead) > 1 and lead.startswith("0"):
        return
    groups = [lead]
    yield 1, Amount(int(lead), lead, after_slash)
    for token in tokens[1:]:
        if token == "/" or len(token) != 3:
            return
        groups.append(token)
        printed = " ".join(groups)
        yield len(groups), Amount(int("".join(groups)), printed, after_slash)


def _columns(amounts: tuple[Amount, ...]) -> list[tuple[Amount, ...]]:
    """Split numbers into columns: a "/" keeps a number in the column of the one before."""
    columns: list[list[Amount]] = []
    for amount in amounts:
        if amount.after_slash and columns:
            columns[-1].append(amount)
        else:
            columns.append([amount])
    return [tuple(c) for c in columns]


def _is_rate(amount: Amount) -> bool:
    return MIN_RATE <= amount.value <= MAX_RATE


def rate_columns(text: str, count: int) -> list[tuple[tuple[Amount, ...], ...]]:
    """Every sensible reading of `text` as `count` columns of cost rates, best first.

    Best means: columns with the same number of rates, then fewest ungrouped numbers.
    """
    found = []
    for reading in _readings(tokenize(text)):
        columns = _columns(reading)
        if len(columns) == count and all(_is_rate(a) for a in reading):
            found.append(tuple(columns))
    found = list(dict.fromkeys(found))
    found.sort(
        key=lambda cols: (len({len(c) for c in cols}), sum(a.ungrouped for c in cols for a in c))
    )
    return found


def row_numbers(text: str) -> list[RowNumbers]:
    """Every sensible reading of a row's flattened numbers ("45 465 161 511 788"), best first."""
    found = []
    for reading in _readings(tokenize(text)):
        if not reading or reading[0].after_slash or reading[0].value > MAX_SEATS:
            continue
        columns = _columns(reading[1:])
        if len(columns) == 2 and all(_is_rate(a) for a in reading[1:]):
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


def read_total(text: str) -> int | None:
    """A printed total such as "2 323" or "3790"; dashes and empty cells give None."""
    readings = [r for r in _readings(tokenize(text)) if len(r) == 1]
    return readings[0][0].value if readings else None


def repairs(text: str) -> Iterator[tuple[str, tuple[str, str]]]:
    """Texts that differ from `text` by one stray digit in a broken thousands group.

    A run of four digits after a short run ("873 4433") cannot be a thousands group;
    each way of dropping one of its digits is offered, with the rate as printed and as
    repaired. The caller keeps a repair only when it makes the row readable with rates
    printed elsewhere in the same decree.
    """
    for match in re.finditer(r"(?<!\d)(\d{1,3}) (\d{4})(?!\d)", text):
        lead, group = match.groups()
        for i in range(len(group)):
            fixed = f"{lead} {group[:i]}{group[i + 1 :]}"
            yield text[: match.start()] + fixed + text[match.end() :], (match.group(0), fixed)
