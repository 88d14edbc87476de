"""Helpers shared by the tests: the decree as transcribed by hand, a second decree, table
dumps, what the bot says (by its English message ids), and reading what it sent.

Expected facts come from `tests/data` (transcribed from the source, see
`expected_NOTES.md`) and from the translation catalogues, never from the program.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import itertools
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.state import State
from store.catalog import Catalog
from store.ingest import shipped_source
from store.model import Row
from tests.fakes.bot_api import Call, FakeBotAPI, parse_html

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
TEXT_SOURCE = shipped_source().with_suffix(".txt")

# The export interface, in order, as the store issue specifies it.
EXPORT_FIELDS = [
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
]

WELDING = "Дәнекерлеу ісі (түрлері бойынша)"
SOFTWARE = "Бағдарламалық қамтамасыз ету (түрлері бойынша)"
NURSING = "Мейіргер ісі"
CATERING = "Тамақтандыруды ұйымдастыру"
ELECTRICAL = "Электр жабдықтары (түрлері және салалары бойынша)"
POWER_SUPPLY = "Электрмен қамтамасыз ету (салалар бойынша)"
CAR_SERVICE = "Автомобиль көлігіне техникалық қызмет көрсету, жөндеу және пайдалану"

# What the bot says, by its English message ids (translated per user with bot.i18n).
GREETING = (
    "Hello! I show how many college places the state pays for in each specialty (study on them "
    "is free) and how much the state spends on one student a year, exactly as the akimat's "
    "decree says."
)
HELP_FIRST_LINE = (
    "Type a specialty, a job or a code, and I answer with the state-funded places and what the "
    "state spends per student a year, from the decree."
)
STALE = "This button is out of date. Type a specialty, or use /browse."
TEXT_ONLY = "I read text only: type a specialty, a job or a code."
SORRY = "Sorry, something went wrong. Please try again."
LANGUAGE_SET = "Language: English. Type a specialty or a job."
FIELDS = "Fields of education:"
SEVERAL = "Several specialties fit. Which one do you mean?"
NO_MATCH = "The decree has no specialty matching «{query}»."


def decree_date(language: str) -> str:
    """The shipped decree's date (6 August 2025) as a card writes it: in Kazakh as the act
    itself writes its date, otherwise dd.mm.yyyy."""
    return "2025 жылғы 6 тамыздағы" if language == "kk" else "06.08.2025"


LEVEL_PLACES = "State-funded places (free for the student): {seats}"
SPENDING = "The state spends per student a year, on average: city {city} · rural {rural}"
TOTAL_PLACES = "Total places at all levels: {seats} ({parts})"
TOP = "Specialties with the most state-funded places:"
SOURCE = "Source: {region} akimat decree No {number} of {date}, academic year {year}"
FIGURES = "Figures: {region}, academic year {year} (akimat decree No {number} of {date})."
YEAR_BEGUN = (
    "The {year} academic year has already begun: these are the places of the {intake} "
    "admission, not of a later year."
)
UNKNOWN_LINK = "This link is unknown or out of date, so here is the start instead."
PAGE = "Page {page} of {pages}"
ITALICS = "In italics: translations of the names, not from the decree."
# Level names and their short forms, by appendix of the shipped decree.
LEVELS = {1: "Workers' qualifications", 2: "Mid-level specialists", 3: "Post-secondary education"}
SHORT_LEVELS = {1: "workers", 2: "mid-level", 3: "post-secondary"}
# The region of the shipped decree as regions.json names it (written from the decree's
# heading "Қарағанды облысының әкімдігі" and the official Russian and English names).
REGION = {"kk": "Қарағанды облысы", "ru": "Карагандинская область", "en": "Karaganda Region"}
REGION_OF = {"kk": "Қарағанды облысы", "ru": "Карагандинской области", "en": "Karaganda Region"}


# The decree, as transcribed by hand


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def expected_rows() -> tuple[dict[str, str], ...]:
    """The shipped decree's rows (appendix, row, group_code, code_raw, code, name, seats,
    city_costs, rural_costs, pdf_page)."""
    return tuple(read_tsv(DATA / "expected_rows.tsv"))


@cache
def expected_groups() -> tuple[dict[str, str], ...]:
    """Its groups and appendix totals ("TOTAL"), printed and summed from the rows."""
    return tuple(read_tsv(DATA / "expected_groups.tsv"))


def group_name(code: str) -> str:
    return next(g["group_name"] for g in expected_groups() if g["group_code"] == code)


def places(name: str) -> list[int]:
    """Places of every row of a specialty, in the decree's order."""
    found = [int(row["seats"]) for row in expected_rows() if row["name"] == name]
    assert found, f"{name!r} is not in the decree"
    return found


def top_ten() -> list[str]:
    """Specialty names by total places, most first."""
    totals: dict[str, int] = defaultdict(int)
    for row in expected_rows():
        totals[row["name"]] += int(row["seats"])
    return sorted(totals, key=lambda name: (-totals[name], name))[:10]


def row_as_tsv(row: Row, pages: bool = True) -> dict[str, str]:
    """A parsed row in the columns of expected_rows.tsv."""
    found = {
        "appendix": str(row.appendix),
        "row": str(row.row),
        "group_code": row.group_code,
        "code_raw": row.code_raw,
        "code": row.code,
        "name": row.name,
        "seats": str(row.seats),
        "city_costs": "|".join(map(str, row.city_costs)),
        "rural_costs": "|".join(map(str, row.rural_costs)),
    }
    if pages:
        found["pdf_page"] = "" if row.page is None else str(row.page)
    return found


def other_decree(folder: Path, region: str = "Ұлытау облысының", number: str = "12/3") -> Path:
    """The shipped text with another region and number in its heading (before appendix 1)."""
    text = TEXT_SOURCE.read_text(encoding="utf-8")
    heading, appendices = text.split("1- қосымша", 1)
    heading = heading.replace("Қарағанды облысының", region).replace("43/19", number)
    path = folder / f"decree-{number.replace('/', '-')}.txt"
    path.write_text(heading + "1- қосымша" + appendices, encoding="utf-8")
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (in a stable order) and the schema; decrees without ingested_at."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out: dict[str, list[tuple]] = {
            "schema": sorted(conn.execute("SELECT type, name, sql FROM sqlite_master")),
            "user_version": conn.execute("PRAGMA user_version").fetchall(),
        }
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM [{table}]")
            columns = [c[0] for c in cursor.description]
            rows = [
                tuple(v for c, v in zip(columns, row, strict=True) if c != "ingested_at")
                for row in cursor
            ]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of a SQLite file (opened read-only, as another process)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t}")] for t in tables}


def specialty_id(catalog: Catalog, name: str) -> str:
    return next(s.id for s in catalog.decree().specialties if s.name == name)


def levels_of(name: str) -> dict[int, int]:
    """Places of a specialty per appendix, from the transcription."""
    return {int(r["appendix"]): int(r["seats"]) for r in expected_rows() if r["name"] == name}


class ScriptedView:
    """A decree view whose search answers some queries with hand-built results: a test
    double for kinds of answer the search engine may give (several, field, small talk)."""

    def __init__(self, view: Any, results: dict[str, Any]) -> None:
        self._view = view
        self._results = results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._view, name)

    def search(self, query: str, limit: int = 6) -> Any:
        found = self._results.get(query)
        return found if found is not None else self._view.search(query, limit)


class ScriptedCatalog:
    """A one-decree catalog over a `ScriptedView` (what `Answers` and the handlers use)."""

    def __init__(self, catalog: Catalog, results: dict[str, Any]) -> None:
        self.view = ScriptedView(catalog.decree(), results)
        self.views = (self.view,)

    def decree(self, decree_id: str | None = None) -> Any:
        return self.view

    def has(self, decree_id: str) -> bool:
        return decree_id == self.view.id

    def current(self) -> ScriptedCatalog:
        return self


# Reading what the bot sent


def plain(call: Call, key: str = "text") -> str:
    """A sent text as the user sees it (HTML parsed); fails on HTML Telegram would refuse."""
    text, problem = parse_html(call.params[key])
    assert problem is None, problem
    return text


def buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [button for row in (markup or {}).get("inline_keyboard", []) for button in row]


def button_data(call: Call) -> list[str]:
    return [
        b["callback_data"] for b in buttons(call.params.get("reply_markup")) if "callback_data" in b
    ]


def button_with_text(call: Call, text: str) -> dict[str, Any]:
    found = [b for b in buttons(call.params.get("reply_markup")) if b["text"] == text]
    assert found, f"no button {text!r} in {buttons(call.params.get('reply_markup'))}"
    return found[0]


def texts_to(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [plain(call) for call in api.replies_to(chat_id) if "text" in call.params]


# Talking to the bot


class ErrorRecords(logging.Handler):
    """ERROR records of the bot's own loggers and of PTB's Application: a handler that raised
    ends up here, through the error handler's "error while handling update" line. (PTB's
    Updater logs each failed getUpdates as an error too; that is expected under faults.)"""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] == "bot" or record.name == "telegram.ext.Application":
            self.records.append(record)

    def messages(self, since: int = 0) -> list[str]:
        return [r.getMessage() for r in self.records[since:]]


_ids = itertools.count(7_000_001)


def new_id() -> int:
    """A user (and private chat) id no other test uses."""
    return next(_ids)


async def until(
    api: FakeBotAPI, condition: Callable[[], bool], what: str, timeout: float = 10.0
) -> None:
    """Wait for `condition`, failing with the recent traffic after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what}\n{api.describe_traffic()}")
        await asyncio.sleep(0.01)


async def reply_to(api: FakeBotAPI, update: dict[str, Any], method: str = "sendMessage") -> Call:
    """Queue an update and return the next `method` call the bot makes."""
    before = len(api.calls_of(method))
    api.add_update(update)
    return (await api.wait_for(method, count=before + 1))[before]


def state_of(app: Application) -> State:
    return app.bot_data["state"]


async def handled(api: FakeBotAPI, app: Application, update: dict[str, Any]) -> None:
    """Wait until the bot has finished with `update`: it marks it answered once its handler
    is done, so every reply to it has been sent by then (an absence check may follow)."""
    update_id = update["update_id"]
    await until(
        api, lambda: state_of(app).inbox.is_answered(update_id), f"update {update_id} handled"
    )


async def talk(api: FakeBotAPI, app: Application, updates: list[dict[str, Any]]) -> None:
    """Send each update and wait until it is handled, one after another."""
    for update in updates:
        await handled(api, app, api.add_update(update))
