"""The real Application long-polling a fake Bot API server, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.state import State
from store.catalog import Catalog
from tests.fakes.bot_api import FakeBotAPI


@asynccontextmanager
async def polling(api: FakeBotAPI, catalog: Catalog, state: State) -> AsyncIterator[Application]:
    """Run the bot against `api` until the block ends, then stop it the way
    `Application.run_polling` does (updater, application, shutdown)."""
    app = build_application(api.token, catalog, state, base_url=api.base_url)
    await app.initialize()
    try:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
