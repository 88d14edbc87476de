"""The decree as data: what the readers find, and the validated decree built from it.

Readers (`read_text`, `read_pdf`) only locate things on the page and hand over a
`RawDecree`: lines of names, number texts, printed totals. `build_decree` turns that into
a `Decree` with clean names, numbers, and a list of every defect found in the source,
so that reading the layout and judging the content are separate and tested separately.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from store import amounts
from store.names import clean_name, normalise_code


class DecreeError(ValueError):
    """The input is not a readable decree of this kind; the message is one line for the user."""


LEVEL_KINDS = ("workers", "mid_level", "post_secondary")

MONTHS = {
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
}


@dataclass
class RawRow:
    """One table row as found: texts only, nothing judged yet."""

    appendix: int
    number: str
    code_raw: str
    group_code: str
    name_lines: list[str] = field(default_factory=list)
    # The text reader sees all numbers of a row as one flow; the PDF reader sees cells.
    numbers: str = ""
    seats: str | None = None
    city: str | None = None
    rural: str | None = None
    # Name text came after the numbers (the row was cut by a page break), so the
    # order in which the cost cells were printed says nothing about their columns.
    interrupted: bool = False
    page: int | None = None
    line: int | None = None


@dataclass
class RawTotal:
    """A printed "Барлығы" line: of a group, or (group_code None) of a whole appendix."""

    appendix: int
    group_code: str | None
    printed: str


@dataclass
class RawDecree:
    """Everything a reader found, in reading order."""

    heading: str
    levels: dict[int, list[str]] = field(default_factory=dict)
    groups: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    totals: list[RawTotal] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """One row of an appendix, as the decree states it."""

    appendix: int
    row: int
    group_code: str
    code_raw: str
    code: str
    name: str
    seats: int
    city_costs: tuple[int, ...]
    rural_costs: tuple[int, ...]
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Level:
    """An appendix: one level of training."""

    appendix: int
    kind: str
    title: str
    printed_total: int | None


@dataclass(frozen=True)
class Group:
    """A field of education within one appendix."""

    appendix: int
    code: str
    name: str
    printed_total: int | None


@dataclass(frozen=True)
class Defect:
    """Something in the source that is not as it should be, and what was stored instead."""

    kind: str
    where: str
    printed: str
    stored: str
    appendix: int | None = None
    row: int | None = None
    group_code: str | None = None


@dataclass
class Decree:
    """A validated decree, ready to be stored."""

    region: str
    issuer: str
    number: str
    date: str
    academic_year: str
    title: str
    levels: list[Level]
    groups: list[Group]
    rows: list[Row]
    defects: list[Defect]

    @property
    def id(self) -> str:
        """A short, stable id: the same act gets the same id on every ingest."""
        key = f"{self.issuer}|{self.number}|{self.date}"
        return hashlib.sha1(key.encode()).hexdigest()[:8]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_heading(heading: str) -> dict[str, str]:
    """Region, issuer, number, date, academic year and title from the decree's first page."""
    text = _squash(heading)
    text = re.sub(r"(\d{4})\s*-\s*(\d{4})", r"\1-\2", text)
    act = re.search(
        r"([А-ЯӘҒҚҢӨҰҮҺІЁ][\w-]*(?: [\w-]+)?) әкімдігінің (\d{4}) жылғы (\d{1,2}) "
        r"(\w+?)(?:дағы|дегі|тағы|тегі)? № ?([\d/-]+) қаулысы",
        text,
    )
    if not act:
        raise DecreeError("not a decree of this kind: no akimat resolution number and date found")
    owner, year, day, month_word, number = act.groups()
    month = next((n for name, n in MONTHS.items() if month_word.lower().startswith(name)), None)
    if month is None:
        raise DecreeError(f"not a decree of this kind: unknown month {month_word!r}")
    academic = re.search(r"(\d{4})-(\d{4}) оқу жыл", text)
    if not academic:
        raise DecreeError("not a decree of this kind: no academic year found")
    title_end = text.find("туралы")
    title = text[: title_end + len("туралы")] if 0 <= title_end < act.start() else ""
    region = re.sub(r"(?<=[ыі])(?:ның|нің|дың|дің|тың|тің)$", "", owner)
    return {
        "region": region,
        "issuer": f"{owner} әкімдігі",
        "number": number,
        "date": f"{year}-{month:02d}-{int(day):02d}",
        "academic_year": f"{academic.group(1)}-{academic.group(2)}",
        "title": title,
    }


def level_kind(appendix: int, title: str) -> str:
    """Which level of training an appendix orders, from its own title."""
    lowered = title.lower()
    if "жұмысшы" in lowered:
        return "workers"
    if "орта буын" in lowered:
        return "mid_level"
    if "орта білімнен кейінгі" in lowered:
        return "post_secondary"
    return LEVEL_KINDS[appendix - 1] if 1 <= appendix <= 3 else "unknown"


def level_title(lines: list[str]) -> str:
    """The appendix's own title: what follows the heading common to all appendices."""
    text = _squash(" ".join(lines))
    _, sep, rest = text.partition("тапсырысы")
    rest = rest.strip()
    return rest.strip("() ") if sep and rest else text


class _Builder:
    """Builds a Decree from a RawDecree, collecting defects as it goes."""

    def __init__(self, raw: RawDecree) -> None:
        self.raw = raw
        self.defects: list[Defect] = []

    def defect(
        self, kind: str, where: str, printed: str, stored: str, raw: RawRow | None = None
    ) -> None:
        self.defects.append(
            Defect(
                kind,
                where,
                printed,
                stored,
                raw.appendix if raw else None,
                int(raw.number) if raw and raw.number.isdigit() else None,
            )
        )

    def build(self) -> Decree:
        meta = read_heading(self.raw.heading)
        if not self.raw.rows:
            raise DecreeError("not a decree of this kind: no table rows found")
        stray = next((r for r in self.raw.rows if r.appendix not in self.raw.levels), None)
        if stray is not None:
            raise DecreeError(
                f"not a decree of this kind: row {stray.number} ({stray.code_raw}) stands"
                " outside any appendix"
            )
        readings = [self._readings(r) for r in self.raw.rows]
        known_rates, known_pairs = _known(
            [
                found
                for raw, found in zip(self.raw.rows, readings, strict=True)
                if not raw.interrupted
            ]
        )
        rows = [
            self._row(r, found, known_rates, known_pairs)
            for r, found in zip(self.raw.rows, readings, strict=True)
        ]
        levels = [
            Level(n, level_kind(n, level_title(lines)), level_title(lines), self._total(n, None))
            for n, lines in sorted(self.raw.levels.items())
        ]
        groups = [
            Group(n, code, clean_name(lines), self._total(n, code))
            for (n, code), lines in self.raw.groups.items()
        ]
        self._check_numbering(rows)
        self._check_totals(levels, groups, rows)
        return Decree(levels=levels, groups=groups, rows=rows, defects=self.defects, **meta)

    def _readings(self, raw: RawRow) -> list[amounts.RowNumbers]:
        if raw.seats is None:
            return amounts.row_numbers(raw.numbers)
        seats = amounts.read_total(raw.seats or "")
        if seats is None:
            return []
        found = []
        for city in amounts.rate_columns(raw.city or "", 1):
            for rural in amounts.rate_columns(raw.rural or "", 1):
                found.append(
                    amounts.RowNumbers(amounts.Amount(seats, raw.seats), city[0], rural[0])
                )
        return found

    def _row(
        self,
        raw: RawRow,
        found: list[amounts.RowNumbers],
        known_rates: set[int],
        known_pairs: set[tuple[int, int]],
    ) -> Row:
        where = f"appendix {raw.appendix}, row {raw.number}"
        printed_numbers = (
            raw.numbers if raw.seats is None else f"{raw.seats} | {raw.city} | {raw.rural}"
        )
        if not found:
            found = self._repaired(raw, where, known_rates)
        if not found:
            # Storing a guess (or 0 places) would show a wrong number to a family.
            raise DecreeError(f"{where}: cannot read the places and costs {printed_numbers!r}")
        numbers = found[0]
        if len(found) > 1 and found[1] != numbers:
            self.defect("ambiguous_numbers", where, printed_numbers, _show(numbers), raw)
        city = tuple(a.value for a in numbers.city)
        rural = tuple(a.value for a in numbers.rural)
        if raw.interrupted and city and rural and (city[0], rural[0]) not in known_pairs:
            # The page break hides which cost cell is which. Take the order in which the
            # decree pairs these rates elsewhere; failing that, the lower one is the city
            # rate, as in every pair this format prints. Either way, say so.
            if (rural[0], city[0]) in known_pairs or (
                (city[0], rural[0]) not in known_pairs and city[0] > rural[0]
            ):
                city, rural = rural, city
            self.defect(
                "costs_split_by_page",
                where,
                printed_numbers,
                f"city {_money(city)}, rural {_money(rural)}",
                raw,
            )
        for amount in (*numbers.city, *numbers.rural):
            if amount.ungrouped:
                self.defect(
                    "no_thousands_space",
                    where,
                    amount.printed,
                    f"{amount.value:,}".replace(",", " "),
                    raw,
                )
        code = normalise_code(raw.code_raw)
        if code != raw.code_raw:
            self.defect("code_digits", where, raw.code_raw, code, raw)
        name = clean_name(raw.name_lines)
        if not name:
            self.defect("empty_name", where, "", "", raw)
        return Row(
            appendix=raw.appendix,
            row=int(raw.number),
            group_code=raw.group_code,
            code_raw=raw.code_raw,
            code=code,
            name=name,
            seats=numbers.seats.value,
            city_costs=city,
            rural_costs=rural,
            page=raw.page,
            line=raw.line,
        )

    def _repaired(self, raw: RawRow, where: str, known_rates: set[int]) -> list[amounts.RowNumbers]:
        """The reading after dropping one stray digit, when exactly one such repair makes
        the row readable with rates all printed elsewhere in the decree."""
        fields = ("numbers",) if raw.seats is None else ("city", "rural")
        outcomes: dict[amounts.RowNumbers, tuple[str, str]] = {}
        for name in fields:
            for fixed_text, change in amounts.repairs(getattr(raw, name) or ""):
                for reading in self._readings(replace(raw, **{name: fixed_text})):
                    if all(a.value in known_rates for a in (*reading.city, *reading.rural)):
                        outcomes.setdefault(reading, change)
        if len(outcomes) != 1:
            return []
        ((reading, change),) = outcomes.items()
        self.defect("stray_digit", where, *change, raw)
        return [reading]

    def _total(self, appendix: int, group_code: str | None) -> int | None:
        for total in self.raw.totals:
            if total.appendix == appendix and total.group_code == group_code:
                return amounts.read_total(total.printed)
        return None

    def _check_numbering(self, rows: list[Row]) -> None:
        by_appendix: dict[int, list[int]] = {}
        for row in rows:
            by_appendix.setdefault(row.appendix, []).append(row.row)
        for appendix, numbers in by_appendix.items():
            expected = list(range(1, len(numbers) + 1))
            if numbers != expected:
                self.defects.append(
                    Defect(
                        "row_numbering",
                        f"appendix {appendix}",
                        str(numbers),
                        str(expected),
                        appendix,
                    )
                )

    def _check_totals(self, levels: list[Level], groups: list[Group], rows: list[Row]) -> None:
        for group in groups:
            computed = sum(
                r.seats for r in rows if r.appendix == group.appendix and r.group_code == group.code
            )
            if group.printed_total is not None and group.printed_total != computed:
                self.defects.append(
                    Defect(
                        "total_mismatch",
                        f"appendix {group.appendix}, group {group.code} {group.name}",
                        str(group.printed_total),
                        str(computed),
                        group.appendix,
                        group_code=group.code,
                    )
                )
        for level in levels:
            computed = sum(r.seats for r in rows if r.appendix == level.appendix)
            if level.printed_total is not None and level.printed_total != computed:
                self.defects.append(
                    Defect(
                        "total_mismatch",
                        f"appendix {level.appendix}, total",
                        str(level.printed_total),
                        str(computed),
                        level.appendix,
                    )
                )


def _known(readings: list[list[amounts.RowNumbers]]) -> tuple[set[int], set[tuple[int, int]]]:
    """Rates and (city, rural) pairs printed in rows that read cleanly."""
    rates: set[int] = set()
    pairs: set[tuple[int, int]] = set()
    for found in readings:
        if len(found) == 1:
            numbers = found[0]
            rates.update(a.value for a in (*numbers.city, *numbers.rural))
            pairs.update(
                (c.value, r.value) for c, r in zip(numbers.city, numbers.rural, strict=False)
            )
    return rates, pairs


def _money(values: tuple[int, ...]) -> str:
    return "/".join(f"{v:,}".replace(",", " ") for v in values)


def _show(numbers: amounts.RowNumbers) -> str:
    city = tuple(a.value for a in numbers.city)
    rural = tuple(a.value for a in numbers.rural)
    return f"seats {numbers.seats.value}, city {_money(city)}, rural {_money(rural)}"


def build_decree(raw: RawDecree) -> Decree:
    """Validate what a reader found and build the decree, with every defect listed."""
    return _Builder(raw).build()
