"""The `mamandyq` command's ingest and export, run in-process."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.bot.running import REPO
from tests.helpers import EXPORT_FIELDS, TEXT_SOURCE

TEXT = TEXT_SOURCE
FIELDS = set(EXPORT_FIELDS)


def test_ingest_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "mamandyq.db"
    assert main(["ingest", str(TEXT), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "Ingested Қарағанды облысы, decree No 43/19 of 2025-08-06 (2025-2026)"
        f" from decree-43-19.txt into {db}",
        "  appendix 1 (workers): 39 rows, 3790 places (printed total 3790)",
        "  appendix 2 (mid_level): 84 rows, 5238 places (printed total 5238)",
        "  appendix 3 (post_secondary): 9 rows, 272 places (printed total 272)",
        "  132 rows, 99 specialties, 9300 places",
        "Warning: printed totals that differ from the sum of their rows:",
        "  appendix 2, group 04 Кәсіпкерлік, басқару және құқық: printed 585, rows sum to 580",
        "  appendix 2, group 07 Инженерлік, өңдеу және құрылыс салалары:"
        " printed 1505, rows sum to 1510",
        "Defects in the source (what was printed -> what was stored):",
        "  appendix 1, row 12 [costs_split_by_page]: '45 468 536 421 909'"
        " -> 'city 421 909, rural 468 536'",
        "  appendix 1, row 30 [stray_digit]: '873 4433' -> '873 443'",
        "  appendix 1, row 38 [no_thousands_space]: '474940' -> '474 940'",
        "  appendix 2, row 75 [code_digits]: '9160100' -> '09160100'",
    ]
    assert db.is_file()


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\n", "просто текст\n".encode()])
def test_ingest_of_a_bad_file(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.pdf"
    source.write_bytes(content)
    db = tmp_path / "mamandyq.db"
    assert main(["ingest", str(source), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("mamandyq: ")
    assert err.count("\n") == 1
    assert not db.exists()


def test_export_json(
    shipped_db: Path, expected_rows: list[dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "json", "--db", str(shipped_db)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 132
    assert all(set(row) == FIELDS for row in rows)
    exported = {(r["appendix"], r["row"]): r for r in rows}
    listed = {(int(r["appendix"]), int(r["row"])): r for r in expected_rows}
    # Appendix 1 row 37 has three rates a column; appendix 2 row 75 a 7-digit code.
    for key in ((1, 37), (2, 75)):
        got, want = exported[key], listed[key]
        assert got["group_code"] == want["group_code"]
        assert got["code_raw"] == want["code_raw"]
        assert got["code"] == want["code"]
        assert got["name"] == want["name"]
        assert got["seats"] == int(want["seats"])
        assert "|".join(map(str, got["city_costs"])) == want["city_costs"]
        assert "|".join(map(str, got["rural_costs"])) == want["rural_costs"]
    assert exported[1, 37]["group_name"] == "Қызмет көрсету саласы"
    assert exported[2, 75]["code"] == "09160100"
    assert exported[2, 75]["group_name"] == "Денсаулық сақтау және әлеуметтік қамтамасыз ету"


def test_export_csv(
    shipped_db: Path,
    expected_rows: list[dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "rows.csv"
    assert main(["export", "--format", "csv", "--db", str(shipped_db), "-o", str(output)]) == 0
    assert capsys.readouterr().out == ""
    reader = csv.DictReader(io.StringIO(output.read_text(encoding="utf-8")))
    rows = list(reader)
    assert set(reader.fieldnames or ()) == FIELDS
    assert len(rows) == 132
    for got, want in zip(rows, expected_rows, strict=True):
        assert (got["code_raw"], got["name"], got["seats"]) == (
            want["code_raw"],
            want["name"],
            want["seats"],
        )
        assert (got["city_costs"], got["rural_costs"]) == (
            want["city_costs"],
            want["rural_costs"],
        )


def test_first_use_builds_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "fresh" / "mamandyq.db"
    monkeypatch.setenv("MAMANDYQ_DB", str(db))
    assert main(["export", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert db.is_file()
    assert f"Building {db} from the shipped decree" in err
    rows = json.loads(out)
    assert len(rows) == 132
    assert rows[0]["name"] == "Баспа ісі"


@pytest.mark.parametrize(
    "args",
    [["search", "сварщик"], ["search", "--json", "nurse"], ["health"], ["report", "misses"]],
)
def test_quick_commands_import_neither_telegram_nor_the_pdf_reader(
    args: list[str], shipped_db: Path, tmp_path: Path
) -> None:
    # python-telegram-bot (about 180 ms), pdfplumber and sqlite-utils (with numpy) only
    # when a command needs them: a repeat search must start fast.
    db = tmp_path / "mamandyq.db"
    shutil.copyfile(shipped_db, db)
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        f"main({[*args, '--db', str(db)]!r})\n"
        "heavy = {'telegram', 'pdfplumber', 'sqlite_utils', 'numpy', 'tornado', 'httpx'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAMANDYQ_")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stderr.splitlines()[-1] == "[]", done.stderr
