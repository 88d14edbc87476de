"""Read a decree from text extracted from its PDF, as published alongside it.

Extracted text loses the table grid: each cell comes out as its own lines, so a row is
"number code", then name lines, then a line of numbers, in whatever order the cells were
extracted. This reader only finds the pieces; `store.decree` judges them.
"""

from __future__ import annotations

import re

from store.decree import RawDecree, RawRow, RawTotal

APPENDIX = re.compile(r"^(\d+)\s*-\s*қосымша\s*$")
TABLE_HEADER_END = re.compile(r"^қала\s+ауыл$")
ROW_START = re.compile(r"^(\d{1,3})\s+(\d{7,8})(?=\s|$)(.*)$")
GROUP = re.compile(r"^(\d{2,3})\s+([^\d\s].*)$")
TOTAL = re.compile(r"^Барлығы\b(.*)$")
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
    first_appendix = next((i for i, s in enumerate(lines) if APPENDIX.match(s.strip())), len(lines))
    raw = RawDecree(heading="\n".join(lines[:first_appendix]))
    appendix = 0
    state = "heading"
    group: str | None = None
    row: RawRow | None = None

    for number, line in enumerate(lines[first_appendix:], start=first_appendix + 1):
        stripped = line.strip()
        if not stripped:
            continue
        if match := APPENDIX.match(stripped):
            appendix, state, group, row = int(match.group(1)), "title", None, None
            raw.levels[appendix] = []
            continue
        if state == "title":
            if stripped == "№":
                state = "header"
            else:
                raw.levels[appendix].append(stripped)
            continue
        if state == "header":
            if TABLE_HEADER_END.match(stripped):
                state = "table"
            continue
        if state != "table":
            continue

        if match := TOTAL.match(stripped):
            raw.totals.append(RawTotal(appendix, group, match.group(1)))
            if group is None:
                state = "after"
            group, row = None, None
        elif match := ROW_START.match(stripped):
            row = RawRow(appendix, match.group(1), match.group(2), group or "", line=number)
            raw.rows.append(row)
            _add_cell_line(row, match.group(3))
        elif (match := GROUP.match(stripped)) and (row is None or row.numbers):
            # A group heading; the decree closes a group with its total first, but a
            # missing total must not glue the next heading onto a row's name.
            group, row = match.group(1), None
            raw.groups[(appendix, group)] = [match.group(2)]
        elif row is not None:
            _add_cell_line(row, line)
    return raw


def _add_cell_line(row: RawRow, line: str) -> None:
    """Add one line of a row: name text, numbers, or both."""
    name, numbers = split_numbers(line.rstrip("\n"))
    if name.strip():
        if row.numbers:
            row.interrupted = True
        row.name_lines.append(name)
    if numbers:
        row.numbers = f"{row.numbers} {numbers}".strip()
