"""The export: every row with the documented fields, as JSON and CSV; workbooks of any
table; formulas neutralised in both."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import openpyxl

from store.export import (
    Column,
    Sheet,
    csv_bytes,
    csv_delimiter,
    export_rows,
    neutralise,
    to_csv,
    to_json,
    to_xlsx,
)
from store.model import Decree
from store.storage import read_decrees
from tests.helpers import EXPORT_FIELDS, expected_rows


def shipped(path) -> Decree:
    [decree] = read_decrees(path)
    return decree


def test_export_rows(shipped_db) -> None:
    rows = export_rows(shipped(shipped_db))
    assert len(rows) == 132
    assert all(list(r) == EXPORT_FIELDS for r in rows)
    welding = next(r for r in rows if (r["appendix"], r["row"]) == (1, 16))
    assert welding == {
        "appendix": 1,
        "row": 16,
        "group_code": "07",
        "group_name": "Инженерлік, өңдеу және құрылыс салалары",
        "code_raw": "07150500",
        "code": "07150500",
        "name": "Дәнекерлеу ісі (түрлері бойынша)",
        "seats": 447,
        "city_costs": [465161, 552703],
        "rural_costs": [511788, 599330],
    }


def test_json_and_csv_carry_every_row(shipped_db) -> None:
    decree = shipped(shipped_db)
    assert json.loads(to_json(decree)) == export_rows(decree)
    rows = list(csv.DictReader(io.StringIO(to_csv(decree))))
    assert [r["code_raw"] for r in rows] == [r["code_raw"] for r in expected_rows()]
    assert [r["city_costs"] for r in rows] == [r["city_costs"] for r in expected_rows()]


def test_csv_for_excel_has_a_byte_order_mark_and_the_languages_separator(shipped_db) -> None:
    decree = shipped(shipped_db)
    data = csv_bytes(decree, ";")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["code"] for r in rows] == [r["code"] for r in expected_rows()]
    assert csv_delimiter("ru") == csv_delimiter("kk") == ";"
    assert csv_delimiter("en") == ","


FORMULAS = ['=HYPERLINK("http://x","y")', "+7 701", "-1", "@SUM(A1)", "\tx", "\rx"]


def poisoned(decree: Decree) -> Decree:
    """The decree with text cells that a spreadsheet would run as formulas."""
    rows = list(decree.rows)
    for i, text in enumerate(FORMULAS):
        rows[i] = replace(rows[i], name=text, code_raw=text)
    return replace(decree, rows=tuple(rows))


def test_csv_neutralises_formulas(shipped_db) -> None:
    text = to_csv(poisoned(shipped(shipped_db)))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row, text in zip(rows, FORMULAS, strict=False):
        assert row["name"] == "'" + text and row["code_raw"] == "'" + text
    assert rows[len(FORMULAS)]["name"] == expected_rows()[len(FORMULAS)]["name"]  # others as is
    assert neutralise(42) == 42 and neutralise("Баспа ісі") == "Баспа ісі"


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers() -> None:
    sheet = Sheet(
        "Тест",
        (Column("Код"), Column("Атауы"), Column("Орын", "number")),
        (("02110400", "Баспа ісі", 25), *((f"0{i}", text, i) for i, text in enumerate(FORMULAS))),
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([sheet])))
    ws = book["Тест"]
    assert [c.value for c in ws[1]] == ["Код", "Атауы", "Орын"]
    assert ws["A2"].value == "02110400" and ws["A2"].data_type == "s"
    assert ws["C2"].value == 25 and ws["C2"].data_type == "n"
    for row, text in zip(ws.iter_rows(min_row=3), FORMULAS, strict=True):
        cell = row[1]
        assert cell.data_type == "s", text  # a string, never a formula
        if "\r" not in text:  # XlsxWriter stores a carriage return as _x000D_
            assert cell.value == text
        assert cell.quotePrefix, text  # Excel's own "this is text" mark
    assert ws.freeze_panes == "A2"
