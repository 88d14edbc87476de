"""The real Application against a fake Bot API server, long polling or behind our webhook
server, for tests and benchmarks."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.reliability import IN_FLIGHT, Limits
from bot.settings import Settings
from bot.state import State
from bot.webhook import TIMEOUT, WebhookServer
from store.catalog import Catalog
from tests.fakes.bot_api import FakeBotAPI


@asynccontextmanager
async def polling(
    api: FakeBotAPI,
    catalog: Catalog,
    state: State,
    limits: Limits | None = None,
    in_flight: int = IN_FLIGHT,
) -> AsyncIterator[Application]:
    """Run the bot against `api` until the block ends, then stop it the way
    `mamandyq run` does (updater, application, shutdown)."""
    app = build_application(
        api.token, catalog, state, base_url=api.base_url, limits=limits, in_flight=in_flight
    )
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Webhook:
    """The bot behind its webhook server: where Telegram would POST, and the secret."""

    app: Application
    server: WebhookServer
    url: str
    secret: str
    port: int


@asynccontextmanager
async def webhook(
    api: FakeBotAPI,
    catalog: Catalog,
    state: State,
    secret: str = "s3cret",
    listen: str = "127.0.0.1",
    timeout: float = TIMEOUT,
) -> AsyncIterator[Webhook]:
    """Run the bot behind `bot.webhook.WebhookServer` on a free port until the block ends."""
    port = free_port()
    settings = Settings(
        db_path=Path("unused.db"),
        state_path=state.path,
        token=api.token,
        base_url=api.base_url,
        webhook_url="https://example.invalid/telegram",
        webhook_secret=secret,
        port=port,
        listen=listen,
    )
    app = build_application(api.token, catalog, state, base_url=api.base_url)
    await app.initialize()
    server = WebhookServer(app, state, settings, ALLOWED_UPDATES, timeout=timeout)
    try:
        await app.start()
        server.listen()
        await server.register()
        yield Webhook(app, server, f"http://127.0.0.1:{port}/telegram", secret, port)
    finally:
        await server.close()
        if app.running:
            await app.stop()
        await app.shutdown()
