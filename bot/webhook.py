"""Webhook mode: Telegram POSTs each update to us; a server built to be exposed.

python-telegram-bot's own webhook server reads a whole body (up to 100 MB) before it looks
at the secret, never times out a slow client and compares the secret with `!=`. This one,
on the same tornado, follows PTB's documented way for a custom webhook server (updates
into `Application.update_queue`) and:

* checks `X-Telegram-Bot-Api-Secret-Token` with `hmac.compare_digest` as soon as the
  headers are in, before any of the body is read, and refuses a declared body over
  `MAX_BODY` (Telegram's updates are a few kilobytes) at once, or one that grows past it;
* gives a client `TIMEOUT` seconds for its headers and again for its body;
* answers 200 only once the update is written down in the inbox (else 503, and Telegram
  delivers it again), and records the heartbeat `mamandyq health` reads;
* logs refused requests as one summary line a minute at most, however many there are.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from collections import Counter
from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from bot.reliability import InboxQueue
from bot.settings import ConfigError, Settings
from bot.state import State, StateUnavailable

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 256 * 1024
MAX_HEADERS = 16 * 1024
TIMEOUT = 10.0
LOG_EVERY = 60.0


class Refusals:
    """Requests refused, by reason, summed up in at most one log line per `every` seconds
    (an attacker's flood must not become a flood of log lines)."""

    def __init__(self, every: float = LOG_EVERY) -> None:
        self.every = every
        self.counts: Counter[str] = Counter()
        self._logged: float | None = None

    def add(self, reason: str) -> None:
        self.counts[reason] += 1
        now = time.monotonic()
        if self._logged is None or now - self._logged >= self.every:
            self._logged = now
            summary = ", ".join(f"{n} {why}" for why, n in sorted(self.counts.items()))
            log.warning("webhook: refused %s (since the last such line)", summary)
            self.counts.clear()


class _Quiet(logging.Filter):
    """Tornado's own line per malformed or timed-out connection, at most once a minute."""

    def __init__(self) -> None:
        super().__init__()
        self._last: float | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if self._last is not None and now - self._last < LOG_EVERY:
            return False
        self._last = now
        return True


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """One delivery from Telegram: secret first, then a small body, then the inbox."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, server: WebhookServer) -> None:
        self.server = server
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self.server.secret):
            self._refuse(HTTPStatus.FORBIDDEN, "without the right secret")
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too large")
        self.request.connection.set_max_body_size(MAX_BODY)  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too large")
        self.chunks.append(chunk)

    async def post(self) -> None:
        body = b"".join(self.chunks).decode("utf-8", "replace")
        try:
            data = json.loads(body)
            update = Update.de_json(data, self.server.application.bot)
        except Exception:  # anything that is not an update: refused, never processed
            update = None
        if not isinstance(update, Update):
            self._refuse(HTTPStatus.BAD_REQUEST, "not an update")
            return
        queue = self.server.queue
        queue.bodies[update.update_id] = body
        await queue.put(update)
        try:
            await self.server.state.writes.flush()
        except StateUnavailable:
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "while the state database was unwritable")
        self.server.state.heartbeat.beat("webhook")
        self.set_status(HTTPStatus.OK)
        self.finish()

    def _refuse(self, status: HTTPStatus, reason: str) -> None:
        self.server.refusals.add(reason)
        raise tornado.web.HTTPError(status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()

    def log_exception(self, *args: Any) -> None:
        """Refusals are counted in `Refusals`; nothing else to say per request."""


class WebhookServer:
    """The webhook server of one Application; `listen`, then `register`, then `close`."""

    def __init__(
        self,
        application: Application,
        state: State,
        settings: Settings,
        allowed_updates: list[str],
        timeout: float = TIMEOUT,
    ) -> None:
        assert settings.webhook_url and settings.webhook_secret
        queue = application.update_queue
        if not isinstance(queue, InboxQueue):
            raise TypeError("the webhook server needs the bot's InboxQueue")
        self.application = application
        self.state = state
        self.settings = settings
        self.allowed_updates = allowed_updates
        self.queue = queue
        self.secret = settings.webhook_secret.encode()
        self.refusals = Refusals()
        path = urlparse(settings.webhook_url).path.rstrip("/") or ""
        routes = [(re.escape(path) + "/?", UpdateHandler, {"server": self})]
        web = tornado.web.Application(routes, log_function=lambda _handler: None)
        self.http = HTTPServer(
            web,
            max_header_size=MAX_HEADERS,
            max_body_size=MAX_BODY,
            idle_connection_timeout=timeout,
            body_timeout=timeout,
        )
        quiet = _Quiet()
        for name in ("tornado.general", "tornado.access", "tornado.application"):
            logging.getLogger(name).addFilter(quiet)

    def listen(self) -> None:
        """Bind the port (a ConfigError in one line when it cannot be had)."""
        address, port = self.settings.listen, self.settings.port
        try:
            self.http.listen(port, address=address)
        except OSError as error:
            raise ConfigError(
                f"cannot listen on {address}:{port} for the webhook: {error.strerror}"
            ) from None

    async def register(self) -> None:
        """Tell Telegram where to deliver, with the secret and the update types we read."""
        await self.application.bot.set_webhook(
            url=self.settings.webhook_url or "",
            secret_token=self.settings.webhook_secret,
            allowed_updates=self.allowed_updates,
        )

    async def close(self) -> None:
        self.http.stop()
        await self.http.close_all_connections()
