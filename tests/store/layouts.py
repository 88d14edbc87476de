"""Render decree 43/19 in many layouts with reportlab, for reader tests.

Every layout prints the same content: the heading page, the three appendices with
their heading blocks and titles, the table header ("қала"/"ауыл" under the costs
header), group heading rows, all 132 rows and the printed "Барлығы" totals (including
the two group totals that are wrong in the decree). Only the layout changes: ruling,
horizontal and vertical alignment, orientation, font and size, column widths, how
several rates share a cell, how totals are printed, and whether the table header is
repeated on every page.

The content comes from the hand transcription in tests/data (expected_rows.tsv,
expected_groups.tsv) and is printed the way the decree prints it (see
expected_NOTES.md): thousands spaces, several rates joined with "/", the stray digit
"873 4433", "474940" without a space, codes as printed (the 7-digit "9160100").

Cells are wrapped the way a word processor wraps them: at spaces, and a word wider
than the cell is cut where it no longer fits (no hyphen). A row is never split
across pages; a group heading may be the last line of a page.

    python -m tests.store.layouts OUT_DIR      # render the whole MATRIX into OUT_DIR
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.store.pdf_factory import ACT, APPENDIX_HEADING, APPENDIX_TITLES, BODY, HEADER, TITLE

DATA = Path(__file__).resolve().parents[1] / "data"
FONT_ROOT = Path("/usr/share/fonts/truetype")
# Short name -> (regular file, bold file). The "liberation2" files are the ones with
# Kazakh letters (ә ғ қ ң ө ұ ү һ); the older "liberation" ones lack them.
FONT_FILES = {
    "serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "libsans": ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
    "libserif": (
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSerif-Bold.ttf",
    ),
}
SUB_HEADER = ("қала", "ауыл")
TOTAL_LABEL = "Барлығы"


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """One way an office might lay the decree out.

    ruling:        "grid" (every cell edge), "hrules" (horizontal edges only),
                   "vrules" (vertical edges only), "none".
    text_align:    name cells and the "Барлығы" label: "left", "center", "right" or
                   "justify" (lines spread to the cell width, a lone word letter-spaced,
                   the last line left-aligned, as in the shipped decree).
    number_align:  №, code, seats and cost cells: "left", "center", "right".
    valign:        body cells within a tall row: "top", "middle", "bottom".
    orientation:   "portrait", "landscape", or "mixed" (portrait heading page,
                   landscape appendices).
    font, size:    a FONT_FILES key and the point size of the table and text.
    widths:        "decree" (proportions of the shipped decree), "narrowname" (names
                   wrap into several lines and long words are cut), "widename" (names
                   rarely wrap), "narrownums" (cost cells so narrow that
                   "465 161/552 703" wraps).
    repeat_header: the table header on every page, or only where the table starts.
    rates:         several rates in one cell: "inline" ("465 161/552 703", wrapped
                   like text), "spaced" ("465 161 / 552 703"), "stacked" (one rate a
                   line, "/" ending the line), "stackedlead" (one a line, "/" leading).
    totals:        cost cells of "Барлығы" rows: "decree" (as printed: "- -" on the
                   appendix 2 and 3 totals only), "dashes" (every total), "blank".
    label:         "name" ("Барлығы" in the name column) or "span" (a cell spanning
                   №, code and name).
    page_numbers:  a page number centred at the foot of every page but the first.
    bold:          group headings and titles in bold.
    """

    name: str
    ruling: str
    text_align: str
    number_align: str
    valign: str
    orientation: str
    font: str
    size: float
    widths: str
    repeat_header: bool
    rates: str = "inline"
    totals: str = "decree"
    label: str = "name"
    page_numbers: bool = False
    bold: bool = True


def _layout(
    ruling: str,
    text_align: str,
    number_align: str,
    valign: str,
    orientation: str,
    font: str,
    size: float,
    widths: str,
    repeat_header: bool,
    rates: str = "inline",
    totals: str = "decree",
    label: str = "name",
    page_numbers: bool = False,
    bold: bool = True,
) -> Layout:
    """A Layout whose name spells out its factors (defaults are left out)."""
    parts = [
        ruling,
        f"txt{text_align}",
        f"num{number_align}",
        valign,
        orientation,
        f"{font}{size:g}",
        widths,
        "repeat" if repeat_header else "norepeat",
    ]
    if rates != "inline":
        parts.append(rates)
    if totals != "decree":
        parts.append(f"{totals}totals")
    if label != "name":
        parts.append("spanlabel")
    if page_numbers:
        parts.append("pagenum")
    if not bold:
        parts.append("nobold")
    return Layout(
        "-".join(parts),
        ruling,
        text_align,
        number_align,
        valign,
        orientation,
        font,
        size,
        widths,
        repeat_header,
        rates,
        totals,
        label,
        page_numbers,
        bold,
    )


L = _layout
# fmt: off
# ruling, text align, number align, valign, orientation, font, size, widths, repeat header,
# then the rarer factors by keyword.
MATRIX: list[Layout] = [
    # Full grid.
    L("grid", "left", "center", "middle", "portrait", "serif", 9, "decree", True),
    L("grid", "justify", "center", "middle", "portrait", "serif", 8.5, "narrowname", True),
    L("grid", "left", "right", "top", "landscape", "sans", 10, "widename", False,
      rates="stacked"),
    L("grid", "center", "center", "bottom", "portrait", "libserif", 11, "narrownums", True,
      totals="dashes", label="span"),
    L("grid", "right", "left", "middle", "landscape", "libsans", 7.5, "narrowname", False,
      rates="spaced", page_numbers=True),
    L("grid", "left", "left", "top", "mixed", "sans", 9.5, "narrownums", True,
      rates="stackedlead", totals="blank"),
    L("grid", "center", "right", "top", "portrait", "libsans", 10.5, "widename", False),
    L("grid", "left", "center", "bottom", "landscape", "libserif", 8, "narrowname", True,
      rates="spaced", bold=False),
    # Horizontal rules between rows only.
    L("hrules", "left", "right", "bottom", "landscape", "sans", 9, "narrowname", False),
    L("hrules", "center", "center", "middle", "portrait", "serif", 10, "decree", True,
      rates="stacked", totals="dashes", label="span"),
    L("hrules", "right", "right", "top", "portrait", "libsans", 8, "widename", True,
      bold=False),
    L("hrules", "left", "center", "middle", "landscape", "libserif", 10.5, "narrownums", False,
      rates="spaced", label="span", page_numbers=True),
    L("hrules", "justify", "left", "bottom", "portrait", "sans", 7.5, "narrowname", True,
      rates="stackedlead", totals="blank"),
    L("hrules", "left", "right", "middle", "mixed", "serif", 11, "widename", True),
    L("hrules", "center", "left", "top", "landscape", "libsans", 9, "decree", False,
      totals="dashes"),
    # Vertical rules only.
    L("vrules", "left", "center", "top", "portrait", "sans", 9, "decree", True),
    L("vrules", "center", "right", "middle", "landscape", "serif", 8, "narrowname", False,
      rates="stacked"),
    L("vrules", "right", "center", "bottom", "portrait", "libserif", 9.5, "widename", True,
      rates="spaced", totals="dashes", label="span"),
    L("vrules", "left", "left", "middle", "landscape", "libsans", 11, "narrownums", True,
      totals="blank", page_numbers=True, bold=False),
    L("vrules", "justify", "right", "top", "mixed", "serif", 10, "narrowname", False),
    L("vrules", "left", "center", "bottom", "portrait", "sans", 8.5, "narrownums", False,
      rates="stackedlead", label="span"),
    # No rules at all.
    L("none", "left", "left", "top", "portrait", "serif", 9, "decree", True),
    L("none", "center", "center", "middle", "landscape", "sans", 10, "widename", False),
    L("none", "right", "right", "bottom", "portrait", "libsans", 8.5, "narrowname", True,
      rates="stacked", totals="dashes"),
    L("none", "left", "right", "middle", "landscape", "libserif", 7.5, "narrownums", True,
      rates="spaced", bold=False),
    L("none", "justify", "center", "top", "portrait", "libserif", 10, "narrowname", False,
      totals="blank", label="span"),
    L("none", "left", "center", "bottom", "mixed", "sans", 11, "decree", False,
      rates="stackedlead", page_numbers=True),
    L("none", "center", "left", "top", "landscape", "serif", 9.5, "narrownums", True),
]
# fmt: on
del L
assert len({layout.name for layout in MATRIX}) == len(MATRIX), "layout names must be unique"


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Item:
    """One table line to print: a group heading, a row, or a "Барлығы" total."""

    kind: str  # "group", "row", "total"
    text: str = ""  # group heading text
    number: str = ""
    code: str = ""
    name: str = ""
    seats: str = ""
    city: tuple[str, ...] = ()
    rural: tuple[str, ...] = ()
    appendix_total: bool = False
    dashes: bool = False  # the decree prints "-" in the cost cells of this total


def money(value: int) -> str:
    """A number as the decree prints it: "1 231 599"."""
    return f"{value:,}".replace(",", " ")


# Rates the decree prints differently from money(value): (appendix, row, column, index).
PRINTED_RATES = {
    (1, 30, "rural", 1): "873 4433",  # a stray digit; the intended rate is 873 443
    (1, 38, "rural", 1): "474940",  # no thousands space
}
# Appendix totals the decree prints without a thousands space.
PRINTED_TOTALS = {1: "3790"}
# Appendix totals printed with "-" in both cost cells.
DASHED_TOTALS = {2, 3}


def _rates(appendix: int, row: int, column: str, field: str) -> tuple[str, ...]:
    values = [int(value) for value in field.split("|")]
    return tuple(
        PRINTED_RATES.get((appendix, row, column, i), money(value))
        for i, value in enumerate(values)
    )


@cache
def decree_items() -> dict[int, tuple[Item, ...]]:
    """The table lines of each appendix, in printed order."""
    with (DATA / "expected_rows.tsv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    with (DATA / "expected_groups.tsv").open(encoding="utf-8") as file:
        groups = {(g["appendix"], g["group_code"]): g for g in csv.DictReader(file, delimiter="\t")}
    items: dict[int, list[Item]] = {}
    for i, row in enumerate(rows):
        appendix = int(row["appendix"])
        lines = items.setdefault(appendix, [])
        group = groups[(row["appendix"], row["group_code"])]
        if (
            i == 0
            or rows[i - 1]["group_code"] != row["group_code"]
            or rows[i - 1]["appendix"] != row["appendix"]
        ):
            lines.append(Item("group", text=f"{row['group_code']} {group['group_name']}"))
        number = int(row["row"])
        lines.append(
            Item(
                "row",
                number=str(number),
                code=row["code_raw"],
                name=row["name"],
                seats=money(int(row["seats"])),
                city=_rates(appendix, number, "city", row["city_costs"]),
                rural=_rates(appendix, number, "rural", row["rural_costs"]),
            )
        )
        last = i + 1 == len(rows) or rows[i + 1]["appendix"] != row["appendix"]
        if last or rows[i + 1]["group_code"] != row["group_code"]:
            lines.append(Item("total", seats=money(int(group["printed_total"]))))
        if last:
            total = int(groups[(row["appendix"], "TOTAL")]["printed_total"])
            lines.append(
                Item(
                    "total",
                    seats=PRINTED_TOTALS.get(appendix, money(total)),
                    appendix_total=True,
                    dashes=appendix in DASHED_TOTALS,
                )
            )
    return {appendix: tuple(lines) for appendix, lines in items.items()}


# --------------------------------------------------------------------------- geometry


def fonts_missing() -> list[str]:
    """Font files of FONT_FILES that are not installed."""
    return [f for pair in FONT_FILES.values() for f in pair if not (FONT_ROOT / f).is_file()]


def _fonts(short: str) -> tuple[str, str]:
    """Register a font family with reportlab; its (regular, bold) reportlab names."""
    regular, bold = f"L-{short}", f"L-{short}-Bold"
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in zip((regular, bold), FONT_FILES[short], strict=True):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_ROOT / file)))
    return regular, bold


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` in a cell `width` wide, broken as a word processor breaks them:
    at spaces, and a word wider than the cell cut where it no longer fits."""

    def fits(s: str) -> bool:
        return pdfmetrics.stringWidth(s, font, size) <= width

    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and fits(f"{line} {word}"):
            line = f"{line} {word}"
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and not fits(line + char):
                lines.append(line)
                line = ""
            line += char
    if line or not lines:
        lines.append(line)
    return lines


# Column weights (share of the table width) or fixed widths in ems of the font size,
# for: №, code, name, seats, city costs, rural costs.
WIDTHS: dict[str, tuple[tuple[str, float], ...]] = {
    "decree": (("w", 5), ("em", 6.2), ("w", 20), ("w", 14), ("w", 25), ("w", 25)),
    "narrowname": (("w", 6), ("w", 14), ("em", 8.5), ("w", 16), ("w", 32), ("w", 32)),
    "widename": (("em", 2.4), ("em", 6.4), ("w", 1), ("em", 5.5), ("em", 8.5), ("em", 8.5)),
    "narrownums": (("em", 2.4), ("em", 6.4), ("w", 1), ("em", 4.6), ("em", 5.4), ("em", 5.4)),
}
MARGINS = {"left": 56.0, "right": 40.0, "top": 42.0, "bottom": 46.0}


@dataclass
class Cell:
    first: int  # first column
    last: int  # last column (inclusive)
    lines: list[str]
    align: str
    bold: bool = False


class _Renderer:
    def __init__(self, layout: Layout, path: Path) -> None:
        self.layout = layout
        self.size = layout.size
        self.leading = round(layout.size * 1.22, 2)
        self.pad_x = max(2.0, layout.size * 0.3)
        self.pad_y = layout.size * 0.3
        self.font, self.bold_font = _fonts(layout.font)
        self.canvas = canvas.Canvas(str(path), invariant=True, pageCompression=1)
        self.canvas.setTitle(TITLE)
        self.page = 0
        self.page_size = A4
        self.segments: set[tuple[float, float, float, float]] = set()

    # ------------------------------------------------------------ pages

    def start_page(self, page_size: tuple[float, float]) -> None:
        if self.page:
            self.finish_page()
        self.page += 1
        self.page_size = page_size
        self.canvas.setPageSize(page_size)
        self.y = page_size[1] - MARGINS["top"]
        self.segments = set()

    def finish_page(self) -> None:
        c = self.canvas
        c.setLineWidth(0.5)
        for x0, y0, x1, y1 in sorted(self.segments):
            c.line(x0, y0, x1, y1)
        if self.layout.page_numbers and self.page > 1:
            c.setFont(self.font, self.size)
            c.drawCentredString(self.page_size[0] / 2, MARGINS["bottom"] / 2, str(self.page))
        c.showPage()

    @property
    def left(self) -> float:
        return MARGINS["left"]

    @property
    def text_width(self) -> float:
        return self.page_size[0] - MARGINS["left"] - MARGINS["right"]

    # ------------------------------------------------------------ text

    def draw_line(
        self,
        text: str,
        x: float,
        width: float,
        y: float,
        align: str,
        font: str,
        justify: bool = False,
    ) -> None:
        c = self.canvas
        c.setFont(font, self.size)
        natural = pdfmetrics.stringWidth(text, font, self.size)
        if align == "justify" and justify and natural < width:
            words = text.split(" ")
            if len(words) > 1:
                widths = [pdfmetrics.stringWidth(w, font, self.size) for w in words]
                gap = (width - sum(widths)) / (len(words) - 1)
                for word, w in zip(words, widths, strict=True):
                    c.drawString(x, y, word)
                    x += w + gap
            elif len(text) > 1:
                text_object = c.beginText(x, y)
                text_object.setFont(font, self.size)
                text_object.setCharSpace((width - natural) / (len(text) - 1))
                text_object.textOut(text)
                text_object.setCharSpace(0)  # Tc outlives the text object otherwise
                c.drawText(text_object)
            else:
                c.drawString(x, y, text)
        elif align == "center":
            c.drawCentredString(x + width / 2, y, text)
        elif align == "right":
            c.drawRightString(x + width, y, text)
        else:
            c.drawString(x, y, text)

    def paragraph(
        self,
        text: str,
        align: str = "left",
        bold: bool = False,
        x: float | None = None,
        width: float | None = None,
        indent: float = 0.0,
        space_after: float | None = None,
    ) -> None:
        x = self.left if x is None else x
        width = self.text_width if width is None else width
        font = self.bold_font if bold else self.font
        lines = wrap(text, font, self.size, width - indent)
        for i, line in enumerate(lines):
            self.y -= self.leading
            offset = indent if i == 0 else 0.0
            self.draw_line(
                line, x + offset, width - offset, self.y, align, font, justify=i < len(lines) - 1
            )
        self.y -= self.leading * 0.5 if space_after is None else space_after

    # ------------------------------------------------------------ table

    def columns(self) -> list[tuple[float, float]]:
        """(left, width) of the six columns on the current page."""
        spec = WIDTHS[self.layout.widths]
        total = self.text_width
        fixed = sum(v * self.size for kind, v in spec if kind == "em")
        weights = sum(v for kind, v in spec if kind == "w")
        free = total - fixed
        assert free > 0, f"{self.layout.name}: fixed columns wider than the page"
        widths = [v * self.size if kind == "em" else free * v / weights for kind, v in spec]
        lefts = [self.left + sum(widths[:i]) for i in range(len(widths))]
        return list(zip(lefts, widths, strict=True))

    def span(self, first: int, last: int) -> tuple[float, float]:
        cols = self.columns()
        return cols[first][0], cols[last][0] + cols[last][1] - cols[first][0]

    def cell_lines(self, text: str, first: int, last: int, bold: bool = False) -> list[str]:
        _, width = self.span(first, last)
        return wrap(text, self.bold_font if bold else self.font, self.size, width - 2 * self.pad_x)

    def rate_lines(self, rates: Sequence[str], column: int) -> list[str]:
        if not rates:
            return []
        style = self.layout.rates
        if style in ("inline", "spaced"):
            texts = [("/" if style == "inline" else " / ").join(rates)]
        elif style == "stacked":
            texts = [r + ("/" if i < len(rates) - 1 else "") for i, r in enumerate(rates)]
        else:  # "stackedlead"
            texts = [("/" if i else "") + r for i, r in enumerate(rates)]
        return [line for text in texts for line in self.cell_lines(text, column, column)]

    def height(self, cells: Sequence[Cell]) -> float:
        return max(len(cell.lines) for cell in cells) * self.leading + 2 * self.pad_y

    def draw_cells(self, cells: Sequence[Cell], top: float, height: float, valign: str) -> None:
        """Cells of one band `height` tall starting at `top`; their text and edges."""
        for cell in cells:
            x, width = self.span(cell.first, cell.last)
            block = len(cell.lines) * self.leading
            if valign == "top":
                block_top = top - self.pad_y
            elif valign == "bottom":
                block_top = top - height + self.pad_y + block
            else:
                block_top = top - (height - block) / 2
            font = self.bold_font if cell.bold else self.font
            for i, line in enumerate(cell.lines):
                baseline = block_top - i * self.leading - (self.leading + self.size * 0.6) / 2
                self.draw_line(
                    line,
                    x + self.pad_x,
                    width - 2 * self.pad_x,
                    baseline,
                    cell.align,
                    font,
                    justify=i < len(cell.lines) - 1,
                )
            self.edges(x, top, width, height)

    def edges(self, x: float, top: float, width: float, height: float) -> None:
        ruling = self.layout.ruling
        r = lambda v: round(v, 2)  # noqa: E731
        x0, x1, y0, y1 = r(x), r(x + width), r(top - height), r(top)
        if ruling in ("grid", "hrules"):
            self.segments.add((x0, y1, x1, y1))
            self.segments.add((x0, y0, x1, y0))
        if ruling in ("grid", "vrules"):
            self.segments.add((x0, y0, x0, y1))
            self.segments.add((x1, y0, x1, y1))

    def header(self) -> None:
        """The two-line table header; "қала" and "ауыл" under the costs header."""
        tall = [Cell(i, i, self.cell_lines(HEADER[i], i, i), "center") for i in range(4)]
        costs = Cell(4, 5, self.cell_lines(HEADER[4], 4, 5), "center")
        sub = [Cell(4, 4, [SUB_HEADER[0]], "center"), Cell(5, 5, [SUB_HEADER[1]], "center")]
        sub_height = self.height(sub)
        height = max(self.height(tall), self.height([costs]) + sub_height)
        top = self.y
        self.draw_cells(tall, top, height, "middle")
        self.draw_cells([costs], top, height - sub_height, "middle")
        self.draw_cells(sub, top - (height - sub_height), sub_height, "middle")
        self.y -= height

    def item_cells(self, item: Item) -> list[Cell]:
        lay = self.layout
        num = lay.number_align
        if item.kind == "group":
            align = "center" if lay.text_align == "center" else "left"
            return [Cell(0, 5, self.cell_lines(item.text, 0, 5, lay.bold), align, lay.bold)]
        if item.kind == "row":
            return [
                Cell(0, 0, self.cell_lines(item.number, 0, 0), num),
                Cell(1, 1, self.cell_lines(item.code, 1, 1), num),
                Cell(2, 2, self.cell_lines(item.name, 2, 2), lay.text_align),
                Cell(3, 3, self.cell_lines(item.seats, 3, 3), num),
                Cell(4, 4, self.rate_lines(item.city, 4), num),
                Cell(5, 5, self.rate_lines(item.rural, 5), num),
            ]
        dash = lay.totals == "dashes" or (lay.totals == "decree" and item.dashes)
        costs = ["-"] if dash else []
        label_align = "left" if lay.text_align == "justify" else lay.text_align
        if lay.label == "span":
            label = [Cell(0, 2, self.cell_lines(TOTAL_LABEL, 0, 2), label_align)]
        else:
            label = [
                Cell(0, 0, [], num),
                Cell(1, 1, [], num),
                Cell(2, 2, self.cell_lines(TOTAL_LABEL, 2, 2), label_align),
            ]
        return [
            *label,
            Cell(3, 3, self.cell_lines(item.seats, 3, 3), num),
            Cell(4, 4, list(costs), num),
            Cell(5, 5, list(costs), num),
        ]

    def table_line(self, item: Item) -> None:
        cells = self.item_cells(item)
        height = self.height(cells)
        if self.y - height < MARGINS["bottom"]:
            self.start_page(self.page_size)
            if self.layout.repeat_header:
                self.header()
        self.draw_cells(cells, self.y, height, self.layout.valign)
        self.y -= height

    # ------------------------------------------------------------ document

    def heading_page(self) -> None:
        size = landscape(A4) if self.layout.orientation == "landscape" else A4
        self.start_page(size)
        self.paragraph(TITLE, "center", bold=self.layout.bold, space_after=self.leading)
        self.paragraph(ACT, "center", space_after=self.leading)
        for text in BODY:
            self.paragraph(text, "justify", indent=self.size * 3)

    def appendix(self, number: int, items: Sequence[Item]) -> None:
        size = A4 if self.layout.orientation == "portrait" else landscape(A4)
        self.start_page(size)
        block_width = (
            max(pdfmetrics.stringWidth(line, self.font, self.size) for line in APPENDIX_HEADING) + 2
        )
        x = self.page_size[0] - MARGINS["right"] - block_width
        for line in (*APPENDIX_HEADING, f"{number}- қосымша"):
            self.paragraph(line, "right", x=x, width=block_width, space_after=0)
        self.y -= self.leading
        for line in APPENDIX_TITLES[number]:
            self.paragraph(line, "center", bold=self.layout.bold, space_after=0)
        self.y -= self.leading
        self.header()
        for item in items:
            self.table_line(item)

    def save(self) -> None:
        self.finish_page()
        self.canvas.save()


def render(layout: Layout, path: Path) -> None:
    """Write the whole decree (heading page and three appendices) in `layout` to `path`."""
    renderer = _Renderer(layout, path)
    renderer.heading_page()
    for number, items in sorted(decree_items().items()):
        renderer.appendix(number, items)
    renderer.save()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("layouts")
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for layout in MATRIX:
        render(layout, out / f"{layout.name}.pdf")
    print(f"{len(MATRIX)} layouts in {time.perf_counter() - start:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
