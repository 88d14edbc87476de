"""The `mamandyq` command's ingest, export, search and chart, run in-process."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import sqlite_utils
from PIL import Image

from bot.answers import Answers
from bot.cli import main
from bot.console import chat
from store.catalog import Catalog
from store.storage import create_schema, read_decrees, replace_decree
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
        "A running bot (mamandyq run or chat) serves it within seconds, no restart.",
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
        "  appendix 1, row 24 [code_names]: code 07210100 is printed with other names too:"
        " 'Тағам өндірісінің технологиясы'",
        "  appendix 3, row 7 [code_names]: code 07210100 is printed with other names too:"
        " 'Ет және ет өнімдерін өндіру'",
        "  appendix 2, row 3 [code_names]: code 01140200 is printed with other names too:"
        " 'Дене тәрбиесі және спорт'",
        "  appendix 3, row 3 [code_names]: code 01140200 is printed with other names too:"
        " 'Музыкалық білім беру'",
        "  appendix 2, row 4 [code_names]: code 01140300 is printed with other names too:"
        " 'Негізгі орта білім берудегі тіл мен әдебиетті оқытудың педагогикасы мен әдістемесі'",
        "  appendix 3, row 2 [code_names]: code 01140300 is printed with other names too:"
        " 'Көркем еңбек'",
        "  appendix 3, group 09 [group_names]: printed"
        " 'Денсаулық сақтау және әлеуметтік қамтамасыздандыру', elsewhere"
        " 'Денсаулық сақтау және әлеуметтік қамтамасыз ету' (the first is shown)",
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


@pytest.mark.parametrize(
    ("lang", "locale", "separator"),
    [([], "C.UTF-8", ","), ([], "ru_RU.UTF-8", ";"), (["--lang", "kk"], "C.UTF-8", ";")],
)
def test_export_csv(
    shipped_db: Path,
    expected_rows: list[dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: list[str],
    locale: str,
    separator: str,
) -> None:
    """CSV for Excel: a byte-order mark (else Excel garbles Cyrillic) and the list separator
    Excel expects in the language (";" for kk and ru, where the decimal mark is a comma)."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", locale)
    output = tmp_path / "rows.csv"
    command = ["export", "--format", "csv", "--db", str(shipped_db), "-o", str(output), *lang]
    assert main(command) == 0
    assert capsys.readouterr().out == ""
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")
    text = output.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
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


def test_export_xlsx(
    shipped_db: Path,
    expected_rows: list[dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    output = tmp_path / "rows.xlsx"
    command = ["export", "--format", "xlsx", "--db", str(shipped_db), "-o", str(output)]
    assert main([*command, "--lang", "ru"]) == 0
    sheet = openpyxl.load_workbook(output).worksheets[0]
    assert sheet["A1"].value == "Приложение"
    header = [c.value for c in sheet[1]]
    code = header.index("Код специальности")
    assert [r[code].value for r in sheet.iter_rows(min_row=2)] == [r["code"] for r in expected_rows]


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("сварщик", [], "Мест по госзаказу (для студента бесплатно): 447"),
        ("дәнекерлеуші", [], "Мемлекеттік тапсырыс орындары (студентке тегін): 447"),
        ("welding", [], "State-funded places (free for the student): 447"),
        ("сварщик", ["--lang", "en"], "State-funded places (free for the student): 447"),
    ],
)
def test_search_answers_in_the_language_of_the_query(
    shipped_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    lang: list[str],
    expected: str,
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # neither kk nor ru: the script decides
    assert main(["search", query, "--db", str(shipped_db), *lang]) == 0
    assert expected in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("lang", "word"), [("kk", "Жұмысшы біліктіліктері"), ("ru", "Рабочие квалификации")]
)
def test_chart_writes_a_png_in_the_language(
    shipped_db: Path, tmp_path: Path, lang: str, word: str
) -> None:
    output = tmp_path / "chart.png"
    assert main(["chart", "-o", str(output), "--db", str(shipped_db), "--lang", lang]) == 0
    with Image.open(output) as image:
        assert image.format == "PNG" and image.width >= 600
        assert image.info["Language"] == lang
        assert word in image.info["Description"]
    assert output.stat().st_size > 20_000
    top = tmp_path / "top.png"
    assert main(["chart", "--kind", "top", "-o", str(top), "--db", str(shipped_db)]) == 0
    assert top.read_bytes() != output.read_bytes()


# Control characters never reach the terminal


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x00\x9b31m"


def has_controls(text: str) -> bool:
    return any((ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F for c in text)


@pytest.fixture
def hostile_db(shipped_db: Path, tmp_path: Path) -> Path:
    """The shipped decree with control characters in a name, written directly (a database
    from before ingest took them out)."""
    [decree] = read_decrees(shipped_db)
    rows = tuple(
        replace(r, name=f"Баспа{ESCAPES} ісі") if r.name == "Баспа ісі" else r for r in decree.rows
    )
    path = tmp_path / "hostile.db"
    conn = sqlite3.connect(path, isolation_level=None)
    create_schema(sqlite_utils.Database(conn))
    replace_decree(conn, replace(decree, rows=rows))
    conn.close()
    return path


def test_search_prints_no_control_characters(
    hostile_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["search", "баспа", "--db", str(hostile_db), "--lang", "en"])
    out = capsys.readouterr().out
    assert "Баспа]0;owned[2J31m ісі" in out
    assert not has_controls(out)


def test_chat_prints_no_control_characters(hostile_db: Path) -> None:
    out = io.StringIO()
    chat(Answers(Catalog.open(hostile_db)), "en", io.StringIO("баспа\n/top\n"), out)
    assert "Баспа]0;owned[2J31m ісі" in out.getvalue()
    assert not has_controls(out.getvalue())


def test_ingest_prints_no_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "\x1b[31mdecree\x07.txt"
    source.write_bytes(TEXT.read_bytes())
    assert main(["ingest", str(source), "--db", str(tmp_path / "m.db")]) == 0
    out = capsys.readouterr().out
    assert "[31mdecree.txt" in out and not has_controls(out)
    missing = tmp_path / "\x1b[2Jmissing.pdf"
    assert main(["ingest", str(missing), "--db", str(tmp_path / "m.db")]) == 2
    err = capsys.readouterr().err
    assert "[2Jmissing.pdf" in err and not has_controls(err)


# The state database


def test_a_state_database_that_cannot_be_opened_is_one_line(
    shipped_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Before: a traceback ("unable to open database file"), e.g. in a container whose
    /state volume the bot's user cannot write."""
    unwritable = tmp_path / "state"
    unwritable.mkdir()  # a directory where the file should be: refused even for root
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi")
    monkeypatch.setenv("MAMANDYQ_STATE_DB", str(unwritable))
    # In this process tornado must stay importable for the webhook tests.
    monkeypatch.setattr("bot.cli.without_webhook_server", lambda: None)
    assert main(["run", "--db", str(shipped_db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mamandyq: the state database {unwritable} is a directory")
    assert "must be writable by this process (uid " in err and err.count("\n") == 1


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


def test_a_polling_bot_does_without_tornado() -> None:
    """python-telegram-bot imports tornado for its own webhook server whenever it is there;
    a polling bot keeps it out (5 MB) and still has everything it runs with."""
    code = (
        "import sys\n"
        "from bot.cli import without_webhook_server\n"
        "without_webhook_server()\n"
        "import bot.app, telegram.ext\n"
        "from telegram.ext import _updater\n"
        "print(sys.modules.get('tornado') is None, _updater.WEBHOOKS_AVAILABLE)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "False"]


def test_search_json_says_which_other_region_was_asked_about(
    shipped_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--json", "Павлодар сварщик", "--db", str(shipped_db)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["kind"], found["elsewhere"], found["matches"]) == ("none", "Павлодар облысы", [])
