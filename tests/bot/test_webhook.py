"""Webhook mode, as an attacker and Telegram would use it: the secret is checked before any
of the body is read, bodies are small, slow clients are cut off, refusals are not a log
flood, the listen address is a setting, and each delivery is answered once.

The bot runs behind `bot.webhook.WebhookServer`, in this process or as `mamandyq run
--webhook`; Telegram's deliveries are POSTed here, its API is the fake server.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import webhook as webhook_module
from bot.settings import ConfigError, Settings
from bot.state import State
from bot.webhook import MAX_BODY, SECRET_HEADER
from store.catalog import Catalog
from tests.bot.running import BotProcess, bot_env
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.polling import free_port, webhook
from tests.helpers import ErrorRecords, new_id, texts_to, until

SECRET = "s3cret-Webhook_token"


async def post(url: str, update: dict[str, Any], headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status


async def raw_request(port: int, head: str, body: bytes = b"", host: str = "127.0.0.1") -> bytes:
    """Send `head` (and `body`) on a plain connection; what the server answers before it
    closes the connection (or 10 s pass: then the server was still waiting for more)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(head.encode() + body)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), 10)
    finally:
        writer.close()


def headers_of(length: int, secret: str | None) -> str:
    lines = [
        "POST /telegram HTTP/1.1",
        "Host: bot.example",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return "\r\n".join(lines) + "\r\n\r\n"


async def test_the_webhook_checks_the_secret_and_answers_each_delivery_once(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, errors: ErrorRecords
) -> None:
    state = State(tmp_path / "state.db")
    try:
        async with webhook(api, catalog, state, SECRET) as hook:
            (set_webhook,) = api.calls_of("setWebhook")
            assert set_webhook.params["url"] == "https://example.invalid/telegram"
            assert set_webhook.params["secret_token"] == SECRET
            assert set_webhook.params["allowed_updates"] == [
                "message",
                "callback_query",
                "inline_query",
            ]

            chat = new_id()
            update = {"update_id": 5_000, **api.message("nurse", user_id=chat)}
            assert await post(hook.url, update, {}) == 403
            assert await post(hook.url, update, {SECRET_HEADER: "wrong"}) == 403
            assert await post(hook.url, update, {SECRET_HEADER: SECRET.upper()}) == 403
            assert await post(hook.url, update, {SECRET_HEADER: SECRET + "x"}) == 403
            assert await post(hook.url, {"nonsense": True}, {SECRET_HEADER: SECRET}) == 400

            assert await post(hook.url, update, {SECRET_HEADER: SECRET}) == 200
            # Telegram delivers again when it did not see the 200: still one answer.
            assert await post(hook.url, update, {SECRET_HEADER: SECRET}) == 200
            await until(api, lambda: state.inbox.is_answered(5_000), "update handled")
        # Refused deliveries never reached the bot, and the repeated one was dropped on
        # arrival: after the bot has stopped, one reply is all there is.
        assert len(api.replies_to(chat)) == 1
        assert "Мейіргер ісі" in texts_to(api, chat)[0]
        api.assert_no_violations()
    finally:
        state.close()


async def test_the_secret_is_compared_in_constant_time(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(webhook_module.hmac, "compare_digest", spy)
    state = State(tmp_path / "state.db")
    try:
        async with webhook(api, catalog, state, SECRET) as hook:
            update = {"update_id": 1, **api.message("nurse", user_id=new_id())}
            assert await post(hook.url, update, {SECRET_HEADER: "guess"}) == 403
    finally:
        state.close()
    assert compared == [(b"guess", SECRET.encode())]


async def test_the_listen_address_is_a_setting(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.1")
    assert Settings.from_env().listen == "127.0.0.1"
    monkeypatch.setenv("WEBHOOK_LISTEN", "localhost:80")
    with pytest.raises(ConfigError, match="WEBHOOK_LISTEN"):
        Settings.from_env()

    state = State(tmp_path / "state.db")
    try:
        async with webhook(api, catalog, state, SECRET, listen="127.0.0.1") as hook:
            # 127.0.0.2 is this machine too, but not the address listened on.
            with pytest.raises(OSError):
                await raw_request(hook.port, headers_of(2, SECRET), b"{}", host="127.0.0.2")
            assert (await raw_request(hook.port, headers_of(2, SECRET), b"{}")).startswith(
                b"HTTP/1.1 400"
            )
    finally:
        state.close()


@pytest.mark.parametrize(
    "env",
    [{}, {"WEBHOOK_URL": "https://example.org/telegram"}, {"WEBHOOK_SECRET": "s3cret"}],
)
def test_webhook_mode_needs_a_url_and_a_secret(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="WEBHOOK_URL and WEBHOOK_SECRET"):
        Settings.from_env().require_token(webhook=True)
    assert Settings.from_env().webhook_url == env.get("WEBHOOK_URL")


# The real process, `mamandyq run --webhook`


async def start_webhook_process(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> tuple[BotProcess, int]:
    port = free_port()
    env = bot_env(
        api,
        data_db,
        tmp_path / "state.db",
        WEBHOOK_URL="https://example.invalid/telegram",
        WEBHOOK_SECRET=SECRET,
        PORT=str(port),
        WEBHOOK_LISTEN="127.0.0.1",
    )
    process = BotProcess(env, tmp_path / "bot.log", ("--webhook",))
    processes.append(process)
    await process.start()
    await api.wait_for("setWebhook", timeout=20)
    await process.until_logged("mamandyq is answering")
    return process, port


async def test_a_body_is_not_read_without_the_secret_nor_past_the_limit(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    process, port = await start_webhook_process(api, data_db, tmp_path, processes)
    huge = 90 * 1024 * 1024
    # Headers announcing 90 MB, and no body at all: the answer comes without it.
    assert (await raw_request(port, headers_of(huge, None))).startswith(b"HTTP/1.1 403")
    assert (await raw_request(port, headers_of(huge, "wrong"))).startswith(b"HTTP/1.1 403")
    # With the secret, a body announced over the limit is refused before it is sent too.
    assert (await raw_request(port, headers_of(huge, SECRET))).startswith(b"HTTP/1.1 413")
    # And one that is larger than it said stops at the limit.
    body = json.dumps({"update_id": 1, "padding": "x" * MAX_BODY}).encode()
    chunked = (
        "POST /telegram HTTP/1.1\r\nHost: bot.example\r\nContent-Type: application/json\r\n"
        f"Transfer-Encoding: chunked\r\n{SECRET_HEADER}: {SECRET}\r\n\r\n"
    )
    chunks = b"".join(
        f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        for piece in (body[i : i + 65536] for i in range(0, len(body), 65536))
    )
    answer = await raw_request(port, chunked, chunks + b"0\r\n\r\n")
    assert answer.startswith((b"HTTP/1.1 413", b"HTTP/1.1 400")), answer[:80]

    # The bot still takes a real delivery.
    chat = new_id()
    update = {"update_id": 10, **api.message("nurse", user_id=chat)}
    assert await post(f"http://127.0.0.1:{port}/telegram", update, {SECRET_HEADER: SECRET}) == 200
    await until(api, lambda: bool(api.replies_to(chat)), "the reply to the delivery")
    assert await process.stop() == 0
    assert "Traceback" not in process.output()


async def test_slow_clients_are_cut_off_and_do_not_hold_up_deliveries(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    process, port = await start_webhook_process(api, data_db, tmp_path, processes)
    # Thirty clients that start a request and never finish its headers or its body.
    slow = []
    for i in range(30):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        part = "POST /telegram HTTP/1.1\r\nHost: x\r\n" if i % 2 else headers_of(500, SECRET)
        writer.write(part.encode())
        await writer.drain()
        slow.append((reader, writer))

    chat = new_id()
    update = {"update_id": 11, **api.message("nurse", user_id=chat)}
    assert await post(f"http://127.0.0.1:{port}/telegram", update, {SECRET_HEADER: SECRET}) == 200
    await until(api, lambda: bool(api.replies_to(chat)), "a delivery beside slow clients")

    # The server hangs up on each of them after its time-out (10 s), without an answer.
    for reader, writer in slow:
        assert await asyncio.wait_for(reader.read(), 30) == b""
        writer.close()
    assert await process.stop() == 0


async def test_refused_requests_are_summed_up_not_logged_one_by_one(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    process, port = await start_webhook_process(api, data_db, tmp_path, processes)
    url = f"http://127.0.0.1:{port}/telegram"
    update = {"update_id": 12, **api.message("nurse", user_id=new_id())}
    for i in range(200):
        assert await post(url, update, {SECRET_HEADER: f"guess{i}"}) == 403
    for _ in range(20):
        assert (await raw_request(port, "GARBAGE\r\n\r\n")) in (
            b"",
            b"HTTP/1.1 400 Bad Request\r\n\r\n",
        )
    assert await process.stop() == 0
    lines = [line for line in process.output().splitlines() if "webhook" in line.lower()]
    refusals = [line for line in lines if "refused" in line]
    assert len(refusals) == 1, lines
    assert len(process.output().splitlines()) < 30, process.output()


def test_logging_of_refusals_is_one_line_per_period(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "bot.webhook")
    refusals = webhook_module.Refusals(every=3600)
    for _ in range(1000):
        refusals.add("without the right secret")
    assert len(caplog.records) == 1
    assert refusals.counts["without the right secret"] == 999
