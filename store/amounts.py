"""Read the numbers of a decree row: places, and the city and rural cost rates.

The decree groups thousands with spaces ("1 231 599") and also separates columns with
spaces, so "45 465 161 511 788" is read by trying the ways of grouping the digit runs
and keeping the readings that make sense: a seat count, then one column of city rates
and one of rural rates, where several rates in one column are joined by "/"
("465 161/552 703"). Everything here is pure; the caller decides what to report.

Trying every grouping grows exponentially with the number of digit runs (a 107-byte line
of three-digit groups has billions), so the search only follows groupings that can still
make sense: each number must fit its column (a seat count, or a rate) and there are only
so many columns. That keeps it polynomial (at most a few columns, each number at most
`MAX_DIGITS` digits), and a text of more than `MAX_TOKENS` runs has no reading at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

MIN_RATE = 10_000
MAX_RATE = 99_999_999
MAX_SEATS = 99_999
# No amount in a decree is longer (places have up to 5 digits, rates 8, totals 7); a longer
# run is not a number of this kind, and reading it as one could not be stored anyway.
MAX_DIGITS = 12
# Digit runs and "/" marks in one text; the shipped decree's longest row has 17.
MAX_TOKENS = 200

# A dash glued to the front of a digit run is a minus sign: "-50" must not read as 50.
MINUS = "-"
_TOKEN = re.compile(r"(?<![\d\w])[-−–‒—](?=\d)|\d+|/")
_DASHES = frozenset("-−–‒—")


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
    """Digit runs, "/" markers and minus signs, in order; everything else (spaces, dashes
    standing alone) separates."""
    return tuple(MINUS if token[0] in _DASHES else token for token in _TOKEN.findall(text))


def _readable(tokens: tuple[str, ...]) -> bool:
    """Whether a text can have a reading at all: no minus sign, not absurdly long."""
    return MINUS not in tokens and len(tokens) <= MAX_TOKENS


def _numbers_at(tokens: tuple[str, ...], start: int) -> Iterator[tuple[int, Amount]]:
    """Each number that can start at tokens[start] (after a "/" there, if there is one),
    with the index of the token after it."""
    after_slash = tokens[start] == "/"
    first = start + 1 if after_slash else start
    if first >= len(tokens) or tokens[first] == "/":
        return
    lead = tokens[first]
    if len(lead) > MAX_DIGITS:
        return
    if len(lead) > 3:
        yield first + 1, Amount(int(lead), lead, after_slash)
        return
    if len(lead) > 1 and lead.startswith("0"):
        return
    groups = [lead]
    yield first + 1, Amount(int(lead), lead, after_slash)
    for end in range(first + 1, len(tokens)):
        token = tokens[end]
        if token == "/" or len(token) != 3 or len(lead) + 3 * len(groups) > MAX_DIGITS:
            return
        groups.append(token)
        yield end + 1, Amount(int("".join(groups)), " ".join(groups), after_slash)


# Whether an amount may stand in a column (0-based); the search drops it early otherwise.
Fits = Callable[[Amount, int], bool]


def _column_readings(
    tokens: tuple[str, ...], start: int, count: int, fits: Fits
) -> tuple[tuple[Amount, ...], ...]:
    """Every reading of tokens[start:] as exactly `count` columns of fitting amounts, in
    the order an exhaustive search would find them (shorter first numbers first).

    A "/" keeps a number in the column of the one before, except for the first number.
    Memoised on (position, column), so each suffix is read once per column.
    """

    @cache
    def tails(position: int, column: int) -> tuple[tuple[Amount, ...], ...]:
        if position == len(tokens):
            return ((),) if column == count - 1 else ()
        found: list[tuple[Amount, ...]] = []
        for end, amount in _numbers_at(tokens, position):
            own = column if amount.after_slash and column >= 0 else column + 1
            if own < count and fits(amount, own):
                found.extend((amount, *tail) for tail in tails(end, own))
        return tuple(found)

    if start == len(tokens):
        return ()
    return tails(start, -1)


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


def _rate_fits(amount: Amount, column: int) -> bool:
    return _is_rate(amount)


@lru_cache(maxsize=4096)
def _rate_readings(
    tokens: tuple[str, ...], start: int, count: int
) -> tuple[tuple[Amount, ...], ...]:
    """Readings of tokens[start:] as `count` columns of rates (cached: the decree builder
    reads a row again for each repair it tries)."""
    return _column_readings(tokens, start, count, _rate_fits)


def rate_columns(text: str, count: int) -> list[tuple[tuple[Amount, ...], ...]]:
    """Every sensible reading of `text` as `count` columns of cost rates, best first.

    Best means: columns with the same number of rates, then fewest ungrouped numbers.
    """
    tokens = tokenize(text)
    if not _readable(tokens):
        return []
    found = [tuple(_columns(reading)) for reading in _rate_readings(tokens, 0, count)]
    found = list(dict.fromkeys(found))
    found.sort(
        key=lambda cols: (len({len(c) for c in cols}), sum(a.ungrouped for c in cols for a in c))
    )
    return found


def _seat_readings(tokens: tuple[str, ...]) -> Iterator[RowNumbers]:
    """A seat count first, then a city and a rural column of rates (the seats' neighbour
    starts the city column even after a "/")."""
    if not tokens or tokens[0] == "/":
        return
    for end, seats in _numbers_at(tokens, 0):
        if seats.value > MAX_SEATS:
            continue
        for rates in _rate_readings(tokens, end, 2):
            city, rural = _columns(rates)
            yield RowNumbers(seats, city, rural)


def row_numbers(text: str) -> list[RowNumbers]:
    """Every sensible reading of a row's flattened numbers ("45 465 161 511 788"), best first."""
    tokens = tokenize(text)
    if not _readable(tokens):
        return []
    found = list(dict.fromkeys(_seat_readings(tokens)))
    found.sort(
        key=lambda r: (
            len(r.city) != len(r.rural),
            r.seats.ungrouped or " " in r.seats.printed,
            sum(a.ungrouped for a in (*r.city, *r.rural)),
        )
    )
    return found


def read_total(text: str) -> int | None:
    """A printed total such as "2 323" or "3790"; dashes, empty cells, a minus sign or more
    than one number give None."""
    tokens = tokenize(text)
    if not tokens or not _readable(tokens):
        return None
    whole = [amount for end, amount in _numbers_at(tokens, 0) if end == len(tokens)]
    return whole[0].value if whole else None


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
