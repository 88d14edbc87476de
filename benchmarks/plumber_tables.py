"""How far pdfplumber's own table finder gets on the reader's layout matrix, as a baseline for
`store/read_pdf.py`: the rows whose code and name come out exactly.

Per page, pdfplumber's `extract_tables` with the "lines" strategy in each direction the page
is ruled in (vertical rules running down the body, horizontal rules across a third of the
page) and the "text" strategy otherwise; each cell's lines are then cleaned with our own
`store.names.clean_name` (letter spacing, words cut by narrow cells), so that only the table
structure is compared. A row counts when its code cell and the next cell, the name, are
exactly those of `tests/data/expected_rows.tsv`.

    python -m benchmarks.plumber_tables
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
from pathlib import Path

import pdfplumber

from store.ingest import shipped_source
from store.names import clean_name
from tests.store.layouts import MATRIX, render

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "expected_rows.tsv"
WORD_PDFS = sorted((ROOT / "tests" / "data" / "layouts").glob("*.pdf"))


def settings(page: pdfplumber.page.Page) -> dict[str, str]:
    vertical = any(e["orientation"] == "v" and e["bottom"] - e["top"] > 30 for e in page.edges)
    wide = page.width / 3
    across = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > wide]
    return {
        "vertical_strategy": "lines" if vertical else "text",
        "horizontal_strategy": "lines" if len(across) > 3 else "text",
    }


def exact_rows(path: Path, expected: set[tuple[str, str]]) -> int:
    found = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables(settings(page)):
                for row in table:
                    cells = [clean_name((c or "").split("\n")) for c in row]
                    for i, cell in enumerate(cells[:-1]):
                        code = cell.replace(" ", "")
                        if re.fullmatch(r"\d{7,8}", code):
                            found += (code, cells[i + 1]) in expected
                            break
    return found


def main() -> int:
    with EXPECTED.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    expected = {(r["code_raw"], r["name"]) for r in rows}
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for layout in MATRIX:
            path = Path(tmp) / f"{layout.name}.pdf"
            render(layout, path)
            paths.append(path)
        for path in [*paths, *WORD_PDFS, shipped_source()]:
            scores.append(exact_rows(path, expected))
            print(f"{scores[-1]:4d}/{len(rows)}  {path.stem}")
    whole = sum(s == len(rows) for s in scores)
    print(
        f"\npdfplumber's table finder: {whole} of {len(scores)} layouts with every row exact;"
        f" {sum(scores)} of {len(rows) * len(scores)} rows exact"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
