"""Read a decree from its PDF with pdfplumber, whatever layout its office exported.

pdfplumber gives the characters (with their boxes and sizes) and the ruling lines of each
page; `store.pdf_layout` finds the table in them: the header (it ends with the costs'
"қала" and "ауыл"), the columns (vertical rules, else the white gaps down the body), and
the rows (one per code; names and numbers given to rows by their order and how names
begin). This works the same for ruled, partly ruled and unruled tables, portrait or
landscape, any font, cells aligned any way, with or without the header on every page.
pdfplumber's own table finder needs ruling lines on both axes, and its text strategy
makes a row of every text line, so neither reads a tall unruled row as one.

Lines outside the table (the heading, each appendix's title) are read as text. This
module only finds the pieces; `store.decree` judges them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from store.grammar import APPENDIX, APPENDIX_CONTINUED, CITY, GROUP, RURAL, TOTAL_WORD
from store.model import DecreeError
from store.pdf_layout import (
    CODE,
    ROW_NUMBER,
    Block,
    CellLine,
    Columns,
    Line,
    cell_lines,
    cuts,
    find_columns,
    goes_on,
    group_lines,
    name_blocks,
    number_blocks,
    segments,
)
from store.raw import RawDecree, RawRow, RawTotal

READ_ERRORS = (PdfminerException, PDFSyntaxError, PSException)


@dataclass
class TextLine:
    """A line outside the table."""

    text: str
    page: int


@dataclass
class TableStart:
    """A table header: the rows that follow belong to the appendix read last."""


@dataclass
class Heading:
    """A field-of-education heading row ("07 Инженерлік, өңдеу...")."""

    code: str
    name_lines: list[str]


@dataclass
class Total:
    """A "Барлығы" row and the places it prints."""

    printed: str


Item = TextLine | TableStart | Heading | Total | RawRow


# Pages


def _is_header(line: Line) -> bool:
    words = line.text.split()
    return CITY in words and RURAL in words


def _header_top(lines: list[Line], end: int) -> int:
    """Index of the first line of the table header whose costs line ("қала ауыл") is
    `end`: from its "№" (the first column's head) up through the lines that stand close
    together (a title is set off by a gap)."""
    number = next((i for i in range(end, -1, -1) if "№" in lines[i].text.split()), None)
    heading = next((i for i in range(end, -1, -1) if APPENDIX.match(lines[i].text)), -1)
    start = number if number is not None and number > heading else end
    return _block_top(lines, start)


def _block_top(lines: list[Line], end: int) -> int:
    """Index of the first line of the block of close-set lines that ends at `end` (not
    above an appendix heading or a table row)."""
    start = end
    while start > 0:
        above, below = lines[start - 1], lines[start]
        if APPENDIX.match(above.text) or _has_code(above):
            break
        if below.top - above.bottom > 0.6 * below.size:
            break
        start -= 1
    return start


def _header_bottom(lines: list[Line], start: int, rules: Sequence[float]) -> int:
    """Index after the last line of the table header whose costs line is `start`: a taller
    header cell may go on below "қала ауыл" in lower case ("...оқыту нысаны"); the body
    begins with a heading, a total, a code or a name (a capital letter), or below a rule
    drawn under the header (a row's name that goes on from the last page is in lower
    case too)."""
    end = start + 1
    while end < len(lines):
        above, below = lines[end - 1], lines[end]
        first = below.text[:1]
        starts_body = not first.islower() or TOTAL_WORD in below.text or _has_code(below)
        if starts_body or below.top - above.bottom > 0.6 * below.size:
            break
        end += 1
    bottom = lines[end - 1].bottom if end < len(lines) else float("inf")
    drawn = [y for y in rules if lines[start].bottom - 1 < y < bottom]
    if drawn:
        return next((i for i in range(start + 1, end) if lines[i].middle > min(drawn)), end)
    return end


def _has_code(line: Line) -> bool:
    return any(CODE.match(word) for word in line.text.split())


def _chunks(lines: list[Line], rules: Sequence[float] = ()) -> Iterator[tuple[str, list[Line]]]:
    """The page in reading order: ("header", []) where a table header stands (its own
    lines dropped), ("rows", lines) for lines that may be table rows, ("text", lines) from
    an appendix heading on. `rules`: y of the page's horizontal rules."""
    position = 0
    for end in (i for i, line in enumerate(lines) if _is_header(line)):
        yield from _loose(lines[position : _header_top(lines, end)])
        yield "header", []
        position = _header_bottom(lines, end, rules)
    yield from _loose(lines[position:])


def _loose(lines: list[Line]) -> Iterator[tuple[str, list[Line]]]:
    marker = next((i for i, line in enumerate(lines) if APPENDIX.match(line.text)), len(lines))
    heading = marker
    if marker < len(lines):
        # An appendix ends with its total: what stands after it, the next appendix's
        # heading block ("Қарағанды облысы әкімдігінің ... 2- қосымша"), is text.
        table = [i for i in range(marker) if TOTAL_WORD in lines[i].text or _has_code(lines[i])]
        heading = table[-1] + 1 if table else 0
    if lines[:heading]:
        yield "rows", lines[:heading]
    if lines[heading:]:
        yield "text", lines[heading:]


# Rows of a table body


@dataclass
class _Segment:
    """The body between two heading or total rows."""

    lines: list[CellLine] = field(default_factory=list)


def _column(cells: list[CellLine], index: int) -> list[Line]:
    return [c.line for c in cells if c.column == index]


_NUMBER, _CODE, _NAME, _SEATS, _CITY, _RURAL = range(6)
_COLUMNS = range(6)


@dataclass
class _RowCells:
    """A row's cells as lines, by column (they may go on over a page break)."""

    lines: dict[int, list[Line]]
    page: int
    row: RawRow | None = None

    def made(self, name_width: float) -> RawRow:
        """The raw row of these cells (made once, kept up to date as lines are added)."""
        number = Block(self.lines[_NUMBER]).text().strip()
        code = re.sub(r"\s", "", Block(self.lines[_CODE]).text())
        if not ROW_NUMBER.match(number) or not CODE.match(code):
            raise DecreeError(
                f"page {self.page}: a table row without its number and code"
                f" ({number or '-'} {code or '-'}): {Block(self.lines[_NAME]).text()[:60]!r}"
            )
        if self.row is None:
            self.row = RawRow(0, number, code, "", page=self.page)
        names = self.lines[_NAME]
        self.row.name_lines = [line.text for line in names]
        self.row.name_cuts = cuts(names, name_width)
        self.row.seats, self.row.city, self.row.rural = (
            Block(self.lines[c]).number_text() for c in (_SEATS, _CITY, _RURAL)
        )
        return self.row


@dataclass
class _Carry:
    """What one page of a table leaves to the next, as a word processor may break a tall
    row over a page: the last row (its name or rates may go on at the top of the next
    page), or the cells of a row whose other cells stand on the next page."""

    last: _RowCells | None = None
    partial: dict[int, list[Line]] | None = None
    name_width: float = 0.0
    page: int = 0

    def finish(self) -> None:
        """The table ended: a row left without its other cells is an error."""
        if self.partial:
            text = " ".join(Block(lines).text() for lines in self.partial.values())
            raise DecreeError(f"page {self.page}: table text that belongs to no row: {text[:60]!r}")


def _continues(column: int, line: Line, before: str) -> bool:
    """A cell's line that goes on the cell above: a name's line in lower case, a rate's
    line after an unfinished rate or beginning with "/"."""
    if column == _NAME:
        return not line.text[:1].isupper() and not line.text[:1].isdigit()
    if column in (_CITY, _RURAL):
        return goes_on(before, line.text)
    return False


def _without_header_overflow(column: int, lines: list[Line]) -> list[Line]:
    """A number column's lines without the words of a header cell that ran on below the
    rule closing the header (a repeated header row of fixed height: "тапсырысы" under the
    rule, beside the first row's name). A number cell always has a digit."""
    if column == _NAME:
        return lines
    first = 0
    while first < len(lines) and lines[first].text[:1].islower():
        if any(ch.isdigit() for ch in lines[first].text):
            break
        first += 1
    return lines[first:]


def _blocks(column: int, lines: list[Line]) -> list[Block]:
    if column == _NAME:
        return name_blocks([n for n in lines if not n.text.replace(" ", "").isdigit()])
    if column == _CODE:
        lines = [n for n in lines if CODE.match(n.text.replace(" ", ""))]
    return number_blocks(lines, rates=column in (_CITY, _RURAL))


class _Body:
    """One table body on one page: its columns, and the rows, headings and totals in it."""

    def __init__(self, lines: list[Line], columns: Columns, page: int, carry: _Carry) -> None:
        self.columns = columns
        self.page = page
        self.carry = carry
        carry.page = page
        self.items: list[tuple[float, Item]] = []
        rows_lines: list[Line] = []
        totals: list[tuple[Line, Total]] = []
        for line in lines:
            if (item := self._separator(line)) is not None:
                self.items.append((line.middle, item))
                if isinstance(item, Total):
                    totals.append((line, item))
            else:
                rows_lines.append(line)
        rows_lines = [line for line in rows_lines if not self._beside_a_total(line, totals)]
        self.cells = cell_lines(rows_lines, columns)
        # The width names wrap at: the widest name line seen in this table so far.
        names = _column(self.cells, _NAME)
        carry.name_width = max([carry.name_width, *(n.x1 - n.x0 for n in names)])

    def _beside_a_total(self, line: Line, totals: list[tuple[Line, Total]]) -> bool:
        """A line of numbers or dashes beside a "Барлығы" label, set a little higher or
        lower (a bold label, another alignment): it is the total's row, and its places are
        the total's when the label's line had none."""
        if not re.fullmatch(r"[\d\s\-–—]+", line.text):
            return False
        for label, total in totals:
            overlap = min(line.bottom, label.bottom) - max(line.top, label.top)
            if overlap > 0.3 * min(line.bottom - line.top, label.bottom - label.top):
                seats = [c for c in line.chars if self.columns.index(c) == _SEATS]
                if seats and not re.search(r"\d", total.printed):
                    total.printed = Line(seats).text
                return True
        return False

    def _separator(self, line: Line) -> Heading | Total | None:
        text = line.text
        squashed = re.sub(r"\s+", " ", text)
        if TOTAL_WORD in text.split() or squashed.startswith(TOTAL_WORD):
            seats = [c for c in line.chars if self.columns.index(c) == _SEATS]
            printed = Line(seats).text if seats else squashed.removeprefix(TOTAL_WORD)
            return Total(printed.strip())
        match = GROUP.match(squashed)
        # A heading's code and name are one run of text ("07 Инженерлік, ..."); a row's
        # number stands apart from its name in their own columns ("56" ... "техникалық").
        pieces = segments(line)
        first = re.sub(r"\s+", " ", pieces[0][2]) if pieces else ""
        if match and not _has_code(line) and GROUP.match(first):
            return Heading(match.group(1), [match.group(2)])
        return None

    def rows(self) -> list[Item]:
        """Headings, totals and rows in reading order."""
        edges = [float("-inf"), *(y for y, _ in self.items), float("inf")]
        found: list[tuple[float, Item]] = list(self.items)
        for k in range(len(edges) - 1):
            inside = [c for c in self.cells if edges[k] < c.line.middle < edges[k + 1]]
            before = self.items[k - 1][1] if k else None
            found += self._segment(inside, before, last=k == len(edges) - 2)
        found.sort(key=lambda pair: pair[0])
        return [item for _, item in found]

    def _segment(
        self, cells: list[CellLine], before: Item | None, last: bool
    ) -> list[tuple[float, Item]]:
        columns = {c: _column(cells, c) for c in _COLUMNS}
        if before is None:
            columns = {c: _without_header_overflow(c, lines) for c, lines in columns.items()}
        blocks = {c: _blocks(c, lines) for c, lines in columns.items()}
        names = blocks[_NAME]
        if isinstance(before, Heading) and names and _continues(_NAME, names[0].lines[0], ""):
            before.name_lines += [line.text for line in names.pop(0).lines]
        rows: list[tuple[float, Item]] = []
        if before is None:
            rows += self._go_on(blocks)
        count = max(len(found) for found in blocks.values())
        if last and count and any(len(found) == count - 1 for found in blocks.values()):
            # The last row goes on over the page: keep the cells it has.
            self.carry.partial = {
                c: found.pop().lines for c, found in blocks.items() if len(found) == count
            }
            count -= 1
        self._check(blocks, count)
        for i in range(count):
            cells_of = _RowCells({c: blocks[c][i].lines for c in _COLUMNS}, self.page)
            rows.append((cells_of.lines[_CODE][0].middle, self._row(cells_of)))
        return rows

    def _go_on(self, blocks: dict[int, list[Block]]) -> list[tuple[float, Item]]:
        """The top of a page: the cells of the row begun on the page before, and the lines
        that go on the cells of the last row."""
        carry = self.carry
        if carry.partial is not None:
            partial, carry.partial = carry.partial, None
            for column in _COLUMNS:
                found = blocks[column]
                if column not in partial:
                    partial[column] = found.pop(0).lines if found else []
                elif found and _continues(column, found[0].lines[0], Block(partial[column]).text()):
                    partial[column] += found.pop(0).lines
            cells_of = _RowCells(partial, self.page - 1)
            return [(float("-inf"), self._row(cells_of))]
        if carry.last is not None:
            for column in (_NAME, _CITY, _RURAL):
                found = blocks[column]
                before = Block(carry.last.lines[column]).text()
                if found and _continues(column, found[0].lines[0], before):
                    carry.last.lines[column] += found.pop(0).lines
            carry.last.made(carry.name_width)
        return []

    def _check(self, blocks: dict[int, list[Block]], count: int) -> None:
        if all(len(found) == count for found in blocks.values()):
            return
        counts = [len(blocks[c]) for c in _COLUMNS]
        where = f"page {self.page}"
        numbers = blocks[_NUMBER]
        row = f", row {numbers[0].text().strip()}" if numbers else ""
        raise DecreeError(
            f"{where}{row}: cannot give every line of the table to a row"
            f" ({counts[0]} numbers, {counts[1]} codes, {counts[2]} names,"
            f" {'/'.join(str(n) for n in counts[3:])} places/city/rural)"
        )

    def _row(self, cells: _RowCells) -> RawRow:
        row = cells.made(self.carry.name_width)
        self.carry.last = cells
        return row


# The document


@dataclass
class _Page:
    """What the reader takes from one page: its lines and its ruling."""

    number: int
    width: float
    height: float
    lines: list[Line]
    edges: list[dict[str, Any]]

    @classmethod
    def read(cls, page: Any, number: int) -> _Page:
        lines = group_lines(c for c in page.chars if c.get("text"))
        keep = ("orientation", "x0", "x1", "top", "bottom")
        edges = [{k: e[k] for k in keep} for e in page.edges]
        return cls(number, page.width, page.height, lines, edges)

    def footer(self) -> dict[str, Line]:
        """The lines at the foot of the page, by their text with digits as "#"."""
        return {_as_furniture(n.text): n for n in self.lines if n.top > FOOT * self.height}


# The lowest part of a page, where a running footer stands.
FOOT = 0.85
# A footer line this long that two pages print alike is the document's, not the table's.
FOOTER_TEXT = 25


def _as_furniture(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text)).strip()


def _without_footer(page: _Page, neighbours: Sequence[_Page | None]) -> _Page:
    """The page without a running footer: long lines at its foot that the page before or
    after prints there too (digits aside), such as an e-document system's signature note
    ("Осы құжат «Электрондық құжат ...» ... бірдей"). A row's text would not repeat."""
    elsewhere = {text for other in neighbours if other for text in other.footer()}
    running = {
        id(line) for text, line in page.footer().items()
        if len(text) >= FOOTER_TEXT and text in elsewhere
    }  # fmt: skip
    if not running:
        return page
    lines = [n for n in page.lines if id(n) not in running]
    return _Page(page.number, page.width, page.height, lines, page.edges)


def _horizontal_rules(page: _Page) -> list[float]:
    """y of the horizontal ruling lines at least a third of the page wide."""
    return [
        e["top"]
        for e in page.edges
        if e["orientation"] == "h" and e["x1"] - e["x0"] > page.width / 3
    ]


def _vertical_rules(page: _Page, lines: list[Line]) -> list[float]:
    """x of the vertical ruling lines that run through the table body."""
    if not lines:
        return []
    top, bottom = lines[0].top, lines[-1].bottom
    found = []
    for edge in page.edges:
        if edge["orientation"] != "v":
            continue
        overlap = min(bottom, edge["bottom"]) - max(top, edge["top"])
        if overlap > 0.5 * (bottom - top) or overlap > 40:
            found.append(edge["x0"])
    return found


def _without_furniture(lines: list[Line]) -> list[Line]:
    """Table lines without the page's own furniture: a page number (a lone short number,
    maybe between dashes) standing apart from the table above or below it; the row that
    numbers the columns ("1 2 3 4 5 6"); a "1-қосымшаның жалғасы" label."""
    kept = []
    for i, line in enumerate(lines):
        lone = re.fullmatch(r"[-–—\s]*\d{1,3}[-–—\s]*", line.text)
        above = line.top - lines[i - 1].bottom if i else float("inf")
        below = lines[i + 1].top - line.bottom if i + 1 < len(lines) else float("inf")
        if lone and min(above, below) > 1.2 * line.size:
            continue
        if _numbers_the_columns(line.text) or APPENDIX_CONTINUED.match(line.text.strip()):
            continue
        kept.append(line)
    return kept


def _numbers_the_columns(text: str) -> bool:
    """True for "1 2 3 4 5 6": the table's columns numbered, one number each, in order."""
    found = text.split()
    return len(found) >= 4 and found == [str(n) for n in range(1, len(found) + 1)]


def _page_items(page: _Page, state: dict[str, Any]) -> Iterator[Item]:
    """The items of one page; `state` carries the table's columns to a page that goes on
    with the table without repeating its header."""
    number, lines = page.number, page.lines
    for kind, chunk in _chunks(lines, _horizontal_rules(page)):
        if kind == "header":
            state["in_table"] = True
            yield TableStart()
        elif kind == "rows" and state.get("in_table"):
            chunk = _without_furniture(chunk)
            columns = find_columns(chunk, _vertical_rules(page, chunk), page.width)
            columns = columns or state.get("columns")
            if columns is None:
                raise DecreeError(f"page {number}: cannot find the table's columns")
            state["columns"] = columns
            carry = state.setdefault("carry", _Carry())
            yield from _Body(chunk, columns, number, carry).rows()
        else:
            if kind == "text":  # a new appendix: nothing goes on from the last table
                state.setdefault("carry", _Carry()).finish()
                state["in_table"], state["carry"] = False, _Carry()
            yield from (TextLine(line.text, number) for line in chunk)


def _items(path: Path) -> Iterator[Item]:
    try:
        pdf = pdfplumber.open(path)
    except READ_ERRORS as error:
        raise DecreeError(f"{path.name}: not a readable PDF ({_cause(error)})") from error
    with pdf:
        try:
            pages = list(pdf.pages)
        except READ_ERRORS as error:
            raise DecreeError(f"{path.name}: not a readable PDF ({_cause(error)})") from error
        if not pages:
            raise DecreeError(f"{path.name}: the PDF has no pages")
        if not any(page.chars for page in pages):
            raise DecreeError(f"{path.name}: the PDF has no text layer (a scan?)")
        state: dict[str, Any] = {}
        for before, page, after in _with_neighbours(_read_pages(pages)):
            yield from _page_items(_without_footer(page, (before, after)), state)
        state.setdefault("carry", _Carry()).finish()


def _read_pages(pages: list[Any]) -> Iterator[_Page]:
    for number, page in enumerate(pages, start=1):
        found = _Page.read(page, number)
        page.flush_cache()  # what the reader keeps is small; pdfplumber's cache is not
        yield found


def _with_neighbours(pages: Iterator[_Page]) -> Iterator[tuple[_Page | None, _Page, _Page | None]]:
    """Each page with the one before and the one after it (None at the ends)."""
    before: _Page | None = None
    page = next(pages, None)
    while page is not None:
        after = next(pages, None)
        yield before, page, after
        before, page = page, after


def _cause(error: Exception) -> str:
    cause = error.args[0] if error.args else error
    if (
        isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError)
        or "password" in str(cause).lower()
    ):
        return "encrypted"
    text = str(cause) or type(cause).__name__
    return text.splitlines()[0][:120]


class _Assembler:
    """Puts the items in their appendices and groups."""

    def __init__(self) -> None:
        self.raw = RawDecree(heading="")
        self.heading: list[str] = []
        self.appendix = 0
        self.in_table = False
        self.group: str | None = None

    def feed(self, item: Item) -> None:
        match item:
            case TextLine(text=text):
                self._text(text)
            case TableStart():
                self.in_table = self.appendix > 0
            case Heading(code=code, name_lines=name) if self.in_table:
                self.group = code
                self.raw.groups[(self.appendix, code)] = name
            case Total(printed=printed) if self.in_table:
                self.raw.totals.append(RawTotal(self.appendix, self.group, printed))
                self.group = None
            case RawRow() if self.in_table:
                item.appendix, item.group_code = self.appendix, self.group or ""
                self.raw.rows.append(item)

    def _text(self, text: str) -> None:
        if match := APPENDIX.match(text.strip()):
            self.appendix, self.in_table, self.group = int(match.group(1)), False, None
            self.raw.appendices[self.appendix] = []
        elif self.appendix == 0:
            self.heading.append(text)
        elif not self.in_table:
            self.raw.appendices[self.appendix].append(text.strip())


def read_pdf(path: Path) -> RawDecree:
    """Find heading, appendices, groups, rows and totals in a decree PDF."""
    assembler = _Assembler()
    try:
        for item in _items(path):
            assembler.feed(item)
    except DecreeError:
        raise
    except READ_ERRORS as error:
        raise DecreeError(f"{path.name}: not a readable PDF ({_cause(error)})") from error
    assembler.raw.heading = "\n".join(assembler.heading)
    return assembler.raw
