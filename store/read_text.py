"""Read a decree from text extracted from its PDF, as published alongside it.

Extracted text loses the table grid: each cell comes out as its own lines, so a row is
"number code", then name lines, then a line of numbers, in whatever order the cells were
extracted. This reader only finds the pieces; `store.decree` judges them.
"""

from __future__ import annotations

import re

from store.grammar import APPENDIX, GROUP, ROW_START, TABLE_HEADER_END, TOTAL
from store.raw import RawDecree, RawRow, RawTotal

# The numbers at the end of a line: digit runs, "/" and dashes after the last word.
NUMERIC_TAIL = re.compile(r"(?:^|\s)([\d/][\d\s/-]*)$")


def split_numbers(line: str) -> tuple[str, str]:
    """Split a line into its text and the numbers printed after it."""
    match = NUMERIC_TAIL.search(line)
    if not match:
        return line, ""
    return line[: match.start()], match.group(1).strip()


def read_text(text: str) -> RawDecree:
    """Find heading, appendices, groups, rows and totals in extracted decree text."""
    lines = text.splitlines()
    first = next((i for i, s in enumerate(lines) if APPENDIX.match(s.strip())), len(lines))
    reader = _TextReader(RawDecree(heading="\n".join(lines[:first])))
    for number, line in enumerate(lines[first:], start=first + 1):
        if line.strip():
            reader.feed(line, number)
    return reader.raw


class _TextReader:
    """Reads the lines after the heading: appendix title, table header, then the table."""

    def __init__(self, raw: RawDecree) -> None:
        self.raw = raw
        self.appendix = 0
        self.state = "heading"
        self.group: str | None = None
        self.row: RawRow | None = None

    def feed(self, line: str, number: int) -> None:
        stripped = line.strip()
        if match := APPENDIX.match(stripped):
            self.appendix, self.state, self.group, self.row = (
                int(match.group(1)),
                "title",
                None,
                None,
            )
            self.raw.appendices[self.appendix] = []
        elif self.state == "title":
            if stripped == "№":
                self.state = "header"
            else:
                self.raw.appendices[self.appendix].append(stripped)
        elif self.state == "header":
            if TABLE_HEADER_END.match(stripped):
                self.state = "table"
        elif self.state == "table":
            self._table_line(line, stripped, number)

    def _table_line(self, line: str, stripped: str, number: int) -> None:
        if match := TOTAL.match(stripped):
            self.raw.totals.append(RawTotal(self.appendix, self.group, match.group(1)))
            if self.group is None:
                self.state = "after"
            self.group, self.row = None, None
        elif match := ROW_START.match(stripped):
            self.row = RawRow(
                self.appendix, match.group(1), match.group(2), self.group or "", line=number
            )
            self.raw.rows.append(self.row)
            _add_cell_line(self.row, match.group(3))
        elif (match := GROUP.match(stripped)) and (self.row is None or self.row.numbers):
            # A group heading; the decree closes a group with its total first, but a
            # missing total must not glue the next heading onto a row's name.
            self.group, self.row = match.group(1), None
            self.raw.groups[(self.appendix, self.group)] = [match.group(2)]
        elif self.row is not None:
            _add_cell_line(self.row, line)


def _add_cell_line(row: RawRow, line: str) -> None:
    """Add one line of a row: name text, numbers, or both."""
    name, numbers = split_numbers(line.rstrip("\n"))
    if name.strip():
        if row.numbers:
            row.interrupted = True
        row.name_lines.append(name)
    if numbers:
        row.numbers = f"{row.numbers} {numbers}".strip()
