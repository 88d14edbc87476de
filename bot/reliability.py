"""Answer every update exactly once through network faults, restarts and crashes.

Two pieces, both plugged into python-telegram-bot without changing its flow:

* `RetryingRateLimiter`: the rate limiter every Bot API call (but getUpdates) passes through.
  On top of AIORateLimiter's waiting out 429 answers, it retries calls Telegram refused or
  never got (5xx, connection errors, time-outs) with a short backoff. A time-out after the
  request was sent is ambiguous: Telegram may have delivered it. We retry then too, so
  the bot errs towards a possible duplicate rather than a lost answer.
* An inbox in the state database: `InboxQueue` writes each update down as it enters the
  update queue, which is before python-telegram-bot confirms it to Telegram (with the next
  poll, while the update may still wait in the queue) and before a webhook request is
  answered; `InboxApplication.process_update` skips updates already answered and marks
  each one answered when done, erasing its content. After a crash, `replay_unanswered`
  feeds the updates received but not answered back in, so none is skipped; only an update
  answered in the instant before it was marked can be answered twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, Application

from bot.state import Inbox, State

log = logging.getLogger(__name__)

RETRIES = 5
BACKOFF_SECONDS = (0.2, 0.5, 1.0, 2.0, 4.0)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter that also retries requests refused by a server or a network fault."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict | list[dict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict | list[dict]:
        for attempt in range(RETRIES + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as error:
                if attempt == RETRIES:
                    raise
                log.warning("%s failed (%s); retry %d of %d", endpoint, error, attempt + 1, RETRIES)
                await asyncio.sleep(BACKOFF_SECONDS[attempt])
        raise AssertionError("unreachable")


class InboxQueue(asyncio.Queue):
    """The Application's update queue, writing each update to the inbox as it enters."""

    def __init__(self, state: State) -> None:
        super().__init__()
        self.inbox = state.inbox

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            self.inbox.receive([(item.update_id, json.dumps(item.to_dict()))])
        await super().put(item)


class InboxApplication(Application):
    """An Application that answers each update once, across restarts."""

    async def process_update(self, update: object) -> None:
        state: State | None = self.bot_data.get("state")
        if not isinstance(update, Update) or state is None:
            await super().process_update(update)
            return
        if state.inbox.is_handled(update.update_id):
            log.info("update %s was answered before; skipped", update.update_id)
            return
        await super().process_update(update)
        state.inbox.mark_handled(update.update_id)


async def replay_unanswered(application: Application) -> None:
    """Queue the updates fetched before a crash but never answered (post_init hook)."""
    inbox: Inbox = application.bot_data["state"].inbox
    inbox.forget_handled()
    pending = inbox.unanswered()
    for body in pending:
        await application.update_queue.put(Update.de_json(json.loads(body), application.bot))
    if pending:
        log.info(
            "replaying %d update(s) fetched but not answered before the last stop", len(pending)
        )
