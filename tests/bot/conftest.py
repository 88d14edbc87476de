"""Fixtures for the bot's tests: the fake Bot API, the real Application polling it, the bot
as a child process, and a data database each test may change."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.state import State
from store.catalog import Catalog
from tests.bot.running import BotProcess, StartBot, kill_all
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.polling import polling
from tests.helpers import ErrorRecords


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A running fake Telegram Bot API server."""
    async with FakeBotAPI() as fake:
        yield fake


@pytest.fixture
def start_bot(api: FakeBotAPI, catalog: Catalog) -> StartBot:
    """Start the real Application in polling mode against `api`, with its state in `path`.

    Used as ``async with start_bot(path) as app:``; leaving the block stops the updater and
    the application the way `Application.run_polling` does, and closes the state database.
    """

    @asynccontextmanager
    async def running(state_path: Path) -> AsyncIterator[Application]:
        state = State(state_path)
        try:
            async with polling(api, catalog, state) as app:
                yield app
        finally:
            state.close()

    return running


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


@pytest.fixture
async def bot(start_bot: StartBot, state_path: Path) -> AsyncIterator[Application]:
    """The bot, running for the length of one test."""
    async with start_bot(state_path) as app:
        yield app


@pytest.fixture
async def processes() -> AsyncIterator[list[BotProcess]]:
    """Every BotProcess a test starts, killed when it ends whatever happened."""
    started: list[BotProcess] = []
    yield started
    await kill_all(started)


@pytest.fixture
def data_db(shipped_db: Path, tmp_path: Path) -> Path:
    """A copy of the shipped data database this test may use as it likes."""
    path = tmp_path / "data" / "mamandyq.db"
    path.parent.mkdir()
    shutil.copyfile(shipped_db, path)
    return path


@pytest.fixture
def errors() -> Iterator[ErrorRecords]:
    """Fails the test if the bot logged an error (a handler raised) while it ran."""
    handler = ErrorRecords()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
    assert not handler.messages(), handler.messages()
