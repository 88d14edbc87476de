"""The Excel workbook counselors get from /export and `mamandyq export --format xlsx`.

Read back with openpyxl always, and with LibreOffice Calc (headless, converted to CSV)
when `soffice` is installed; compared with the hand transcription of the decree.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from bot.i18n import translator
from bot.sheets import decree_sheets
from store.catalog import Catalog
from store.export import to_xlsx
from tests.helpers import LEVELS, expected_rows

HEADERS = [
    "Appendix",
    "Level",
    "Row",
    "Field code",
    "Field of education (as in the decree)",
    "Specialty code",
    "Code as printed",
    "Name in the decree (Kazakh)",
    "Name in Russian (translation, not from the decree)",
    "State-funded places (free for the student)",
    *(("City: state spending per student a year, ₸, rate {number}", n) for n in (1, 2, 3)),
    *(("Rural: state spending per student a year, ₸, rate {number}", n) for n in (1, 2, 3)),
    "Note",
]


def calc() -> str | None:
    """LibreOffice's soffice when its spreadsheet (Calc) is installed beside it."""
    found = shutil.which("soffice")
    if found is None:
        return None
    program = Path(os.path.realpath(found)).parent
    return found if (program / "libsclo.so").exists() or (program / "sclo.dll").exists() else None


def heading(_, item) -> str:
    return _(item[0]).format(number=item[1]) if isinstance(item, tuple) else _(item)


def workbook(catalog: Catalog, language: str) -> bytes:
    return to_xlsx(decree_sheets(translator(language), language, catalog.decree()))


def russian_names() -> dict[str, str]:
    text = (resources.files("store") / "data" / "aliases.json").read_text(encoding="utf-8")
    return {entry["name"]: entry["ru"] for entry in json.loads(text)}


def rates(cell: str) -> list[int | None]:
    """ "465161|552703" -> [465161, 552703, None]: three columns, empty where unused."""
    values: list[int | None] = [int(v) for v in cell.split("|") if v]
    return values + [None] * (3 - len(values))


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_workbook_has_every_row_in_typed_columns(catalog: Catalog, language: str) -> None:
    _ = translator(language)
    book = openpyxl.load_workbook(io.BytesIO(workbook(catalog, language)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    english = ["Name in English (translation, not from the decree)"] if language == "en" else []
    wanted = HEADERS[:9] + english + HEADERS[9:]
    assert header == [heading(_, h) for h in wanted]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 132
    names = russian_names()
    shift = len(english)
    for got, want in zip(rows, expected_rows(), strict=True):
        appendix = int(want["appendix"])
        assert got[0] == appendix and got[2] == int(want["row"])
        assert got[1] == _(LEVELS[appendix])
        assert got[3] == want["group_code"]
        assert got[5] == want["code"] and got[6] == want["code_raw"]  # text: zeros kept
        assert got[7] == want["name"]
        assert got[8] == names[want["name"]]
        assert got[9 + shift] == int(want["seats"])
        assert got[10 + shift : 13 + shift] == rates(want["city_costs"])
        assert got[13 + shift : 16 + shift] == rates(want["rural_costs"])
    # The decree's defects, in the note column of their rows.
    note = {(r[0], r[2]): r[-1] for r in rows}
    assert "873 4433" in note[1, 30] and "873 443" in note[1, 30]
    assert "9160100" in note[2, 75] and "09160100" in note[2, 75]
    assert "474940" in note[1, 38]
    assert "Тағам өндірісінің технологиясы" in note[1, 24]  # its code 07210100, two names
    assert note[1, 1] is None
    # Frozen header, a filter, and widths fitted to the content.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}133"
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert widths["H"] >= 40 and widths["A"] <= 15


def test_the_second_sheet_says_what_the_numbers_are_and_which_totals_differ(
    catalog: Catalog,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook(catalog, "ru")))
    about = [row[0].value for row in book.worksheets[1].iter_rows(min_row=2)]
    assert any("постановление акимата Карагандинской области" in line for line in about)
    assert any("не плата за учёбу" in line for line in about)
    assert any("585" in line and "580" in line for line in about)
    assert any("1505" in line and "1510" in line for line in about)
    # Field 09 is "... қамтамасыз ету" in appendix 2, "... қамтамасыздандыру" in appendix 3.
    assert any("қамтамасыздандыру" in line and "қамтамасыз ету»" in line for line in about)


@pytest.mark.skipif(calc() is None, reason="LibreOffice Calc is not installed")
def test_libreoffice_reads_the_workbook_back(catalog: Catalog, tmp_path: Path) -> None:
    source = tmp_path / "mamandyq.xlsx"
    source.write_bytes(workbook(catalog, "ru"))
    profile = tmp_path / "profile"  # its own profile: no clash with another LibreOffice
    subprocess.run(
        [
            str(calc()),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = (tmp_path / "mamandyq.csv").read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header[5] == "Код специальности"
    assert len(rows) == 132
    for got, want in zip(rows, expected_rows(), strict=True):
        assert (got[5], got[6], got[7]) == (want["code"], want["code_raw"], want["name"])
        assert int(got[9].replace(",", "").replace("\xa0", "").replace(" ", "")) == int(
            want["seats"]
        )
