"""Time to produce a reply inside the process: from an update handed to the Application
to the sendMessage request leaving it, for realistic queries in three languages.

    python -m benchmarks.reply_time

The network is replaced by a request object that answers at once, so what is measured is
the bot's own work: python-telegram-bot's dispatch, our state lookups, the search, the
card, and building the request. Baseline in the same run: the same Application with an
echo handler instead of ours.
"""

from __future__ import annotations

import asyncio
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bot.app import build_application
from bot.state import State
from store.catalog import Catalog
from store.ingest import ingest, shipped_source

ROOT = Path(__file__).resolve().parent.parent
BOT_USER = {"id": 1, "is_bot": True, "first_name": "mamandyq", "username": "mamandyq_bot"}


class InstantRequest(BaseRequest):
    """Answers every Bot API call at once, as Telegram would, without a network."""

    def __init__(self) -> None:
        self.sent = 0

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if endpoint == "getMe":
            result: Any = BOT_USER
        elif endpoint == "sendMessage":
            self.sent += 1
            chat = int(params["chat_id"])
            result = {
                "message_id": self.sent,
                "date": 0,
                "chat": {"id": chat, "type": "private"},
                "text": params["text"],
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def queries() -> list[str]:
    with (ROOT / "benchmarks" / "queries.tsv").open(encoding="utf-8") as f:
        return [r["query"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def update(bot: Any, number: int, text: str, language: str) -> Update:
    user = {"id": number, "is_bot": False, "first_name": "u", "language_code": language}
    return Update.de_json(
        {
            "update_id": number,
            "message": {
                "message_id": number,
                "date": 0,
                "chat": {"id": number, "type": "private"},
                "from": user,
                "text": text,
            },
        },
        bot,
    )


async def timings(app: Application, texts: list[str], rounds: int) -> list[float]:
    await app.initialize()
    rng = random.Random(1)
    result = []
    number = 0
    for _ in range(rounds):
        for text in texts:
            number += 1
            item = update(app.bot, number, text, rng.choice(("kk", "ru", "en")))
            start = time.perf_counter()
            await app.process_update(item)
            result.append((time.perf_counter() - start) * 1000)
    await app.shutdown()
    return result


def application(catalog: Catalog, state_path: Path) -> Application:
    app = build_application("1:instant", catalog, State(state_path), max_rate=0)
    request = InstantRequest()
    # Both request slots of the bot: swap in the instant one.
    app.bot._request = (request, request)
    return app


async def main_async() -> int:
    texts = queries()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "data.db"
        ingest(shipped_source(), db)
        catalog = Catalog.open(db)
        ours = application(catalog, Path(tmp) / "ours.db")
        echo = application(catalog, Path(tmp) / "echo.db")
        for group, handlers in list(echo.handlers.items()):
            for handler in list(handlers):
                echo.remove_handler(handler, group)

        async def reply(update: Update, _context: object) -> None:
            await update.effective_message.reply_text(update.effective_message.text)

        echo.add_handler(MessageHandler(filters.TEXT, reply))
        baseline = await timings(echo, texts, 3)
        measured = await timings(ours, texts, 3)
    print(f"# reply produced inside the process ({len(measured)} updates, ms)")
    print("| bot | median | p99 | max |")
    print("|---|---:|---:|---:|")
    for name, values in (("echo (baseline)", baseline), ("mamandyq", measured)):
        p99 = statistics.quantiles(values, n=100)[98]
        print(f"| {name} | {statistics.median(values):.2f} | {p99:.2f} | {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main_async()))
