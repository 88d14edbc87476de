"""A decree's rows as counselors get them: JSON and CSV with the documented fields, and
Excel workbooks of any table (the bot words the headers in the user's language).

Text that a spreadsheet would read as a formula (a cell starting with = + - @, a tab or a
carriage return) is neutralised in both formats: CSV gets a leading apostrophe, as
OWASP advises; XLSX stores the text as a string cell with Excel's hidden "quote prefix".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from store.model import Decree

FIELDS = (
    "appendix",
    "row",
    "group_code",
    "group_name",
    "code_raw",
    "code",
    "name",
    "seats",
    "city_costs",
    "rural_costs",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MIN_WIDTH, MAX_WIDTH = 6, 60


def export_rows(decree: Decree) -> list[dict[str, Any]]:
    """Every row of a decree with the exported fields, in the decree's order."""
    group_names = {(g.appendix, g.code): g.name for g in decree.groups}
    return [
        {
            "appendix": r.appendix,
            "row": r.row,
            "group_code": r.group_code,
            "group_name": group_names.get((r.appendix, r.group_code), ""),
            "code_raw": r.code_raw,
            "code": r.code,
            "name": r.name,
            "seats": r.seats,
            "city_costs": list(r.city_costs),
            "rural_costs": list(r.rural_costs),
        }
        for r in decree.rows
    ]


def to_json(decree: Decree) -> str:
    return json.dumps(export_rows(decree), ensure_ascii=False, indent=1) + "\n"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made plain text ("'=...")."""
    return "'" + value if isinstance(value, str) and is_formula_like(value) else value


def to_csv(decree: Decree, delimiter: str = ",") -> str:
    """The rows as CSV; several rates in a cell joined with "|"; no byte-order mark."""
    out = io.StringIO()
    # CRLF as RFC 4180 and Excel have it; a field holding either line break is then quoted.
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n", delimiter=delimiter)
    writer.writeheader()
    for row in export_rows(decree):
        writer.writerow(
            {
                **{key: neutralise(value) for key, value in row.items()},
                "city_costs": "|".join(map(str, row["city_costs"])),
                "rural_costs": "|".join(map(str, row["rural_costs"])),
            }
        )
    return out.getvalue()


def csv_bytes(decree: Decree, delimiter: str = ",") -> bytes:
    """The CSV as a file for Excel: UTF-8 with a byte-order mark, so Cyrillic reads right."""
    return (BOM + to_csv(decree, delimiter)).encode("utf-8")


def csv_delimiter(language: str) -> str:
    """The list separator Excel expects: ";" where the decimal mark is a comma (kk, ru)."""
    return ";" if language in ("kk", "ru") else ","


Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header and whether it holds text or numbers."""

    header: str
    kind: Literal["text", "number"] = "text"


@dataclass(frozen=True)
class Sheet:
    """A table: a name (at most 31 characters), columns and rows of cells."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    freeze_header: bool = True


def _width(column: Column, cells: Sequence[Cell]) -> int:
    longest = max((len(str(c)) for c in cells if c is not None), default=0)
    header = max((len(word) for word in column.header.split()), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, max(longest, header) + 2))


def _write_sheet(book: Any, sheet: Sheet, formats: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet.name[:31])
    for index, column in enumerate(sheet.columns):
        cells = [row[index] for row in sheet.rows]
        style = formats["text"] if column.kind == "text" else formats["number"]
        ws.set_column(index, index, _width(column, cells), style)
        ws.write_string(0, index, column.header, formats["header"])
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and sheet.columns[c].kind == "number":
                ws.write_number(r, c, value, formats["number"])
            else:  # never `write`: it would take "=..." for a formula
                text = str(value)
                style = formats["quoted"] if is_formula_like(text) else formats["text"]
                ws.write_string(r, c, text, style)
    if sheet.freeze_header:
        ws.freeze_panes(1, 0)
        if sheet.rows:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)
    ws.set_row(0, None, formats["header"])


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An Excel workbook of the sheets: header row frozen and bold, codes as text, numbers
    as numbers (with a thousands separator), widths fitted to the content."""
    import xlsxwriter  # only when a workbook is asked for

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    formats = {
        "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "text": book.add_format({"num_format": "@", "valign": "top"}),
        "quoted": book.add_format({"num_format": "@", "valign": "top", "quote_prefix": True}),
        "number": book.add_format({"num_format": "#,##0", "valign": "top"}),
    }
    for sheet in sheets:
        _write_sheet(book, sheet, formats)
    book.close()
    return out.getvalue()
