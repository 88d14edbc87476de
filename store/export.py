"""A decree's rows as counselors get them: JSON and CSV with the documented fields."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

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


def to_csv(decree: Decree) -> str:
    """The rows as CSV; several rates in a cell joined with "|"."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in export_rows(decree):
        writer.writerow(
            {
                **row,
                "city_costs": "|".join(map(str, row["city_costs"])),
                "rural_costs": "|".join(map(str, row["rural_costs"])),
            }
        )
    return out.getvalue()
