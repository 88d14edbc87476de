"""How the bot's requests travel to Telegram.

* `JsonRequest` sends each Bot API call (but uploads) as a UTF-8 JSON body, which Telegram
  accepts as well as the form encoding python-telegram-bot uses: a card in Kazakh or
  Russian is then a third of the bytes (no percent-encoded Cyrillic), and encoded by the
  json module in C instead of urllib in Python. Uploads keep PTB's multipart form. The
  messages Telegram returns for what the bot sent come back without their buttons.
* `PollRequest` sends getUpdates (on a connection of its own, as in PTB). Before each poll,
  which confirms the previous batch to Telegram, it waits until that batch is written down
  in the inbox; it keeps each update's body exactly as Telegram sent it (for the inbox's
  digest, instead of serialising PTB's objects again); it records the heartbeat
  `mamandyq health` reads; and it reports a token Telegram refuses while polling.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from json import JSONDecoder
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

from bot.state import State, StateUnavailable


class JsonRequest(HTTPXRequest):
    """PTB's httpx request, with JSON bodies for every call that uploads no file."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """As `HTTPXRequest.do_request` (same time-outs, same errors), with a JSON body."""
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )  # fmt: skip
        client = self._client
        default = client.timeout
        timeout = httpx.Timeout(
            connect=default.connect if connect_timeout is self.DEFAULT_NONE else connect_timeout,
            read=default.read if read_timeout is self.DEFAULT_NONE else read_timeout,
            write=default.write if write_timeout is self.DEFAULT_NONE else write_timeout,
            pool=default.pool if pool_timeout is self.DEFAULT_NONE else pool_timeout,
        )
        body = json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":"))
        try:
            response = await client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
                timeout=timeout,
                content=body.encode(),
            )
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.PoolTimeout):
                raise TimedOut(
                    "Pool timeout: all connections are busy; the request was not sent"
                ) from error
            raise TimedOut from error
        except httpx.HTTPError as error:
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return response.status_code, response.content

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """As PTB's, without the buttons Telegram echoes back in a message the bot sent: the
        bot never reads them, and parsing them back into objects cost 35-100 µs a card.
        (PTB's arbitrary callback data would need them; the bot does not use it.)"""
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, dict):
            result.pop("reply_markup", None)
        return data


_NOTHING = b'{"ok":true,"result":[]}'
_RESULT_START = re.compile(r'\s*\{\s*"ok"\s*:\s*true\s*,\s*"result"\s*:\s*\[\s*')
_SPACE = re.compile(r"\s*")
_DECODER = JSONDecoder()


def split_updates(text: str) -> tuple[dict[str, Any], list[str]] | None:
    """A getUpdates answer parsed, with each update's JSON text exactly as sent; None for
    any other shape (then it is parsed the ordinary way)."""
    start = _RESULT_START.match(text)
    if start is None:
        return None
    position = start.end()
    updates: list[Any] = []
    bodies: list[str] = []
    try:
        while text[position] != "]":
            value, end = _DECODER.raw_decode(text, position)
            updates.append(value)
            bodies.append(text[position:end])
            position = _SPACE.match(text, end).end()  # type: ignore[union-attr]
            if text[position] == ",":
                position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            elif text[position] != "]":
                return None
    except (ValueError, IndexError):
        return None
    if text[position + 1 :].strip() != "}":
        return None
    return {"ok": True, "result": updates}, bodies


class PollRequest(HTTPXRequest):
    """The request getUpdates is sent with."""

    def __init__(
        self,
        state: State,
        bodies: dict[int, str],
        on_rejected: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(connection_pool_size=1, **kwargs)
        self.state = state
        self.bodies = bodies
        # Telegram refused the token (revoked): python-telegram-bot stops polling for good
        # then, and a bot that cannot poll must not stay alive and deaf.
        self.on_rejected = on_rejected

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Poll once the last batch is written down (this poll confirms it to Telegram)."""
        try:
            await self.state.writes.flush()
        except StateUnavailable:
            # The bot is stopping for its supervisor (`Writes.on_fatal`). This poll would
            # confirm a batch the inbox could not write down: it is not sent, and Telegram
            # keeps the batch for the next start.
            await asyncio.sleep(1.0)
            return 200, _NOTHING
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code == 200:
            self.state.heartbeat.beat("poll")
        elif code in (401, 404) and self.on_rejected is not None:
            self.on_rejected()
        return code, payload

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        """Parse as PTB does, keeping each update's body as received for the inbox."""
        self.bodies.clear()
        found = split_updates(payload.decode("utf-8", "replace"))
        if found is None:
            return super().parse_json_payload(payload)
        answer, bodies = found
        for update, body in zip(answer["result"], bodies, strict=True):
            if isinstance(update, dict) and isinstance(update.get("update_id"), int):
                self.bodies[update["update_id"]] = body
        return answer
