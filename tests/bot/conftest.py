"""Fixtures for the Telegram tests: the fake Bot API and the real Application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.state import State
from store.catalog import Catalog
from tests.fakes.bot_api import FakeBotAPI

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
        app = build_application(api.token, catalog, state, base_url=api.base_url)
        await app.initialize()
        try:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
            )
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
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
