"""Render the Karaganda decree No 43/19 (2025) in a second set of office layouts, as PDFs.

The content is the hand transcription in tests/data (expected_rows.tsv,
expected_groups.tsv), printed the way the decree's PDF prints it: rates with a
thousands space; several rates in one cell joined by "/" with the decree's own uneven
spacing ("465 161/552 703", "511 788 /599 330", "511 788/ 873 4433", ...); the stray
digit "873 4433" (appendix 1 row 30, rural); "474940" without a space (appendix 1
row 38); codes as printed (the 7-digit "9160100"); the printed group totals (two of
them wrong: 585 and 1 505 in appendix 2); "3790", "5 238 - -", "272 - -" for the
appendix totals. Only the layout changes from one rendering to the next.

Families (see README.md):
  a  no ruling at all, every cell centred horizontally and vertically
  b  horizontal rules between rows only, numbers low (or in the middle) of tall cells
  c  Word documents (python-docx) exported to PDF by LibreOffice
  d  other things Kazakh government PDFs carry: e-document footers, a signature
     block, a column-numbering row, "N-қосымшаның жалғасы", zebra shading,
     Word's distributed alignment

    python benchmarks/reader_blind2/render.py OUTDIR [--only NAME ...] [--check] [--png]
    python benchmarks/reader_blind2/render.py --regen-word   # rebuild fixtures/
    python benchmarks/reader_blind2/render.py --same         # render twice, compare bytes

The Word renderings need LibreOffice (soffice); their .docx and PDFs are committed in
fixtures/ and only rebuilt with --regen-word (or when missing).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
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
DOC_TITLE = "Қарағанды облысы әкімдігінің 2025 жылғы 6 тамыздағы № 43/19 қаулысы"
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
SIGNATURE_ROLE = "Қарағанды облысының әкімі"
SIGNATURE_NAME = "Е. Бөлекпаев"

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

# The cost cells with more than one rate, exactly as the decree's PDF prints them
# (store/data/decree-43-19.pdf; a line break inside a cell is printed as a space here).
# The stray digit (1, 30, rural) and the unspaced 474940 (1, 38, rural) are kept.
PRINTED_COSTS: dict[tuple[int, int], tuple[str, str]] = {
    (1, 16): ("465 161/552 703", "511 788 /599 330"),
    (1, 21): ("465 161/552 703", "511 788 /599 330"),
    (1, 30): ("465 161/780 190", "511 788/ 873 4433"),
    (1, 37): ("465 161 /509 451 / 780 190", "511 788 /556 078 /873 443"),
    (1, 38): ("414 045 /428 314", "460 672/ 474940"),
    (2, 35): ("465 161/780 190", "511 788 /873 443"),
    (2, 68): ("421 909/509 451", "468 536 /556 078"),
    (2, 69): ("421 909/693 686", "468 536 /786 939"),
}
STRAY = {(1, 30, "rural"): ("8734433", "873443")}  # printed -> stored (expected_NOTES.md)

# Totals as the PDF prints them: the appendix 1 total without a thousands space, the
# appendix 2 and 3 totals with dashes in both cost columns.
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


def expected_groups() -> list[dict[str, str]]:
    return read_tsv(DATA / "expected_groups.tsv")


def printed_costs(r: dict[str, str]) -> tuple[str, str]:
    a, n = int(r["appendix"]), int(r["row"])
    if (a, n) in PRINTED_COSTS:
        city, rural = PRINTED_COSTS[(a, n)]
    else:
        city, rural = (money(int(r[f"{c}_costs"])) for c in ("city", "rural"))
    for column, text in (("city", city), ("rural", rural)):
        values = [part.replace(" ", "") for part in text.split("/")]
        for i, v in enumerate(values):
            stray = STRAY.get((a, n, column))
            if stray and v == stray[0]:
                values[i] = stray[1]
        if values != r[f"{column}_costs"].split("|"):
            raise ValueError(f"printed {column} cost of {a}/{n} disagrees: {text!r}")
    return city, rural


def row_cells(r: dict[str, str]) -> list[str]:
    city, rural = printed_costs(r)
    return [r["row"], r["code_raw"], r["name"], r["seats"], city, rural]


def load_decree() -> list[Appendix]:
    rows = expected_rows()
    groups = expected_groups()
    appendices = []
    for number in (1, 2, 3):
        app = Appendix(number)
        app_rows = [r for r in rows if int(r["appendix"]) == number]
        app_groups = [g for g in groups if int(g["appendix"]) == number]
        order = []
        for r in app_rows:
            if not order or order[-1] != r["group_code"]:
                order.append(r["group_code"])
        assert order == [g["group_code"] for g in app_groups if g["group_code"] != "TOTAL"]
        assert [int(r["row"]) for r in app_rows] == list(range(1, len(app_rows) + 1))
        for g in app_groups:
            code = g["group_code"]
            total = int(g["printed_total"])
            key = (number, code)
            total_text = str(total) if key in UNSPACED_TOTALS else money(total)
            dash = "-" if key in DASHED_TOTALS else ""
            if code != "TOTAL":
                app.items.append(Item("group", [f"{code} {g['group_name']}"]))
                for r in app_rows:
                    if r["group_code"] == code:
                        app.items.append(Item("row", row_cells(r)))
            app.items.append(Item("total", ["", "", TOTAL_WORD, total_text, dash, dash]))
        appendices.append(app)
    return appendices


# Text an electronic-document system prints on every page of a signed act (Kazakh and
# Russian), and the signature block it adds.
EDOC_FOOTER = [
    "Осы құжат «Электрондық құжат және электрондық цифрлық қолтаңба туралы» Қазақстан "
    "Республикасының 2003 жылғы 7 қаңтардағы № 370-II Заңының 7-бабының 1-тармағына "
    "сәйкес қағаз тасығыштағы құжатпен бірдей.",
    "Данный документ согласно пункту 1 статьи 7 ЗРК от 7 января 2003 года № 370-II "
    "«Об электронном документе и электронной цифровой подписи» равнозначен документу "
    "на бумажном носителе.",
]
STAMP_LINES = [
    "ЭЛЕКТРОНДЫҚ ЦИФРЛЫҚ ҚОЛТАҢБАМЕН ҚОЛ ҚОЙЫЛДЫ",
    "Қол қойған: Бөлекпаев Е.",
    "Қарағанды облысының әкімі",
    "Күні: 06.08.2025 16:42",
    "Тіркеу нөмірі: 43/19",
]

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
    rules: str = "grid"  # grid | hrules | none
    rule_width: float = 0.5
    rule_gray: float = 0.0
    header_rule_width: float | None = None  # rule under the header (hrules, grid)
    num_halign: str = "center"  # center | right | left
    num_valign: str = "middle"  # middle | bottom | top
    name_halign: str = "left"
    name_valign: str = "top"
    group_halign: str = "left"
    continuation: str = "header"  # on later pages: header | numbers | none
    column_numbers: bool = False  # a "1 2 3 4 5 6" row under the header
    running_head: bool = False  # "N-қосымшаның жалғасы" on continuation pages
    page_numbers: str = ""  # "" | top | bottom
    edoc: bool = False  # e-document footer on every page, signature block
    zebra: bool = False
    header_shade: bool = False
    bold_totals: bool = False
    appendix_form: str = "{n}-қосымша"
    number_first: bool = False  # "N-қосымша" above the three heading lines
    pad: float = 3.0
    margins_mm: tuple[float, float, float, float] = (25, 10, 15, 15)  # l r t b
    # Word only
    word_font: str = "Times New Roman"
    word_borders: str = "grid"  # grid | hrules | none
    word_valign: str = "center"  # center | bottom
    word_num_align: str = "center"  # center | right
    word_name_align: str = "left"  # left | distribute
    word_repeat_header: bool = True
    word_cant_split: bool = False
    word_landscape_section: bool = False  # decree text portrait, appendices landscape
    word_page_numbers: bool = False


SANS = dict(font="LiberationSans", bold="LiberationSans-Bold")
SERIF = dict(font="LiberationSerif", bold="LiberationSerif-Bold")
CONDENSED = dict(font="DejaVuSansCondensed", bold="DejaVuSansCondensed-Bold")
SERIF_CONDENSED = dict(font="DejaVuSerifCondensed", bold="DejaVuSerifCondensed-Bold")
DEJAVU_SERIF = dict(font="DejaVuSerif", bold="DejaVuSerif-Bold")
CENTRED = dict(
    rules="none",
    num_halign="center",
    num_valign="middle",
    name_halign="center",
    name_valign="middle",
)

LAYOUTS: list[Layout] = [
    # ---- a: no ruling, everything centred
    Layout(
        "a-centred-serif11-portrait",
        "a",
        "no ruling, Liberation Serif 11, portrait, every cell (names too) centred "
        "horizontally and vertically, name column narrow (long names 5 lines), header "
        "repeated on every page",
        **SERIF,
        **CENTRED,
        size=11,
        header_size=9,
        widths=(0.06, 0.15, 0.29, 0.16, 0.17, 0.17),
    ),
    Layout(
        "a-centred-condensed8-landscape",
        "a",
        "no ruling, DejaVu Sans Condensed 8, landscape, all cells centred, narrow name "
        "column (long names 4-5 lines) between wide number columns, header only on the "
        "first page of each appendix",
        **CONDENSED,
        **CENTRED,
        landscape=True,
        size=8,
        widths=(0.05, 0.12, 0.16, 0.19, 0.24, 0.24),
        continuation="none",
    ),
    Layout(
        "a-centred-sans12-landscape",
        "a",
        "no ruling, Liberation Sans 12, landscape, all cells centred, group headings "
        "centred too, name column narrow (long names 5-6 lines), header on every page, "
        "'1- қосымша' as in the decree",
        **SANS,
        **CENTRED,
        landscape=True,
        size=12,
        header_size=10,
        group_halign="center",
        appendix_form="{n}- қосымша",
        widths=(0.05, 0.13, 0.23, 0.17, 0.21, 0.21),
        margins_mm=(20, 15, 15, 15),
    ),
    # ---- b: horizontal rules between rows only
    Layout(
        "b-hrules-middle-condensed-first-header",
        "b",
        "rules between rows only (thin, a thicker one under the header), DejaVu Sans "
        "Condensed 9.5, portrait, numbers and codes centred in the middle of tall "
        "cells, names at the top, header only on the first page of each appendix",
        **CONDENSED,
        size=9.5,
        rules="hrules",
        rule_width=0.3,
        header_rule_width=1.2,
        num_valign="middle",
        name_valign="top",
        widths=(0.06, 0.14, 0.22, 0.16, 0.21, 0.21),
        continuation="none",
    ),
    Layout(
        "b-hrules-bottom-right-serif-landscape",
        "b",
        "rules between rows only, Liberation Serif 11, landscape, numbers right-aligned "
        "at the bottom of tall cells, names at the top of a narrow column, header "
        "repeated on every page",
        **SERIF,
        landscape=True,
        size=11,
        header_size=9.5,
        rules="hrules",
        num_halign="right",
        num_valign="bottom",
        name_valign="top",
        widths=(0.05, 0.12, 0.16, 0.17, 0.25, 0.25),
    ),
    Layout(
        "b-hrules-bottom-sans8-centred-groups",
        "b",
        "rules between rows only in grey, Liberation Sans 8, portrait, numbers centred "
        "at the bottom, names in the middle, group headings centred, totals bold, "
        "header only on the first page of each appendix",
        **SANS,
        size=8,
        rules="hrules",
        rule_width=0.4,
        rule_gray=0.45,
        num_valign="bottom",
        name_valign="middle",
        group_halign="center",
        bold_totals=True,
        widths=(0.05, 0.13, 0.18, 0.14, 0.25, 0.25),
        continuation="none",
    ),
    # ---- c: Word, LibreOffice PDF
    Layout(
        "c-word-grid-right-breakable-times",
        "c",
        "python-docx 'Table Grid', Times New Roman 11 (Liberation Serif), portrait, "
        "narrow name column, numbers right-aligned, cells centred vertically, header "
        "rows repeated (w:tblHeader), rows allowed to break across pages",
        engine="word",
        size=11,
        word_font="Times New Roman",
        word_borders="grid",
        word_num_align="right",
        widths=(0.06, 0.15, 0.20, 0.17, 0.21, 0.21),
        margins_mm=(30, 10, 20, 20),
    ),
    Layout(
        "c-word-landscape-section-arial",
        "c",
        "python-docx, decree text on a portrait page, the appendices in a landscape "
        "section, Arial 10 (Liberation Sans), 'Table Grid', cells centred vertically, "
        "header rows repeated, rows kept whole (w:cantSplit), page numbers in the footer",
        engine="word",
        size=10,
        word_font="Arial",
        word_borders="grid",
        word_cant_split=True,
        word_landscape_section=True,
        word_page_numbers=True,
        widths=(0.05, 0.12, 0.35, 0.16, 0.16, 0.16),
        margins_mm=(20, 15, 20, 15),
    ),
    Layout(
        "c-word-hrules-bottom-single-header",
        "c",
        "python-docx, horizontal borders only (top, bottom, between rows), Liberation "
        "Sans 9, portrait, cells aligned to the bottom, header only at the start of each "
        "table (not repeated), rows allowed to break across pages",
        engine="word",
        size=9,
        word_font="Liberation Sans",
        word_borders="hrules",
        word_valign="bottom",
        word_repeat_header=False,
        widths=(0.06, 0.14, 0.30, 0.16, 0.17, 0.17),
    ),
    # ---- d: other things government PDFs carry
    Layout(
        "d-edoc-footer-signature-block",
        "d",
        "ruled grid in DejaVu Serif 9 like the decree, plus what an e-document system "
        "adds: a Kazakh/Russian e-signature notice and a QR-like square in the footer of "
        "every page, page numbers at the top, a framed signature block on page 1",
        **DEJAVU_SERIF,
        size=9,
        header_size=8.5,
        edoc=True,
        page_numbers="top",
        appendix_form="{n}- қосымша",
        widths=(0.05, 0.13, 0.30, 0.16, 0.18, 0.18),
        margins_mm=(25, 10, 18, 32),
    ),
    Layout(
        "d-column-numbers-continued",
        "d",
        "ruled grid, Liberation Serif 10, a column-numbering row '1 2 3 4 5 6' under the "
        "header; later pages repeat only that row under 'N-қосымшаның жалғасы'; page "
        "numbers at the bottom; 'N-қосымша' above the heading lines",
        **SERIF,
        size=10,
        header_size=9,
        column_numbers=True,
        continuation="numbers",
        running_head=True,
        page_numbers="bottom",
        number_first=True,
        widths=(0.06, 0.14, 0.32, 0.14, 0.17, 0.17),
    ),
    Layout(
        "d-zebra-grid-bold-totals",
        "d",
        "thin grey grid with zebra-shaded rows, shaded header and group rows, group "
        "headings centred, totals bold, DejaVu Serif Condensed 9, numbers right-aligned",
        **SERIF_CONDENSED,
        size=9,
        rule_width=0.3,
        rule_gray=0.55,
        zebra=True,
        header_shade=True,
        group_halign="center",
        bold_totals=True,
        num_halign="right",
        name_valign="middle",
        widths=(0.06, 0.13, 0.33, 0.14, 0.17, 0.17),
    ),
    Layout(
        "d-word-distributed-names",
        "d",
        "python-docx 'Table Grid', DejaVu Serif 9 (the decree's font), portrait, name "
        "cells with Word's distributed alignment (w:jc=distribute): LibreOffice stretches "
        "every line of a name, the last one too, to the cell width, so words stand far "
        "apart ('Баспа        ісі'); header rows repeated, rows kept whole",
        engine="word",
        size=9,
        word_font="DejaVu Serif",
        word_borders="grid",
        word_name_align="distribute",
        word_cant_split=True,
        widths=(0.05, 0.14, 0.20, 0.17, 0.22, 0.22),
    ),
]
BY_NAME = {layout.name: layout for layout in LAYOUTS}

# --------------------------------------------------------------------------- reportlab

FONT_FILES = {
    "DejaVuSans": "dejavu/DejaVuSans.ttf",
    "DejaVuSans-Bold": "dejavu/DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed": "dejavu/DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "dejavu/DejaVuSansCondensed-Bold.ttf",
    "DejaVuSerif": "dejavu/DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "dejavu/DejaVuSerif-Bold.ttf",
    "DejaVuSerifCondensed": "dejavu/DejaVuSerifCondensed.ttf",
    "DejaVuSerifCondensed-Bold": "dejavu/DejaVuSerifCondensed-Bold.ttf",
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
    where it no longer fits (no hyphen), as in the decree ("мультимедиялы" + "қ")."""
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


def qr_modules(seed: str, n: int = 21) -> list[tuple[int, int]]:
    """A fixed QR-looking pattern: three finder squares and pseudo-random modules."""
    bits = hashlib.sha256(seed.encode()).digest() * 8
    cells = []
    finder = [(0, 0), (n - 7, 0), (0, n - 7)]
    for y in range(n):
        for x in range(n):
            inside = None
            for fx, fy in finder:
                if fx <= x < fx + 7 and fy <= y < fy + 7:
                    dx, dy = x - fx, y - fy
                    ring = min(dx, dy, 6 - dx, 6 - dy)
                    inside = ring != 1
            if inside is None:
                k = y * n + x
                inside = bool(bits[k // 8] >> (k % 8) & 1)
                if any(fx - 1 <= x <= fx + 7 and fy - 1 <= y <= fy + 7 for fx, fy in finder):
                    inside = False
            if inside:
                cells.append((x, y))
    return cells


class Renderer:
    def __init__(self, layout: Layout, path: Path):
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.units import mm
        from reportlab.pdfgen import canvas

        self.L = layout
        self.mm = mm
        for f in (layout.font, layout.bold):
            register(f)
        self.pagesize = landscape(A4) if layout.landscape else A4
        self.c = canvas.Canvas(str(path), pagesize=self.pagesize, invariant=1)
        self.c.setTitle(DOC_TITLE)
        self.c.setAuthor("Қарағанды облысының әкімдігі")
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
        self.appendix = 0

    # -- page furniture
    def new_page(self) -> None:
        self.furniture()
        self.c.showPage()
        self.page += 1
        self.y = self.top

    def furniture(self) -> None:
        L, c = self.L, self.c
        mid = (self.x0 + self.x1) / 2
        if L.page_numbers == "top" and self.page > 1:
            c.setFont(L.font, 9)
            c.drawCentredString(mid, self.pagesize[1] - 10 * self.mm, str(self.page))
        elif L.page_numbers == "bottom":
            c.setFont(L.font, 9)
            c.drawCentredString(mid, 8 * self.mm, str(self.page))
        if L.edoc:
            mm = self.mm
            side = 17 * mm
            qx, qy = self.x0, 7 * mm
            cells = qr_modules(f"43/19 page {self.page}")
            m = side / 21
            c.setFillGray(0)
            for x, y in cells:
                c.rect(qx + x * m, qy + side - (y + 1) * m, m, m, stroke=0, fill=1)
            c.setFont(L.font, 6.5)
            tx = qx + side + 4 * mm
            lines = []
            for text in EDOC_FOOTER:
                lines += wrap(text, L.font, 6.5, self.x1 - tx)
            y = qy + side - 6.5
            for line in lines:
                c.drawString(tx, y, line)
                y -= 8

    def running_head(self) -> None:
        if self.L.running_head:
            self.c.setFont(self.L.font, 10)
            self.c.drawRightString(self.x1, self.y - 10, f"{self.appendix}-қосымшаның жалғасы")
            self.y -= 18

    # -- drawing helpers
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

    def stroke_gray(self):
        self.c.setStrokeGray(self.L.rule_gray)

    def hline(self, xa, xb, y, width=None):
        self.stroke_gray()
        self.c.setLineWidth(width or self.L.rule_width)
        self.c.line(xa, y, xb, y)

    def vline(self, x, ya, yb, width=None):
        self.stroke_gray()
        self.c.setLineWidth(width or self.L.rule_width)
        self.c.line(x, ya, x, yb)

    def fill(self, gray, x0, bottom, x1, top):
        self.c.setFillGray(gray)
        self.c.rect(x0, bottom, x1 - x0, top - bottom, stroke=0, fill=1)
        self.c.setFillGray(0)

    def paragraph(self, text, font, size, align="left", indent=0.0, space_after=0.0):
        lead = size * 1.25
        width = self.x1 - self.x0
        lines = wrap(text, font, size, width - indent)
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

    def header_geometry(self):
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

    def numbers_height(self):
        size = self.L.header_size or self.L.size
        return size * self.L.leading + 2 * self.L.pad

    def draw_numbers_row(self):
        L = self.L
        size = L.header_size or L.size
        h = self.numbers_height()
        top, bottom = self.y, self.y - h
        xs = self.xs
        if L.header_shade:
            self.fill(0.80, xs[0], bottom, xs[6], top)
        for i in range(6):
            self.text_block(
                [str(i + 1)],
                xs[i],
                xs[i + 1],
                top,
                bottom,
                "center",
                "middle",
                L.font,
                size,
                size * L.leading,
            )
        if L.rules in ("grid", "hrules"):
            self.hline(xs[0], xs[6], top)
            self.hline(xs[0], xs[6], bottom, L.header_rule_width)
        if L.rules == "grid":
            for x in xs:
                self.vline(x, top, bottom)
        self.y = bottom

    def draw_header(self):
        L = self.L
        spans, costs, h, top_h, size, lead = self.header_geometry()
        top, bottom = self.y, self.y - h
        mid = top - top_h
        xs = self.xs
        if L.header_shade:
            self.fill(0.80, xs[0], bottom, xs[6], top)
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
            under = None if L.column_numbers else L.header_rule_width
            self.hline(xs[0], xs[6], bottom, under)
            self.hline(xs[4], xs[6], mid)
        if L.rules == "grid":
            for x in xs[:5] + xs[6:]:
                self.vline(x, top, bottom)
            self.vline(xs[5], mid, bottom)
        self.y = bottom
        if L.column_numbers:
            self.draw_numbers_row()

    def header_block_height(self):
        h = self.header_geometry()[2]
        return h + (self.numbers_height() if self.L.column_numbers else 0)

    def item_geometry(self, item: Item):
        L = self.L
        if item.kind == "group":
            lines = wrap(item.cells[0], L.bold, L.size, self.xs[6] - self.xs[0] - 2 * L.pad)
            return [lines], len(lines) * self.lead + 2 * L.pad
        font = L.bold if item.kind == "total" and L.bold_totals else L.font
        cells = [self.cell_lines(t, i, font, L.size) if t else [] for i, t in enumerate(item.cells)]
        h = max(len(c) for c in cells) * self.lead + 2 * L.pad
        return cells, h

    def draw_item(self, item: Item):
        L = self.L
        cells, h = self.item_geometry(item)
        if self.y - h < self.bottom:
            self.new_page()
            self.running_head()
            if L.continuation == "header":
                self.draw_header()
            elif L.continuation == "numbers":
                self.draw_numbers_row()
        top, bottom = self.y, self.y - h
        xs = self.xs
        if L.zebra:
            if item.kind == "group":
                self.fill(0.85, xs[0], bottom, xs[6], top)
            elif item.kind == "row":
                if self.band % 2:
                    self.fill(0.93, xs[0], bottom, xs[6], top)
                self.band += 1
        if item.kind == "group":
            self.text_block(
                cells[0],
                xs[0],
                xs[6],
                top,
                bottom,
                L.group_halign,
                "middle",
                L.bold,
                L.size,
                self.lead,
            )
        else:
            font = L.bold if item.kind == "total" and L.bold_totals else L.font
            for i, lines in enumerate(cells):
                if not lines:
                    continue
                if i == 2:
                    halign, valign = L.name_halign, L.name_valign
                else:
                    halign, valign = L.num_halign, L.num_valign
                self.text_block(
                    lines, xs[i], xs[i + 1], top, bottom, halign, valign, font, L.size, self.lead
                )
        if L.rules in ("grid", "hrules"):
            self.hline(xs[0], xs[6], bottom)
        if L.rules == "grid":
            for x in (xs[0], xs[6]) if item.kind == "group" else xs:
                self.vline(x, top, bottom)
        self.y = bottom

    def signature_block(self):
        L = self.L
        self.y -= 14
        self.c.setFont(L.bold, 11)
        self.c.drawString(self.x0, self.y - 11, SIGNATURE_ROLE)
        self.c.drawRightString(self.x1, self.y - 11, SIGNATURE_NAME)
        self.y -= 24
        if not L.edoc:
            return
        from reportlab.pdfbase.pdfmetrics import stringWidth

        lead = 11
        w = max(stringWidth(STAMP_LINES[0], L.bold, 7.5), 60 * self.mm) + 24
        h = len(STAMP_LINES) * lead + 10
        x = self.x1 - w
        top = self.y - 8
        self.c.setStrokeColorRGB(0.1, 0.25, 0.6)
        self.c.setLineWidth(1.2)
        self.c.roundRect(x, top - h, w, h, 6, stroke=1, fill=0)
        self.c.setFillColorRGB(0.1, 0.25, 0.6)
        y = top - 5 - 8
        for i, line in enumerate(STAMP_LINES):
            self.c.setFont(L.bold if i == 0 else L.font, 7.5 if i == 0 else 8)
            self.c.drawCentredString(x + w / 2, y, line)
            y -= lead
        self.c.setFillGray(0)
        self.c.setStrokeGray(0)
        self.y = top - h

    # -- document
    def render(self, appendices: list[Appendix]) -> None:
        L = self.L
        self.paragraph(TITLE, L.bold, 12, "center", space_after=10)
        self.paragraph(ACT_LINE, L.font, 11, "center", space_after=10)
        for text in BODY:
            self.paragraph(text, L.font, 11, "left", indent=30, space_after=2)
        self.signature_block()
        for app in appendices:
            self.appendix = app.number
            self.new_page()
            number = L.appendix_form.format(n=app.number)
            block = [number, *HEADING_LINES] if L.number_first else [*HEADING_LINES, number]
            for line in block:
                self.paragraph(line, L.font, 10, "right")
            self.y -= 10
            self.paragraph(APPENDIX_TITLE, L.bold, 11, "center")
            self.paragraph(APPENDIX_SUBTITLE[app.number], L.bold, 11, "center", space_after=8)
            self.draw_header()
            self.band = 0
            for item in app.items:
                self.draw_item(item)
        self.furniture()
        self.c.save()


def render_reportlab(layout: Layout, path: Path) -> Path:
    Renderer(layout, path).render(load_decree())
    return path


# --------------------------------------------------------------------------- Word


def build_docx(layout: Layout, path: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    doc.core_properties.title = DOC_TITLE
    doc.core_properties.author = "Қарағанды облысының әкімдігі"

    def shape(section, landscape):
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
        ml, mr, mt, mb = layout.margins_mm
        section.left_margin, section.right_margin = Mm(ml), Mm(mr)
        section.top_margin, section.bottom_margin = Mm(mt), Mm(mb)

    section = doc.sections[0]
    shape(section, layout.landscape and not layout.word_landscape_section)

    normal = doc.styles["Normal"]
    normal.font.name = layout.word_font
    normal.font.size = Pt(12)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), layout.word_font)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    if layout.word_page_numbers:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)

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
    sig = para(f"{SIGNATURE_ROLE}\t{SIGNATURE_NAME}", bold=True)
    usable_first = section.page_width - section.left_margin - section.right_margin
    sig.paragraph_format.tab_stops.add_tab_stop(usable_first, WD_TAB_ALIGNMENT.RIGHT)

    if layout.word_landscape_section:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        shape(section, True)

    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(layout.widths)
    widths = [int(usable * w / total) for w in layout.widths]
    valign = {
        "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }[layout.word_valign]
    num_align = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[layout.word_num_align]
    name_align = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "distribute": WD_ALIGN_PARAGRAPH.DISTRIBUTE,
    }[layout.word_name_align]

    def set_cell(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False, v=None):
        cell.vertical_alignment = v if v is not None else valign
        p = cell.paragraphs[0]
        p.alignment = align
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(layout.size)

    def mark_row(row, header=False):
        tr_pr = row._tr.get_or_add_trPr()
        if layout.word_cant_split or header:  # header rows are never split
            tr_pr.append(OxmlElement("w:cantSplit"))
        if header and layout.word_repeat_header:
            tr_pr.append(OxmlElement("w:tblHeader"))

    def set_borders(table):
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            if edge in ("left", "right", "insideV"):
                el.set(qn("w:val"), "nil")
            else:
                el.set(qn("w:val"), "single")
                el.set(qn("w:sz"), "4")
                el.set(qn("w:space"), "0")
                el.set(qn("w:color"), "000000")
            borders.append(el)
        tbl_pr.append(borders)

    first = True
    for app in load_decree():
        if not (first and layout.word_landscape_section):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        first = False
        number = f"{app.number}-қосымша"
        for line in [*HEADING_LINES, number]:
            para(line, WD_ALIGN_PARAGRAPH.RIGHT, size=11)
        para("", size=11)
        para(APPENDIX_TITLE, WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=12)
        para(APPENDIX_SUBTITLE[app.number], WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=12, after=8)

        table = doc.add_table(rows=2, cols=6)
        if layout.word_borders == "grid":
            table.style = doc.styles["Table Grid"]
        elif layout.word_borders == "hrules":
            set_borders(table)
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
        # LibreOffice repeats a header row at its own height, ignoring what the cells
        # merged down into the second header row need: give the first row that height.
        row_height = OxmlElement("w:trHeight")
        row_height.set(qn("w:val"), str(header_twips(layout, widths)))
        row_height.set(qn("w:hRule"), "atLeast")
        h0._tr.get_or_add_trPr().append(row_height)
        centre = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for i, text in enumerate([H_NO, H_CODE, H_NAME, H_SEATS]):
            set_cell(h0.cells[i].merge(h1.cells[i]), text, v=centre)
        set_cell(h0.cells[4].merge(h0.cells[5]), H_COSTS, v=centre)
        set_cell(h1.cells[4], H_CITY, v=centre)
        set_cell(h1.cells[5], H_RURAL, v=centre)

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
                if i == 2:
                    align = name_align if item.kind == "row" else WD_ALIGN_PARAGRAPH.LEFT
                elif i == 0:
                    align = WD_ALIGN_PARAGRAPH.CENTER
                else:
                    align = num_align
                set_cell(cells[i], text, align)
    doc.save(str(path))
    return path


WORD_METRICS = {  # the fonts LibreOffice uses, with the same metrics
    "Times New Roman": "LiberationSerif",
    "Liberation Serif": "LiberationSerif",
    "Arial": "LiberationSans",
    "Liberation Sans": "LiberationSans",
    "DejaVu Serif": "DejaVuSerif",
}


def header_twips(layout: Layout, widths: list[int]) -> int:
    """Height (twentieths of a point) the tallest merged header cell needs."""
    font = WORD_METRICS[layout.word_font]
    register(font)
    margins = 2 * 5.4 + 1  # Word's default cell margins, 0.19 cm a side
    lines = max(
        len(wrap(text, font, layout.size, widths[i] / 12700 - margins))
        for i, text in enumerate([H_NO, H_CODE, H_NAME, H_SEATS])
    )
    line = layout.size * (1.20 if font == "DejaVuSerif" else 1.15)
    return int((lines * line + 4) * 20)


def soffice_to_pdf(docx: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory(prefix="lo-profile-blind2-") as profile:
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


def printed_numbers() -> Counter:
    """Every number token the table prints in a row or total (codes, places, rates)."""
    out: Counter = Counter()
    for app in load_decree():
        for item in app.items:
            if item.kind == "group":
                continue
            for i, cell in enumerate(item.cells):
                if i == 2:
                    continue
                out.update(t for t in re.split(r"[\s/]+", cell) if t.isdigit())
    return out


def check(pdf: Path) -> list[str]:
    """Problems with a rendering's text: missing codes or numbers, lost Kazakh letters."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        pages = len(document.pages)
    problems = []
    rows = expected_rows()
    missing = sorted({r["code_raw"] for r in rows if r["code_raw"] not in text})
    if missing:
        problems.append(f"codes missing: {' '.join(missing)}")
    have_numbers = Counter(t for t in re.split(r"[\s/]+", text) if t.isdigit())
    short_numbers = {
        t: n - have_numbers[t] for t, n in printed_numbers().items() if have_numbers[t] < n
    }
    if short_numbers:
        problems.append(f"number tokens short: {short_numbers}")
    need = Counter(ch for r in rows for ch in r["name"] if ch in KAZAKH)
    have = Counter(ch for ch in text if ch in KAZAKH)
    short = {ch: need[ch] - have[ch] for ch in need if have[ch] < need[ch]}
    if short:
        problems.append(f"Kazakh letters short: {short}")
    if "(cid:" in text or "\ufffd" in text:
        problems.append("undecodable glyphs in the text")
    want_totals = 28  # 25 group totals and 3 appendix totals
    if text.count(TOTAL_WORD) < want_totals:
        problems.append(f"'{TOTAL_WORD}' {text.count(TOTAL_WORD)} times, want {want_totals}")
    compact = re.sub(r"\s+", "", text)
    for word in ("1-қосымша", "2-қосымша", "3-қосымша", "қала", "ауыл", "43/19", "8734433"):
        if word not in compact:
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


def same_twice(chosen: list[Layout]) -> list[str]:
    """Render each non-Word layout twice into fresh directories; compare the bytes."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="reader-blind2-same-") as tmp:
        for layout in chosen:
            if layout.engine == "word":
                continue
            digests = []
            for k in (1, 2):
                pdf = render(layout, Path(tmp) / str(k))
                digests.append(hashlib.sha256(pdf.read_bytes()).hexdigest())
            verdict = "same" if digests[0] == digests[1] else "DIFFERENT"
            lines.append(f"{layout.name}: {verdict} {digests[0][:16]}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path)
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=list(BY_NAME))
    parser.add_argument("--check", action="store_true", help="check each PDF's text")
    parser.add_argument("--png", action="store_true", help="pages 1, 2, 4 as PNG")
    parser.add_argument(
        "--regen-word", action="store_true", help="rebuild the Word fixtures (needs LibreOffice)"
    )
    parser.add_argument("--same", action="store_true", help="render twice and compare bytes")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    chosen = [BY_NAME[n] for n in args.only] if args.only else LAYOUTS
    if args.list:
        for layout in chosen:
            print(f"{layout.name}\t({layout.family}) {layout.description}")
        return 0
    if args.same:
        print("\n".join(same_twice(chosen)))
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
    sys.dont_write_bytecode = True
    sys.exit(main())
