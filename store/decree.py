"""Judge what a reader found and build the validated decree, listing every defect.

Readers hand over a `store.raw.RawDecree` (lines of names, number texts, printed totals);
`build_decree` turns it into a `store.model.Decree` with clean names and numbers and a
list of what the source prints wrongly, so that reading the layout and judging the
content are separate and tested separately.
"""

from __future__ import annotations

import re
from dataclasses import replace

from store import amounts
from store.model import (
    Appendix,
    Decree,
    DecreeError,
    Defect,
    DefectKind,
    Group,
    LevelKind,
    Row,
)
from store.names import clean_name, normalise_code, whole_words
from store.raw import RawDecree, RawRow

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
# Without a recognisable title, appendices 1-3 order these levels, as in every such decree.
DEFAULT_KINDS = (LevelKind.WORKERS, LevelKind.MID_LEVEL, LevelKind.POST_SECONDARY)


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


def level_kind(appendix: int, title: str) -> LevelKind:
    """Which level of training an appendix orders, from its own title."""
    lowered = title.lower()
    if "жұмысшы" in lowered:
        return LevelKind.WORKERS
    if "орта буын" in lowered:
        return LevelKind.MID_LEVEL
    if "орта білімнен кейінгі" in lowered:
        return LevelKind.POST_SECONDARY
    return DEFAULT_KINDS[appendix - 1] if 1 <= appendix <= 3 else LevelKind.UNKNOWN


def level_title(lines: list[str]) -> str:
    """The appendix's own title: what follows the heading common to all appendices."""
    text = _squash(" ".join(lines))
    _, sep, rest = text.partition("тапсырысы")
    rest = rest.strip()
    return rest.strip("() ") if sep and rest else text


def _where(raw: RawRow) -> str:
    return f"appendix {raw.appendix}, row {raw.number}"


def _printed_numbers(raw: RawRow) -> str:
    return raw.numbers if raw.seats is None else f"{raw.seats} | {raw.city} | {raw.rural}"


class _Builder:
    """Builds a Decree from a RawDecree, collecting defects as it goes."""

    def __init__(self, raw: RawDecree) -> None:
        self.raw = raw
        self.defects: list[Defect] = []
        # The words the document prints whole, for line breaks the page leaves open.
        self.words = whole_words([r.name_lines for r in raw.rows if r.name_cuts is not None])

    def defect(self, kind: DefectKind, printed: str, stored: str, raw: RawRow) -> None:
        number = int(raw.number) if raw.number.isdigit() else None
        self.defects.append(Defect(kind, printed, stored, raw.appendix, number))

    def build(self) -> Decree:
        meta = read_heading(self.raw.heading)
        self._check_structure()
        readings = [self._readings(r) for r in self.raw.rows]
        known_rates, known_pairs = _known(
            [f for raw, f in zip(self.raw.rows, readings, strict=True) if not raw.interrupted]
        )
        rows = tuple(
            self._row(r, found, known_rates, known_pairs)
            for r, found in zip(self.raw.rows, readings, strict=True)
        )
        appendices = tuple(
            Appendix(
                n,
                level_kind(n, level_title(lines)),
                level_title(lines),
                self._total(n, None),
                sum(r.seats for r in rows if r.appendix == n),
            )
            for n, lines in sorted(self.raw.appendices.items())
        )
        groups = tuple(
            Group(
                n,
                code,
                clean_name(lines),
                self._total(n, code),
                sum(r.seats for r in rows if r.appendix == n and r.group_code == code),
            )
            for (n, code), lines in self.raw.groups.items()
        )
        self._check_numbering(rows)
        self._check_totals(appendices, groups)
        self._check_code_names(rows)
        self._check_group_names(groups)
        return Decree(
            appendices=appendices, groups=groups, rows=rows, defects=tuple(self.defects), **meta
        )

    def _check_structure(self) -> None:
        if not self.raw.rows:
            raise DecreeError("not a decree of this kind: no table rows found")
        stray = next((r for r in self.raw.rows if r.appendix not in self.raw.appendices), None)
        if stray is not None:
            raise DecreeError(
                f"not a decree of this kind: row {stray.number} ({stray.code_raw}) stands"
                " outside any appendix"
            )

    def _readings(self, raw: RawRow) -> list[amounts.RowNumbers]:
        if raw.seats is None:
            return amounts.row_numbers(raw.numbers)
        seats = amounts.read_total(raw.seats or "")
        if seats is None:
            return []
        return [
            amounts.RowNumbers(amounts.Amount(seats, raw.seats), city[0], rural[0])
            for city in amounts.rate_columns(raw.city or "", 1)
            for rural in amounts.rate_columns(raw.rural or "", 1)
        ]

    def _row(
        self,
        raw: RawRow,
        found: list[amounts.RowNumbers],
        known_rates: set[int],
        known_pairs: set[tuple[int, int]],
    ) -> Row:
        found = found or self._repaired(raw, known_rates)
        if not found:
            # Storing a guess (or 0 places) would show a wrong number to a family.
            raise DecreeError(
                f"{_where(raw)}: cannot read the places and costs {_printed_numbers(raw)!r}"
            )
        numbers = found[0]
        if len(found) > 1 and found[1] != numbers:
            self.defect(DefectKind.AMBIGUOUS_NUMBERS, _printed_numbers(raw), _show(numbers), raw)
        city, rural = self._columns(raw, numbers, known_pairs)
        for amount in (*numbers.city, *numbers.rural):
            if amount.ungrouped:
                self.defect(
                    DefectKind.NO_THOUSANDS_SPACE, amount.printed, _money((amount.value,)), raw
                )
        code = normalise_code(raw.code_raw)
        if code != raw.code_raw or len(code) != 8:
            self.defect(DefectKind.CODE_FORM, raw.code_raw, code, raw)
        name = clean_name(raw.name_lines, raw.name_cuts, self.words)
        if not name:
            raise DecreeError(f"{_where(raw)}: the row has no specialty name")
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

    def _columns(
        self, raw: RawRow, numbers: amounts.RowNumbers, known_pairs: set[tuple[int, int]]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """City and rural rates; for a row cut by a page break, placed as the decree pairs
        them elsewhere (failing that, the lower one is the city rate, as in every pair this
        format prints), and reported either way."""
        city = tuple(a.value for a in numbers.city)
        rural = tuple(a.value for a in numbers.rural)
        if not (raw.interrupted and city and rural) or (city[0], rural[0]) in known_pairs:
            return city, rural
        if (rural[0], city[0]) in known_pairs or city[0] > rural[0]:
            city, rural = rural, city
        self.defect(
            DefectKind.COSTS_SPLIT_BY_PAGE,
            _printed_numbers(raw),
            f"city {_money(city)}, rural {_money(rural)}",
            raw,
        )
        return city, rural

    def _repaired(self, raw: RawRow, known_rates: set[int]) -> list[amounts.RowNumbers]:
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
        ((reading, (printed, stored)),) = outcomes.items()
        self.defect(DefectKind.STRAY_DIGIT, printed, stored, raw)
        return [reading]

    def _total(self, appendix: int, group_code: str | None) -> int | None:
        for total in self.raw.totals:
            if total.appendix == appendix and total.group_code == group_code:
                return amounts.read_total(total.printed)
        return None

    def _check_numbering(self, rows: tuple[Row, ...]) -> None:
        by_appendix: dict[int, list[int]] = {}
        for row in rows:
            by_appendix.setdefault(row.appendix, []).append(row.row)
        for appendix, numbers in by_appendix.items():
            expected = list(range(1, len(numbers) + 1))
            if numbers != expected:
                self.defects.append(
                    Defect(DefectKind.ROW_NUMBERING, str(numbers), str(expected), appendix)
                )

    def _check_code_names(self, rows: tuple[Row, ...]) -> None:
        """One code printed with different names (01140200 is Музыкалық білім беру in
        appendix 2 and Дене тәрбиесі және спорт in appendix 3): each such row says which
        other names its code carries."""
        for code, same in _names_by_code(rows).items():
            names = list(dict.fromkeys(r.name for r in same))
            if len(names) < 2:
                continue
            for row in same:
                others = " | ".join(n for n in names if n != row.name)
                self.defects.append(
                    Defect(DefectKind.CODE_NAMES, others, code, row.appendix, row.row)
                )

    def _check_group_names(self, groups: tuple[Group, ...]) -> None:
        """One field code spelled two ways in different appendices (09 "...қамтамасыз ету"
        and "...қамтамасыздандыру"): each spelling after the first is reported."""
        first: dict[str, str] = {}
        for group in groups:
            name = first.setdefault(group.code, group.name)
            if group.name != name:
                self.defects.append(
                    Defect(
                        DefectKind.GROUP_NAMES, group.name, name, group.appendix, None, group.code
                    )
                )

    def _check_totals(self, appendices: tuple[Appendix, ...], groups: tuple[Group, ...]) -> None:
        for group in groups:
            if group.printed_total is not None and group.printed_total != group.seats:
                self.defects.append(
                    Defect(
                        DefectKind.TOTAL_MISMATCH,
                        str(group.printed_total),
                        str(group.seats),
                        group.appendix,
                        group_code=group.code,
                    )
                )
        for appendix in appendices:
            if appendix.printed_total is not None and appendix.printed_total != appendix.seats:
                self.defects.append(
                    Defect(
                        DefectKind.TOTAL_MISMATCH,
                        str(appendix.printed_total),
                        str(appendix.seats),
                        appendix.appendix,
                    )
                )


def _names_by_code(rows: tuple[Row, ...]) -> dict[str, list[Row]]:
    by_code: dict[str, list[Row]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    return by_code


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
