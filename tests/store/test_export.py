"""The export: every row with the documented fields, as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

from store.export import export_rows, to_csv, to_json
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
