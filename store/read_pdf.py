"""Read a decree from its PDF with pdfplumber.

Pages with ruling lines are read through pdfplumber's table finder, cell by cell. Pages
without them are read from the text flow: columns are found where many lines start at
the same x, and rows where a line starts with a row number and a code. Either way the
result is the same sequence of table rows, so everything after that is shared.

Letter-spaced words are drawn with wide character spacing and no space characters; the
gaps are turned into our line convention (one space between spaced letters, two between
words, see `store.names`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from store.grammar import APPENDIX, GROUP, ROW_START
from store.model import DecreeError
from store.raw import RawDecree, RawRow, RawTotal

Char = dict[str, Any]
COLUMNS = 6  # №, code, name, seats, city costs, rural costs


@dataclass
class TableRow:
    """The six cells of one table row (lines joined by newlines), and its page."""

    cells: list[str]
    page: int


@dataclass
class TextLine:
    """A line outside the table."""

    text: str
    page: int


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars grouped into lines (same baseline within 2 pt), each left to right."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(lines[-1][0]["top"] - char["top"]) <= 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def chars_to_lines(chars: list[Char]) -> list[str]:
    """Lay chars out as text lines, keeping letter spacing in our two-space convention."""
    return [_line_text(line) for line in group_lines(chars)]


def _line_text(chars: list[Char]) -> str:
    out = []
    previous: Char | None = None
    for char in chars:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = previous.get("size") or 9
            if gap > 0.8 * size:
                out.append("  ")
            elif gap > 0.25 * size:
                out.append(" ")
        out.append(char["text"])
        previous = char
    return re.sub(r" {3,}", "  ", "".join(out)).rstrip()


def _inside(char: Char, bbox: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _ruled_page(page: Any, number: int) -> Iterator[TableRow | TextLine] | None:
    """Rows of the ruled tables on a page, with the lines around them; None if no table."""
    tables = page.find_tables()
    if not tables:
        return None
    items: list[tuple[float, TableRow | TextLine]] = []
    chars = page.chars
    outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
    for top, text in _positioned_lines(outside):
        items.append((top, TextLine(text, number)))
    for table in tables:
        for row in table.rows:
            cells = []
            for bbox in row.cells[:COLUMNS]:
                inside = [c for c in chars if bbox is not None and _inside(c, bbox)]
                cells.append("\n".join(chars_to_lines(inside)))
            cells += [""] * (COLUMNS - len(cells))
            items.append((row.bbox[1], TableRow(cells, number)))
    return iter([item for _, item in sorted(items, key=lambda pair: pair[0])])


def _positioned_lines(chars: list[Char]) -> list[tuple[float, str]]:
    return [(line[0]["top"], _line_text(line)) for line in group_lines(chars)]


def _column_starts(lines: list[list[Char]]) -> list[float]:
    """x positions where table cells start: where many lines have a run of text begin."""
    starts: list[float] = []
    for line in lines:
        previous: Char | None = None
        for char in line:
            if char["text"].strip() and (previous is None or char["x0"] - previous["x1"] > 6):
                starts.append(char["x0"])
            previous = char
    clusters: list[list[float]] = []
    for x in sorted(starts):
        if clusters and x - clusters[-1][-1] <= 2:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    rows = sum(1 for line in lines if ROW_START.match(_line_text(line)))
    frequent = [min(c) for c in clusters if len(c) >= max(2, rows // 2)]
    return frequent


def _flow_page(
    page: Any, number: int, known_starts: list[float] | None
) -> tuple[list[TableRow | TextLine], list[float] | None]:
    """Rows of a table drawn without lines, found from the text flow, and the column
    positions found (a page that goes on with the table without repeating its header
    is read with the columns of the page before)."""
    lines = group_lines(page.chars)
    texts = [_line_text(line) for line in lines]
    header_end = next((i for i, t in enumerate(texts) if "қала" in t and "ауыл" in t), None)
    # The table header is the last "№" line above "қала ауыл": the heading block over an
    # appendix has a "№ 43/19 қаулысына" line of its own.
    header = next(
        (
            i
            for i in reversed(range(header_end or 0))
            if texts[i].strip() == "№" or texts[i].startswith("№ ")
        ),
        None,
    )
    items: list[TableRow | TextLine] = []
    if header is not None and header_end is not None:
        body = header_end + 1
        starts = _column_starts(lines[body:])
        if len(starts) != COLUMNS:
            raise DecreeError(
                f"page {number}: cannot find the {COLUMNS} table columns without ruling lines"
            )
        items += [TextLine(t, number) for t in texts[:header]]
        items.append(TableRow(["", "", "", "", "қала", "ауыл"], number))
    elif known_starts and any(ROW_START.match(t.strip()) for t in texts):
        body, starts = 0, known_starts
    else:
        return [TextLine(t, number) for t in texts], known_starts
    items += _flow_rows(lines[body:], texts[body:], starts, number)
    return items, starts


def _flow_rows(
    lines: list[list[Char]], texts: list[str], starts: list[float], number: int
) -> Iterator[TableRow]:
    """Table rows from text lines, cells cut at the column positions."""
    current: list[list[str]] | None = None
    for line, text in zip(lines, texts, strict=True):
        cells = [[] for _ in range(COLUMNS)]
        for char in line:
            column = max([i for i, x in enumerate(starts) if char["x0"] >= x - 2] or [0])
            cells[column].append(char)
        cell_texts = [_line_text(c) for c in cells]
        if (
            ROW_START.match(text.strip())
            or text.startswith("Барлығы")
            or cell_texts[2] == "Барлығы"
        ):
            if current:
                yield _table_row(current, number)
            current = [[t] if t else [] for t in cell_texts]
        elif GROUP.match(text.strip()) and (cell_texts[0] or not cell_texts[1]):
            # A group heading starts in the № column and runs on across the others.
            if current:
                yield _table_row(current, number)
            current = None
            yield TableRow([text.strip(), "", "", "", "", ""], number)
        elif current is not None:
            for i, t in enumerate(cell_texts):
                if t:
                    current[i].append(t)
        else:
            current = [[t] if t else [] for t in cell_texts]
    if current:
        yield _table_row(current, number)


def _table_row(cells: list[list[str]], page: int) -> TableRow:
    texts = ["\n".join(c) for c in cells]
    if texts[0].startswith("Барлығы"):
        total = texts[0].removeprefix("Барлығы").strip() or texts[3]
        texts = ["", "", "Барлығы", total, *texts[4:]]
    return TableRow(texts, page)


def _items(path: Path) -> Iterator[TableRow | TextLine]:
    try:
        pdf = pdfplumber.open(path)
    except (PdfminerException, PDFSyntaxError, PSException) as error:
        raise DecreeError(f"{path.name}: not a readable PDF ({_cause(error)})") from error
    with pdf:
        try:
            pages = list(pdf.pages)
        except (PdfminerException, PDFSyntaxError, PSException) as error:
            raise DecreeError(f"{path.name}: not a readable PDF ({_cause(error)})") from error
        if not pages:
            raise DecreeError(f"{path.name}: the PDF has no pages")
        if not any(page.chars for page in pages):
            raise DecreeError(f"{path.name}: the PDF has no text layer (a scan?)")
        starts: list[float] | None = None
        for number, page in enumerate(pages, start=1):
            ruled = _ruled_page(page, number)
            if ruled is not None:
                yield from ruled
            else:
                items, starts = _flow_page(page, number, starts)
                yield from items
            page.flush_cache()


def _cause(error: Exception) -> str:
    cause = error.args[0] if error.args else error
    if (
        isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError)
        or "password" in str(cause).lower()
    ):
        return "encrypted"
    text = str(cause) or type(cause).__name__
    return text.splitlines()[0][:120]


def read_pdf(path: Path) -> RawDecree:
    """Find heading, appendices, groups, rows and totals in a decree PDF."""
    raw = RawDecree(heading="")
    heading: list[str] = []
    appendix = 0
    in_table = False
    group: str | None = None
    row: RawRow | None = None
    try:
        for item in _items(path):
            if isinstance(item, TextLine):
                if match := APPENDIX.match(item.text.strip()):
                    appendix, in_table, group, row = int(match.group(1)), False, None, None
                    raw.appendices[appendix] = []
                elif appendix == 0:
                    heading.append(item.text)
                elif not in_table:
                    raw.appendices[appendix].append(item.text.strip())
                continue
            cells = [c.strip() for c in item.cells]
            first = cells[0]
            if not in_table:
                in_table = cells[4:6] == ["қала", "ауыл"]
                continue
            if cells[4:6] == ["қала", "ауыл"] or first == "№":
                continue  # the table header, repeated on every page
            if cells[2] == "Барлығы":
                raw.totals.append(RawTotal(appendix, group, cells[3]))
                group, row = None, None
            elif first.isdigit() and cells[1]:
                row = RawRow(
                    appendix,
                    first,
                    cells[1],
                    group or "",
                    name_lines=cells[2].split("\n") if cells[2] else [],
                    seats=cells[3],
                    city=cells[4].replace("\n", " "),
                    rural=cells[5].replace("\n", " "),
                    page=item.page,
                )
                raw.rows.append(row)
            elif (match := GROUP.match(first)) and not any(cells[1:]):
                group, row = match.group(1), None
                raw.groups[(appendix, group)] = [match.group(2)]
            elif row is not None and not first and not cells[1]:
                _continue_row(row, cells)
    except DecreeError:
        raise
    except (PdfminerException, PDFSyntaxError, PSException) as error:
        raise DecreeError(f"{path.name}: not a readable PDF ({_cause(error)})") from error
    raw.heading = "\n".join(heading)
    return raw


def _continue_row(row: RawRow, cells: list[str]) -> None:
    """A row cut by a page break goes on in a row with no number and no code."""
    if cells[2]:
        row.name_lines.extend(cells[2].split("\n"))
    for attr, text in zip(("seats", "city", "rural"), cells[3:6], strict=True):
        if text:
            row.interrupted = True
            setattr(row, attr, f"{getattr(row, attr) or ''} {text.replace(chr(10), ' ')}".strip())
