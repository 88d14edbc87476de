"""Build decree 43/19 as Word documents, the way an akimat office types it, and convert
them to PDF with LibreOffice: the fixtures in tests/data/layouts/.

Unlike tests/store/layouts.py, the wrapping, cell heights and page breaks here are
LibreOffice's own. The content is the same (tests.store.layouts.decree_items: the
heading page, three appendices, group headings, 132 rows, printed totals).

    /work/main/.venv/bin/python tests/store/make_word_layouts.py [--keep-docx]

Rerunning rewrites the same PDFs: the documents carry fixed metadata, and the
conversion dates and document ID that LibreOffice writes are replaced by fixed
values of the same length.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.table import (  # noqa: E402
    WD_CELL_VERTICAL_ALIGNMENT,
    WD_ROW_HEIGHT_RULE,
    WD_TABLE_ALIGNMENT,
)
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402

from tests.store.layouts import SUB_HEADER, TOTAL_LABEL, Item, decree_items, wrap  # noqa: E402
from tests.store.pdf_factory import (  # noqa: E402
    ACT,
    APPENDIX_HEADING,
    APPENDIX_TITLES,
    BODY,
    HEADER,
    TITLE,
)

OUT = ROOT / "tests" / "data" / "layouts"
SOFFICE = "/usr/bin/soffice"
FIXED_DATE = datetime.datetime(2025, 8, 6, 9, 0, 0)
# The fonts LibreOffice uses for the fonts the documents name (for estimating wrapping).
FONT_FILES = {
    "Times New Roman": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "Arial": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}
CELL_PAD = 0.19  # cm, Word's default left and right cell margin
PT_PER_CM = 72 / 2.54

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
VALIGN = {
    "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
    "middle": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
    "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
}


@dataclass(frozen=True)
class WordLayout:
    """One Word document. widths: the six columns (№, code, name, seats, city, rural)
    in cm; borders: "grid", "none" or "hrules"; rates: "inline" ("465 161/552 703"),
    "spaced" ("465 161 / 552 703") or "stacked" (a line break after each "/");
    heading: the appendix heading block "right"-aligned or "indented" (left-aligned,
    indented to the right half of the page); label: "name" or "span" (the "Барлығы"
    cell spans №, code and name)."""

    name: str
    font: str
    size: float
    landscape: bool
    widths: tuple[float, ...]
    borders: str
    repeat_header: bool
    text_align: str
    number_align: str
    valign: str
    rates: str
    heading: str
    label: str = "name"
    split_rows: bool = False  # Word's default: a tall row may break across pages


WORD_LAYOUTS = (
    # As typed in an office: Times New Roman 12 pt, a bordered table, portrait.
    WordLayout(
        "word-bordered",
        font="Times New Roman",
        size=12,
        landscape=False,
        widths=(1.0, 2.5, 5.2, 2.8, 2.75, 2.75),
        borders="grid",
        repeat_header=True,
        text_align="left",
        number_align="center",
        valign="top",
        rates="inline",
        heading="right",
    ),
    # Landscape, no borders, a wide name column, centred numbers, cells centred
    # vertically, one rate a line.
    WordLayout(
        "word-borderless-landscape",
        font="Arial",
        size=10,
        landscape=True,
        widths=(1.0, 2.4, 11.5, 3.2, 3.6, 3.6),
        borders="none",
        repeat_header=True,
        text_align="left",
        number_align="center",
        valign="middle",
        rates="stacked",
        heading="indented",
    ),
    # Horizontal rules only, a narrow justified name column, numbers right-aligned and
    # at the bottom of the cell, the header only on the first page of each appendix.
    WordLayout(
        "word-hrules-narrow",
        font="DejaVu Sans",
        size=9,
        landscape=False,
        widths=(0.9, 2.3, 3.4, 2.6, 3.9, 3.9),
        borders="hrules",
        repeat_header=False,
        text_align="justify",
        number_align="right",
        valign="bottom",
        rates="spaced",
        heading="right",
        label="span",
    ),
    # Word's defaults left alone: Times 11, ruled, rows allowed to break across pages.
    WordLayout(
        "word-ruled-times-split",
        font="Times New Roman",
        size=11,
        landscape=False,
        widths=(0.9, 2.2, 4.6, 2.6, 3.2, 3.2),
        borders="grid",
        repeat_header=True,
        text_align="left",
        number_align="center",
        valign="top",
        rates="inline",
        heading="right",
        split_rows=True,
    ),
    # A very narrow name column, right-aligned: long words cut where they no longer fit.
    WordLayout(
        "word-ruled-narrow-right",
        font="DejaVu Sans",
        size=9,
        landscape=False,
        widths=(0.9, 2.3, 2.5, 2.4, 3.6, 3.6),
        borders="grid",
        repeat_header=True,
        text_align="right",
        number_align="right",
        valign="middle",
        rates="inline",
        heading="right",
        split_rows=True,
    ),
)


# --------------------------------------------------------------------------- XML helpers


def _set(parent, tag: str, **attrs: str):
    """The child `tag` of `parent` (created if missing) with the given w: attributes."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _fonts(rpr, font: str) -> None:
    _set(rpr, "w:rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=font)
    _set(rpr, "w:lang", val="kk-KZ", bidi="ar-SA", eastAsia="kk-KZ")


def _borders(table, kind: str) -> None:
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        on = kind == "grid" or (kind == "hrules" and edge in ("top", "bottom", "insideH"))
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if on else "nil")
        if on:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _row_flags(row, header: bool, split: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if not split:
        _set(tr_pr, "w:cantSplit", val="true")
    if header:
        _set(tr_pr, "w:tblHeader", val="true")


# --------------------------------------------------------------------------- document


class _Builder:
    def __init__(self, layout: WordLayout) -> None:
        self.layout = layout
        self.doc = Document()
        props = self.doc.core_properties
        props.title = TITLE
        props.author = "Қарағанды облысының әкімдігі"
        props.last_modified_by = "Қарағанды облысының әкімдігі"
        props.created = props.modified = FIXED_DATE
        props.revision = 1
        style = self.doc.styles["Normal"]
        style.font.name = layout.font
        style.font.size = Pt(layout.size)
        _fonts(style.element.get_or_add_rPr(), layout.font)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        section = self.doc.sections[0]
        width, height = Cm(21.0), Cm(29.7)
        if layout.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = width, height
        section.left_margin = Cm(2.5) if not layout.landscape else Cm(2.0)
        section.right_margin = Cm(1.5)
        section.top_margin = Cm(2.0)
        section.bottom_margin = Cm(2.0)
        self.text_width = Cm(
            (section.page_width - section.left_margin - section.right_margin) / 360000
        )

    def paragraph(
        self,
        text: str,
        align: str = "left",
        bold: bool = False,
        indent: float = 0.0,
        first_line: float = 0.0,
        after: float = 0.0,
        page_break: bool = False,
    ):
        p = self.doc.add_paragraph()
        p.alignment = ALIGN[align]
        fmt = p.paragraph_format
        if indent:
            fmt.left_indent = Cm(indent)
        if first_line:
            fmt.first_line_indent = Cm(first_line)
        fmt.space_after = Pt(after)
        fmt.page_break_before = page_break
        run = p.add_run(text)
        run.bold = bold
        return p

    def heading_page(self) -> None:
        self.paragraph(TITLE, "center", bold=True, after=12)
        self.paragraph(ACT, "center", after=12)
        for text in BODY:
            self.paragraph(text, "justify", first_line=1.25, after=6)

    def appendix(self, number: int, items: Sequence[Item]) -> None:
        layout = self.layout
        lines = (*APPENDIX_HEADING, f"{number}- қосымша")
        for i, line in enumerate(lines):
            if layout.heading == "right":
                self.paragraph(line, "right", page_break=i == 0)
            else:
                indent = self.text_width.cm - 6.5
                self.paragraph(line, "left", indent=indent, page_break=i == 0)
        self.paragraph("", after=6)
        for line in APPENDIX_TITLES[number]:
            self.paragraph(line, "center", bold=True)
        self.paragraph("", after=6)
        self.table(items)

    # ------------------------------------------------------------ table

    def fill(self, cell, lines: Sequence[str], align: str, bold: bool = False) -> None:
        """Text of a cell; `lines` are joined with line breaks (not paragraphs)."""
        cell.vertical_alignment = VALIGN[self.layout.valign]
        p = cell.paragraphs[0]
        p.alignment = ALIGN[align]
        run = p.add_run()
        run.bold = bold
        for i, line in enumerate(lines):
            if i:
                run.add_break(WD_BREAK.LINE)
            run.add_text(line)

    def rates(self, rates: Sequence[str]) -> list[str]:
        if self.layout.rates == "inline":
            return ["/".join(rates)]
        if self.layout.rates == "spaced":
            return [" / ".join(rates)]
        return [r + ("/" if i < len(rates) - 1 else "") for i, r in enumerate(rates)]

    def header_lines(self) -> int:
        """How many lines the tallest of the four two-row header cells takes, estimated
        with the metrics of the font LibreOffice puts in place of layout.font."""
        file = FONT_FILES[self.layout.font]
        name = f"W-{Path(file).stem}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, file))
        return max(
            len(
                wrap(
                    HEADER[i],
                    name,
                    self.layout.size,
                    (self.layout.widths[i] - 2 * CELL_PAD) * PT_PER_CM,
                )
            )
            for i in range(4)
        )

    def header(self, table) -> None:
        top, sub = table.add_row(), table.add_row()
        _row_flags(top, self.layout.repeat_header)
        _row_flags(sub, self.layout.repeat_header)
        # LibreOffice draws a repeated header with the heights of its own rows, not the
        # height the vertically merged cells need, and clips those cells (their text
        # still lands in the PDF, under the first row). Give the first row that height.
        top.height = Pt(self.header_lines() * self.layout.size * 1.2)
        top.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for i in range(4):
            cell = top.cells[i].merge(sub.cells[i])
            self.fill(cell, [HEADER[i]], "center")
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        costs = top.cells[4].merge(top.cells[5])
        self.fill(costs, [HEADER[4]], "center")
        costs.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for i, text in enumerate(SUB_HEADER):
            self.fill(sub.cells[4 + i], [text], "center")
            sub.cells[4 + i].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def table(self, items: Sequence[Item]) -> None:
        layout = self.layout
        table = self.doc.add_table(rows=0, cols=6)
        if layout.borders == "grid":
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _borders(table, layout.borders)
        for column, width in zip(table.columns, layout.widths, strict=True):
            column.width = Cm(width)
        self.header(table)
        num = layout.number_align
        for item in items:
            row = table.add_row()
            _row_flags(row, False, self.layout.split_rows)
            cells = row.cells
            for cell, width in zip(cells, layout.widths, strict=True):
                cell.width = Cm(width)
            if item.kind == "group":
                merged = cells[0].merge(cells[5])
                self.fill(merged, [item.text], "left", bold=True)
            elif item.kind == "row":
                self.fill(cells[0], [item.number], num)
                self.fill(cells[1], [item.code], num)
                self.fill(cells[2], [item.name], layout.text_align)
                self.fill(cells[3], [item.seats], num)
                self.fill(cells[4], self.rates(item.city), num)
                self.fill(cells[5], self.rates(item.rural), num)
            else:
                costs = ["-"] if item.dashes else []
                if layout.label == "span":
                    label = cells[0].merge(cells[2])
                    self.fill(label, [TOTAL_LABEL], "left")
                else:
                    self.fill(cells[2], [TOTAL_LABEL], "left")
                self.fill(cells[3], [item.seats], num)
                self.fill(cells[4], costs, num)
                self.fill(cells[5], costs, num)
        for row in table.rows:
            for cell, width in zip(row.cells, layout.widths, strict=True):
                if cell.width is None:
                    cell.width = Cm(width)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def build_docx(layout: WordLayout, path: Path) -> None:
    builder = _Builder(layout)
    builder.heading_page()
    for number, items in sorted(decree_items().items()):
        builder.appendix(number, items)
    builder.save(path)


# --------------------------------------------------------------------------- PDF


def _fix_metadata(pdf: Path) -> None:
    """Replace the conversion dates, the document ID and the checksum LibreOffice writes
    with fixed values of the same length, so that the xref offsets stay right and
    reruns give the same bytes."""
    data = pdf.read_bytes()

    def date(match: re.Match[bytes]) -> bytes:
        # D:YYYYMMDDHHmmSS, then the time zone (kept: same length, same machine)
        value = match.group(2)
        return match.group(1) + b"20250806090000"[: len(value)] + value[14:] + match.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)([^)]*)(\))", date, data)
    data = re.sub(
        rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)",
        lambda m: (
            m.group(1) + b"0" * len(m.group(2)) + m.group(3) + b"0" * len(m.group(4)) + m.group(5)
        ),
        data,
    )
    # LibreOffice's own checksum covers the dates: recompute it over the fixed bytes.
    pattern = rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})"
    blank = re.sub(pattern, lambda m: m.group(1) + b"0" * 32, data)
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    data = re.sub(pattern, lambda m: m.group(1) + digest, blank)
    pdf.write_bytes(data)


def convert(docx: Path, out_dir: Path, profile: Path) -> Path:
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = out_dir / f"{docx.stem}.pdf"
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


def main(argv: list[str]) -> int:
    keep = "--keep-docx" in argv
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="word-layouts-") as tmp:
        work = Path(tmp)
        for layout in WORD_LAYOUTS:
            docx = work / f"{layout.name}.docx"
            build_docx(layout, docx)
            pdf = convert(docx, work, work / "profile")
            _fix_metadata(pdf)
            shutil.copyfile(pdf, OUT / pdf.name)
            if keep:
                shutil.copyfile(docx, OUT / docx.name)
            print(OUT / pdf.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
