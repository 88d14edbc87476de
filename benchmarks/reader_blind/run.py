"""Blind layout benchmark of the decree reader: the same decree in several layouts.

Each layout from render.py is rendered into a temporary directory (the Word ones are
copied from fixtures/), then the project's command line is run on it as a black box:

    mamandyq ingest PDF --db TMP.db
    mamandyq export --format json --db TMP.db

and the exported rows are compared with tests/data/expected_rows.tsv, by (appendix,
row), on appendix, row, group_code, code_raw, code, name, seats, city_costs,
rural_costs. A layout is exact when ingest succeeds, every row and name matches and
no other row is exported. It is a measurement: the exit code is always 0.

    python benchmarks/reader_blind/run.py [--list] [--only NAME ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.dont_write_bytecode = True  # keep benchmarks/reader_blind free of __pycache__
sys.path.insert(0, str(HERE))

import render  # noqa: E402

FIELDS = (
    "appendix",
    "row",
    "group_code",
    "code_raw",
    "code",
    "name",
    "seats",
    "city_costs",
    "rural_costs",
)


def cli() -> list[str]:
    for exe in (ROOT / ".venv" / "bin" / "mamandyq", Path(sys.executable).with_name("mamandyq")):
        if exe.exists():
            return [str(exe)]
    return [sys.executable, "-m", "bot.cli"]


def expected(layouts: ModuleType = render) -> dict[tuple[int, int], dict]:
    out = {}
    for r in layouts.expected_rows():
        row = {
            "appendix": int(r["appendix"]),
            "row": int(r["row"]),
            "group_code": r["group_code"],
            "code_raw": r["code_raw"],
            "code": r["code"],
            "name": r["name"],
            "seats": int(r["seats"]),
            "city_costs": [int(x) for x in r["city_costs"].split("|")],
            "rural_costs": [int(x) for x in r["rural_costs"].split("|")],
        }
        out[(row["appendix"], row["row"])] = row
    return out


def first_line(text: str) -> str:
    """The error's first line; for a Python traceback, the exception line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "no message"
    if lines[0].startswith("Traceback"):
        return lines[-1]
    return lines[0]


def measure(pdf: Path, workdir: Path, want: dict) -> tuple[str, bool]:
    db = workdir / f"{pdf.stem}.db"
    env = dict(os.environ, XDG_DATA_HOME=str(workdir / "xdg"), MAMANDYQ_DB=str(db))
    env.pop("MAMANDYQ_LOG_QUERIES", None)
    total = len(want)

    def failed(why: str) -> str:
        return f"ingest failed ({why}) · rows exact 0/{total} · names exact 0/{total}"

    try:
        ingest = subprocess.run(
            [*cli(), "ingest", str(pdf), "--db", str(db)],
            capture_output=True,
            text=True,
            env=env,
            cwd=workdir,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return failed("timed out"), False
    if ingest.returncode != 0:
        return failed(first_line(ingest.stderr or ingest.stdout)), False
    export = subprocess.run(
        [*cli(), "export", "--format", "json", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=600,
    )
    if export.returncode != 0:
        why = "export: " + first_line(export.stderr or export.stdout)
        return failed(why), False
    try:
        got_rows = json.loads(export.stdout)
    except json.JSONDecodeError as e:
        return failed(f"export: not JSON: {e}"), False
    got: dict[tuple, dict] = {}
    for r in got_rows:
        got.setdefault((r.get("appendix"), r.get("row")), r)
    rows_exact = names_exact = 0
    for key, w in want.items():
        g = got.get(key)
        if g is None:
            continue
        if all(g.get(f) == w[f] for f in FIELDS):
            rows_exact += 1
        if g.get("name") == w["name"]:
            names_exact += 1
    line = f"ingest ok · rows exact {rows_exact}/{total} · names exact {names_exact}/{total}"
    if len(got_rows) != total:
        line += f" · exported {len(got_rows)} rows"
    exact = rows_exact == total and names_exact == total and len(got_rows) == total
    return line, exact


def main(layouts: ModuleType = render, prefix: str = "reader-blind", about: str = "") -> int:
    """Render each layout of `layouts` (a render module) and measure the reader on it."""
    parser = argparse.ArgumentParser(description=about or __doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the layout names")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=list(layouts.BY_NAME))
    parser.add_argument("--keep", type=Path, help="render into DIR and keep it")
    args = parser.parse_args()
    chosen = [layouts.BY_NAME[n] for n in args.only] if args.only else layouts.LAYOUTS
    if args.list:
        for layout in chosen:
            print(layout.name)
        return 0
    want = expected(layouts)
    exact_count = 0
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as tmp:
        workdir = Path(tmp)
        outdir = args.keep or workdir / "pdf"
        for layout in chosen:
            try:
                pdf = layouts.render(layout, outdir)
            except Exception as e:  # a rendering problem is reported, not raised
                print(f"{layout.name}: not rendered ({type(e).__name__}: {e})", flush=True)
                continue
            line, exact = measure(pdf, workdir, want)
            exact_count += exact
            print(f"{layout.name}: {line}", flush=True)
        shutil.rmtree(workdir / "xdg", ignore_errors=True)
    print(f"overall: {exact_count} of {len(chosen)} layouts exact")
    return 0


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise
    except Exception as e:  # a measurement: report and exit 0
        print(f"benchmark error: {type(e).__name__}: {e}")
    sys.exit(0)
