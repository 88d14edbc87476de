"""Render the Karaganda decree No 43/19 (2025) in several office layouts, as PDFs.

The content comes from the hand transcription in tests/data (expected_rows.tsv,
expected_groups.tsv) and is printed the way the decree prints it: rates with a
thousands space, several rates in one cell joined with "/", the stray-digit rate
"873 4433" (appendix 1 row 30, rural), "474940" without a space (appendix 1 row 38),
codes as printed (one 7-digit code, "9160100"), the printed group totals (two of which
are wrong). Only the layout changes from one rendering to the next.

Families:
  a  unruled tables, numbers centred in their cells (a borderless Word table)
  b  horizontal rules between rows only, numbers at the bottom of tall cells
  c  Word documents (python-docx) exported to PDF by LibreOffice
  d  other layouts an office might produce

    python benchmarks/reader_blind/render.py OUTDIR [--only NAME ...] [--check] [--png]
    python benchmarks/reader_blind/render.py --regen-word   # rebuild fixtures/

The Word renderings need LibreOffice (soffice); their PDFs (and .docx) are cached in
fixtures/ and only rebuilt with --regen-word or when missing.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "tests" / "data"
FIXTURES = HERE / "fixtures"

# --------------------------------------------------------------------------- content

TITLE = (
    "Техникалық және кәсіптік, орта білімнен кейінгі білімі бар кадрларды даярлауға "
    "2025-2026 оқу жылына арналған мемлекеттік білім беру тапсырысын бекіту туралы"
)
ACT_LINE = "Қарағанды облысының әкімдігінің 2025 жылғы 6 тамыздағы № 43/19 қаулысы"
BODY = [
    '"Қазақстан Республикасындағы жергілікті мемлекеттік басқару және өзін-өзі басқару '
    'туралы", "Білім туралы" Қазақстан Республикасының заңдарына сәйкес Қарағанды '
    "облысының әкімдігі ҚАУЛЫ ЕТЕДІ:",
    "1. 2025-2026 оқу жылына техникалық және кәсіптік, орта білімнен кейінгі білімі бар "
    "кадрларды даярлауға арналған мемлекеттік білім беру тапсырысы осы қаулының 1, 2, "
    "3-қосымшаларына сәйкес бекітілсін.",
    "2. Осы қаулының орындалуын бақылау облыс әкімінің жетекшілік ететін орынбасарына жүктелсін.",
    "3. Осы қаулы оның алғашқы ресми жарияланған күнінен бастап қолданысқа енгізіледі.",
]
SIGNATURE = "Қарағанды облысының әкімі Е. Бөлекпаев"

HEADING_LINES = ["Қарағанды облысы әкімдігінің", "2025 жылғы 6 тамыздағы", "№ 43/19 қаулысына"]
APPENDIX_TITLE = (
    "Техникалық және кәсіптік, орта білімнен кейінгі білімі бар кадрларды даярлауға "
    "2025-2026 оқу жылына арналған мемлекеттік білім беру тапсырысы"
)
APPENDIX_SUBTITLE = {
    1: "(жұмысшы мамандықтар бойынша кадрларды даярлау үшін)",
    2: "(орта буын кадрларын даярлау үшін)",
    3: "Орта білімнен кейінгі білімі бар кадрларды даярлаудың 2025-2026 оқу жылына "
    "арналған мемлекеттік білім беру тапсырысы",
}

H_NO = "№"
H_CODE = "Білім деңгейінің, мамандық және біліктілік коды"
H_NAME = "Мамандық атауы"
H_SEATS = (
    "2025-2026 оқу жылына мемлекеттік білім беру тапсырысы көлемі (орын саны) күндізгі оқыту нысаны"
)
H_COSTS = "Оқу жылында бір маманды оқытуға жұмсалатын орташа шығыстар, теңге"
H_CITY = "қала"
H_RURAL = "ауыл"
TOTAL_WORD = "Барлығы"

# How the decree prints a few cells (see tests/data/expected_NOTES.md, defects 2 and 3).
PRINTED_RATES = {
    (1, 30, "rural"): ["511 788", "873 4433"],
    (1, 38, "rural"): ["460 672", "474940"],
}
# Totals printed without a thousands space / with dashes in the cost columns (PDF).
UNSPACED_TOTALS = {(1, "TOTAL")}
DASHED_TOTALS = {(2, "TOTAL"), (3, "TOTAL")}


def money(n: int) -> str:
    return f"{n:,}".replace(",", " ")


@dataclass
class Item:
    kind: str  # "group" | "row" | "total"
    cells: list[str]  # group: [heading]; row/total: [no, code, name, seats, city, rural]


@dataclass
class Appendix:
    number: int
    items: list[Item] = field(default_factory=list)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def expected_rows() -> list[dict[str, str]]:
    return read_tsv(DATA / "expected_rows.tsv")


def load_decree() -> list[Appendix]:
    rows = expected_rows()
    groups = read_tsv(DATA / "expected_groups.tsv")
    appendices = []
    for number in (1, 2, 3):
        app = Appendix(number)
        for g in (g for g in groups if int(g["appendix"]) == number):
            code = g["group_code"]
            total = int(g["printed_total"])
            key = (number, code)
            total_text = str(total) if key in UNSPACED_TOTALS else money(total)
            dash = "-" if key in DASHED_TOTALS else ""
            if code != "TOTAL":
                app.items.append(Item("group", [f"{code} {g['group_name']}"]))
                for r in rows:
                    if int(r["appendix"]) == number and r["group_code"] == code:
                        app.items.append(Item("row", row_cells(r)))
            app.items.append(Item("total", ["", "", TOTAL_WORD, total_text, dash, dash]))
        appendices.append(app)
    return appendices


def row_cells(r: dict[str, str]) -> list[str]:
    a, n = int(r["appendix"]), int(r["row"])

    def rates(column: str) -> str:
        printed = PRINTED_RATES.get((a, n, column))
        if printed is None:
            printed = [money(int(x)) for x in r[f"{column}_costs"].split("|")]
        return "/".join(printed)

    return [str(n), r["code_raw"], r["name"], r["seats"], rates("city"), rates("rural")]


# --------------------------------------------------------------------------- layouts


@dataclass
class Layout:
    name: str
    family: str
    description: str
    engine: str = "reportlab"  # or "word"
    landscape: bool = False
    font: str = "DejaVuSans"
    bold: str = "DejaVuSans-Bold"
    size: float = 9.0
    header_size: float | None = None
    leading: float = 1.2
    widths: tuple[float, ...] = (0.06, 0.13, 0.33, 0.14, 0.17, 0.17)  # fractions
    rules: str = "grid"  # grid | none | hrules | vrules
    num_halign: str = "center"  # center | right | left
    num_valign: str = "middle"  # middle | bottom | top
    name_valign: str = "top"
    header_every_page: bool = True
    number_first: bool = True  # "N-қосымша" above the three heading lines
    page_numbers: bool = False
    shading: bool = False
    pad: float = 3.0
    margins_mm: tuple[float, float, float, float] = (25, 10, 15, 15)  # l r t b
    # Word only
    word_font: str = "Times New Roman"
    word_borders: bool = True
    word_cant_split: bool = False


LAYOUTS: list[Layout] = [
    Layout(
        "a-unruled-landscape-centred",
        "a",
        "landscape, no rules, DejaVu Sans 10, every cell centred vertically, numbers "
        "centred horizontally",
        landscape=True,
        size=10,
        rules="none",
        num_valign="middle",
        name_valign="middle",
        widths=(0.05, 0.11, 0.38, 0.14, 0.16, 0.16),
    ),
    Layout(
        "a-unruled-portrait-liberation",
        "a",
        "portrait, no rules, Liberation Sans 9, centred numbers, table header only on "
        "the first page of each appendix",
        font="LiberationSans",
        bold="LiberationSans-Bold",
        rules="none",
        name_valign="middle",
        header_every_page=False,
        widths=(0.06, 0.14, 0.36, 0.12, 0.16, 0.16),
    ),
    Layout(
        "b-hrules-bottom-serif",
        "b",
        "portrait, horizontal rules only, DejaVu Serif 9.5, narrow name column, "
        "numbers at the bottom of the cell, name at the top",
        font="DejaVuSerif",
        bold="DejaVuSerif-Bold",
        size=9.5,
        rules="hrules",
        num_valign="bottom",
        name_valign="top",
        widths=(0.06, 0.15, 0.24, 0.15, 0.20, 0.20),
    ),
    Layout(
        "b-hrules-bottom-landscape",
        "b",
        "landscape, horizontal rules only, Liberation Sans 10, numbers at the bottom, "
        "heading lines above 'N-қосымша'",
        landscape=True,
        font="LiberationSans",
        bold="LiberationSans-Bold",
        size=10,
        rules="hrules",
        num_valign="bottom",
        name_valign="top",
        number_first=False,
        widths=(0.05, 0.12, 0.17, 0.18, 0.24, 0.24),
    ),
    Layout(
        "c-word-ruled-times",
        "c",
        "python-docx 'Table Grid', Times New Roman 10, portrait, repeated header rows, "
        "cells centred vertically, rows may break across pages; LibreOffice PDF",
        engine="word",
        size=10,
        word_font="Times New Roman",
        word_borders=True,
        widths=(0.06, 0.14, 0.32, 0.16, 0.16, 0.16),
    ),
    Layout(
        "c-word-borderless-arial",
        "c",
        "python-docx, no borders, Arial 9, landscape, repeated header rows, rows kept "
        "whole; LibreOffice PDF",
        engine="word",
        landscape=True,
        size=9,
        word_font="Arial",
        word_borders=False,
        word_cant_split=True,
        widths=(0.05, 0.12, 0.39, 0.14, 0.15, 0.15),
    ),
    Layout(
        "d-narrow-name-cut-right",
        "d",
        "portrait, ruled, very narrow name column (names wrap into many lines, long "
        "words cut mid-word without hyphen), numbers right-aligned at the top, header "
        "only on the first page of each appendix",
        rules="grid",
        num_halign="right",
        num_valign="top",
        name_valign="top",
        header_every_page=False,
        widths=(0.07, 0.17, 0.14, 0.18, 0.22, 0.22),
    ),
    Layout(
        "d-vrules-small-serif",
        "d",
        "portrait, vertical rules only, Liberation Serif 7.5, page numbers in the "
        "footer, heading lines above 'N-қосымша'",
        font="LiberationSerif",
        bold="LiberationSerif-Bold",
        size=7.5,
        rules="vrules",
        name_valign="middle",
        page_numbers=True,
        number_first=False,
        widths=(0.05, 0.12, 0.41, 0.12, 0.15, 0.15),
    ),
    Layout(
        "d-shaded-bands-large",
        "d",
        "portrait, no rules but alternating grey row bands, Liberation Sans 11, "
        "numbers right-aligned and centred vertically",
        font="LiberationSans",
        bold="LiberationSans-Bold",
        size=11,
        header_size=9,
        rules="none",
        shading=True,
        num_halign="right",
        name_valign="middle",
        margins_mm=(20, 12, 15, 15),
        widths=(0.06, 0.14, 0.32, 0.12, 0.18, 0.18),
    ),
]
BY_NAME = {layout.name: layout for layout in LAYOUTS}

# --------------------------------------------------------------------------- reportlab

FONT_FILES = {
    "DejaVuSans": "dejavu/DejaVuSans.ttf",
    "DejaVuSans-Bold": "dejavu/DejaVuSans-Bold.ttf",
    "DejaVuSerif": "dejavu/DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "dejavu/DejaVuSerif-Bold.ttf",
    # liberation2: the older liberation/ files lack the Kazakh letters
    "LiberationSans": "liberation2/LiberationSans-Regular.ttf",
    "LiberationSans-Bold": "liberation2/LiberationSans-Bold.ttf",
    "LiberationSerif": "liberation2/LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold": "liberation2/LiberationSerif-Bold.ttf",
}
_registered: set[str] = set()


def register(name: str) -> None:
    if name in _registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(name, f"/usr/share/fonts/truetype/{FONT_FILES[name]}"))
    _registered.add(name)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break at spaces, as a word processor does; a word longer than the line is cut
    where it no longer fits (no hyphen)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(s: str) -> bool:
        return stringWidth(s, font, size) <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while not fits(word) and len(word) > 1:
            k = 1
            while k < len(word) and fits(word[: k + 1]):
                k += 1
            lines.append(word[:k])
            word = word[k:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


class Renderer:
    def __init__(self, layout: Layout, path: Path):
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.units import mm
        from reportlab.pdfgen import canvas

        self.L = layout
        for f in (layout.font, layout.bold):
            register(f)
        self.pagesize = landscape(A4) if layout.landscape else A4
        self.c = canvas.Canvas(str(path), pagesize=self.pagesize, invariant=1)
        self.c.setTitle("№ 43/19 қаулы")
        ml, mr, mt, mb = (m * mm for m in layout.margins_mm)
        self.x0 = ml
        self.x1 = self.pagesize[0] - mr
        self.top = self.pagesize[1] - mt
        self.bottom = mb
        self.y = self.top
        self.page = 1
        total = sum(layout.widths)
        width = self.x1 - self.x0
        xs = [self.x0]
        for w in layout.widths:
            xs.append(xs[-1] + width * w / total)
        xs[-1] = self.x1
        self.xs = xs
        self.lead = layout.size * layout.leading
        self.band = 0

    # -- low level
    def new_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = self.top

    def footer(self) -> None:
        if self.L.page_numbers:
            self.c.setFont(self.L.font, 8)
            self.c.drawCentredString((self.x0 + self.x1) / 2, self.bottom / 2, str(self.page))

    def text_block(self, lines, x0, x1, top, bottom, halign, valign, font, size, lead):
        pad = self.L.pad
        block = len(lines) * lead
        if valign == "top":
            first = top - pad
        elif valign == "bottom":
            first = bottom + pad + block
        else:
            first = top - ((top - bottom) - block) / 2
        self.c.setFont(font, size)
        for i, line in enumerate(lines):
            base = first - i * lead - (lead - size) / 2 - 0.8 * size
            if halign == "left":
                self.c.drawString(x0 + pad, base, line)
            elif halign == "right":
                self.c.drawRightString(x1 - pad, base, line)
            else:
                self.c.drawCentredString((x0 + x1) / 2, base, line)

    def hline(self, xa, xb, y, width=0.5):
        self.c.setLineWidth(width)
        self.c.line(xa, y, xb, y)

    def vline(self, x, ya, yb, width=0.5):
        self.c.setLineWidth(width)
        self.c.line(x, ya, x, yb)

    def paragraph(self, text, font, size, align="left", indent=0.0, space_after=0.0):
        lead = size * 1.25
        width = self.x1 - self.x0
        lines = wrap(text, font, size, width - indent)
        self.c.setFont(font, size)
        for i, line in enumerate(lines):
            if self.y - lead < self.bottom:
                self.new_page()
                self.c.setFont(font, size)
            base = self.y - lead + 0.25 * size
            if align == "center":
                self.c.drawCentredString((self.x0 + self.x1) / 2, base, line)
            elif align == "right":
                self.c.drawRightString(self.x1, base, line)
            else:
                self.c.drawString(self.x0 + (indent if i == 0 else 0), base, line)
            self.y -= lead
        self.y -= space_after

    # -- table
    def cell_lines(self, text, col, font, size):
        pad = self.L.pad
        return wrap(text, font, size, self.xs[col + 1] - self.xs[col] - 2 * pad)

    def header_height(self):
        L = self.L
        size = L.header_size or L.size
        lead = size * L.leading
        pad = L.pad
        spans = [
            self.cell_lines(t, i, L.font, size)
            for i, t in enumerate([H_NO, H_CODE, H_NAME, H_SEATS])
        ]
        costs = wrap(H_COSTS, L.font, size, self.xs[6] - self.xs[4] - 2 * pad)
        bottom_h = lead + 2 * pad
        top_h = len(costs) * lead + 2 * pad
        full = max(len(s) for s in spans) * lead + 2 * pad
        total = max(full, top_h + bottom_h)
        return spans, costs, total, total - bottom_h, size, lead

    def draw_header(self):
        L = self.L
        spans, costs, h, top_h, size, lead = self.header_height()
        top, bottom = self.y, self.y - h
        mid = top - top_h
        xs = self.xs
        if L.shading:
            self.c.setFillGray(0.80)
            self.c.rect(xs[0], bottom, xs[6] - xs[0], h, stroke=0, fill=1)
            self.c.setFillGray(0)
        for i, lines in enumerate(spans):
            self.text_block(
                lines, xs[i], xs[i + 1], top, bottom, "center", "middle", L.font, size, lead
            )
        self.text_block(costs, xs[4], xs[6], top, mid, "center", "middle", L.font, size, lead)
        self.text_block([H_CITY], xs[4], xs[5], mid, bottom, "center", "middle", L.font, size, lead)
        self.text_block(
            [H_RURAL], xs[5], xs[6], mid, bottom, "center", "middle", L.font, size, lead
        )
        if L.rules in ("grid", "hrules"):
            self.hline(xs[0], xs[6], top)
            self.hline(xs[0], xs[6], bottom)
            self.hline(xs[4], xs[6], mid)
        if L.rules in ("grid", "vrules"):
            for x in xs[:5] + xs[6:]:
                self.vline(x, top, bottom)
            self.vline(xs[5], mid, bottom)
        self.y = bottom

    def item_height(self, item: Item):
        L = self.L
        if item.kind == "group":
            lines = wrap(item.cells[0], L.bold, L.size, self.xs[6] - self.xs[0] - 2 * L.pad)
            return [lines], len(lines) * self.lead + 2 * L.pad
        fonts = [L.font] * 6
        cells = [
            self.cell_lines(t, i, fonts[i], L.size) if t else [] for i, t in enumerate(item.cells)
        ]
        h = max(len(c) for c in cells) * self.lead + 2 * L.pad
        return cells, h

    def draw_item(self, item: Item, repeat_header: bool):
        L = self.L
        cells, h = self.item_height(item)
        if self.y - h < self.bottom:
            self.new_page()
            if repeat_header:
                self.draw_header()
        top, bottom = self.y, self.y - h
        xs = self.xs
        if L.shading and item.kind != "total":
            gray = 0.86 if item.kind == "group" else (0.94 if self.band % 2 else 1.0)
            if item.kind == "row":
                self.band += 1
            if gray < 1.0:
                self.c.setFillGray(gray)
                self.c.rect(xs[0], bottom, xs[6] - xs[0], h, stroke=0, fill=1)
                self.c.setFillGray(0)
        if item.kind == "group":
            self.text_block(
                cells[0], xs[0], xs[6], top, bottom, "left", "middle", L.bold, L.size, self.lead
            )
        else:
            for i, lines in enumerate(cells):
                if not lines:
                    continue
                if i == 2:
                    halign, valign = "left", L.name_valign
                else:
                    halign, valign = L.num_halign, L.num_valign
                self.text_block(
                    lines, xs[i], xs[i + 1], top, bottom, halign, valign, L.font, L.size, self.lead
                )
        if L.rules == "grid":
            self.hline(xs[0], xs[6], bottom)
            if item.kind == "group":
                self.vline(xs[0], top, bottom)
                self.vline(xs[6], top, bottom)
            else:
                for x in xs:
                    self.vline(x, top, bottom)
        elif L.rules == "hrules":
            self.hline(xs[0], xs[6], bottom)
        elif L.rules == "vrules":
            if item.kind == "group":
                self.vline(xs[0], top, bottom)
                self.vline(xs[6], top, bottom)
            else:
                for x in xs:
                    self.vline(x, top, bottom)
        self.y = bottom

    # -- document
    def render(self, appendices: list[Appendix]) -> None:
        L = self.L
        self.paragraph(TITLE, L.bold, 12, "center", space_after=10)
        self.paragraph(ACT_LINE, L.font, 11, "center", space_after=10)
        for text in BODY:
            self.paragraph(text, L.font, 11, "left", indent=30, space_after=2)
        self.y -= 10
        self.paragraph(SIGNATURE, L.bold, 11, "left")
        for app in appendices:
            self.new_page()
            number = f"{app.number}-қосымша"
            block = [number, *HEADING_LINES] if L.number_first else [*HEADING_LINES, number]
            for line in block:
                self.paragraph(line, L.font, 10, "right")
            self.y -= 10
            self.paragraph(APPENDIX_TITLE, L.bold, 11, "center")
            self.paragraph(APPENDIX_SUBTITLE[app.number], L.bold, 11, "center", space_after=8)
            self.draw_header()
            self.band = 0
            for item in app.items:
                self.draw_item(item, L.header_every_page)
        self.footer()
        self.c.save()


def render_reportlab(layout: Layout, path: Path) -> Path:
    Renderer(layout, path).render(load_decree())
    return path


# --------------------------------------------------------------------------- Word


def build_docx(layout: Layout, path: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if layout.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    ml, mr, mt, mb = layout.margins_mm
    section.left_margin, section.right_margin = Mm(ml), Mm(mr)
    section.top_margin, section.bottom_margin = Mm(mt), Mm(mb)

    normal = doc.styles["Normal"]
    normal.font.name = layout.word_font
    normal.font.size = Pt(12)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), layout.word_font)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def para(text, align=None, bold=False, size=12, indent=None, after=0):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if indent is not None:
            p.paragraph_format.first_line_indent = indent
        p.paragraph_format.space_after = Pt(after)
        return p

    para(TITLE, WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=13, after=12)
    para(ACT_LINE, WD_ALIGN_PARAGRAPH.CENTER, size=12, after=12)
    for text in BODY:
        para(text, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=Mm(12.5), after=3)
    para("", after=6)
    para(SIGNATURE, bold=True)

    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(layout.widths)
    widths = [int(usable * w / total) for w in layout.widths]

    def set_cell(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False, size=None):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = align
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size or layout.size)

    def mark_row(row, header=False):
        tr_pr = row._tr.get_or_add_trPr()
        if header:
            el = OxmlElement("w:tblHeader")
            tr_pr.append(el)
        if layout.word_cant_split:
            el = OxmlElement("w:cantSplit")
            tr_pr.append(el)

    for app in load_decree():
        first = doc.add_paragraph()
        first.add_run().add_break(WD_BREAK.PAGE)
        number = f"{app.number}-қосымша"
        block = [number, *HEADING_LINES] if layout.number_first else [*HEADING_LINES, number]
        for line in block:
            para(line, WD_ALIGN_PARAGRAPH.RIGHT, size=11)
        para("", size=11)
        para(APPENDIX_TITLE, WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=12)
        para(APPENDIX_SUBTITLE[app.number], WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=12, after=8)

        table = doc.add_table(rows=2, cols=6)
        if layout.word_borders:
            table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for i, w in enumerate(widths):
            table.columns[i].width = w
        h0, h1 = table.rows
        mark_row(h0, header=True)
        mark_row(h1, header=True)
        for i, w in enumerate(widths):
            h0.cells[i].width = w
            h1.cells[i].width = w
        for i, text in enumerate([H_NO, H_CODE, H_NAME, H_SEATS]):
            merged = h0.cells[i].merge(h1.cells[i])
            set_cell(merged, text)
        costs = h0.cells[4].merge(h0.cells[5])
        set_cell(costs, H_COSTS)
        set_cell(h1.cells[4], H_CITY)
        set_cell(h1.cells[5], H_RURAL)

        for item in app.items:
            row = table.add_row()
            mark_row(row)
            cells = row.cells
            for i, w in enumerate(widths):
                cells[i].width = w
            if item.kind == "group":
                merged = cells[0].merge(cells[5])
                set_cell(merged, item.cells[0], WD_ALIGN_PARAGRAPH.LEFT, bold=True)
                continue
            for i, text in enumerate(item.cells):
                align = WD_ALIGN_PARAGRAPH.LEFT if i == 2 else WD_ALIGN_PARAGRAPH.CENTER
                set_cell(cells[i], text, align)
    doc.save(str(path))
    return path


def soffice_to_pdf(docx: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice produced no PDF for {docx}")
    return pdf


def regen_word(layout: Layout) -> Path:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    docx = build_docx(layout, FIXTURES / f"{layout.name}.docx")
    return soffice_to_pdf(docx, FIXTURES)


def render(layout: Layout, outdir: Path) -> Path:
    """The layout's PDF in outdir (Word layouts: copied from fixtures/, built if missing)."""
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{layout.name}.pdf"
    if layout.engine == "word":
        cached = FIXTURES / f"{layout.name}.pdf"
        if not cached.exists():
            regen_word(layout)
        shutil.copyfile(cached, target)
        return target
    return render_reportlab(layout, target)


# --------------------------------------------------------------------------- checks

KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def check(pdf: Path) -> list[str]:
    """Problems with a rendering's text: missing codes, lost Kazakh letters."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        pages = len(document.pages)
    problems = []
    rows = expected_rows()
    missing = sorted({r["code_raw"] for r in rows if r["code_raw"] not in text})
    if missing:
        problems.append(f"codes missing: {' '.join(missing)}")
    need = Counter(ch for r in rows for ch in r["name"] if ch in KAZAKH)
    have = Counter(ch for ch in text if ch in KAZAKH)
    short = {ch: need[ch] - have[ch] for ch in need if have[ch] < need[ch]}
    if short:
        problems.append(f"Kazakh letters short: {short}")
    if "(cid:" in text or "\ufffd" in text:
        problems.append("undecodable glyphs in the text")
    for word in ("1-қосымша", "2-қосымша", "3-қосымша", "қала", "ауыл", "43/19"):
        if word not in text:
            problems.append(f"'{word}' not in the text")
    if not problems:
        problems.append(f"ok ({pages} pages)")
    return problems


def png(pdf: Path, pages: list[int], dpi: int = 60) -> list[Path]:
    import pypdfium2 as pdfium

    out = []
    document = pdfium.PdfDocument(str(pdf))
    for n in pages:
        if n - 1 < len(document):
            path = pdf.with_name(f"{pdf.stem}-p{n}.png")
            document[n - 1].render(scale=dpi / 72).to_pil().save(path)
            out.append(path)
    document.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path)
    parser.add_argument("--only", nargs="+", metavar="NAME")
    parser.add_argument("--check", action="store_true", help="check each PDF's text")
    parser.add_argument("--png", action="store_true", help="pages 1, 2, 4 as PNG")
    parser.add_argument(
        "--regen-word", action="store_true", help="rebuild the Word fixtures (needs LibreOffice)"
    )
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    chosen = [BY_NAME[n] for n in args.only] if args.only else LAYOUTS
    if args.list:
        for layout in chosen:
            print(f"{layout.name}\t({layout.family}) {layout.description}")
        return 0
    if args.regen_word:
        for layout in chosen:
            if layout.engine == "word":
                print(regen_word(layout))
        if args.outdir is None:
            return 0
    if args.outdir is None:
        parser.error("OUTDIR is required")
    for layout in chosen:
        pdf = render(layout, args.outdir)
        line = str(pdf)
        if args.check:
            line += ": " + "; ".join(check(pdf))
        print(line)
        if args.png:
            png(pdf, [1, 2, 4])
    return 0


if __name__ == "__main__":
    sys.exit(main())
