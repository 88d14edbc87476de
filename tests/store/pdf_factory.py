"""Make PDFs for tests with reportlab: a decree whose tables have no ruling lines, and
plain documents that are not decrees.

The decree layout follows the shipped one (A4, DejaVu Serif, the akimat's heading block
over each appendix, the table header repeated on every page), except that nothing is
ruled and every cell is left- and top-aligned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"DejaVuSerif": "DejaVuSerif.ttf", "DejaVuSans": "DejaVuSans.ttf"}
FONT = "DejaVuSerif"
SIZE = 9.0
LEADING = 11.0
MARGIN = 50.0
# Left edge and width of the six columns: №, code, name, seats, city costs, rural costs.
COLUMNS = ((57.0, 22.0), (85.0, 56.0), (150.0, 160.0), (320.0, 70.0), (400.0, 80.0), (490.0, 80.0))

TITLE = (
    "Техникалық және кәсіптік, орта білімнен кейінгі білімі бар кадрларды даярлауға "
    "2025-2026 оқу жылына арналған мемлекеттік білім беру тапсырысын бекіту туралы"
)
ACT = "Қарағанды облысының әкімдігінің 2025 жылғы 6 тамыздағы № 43/19 қаулысы"
BODY = (
    '"Қазақстан Республикасындағы жергілікті мемлекеттік басқару және өзін-өзі басқару '
    'туралы", "Білім туралы" Қазақстан Республикасының заңдарына сәйкес Қарағанды облысының '
    "әкімдігі ҚАУЛЫ ЕТЕДІ:",
    "1. 2025-2026 оқу жылына техникалық және кәсіптік, орта білімнен кейінгі білімі бар "
    "кадрларды даярлауға арналған мемлекеттік білім беру тапсырысы осы қаулының 1, 2, "
    "3-қосымшаларына сәйкес бекітілсін.",
    "2. Осы қаулының орындалуын бақылау облыс әкімінің жетекшілік ететін орынбасарына жүктелсін.",
    "Қарағанды облысының әкімі Е. Бөлекпаев",
)
APPENDIX_HEADING = ("Қарағанды облысы әкімдігінің", "2025 жылғы 6 тамыздағы", "№ 43/19 қаулысына")
ORDER = (
    "Техникалық және кәсіптік, орта білімнен кейінгі білімі бар кадрларды даярлауға "
    "2025-2026 оқу жылына арналған мемлекеттік білім беру тапсырысы"
)
APPENDIX_TITLES = {
    1: (ORDER, "(жұмысшы мамандықтар бойынша кадрларды даярлау үшін)"),
    2: (ORDER, "(орта буын кадрларын даярлау үшін)"),
    3: (
        ORDER,
        "Орта білімнен кейінгі білімі бар кадрларды даярлаудың 2025-2026 оқу жылына "
        "арналған мемлекеттік білім беру тапсырысы",
    ),
}
HEADER = (
    "№",
    "Білім деңгейінің, мамандық және біліктілік коды",
    "Мамандық атауы",
    "2025-2026 оқу жылына мемлекеттік білім беру тапсырысы көлемі (орын саны) "
    "күндізгі оқыту нысаны",
    "Оқу жылында бір маманды оқытуға жұмсалатын орташа шығыстар, теңге",
)


@dataclass(frozen=True)
class Row:
    """One table row as it is to be printed."""

    appendix: int
    row: int
    group_code: str
    code: str
    name: str
    seats: int
    city: tuple[int, ...]
    rural: tuple[int, ...]


@dataclass(frozen=True)
class Group:
    """A field of education: its heading row and its "Барлығы" total."""

    appendix: int
    code: str
    name: str
    total: int | None


def fonts_missing() -> list[str]:
    """The DejaVu font files that are not installed."""
    return [name for name in FONTS.values() if not (FONT_DIR / name).is_file()]


def register_fonts() -> None:
    """Register the DejaVu fonts with reportlab (once)."""
    for name, file in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def money(value: int) -> str:
    """A number as the decree prints it: "1 231 599"."""
    return f"{value:,}".replace(",", " ")


def rate_lines(rates: Sequence[int]) -> list[str]:
    """A cost cell: one rate a line, "/" ending every line but the last."""
    return [money(rate) + ("/" if i < len(rates) - 1 else "") for i, rate in enumerate(rates)]


class _Writer:
    """Draws lines and cells top-down, starting new pages as needed."""

    repeat_header = True

    def __init__(self, path: Path) -> None:
        self.canvas = canvas.Canvas(str(path), pagesize=A4)
        self.canvas.setFont(FONT, SIZE)
        self.y = A4[1] - MARGIN

    def new_page(self) -> None:
        self.canvas.showPage()
        self.canvas.setFont(FONT, SIZE)
        self.y = A4[1] - MARGIN

    def paragraph(self, text: str, x: float = MARGIN, width: float = A4[0] - 2 * MARGIN) -> None:
        for line in simpleSplit(text, FONT, SIZE, width):
            self.canvas.drawString(x, self.y, line)
            self.y -= LEADING
        self.y -= LEADING / 2

    def cells(self, columns: Sequence[tuple[float, Sequence[str]]]) -> None:
        """One table line: a list of (x, lines) drawn side by side, top-aligned."""
        for x, lines in columns:
            for i, line in enumerate(lines):
                self.canvas.drawString(x, self.y - i * LEADING, line)
        self.y -= LEADING * max(len(lines) for _, lines in columns) + LEADING / 2

    def fits(self, lines: int) -> bool:
        return self.y - lines * LEADING > MARGIN

    def save(self) -> None:
        self.canvas.save()


def _wrap(text: str, column: int) -> list[str]:
    return simpleSplit(text, FONT, SIZE, COLUMNS[column][1])


def _header(writer: _Writer) -> None:
    x = [left for left, _ in COLUMNS]
    costs_width = COLUMNS[5][0] + COLUMNS[5][1] - COLUMNS[4][0]
    writer.cells(
        [
            (x[0], [HEADER[0]]),
            (x[1], _wrap(HEADER[1], 1)),
            (x[2], _wrap(HEADER[2], 2)),
            (x[3], _wrap(HEADER[3], 3)),
            (x[4], simpleSplit(HEADER[4], FONT, SIZE, costs_width)),
        ]
    )
    writer.cells([(x[4], ["қала"]), (x[5], ["ауыл"])])


def _line(writer: _Writer, cells: Sequence[Sequence[str]]) -> None:
    """A table line of up to six cells; a new page (with the header, unless the writer is
    told not to repeat it) when it does not fit."""
    height = max(len(c) for c in cells)
    if not writer.fits(height):
        writer.new_page()
        if writer.repeat_header:
            _header(writer)
    writer.cells([(COLUMNS[i][0], c) for i, c in enumerate(cells) if c])


def _appendix(
    writer: _Writer, appendix: int, rows: list[Row], groups: list[Group], total: int
) -> None:
    writer.new_page()
    for line in (*APPENDIX_HEADING, f"{appendix}- қосымша"):
        writer.paragraph(line, x=400.0, width=150.0)
    for line in APPENDIX_TITLES[appendix]:
        writer.paragraph(line)
    _header(writer)
    for group in groups:
        _line(writer, [[f"{group.code} {group.name}"]])
        for row in (r for r in rows if r.group_code == group.code):
            _line(
                writer,
                [
                    [str(row.row)],
                    [row.code],
                    _wrap(row.name, 2),
                    [str(row.seats)],
                    rate_lines(row.city),
                    rate_lines(row.rural),
                ],
            )
        if group.total is not None:
            _line(writer, [[], [], ["Барлығы"], [money(group.total)]])
    _line(writer, [[], [], ["Барлығы"], [money(total)], ["-"], ["-"]])


def decree_pdf(
    path: Path,
    rows: Sequence[Row],
    groups: Sequence[Group],
    totals: dict[int, int],
    repeat_header: bool = True,
) -> Path:
    """Write a decree with the given rows; `totals` are the printed appendix totals."""
    register_fonts()
    writer = _Writer(path)
    writer.repeat_header = repeat_header
    writer.paragraph(TITLE)
    writer.paragraph(ACT)
    for paragraph in BODY:
        writer.paragraph(paragraph)
    for appendix, total in sorted(totals.items()):
        _appendix(
            writer,
            appendix,
            [r for r in rows if r.appendix == appendix],
            [g for g in groups if g.appendix == appendix],
            total,
        )
    writer.save()
    return path


def text_pdf(path: Path, lines: Iterable[str], encrypt: str | None = None) -> Path:
    """A one-page PDF with the given lines of text, optionally encrypted with a password."""
    register_fonts()
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    pdf.setFont(FONT, SIZE)
    y = A4[1] - MARGIN
    for line in lines:
        pdf.drawString(MARGIN, y, line)
        y -= LEADING
    pdf.save()
    return path
