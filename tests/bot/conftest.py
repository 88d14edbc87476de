"""Fixtures for the Telegram tests: the fake Bot API and the real Application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.state import State
from store.catalog import Catalog
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.polling import polling

StartBot = Callable[[Path], AbstractAsyncContextManager[Application]]


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
