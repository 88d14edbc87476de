"""The bot running for a test: as `mamandyq run` in a child process, against `FakeBotAPI`.

Shared by every test of the bot process (restarts, the inbox, limits, faults, start-up);
the fixtures that hand these out are in `tests/bot/conftest.py`, the in-process
Application in `tests/fakes/polling.py`. Waiting is always on an event (a call the fake
server saw, a line in the log, a row in the state database), never on a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TextIO

from telegram.ext import Application

from tests.fakes.bot_api import FakeBotAPI
from tests.helpers import texts_to, until

REPO = Path(__file__).resolve().parents[2]

# `async with start_bot(state_path) as app:` runs the real Application in this process.
StartBot = Callable[[Path], AbstractAsyncContextManager[Application]]


class BotProcess:
    """`python -m bot.cli run` as a child process, its output in a file."""

    def __init__(self, env: dict[str, str], log: Path, args: tuple[str, ...] = ()) -> None:
        self.env = env
        self.log = log
        self.args = args
        self.proc: asyncio.subprocess.Process | None = None
        self._out: TextIO | None = None

    async def start(self) -> None:
        self._out = self.log.open("a", encoding="utf-8")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            *self.args,
            cwd=REPO,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        """Send `sig` and wait for the process to end; its exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        return await self.wait(timeout)

    async def wait(self, timeout: float = 20.0) -> int:
        """Wait for the process to end (at most `timeout` seconds); its exit code."""
        assert self.proc is not None
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._out is not None:
            self._out.close()
            self._out = None
        return code

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def until_logged(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        """Wait until `text` appears `count` times in the output (or the process ends)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.output().count(text) < count:
            if not self.running:
                raise AssertionError(f"the bot ended before logging {text!r}:\n{self.output()}")
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{text!r} not logged {count} time(s):\n{self.output()}")
            await asyncio.sleep(0.02)


def bot_env(
    api: FakeBotAPI | None,
    data_db: Path,
    state_db: Path,
    token: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment of `mamandyq run` against `api`, with nothing of the caller's
    TELEGRAM_* or MAMANDYQ_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MAMANDYQ_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=token or (api.token if api else "1:none"),
        MAMANDYQ_DB=str(data_db),
        MAMANDYQ_STATE_DB=str(state_db),
        PYTHONUNBUFFERED="1",
    )
    if api is not None:
        env["TELEGRAM_API_BASE_URL"] = api.base_url
    env.update(extra)
    return env


async def launch(
    processes: list[BotProcess],
    api: FakeBotAPI,
    env: dict[str, str],
    log: Path,
    args: tuple[str, ...] = (),
) -> BotProcess:
    """Start the bot process and wait until it polls."""
    process = BotProcess(env, log, args)
    processes.append(process)
    polls = len(api.calls_of("getUpdates"))
    await process.start()
    await until(api, lambda: len(api.calls_of("getUpdates")) > polls, "the bot process started", 20)
    return process


async def kill_all(processes: list[BotProcess]) -> None:
    """Kill every process still running (a test's clean-up, whatever happened)."""
    for process in processes:
        if process.running:
            assert process.proc is not None
            process.proc.kill()
            with contextlib.suppress(Exception):
                await process.wait(10)


def answered_ids(state_db: Path) -> set[int]:
    """Update ids the bot has marked answered in its state database (read from outside,
    as another process would)."""
    with contextlib.closing(sqlite3.connect(f"file:{state_db}?mode=ro", uri=True)) as conn:
        return {row[0] for row in conn.execute("SELECT update_id FROM inbox WHERE answered = 1")}


def answered(api: FakeBotAPI, chats: list[int]) -> int:
    """How many of `chats` got at least one reply."""
    return sum(1 for chat in chats if api.replies_to(chat))


def duplicates(api: FakeBotAPI, chats: list[int]) -> dict[int, list[str]]:
    """Chats that got more than one reply, with what they got."""
    return {chat: texts_to(api, chat) for chat in chats if len(api.replies_to(chat)) > 1}
