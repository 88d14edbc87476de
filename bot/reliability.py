"""Answer every update once, in order per chat, through faults, outages, restarts and crashes,
without one chat's waiting holding up another's.

Each piece plugs into python-telegram-bot where it offers a place for it:

* `ChatOrder`, the Application's update processor (`concurrent_updates`): updates are
  handled concurrently, at most `IN_FLIGHT` at once, but each chat's (or, without a chat,
  each user's) one after another in the order they came.
* `FairRateLimiter`, the rate limiter every Bot API call but getUpdates passes through:
  Telegram's limits per bot (30 messages a second), per private chat (about one a second,
  short bursts allowed) and per group (20 a minute), each waited out by the request that
  needs it only; a 429 pauses the chat it was about, not the bot; calls Telegram refused or
  never got (5xx, connection errors, time-outs) are retried with a short backoff. A time-out
  after the request was sent is ambiguous (Telegram may have delivered it): it is retried
  too, erring towards a possible duplicate rather than a lost answer.
* `bot.transport.PollRequest`, the request getUpdates is sent with, waits before each
  poll (which confirms the previous batch to Telegram) until that batch is written down.
* `InboxQueue`, the update queue: each update is written to the inbox (`bot.state.Inbox`)
  as it enters; one Telegram sends again (same bot, id and content within 24 hours) is
  dropped there.
* `InboxApplication`: marks an update answered once its handler is done (erasing its
  body); one whose reply could not be delivered (an outage longer than the retries) stays
  unanswered and is tried again later, in this process or after a restart; `start` replays
  what was received and not answered before the last stop and starts the checkpointer;
  `stop` gives the updates in hand `STOP_GRACE` seconds, then leaves the rest unanswered
  for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application, BaseRateLimiter, BaseUpdateProcessor

from bot.state import State

log = logging.getLogger(__name__)

RETRIES = 5
BACKOFF_SECONDS = (0.2, 0.5, 1.0, 2.0, 4.0)
RETRY_AFTER_RETRIES = 5
# Updates handled at once. With a 150 ms round trip (benchmarks/load.py), 8 serve 28 updates/s,
# against Telegram's cap of 30 a second; more only add httpx pool scanning to every request,
# and more replies a kill could double (one per update in hand at the instant).
IN_FLIGHT = 8
# Updates admitted at once, waiting for their chat's turn or running.
ADMITTED = 10_000
# Seconds between tries of an update whose reply could not be delivered.
REDELIVERY_DELAYS = (2.0, 5.0, 10.0)
STOP_GRACE = 3.0
CHECKPOINT_EVERY = 2.0
FORGET_EVERY = 600.0


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits, as (messages, per seconds): a bucket of that many messages
    that refills at that rate. 0 messages: no limit."""

    overall: tuple[float, float] = (30, 1.0)
    private_chat: tuple[float, float] = (3, 3.0)  # one a second, bursts of three
    group: tuple[float, float] = (20, 60.0)

    @classmethod
    def lifted(cls) -> Limits:
        """No limits at all: for load tests against a local server only."""
        return cls((0, 1.0), (0, 1.0), (0, 1.0))

    @classmethod
    def at(cls, max_rate: float) -> Limits:
        """Telegram's limits with `max_rate` messages a second overall (0: none at all)."""
        return cls((max_rate, 1.0)) if max_rate else cls.lifted()


def _limiter(rate: tuple[float, float]) -> AsyncLimiter | None:
    return AsyncLimiter(*rate) if rate[0] else None


def retry_after_seconds(error: RetryAfter) -> float:
    # The public `retry_after` warns about a coming type change; AIORateLimiter reads it so.
    value = getattr(error, "_retry_after", None)
    return value.total_seconds() if isinstance(value, timedelta) else float(error.retry_after)


class FairRateLimiter(BaseRateLimiter[int]):
    """Telegram's limits per bot, per private chat and per group, with retries; one chat's
    waiting (its limit, a 429 about it) never delays a request for another chat."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._overall = _limiter(self.limits.overall)
        self._chats: dict[int | str, AsyncLimiter] = {}
        self._paused_until: dict[int | str | None, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _chat_limiter(self, chat: int | str) -> AsyncLimiter | None:
        found = self._chats.get(chat)
        if found is not None:
            return found
        private = isinstance(chat, int) and chat > 0
        rate = self.limits.private_chat if private else self.limits.group
        made = _limiter(rate)
        if made is None:
            return None
        if len(self._chats) > 2048:
            for key, limiter in list(self._chats.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._chats[key]
        self._chats[chat] = made
        return made

    async def _wait_for_pause(self, chat: int | str | None) -> None:
        loop = asyncio.get_running_loop()
        keys = (None,) if chat is None else (None, chat)
        while True:
            until = max(self._paused_until.get(key, 0.0) for key in keys)
            if until <= loop.time():
                break
            await asyncio.sleep(until - loop.time())
        if chat in self._paused_until:
            del self._paused_until[chat]

    async def ready(self, chat: int) -> None:
        """Wait until a message to `chat` could go out at once: its 429 pause over, its
        bucket not full. The update processor waits here before it takes one of its places,
        so that a chat kept waiting by its limit does not keep a place from other chats."""
        await self._wait_for_pause(chat)
        limiter = self._chat_limiter(chat)
        while limiter is not None and not limiter.has_capacity():
            await asyncio.sleep(limiter.time_period / limiter.max_rate)

    async def _send(
        self, chat: int | str | None, callback: Callable[..., Awaitable[Any]], args: Any, kw: Any
    ) -> Any:
        await self._wait_for_pause(chat)
        chat_limit = self._chat_limiter(chat) if chat is not None else None
        overall = self._overall if chat is not None else None
        async with contextlib.AsyncExitStack() as stack:
            for limiter in (chat_limit, overall):
                if limiter is not None:
                    await stack.enter_async_context(limiter)
            return await callback(*args, **kw)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict | list[dict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict | list[dict]:
        chat = _chat_of(data)
        waits = rate_limit_args if rate_limit_args is not None else RETRY_AFTER_RETRIES
        refusals = 0
        while True:
            try:
                return await self._send(chat, callback, args, kwargs)
            except RetryAfter as error:
                if waits <= 0:
                    raise
                waits -= 1
                seconds = retry_after_seconds(error) + 0.1
                self._paused_until[chat] = asyncio.get_running_loop().time() + seconds
                log.info("%s: Telegram asks to wait %.1f s (chat %s)", endpoint, seconds, chat)
            except BadRequest:
                raise
            except NetworkError as error:
                if refusals == RETRIES:
                    raise
                log.warning(
                    "%s failed (%s); retry %d of %d", endpoint, error, refusals + 1, RETRIES
                )
                await asyncio.sleep(BACKOFF_SECONDS[refusals])
                refusals += 1


def _chat_of(data: dict[str, Any]) -> int | str | None:
    chat = data.get("chat_id")
    if chat is None:
        return None
    with contextlib.suppress(ValueError, TypeError):
        return int(chat)
    return str(chat)


def chat_key(update: object) -> int | None:
    """Whose updates must keep their order: the chat's, else (inline mode) the user's."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class ChatOrder(BaseUpdateProcessor):
    """Updates handled concurrently, each chat's in the order they arrived.

    python-telegram-bot admits up to `admitted` updates at once; each then waits for the
    update before it in its chat, and for its chat's rate limit (`FairRateLimiter.ready`),
    without taking one of the `in_flight` places of the updates being handled: a chat with
    many updates waiting never keeps another chat waiting.
    """

    def __init__(
        self,
        in_flight: int = IN_FLIGHT,
        admitted: int = ADMITTED,
        limiter: FairRateLimiter | None = None,
    ) -> None:
        super().__init__(admitted)
        self.limiter = limiter
        self._work = asyncio.Semaphore(in_flight)
        self._last: dict[int, asyncio.Future[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        before = self._last.get(key) if key is not None else None
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if key is not None:
            self._last[key] = turn
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        started = False
        try:
            if before is not None:
                await asyncio.wait((before,))
            if key is not None and self.limiter is not None:
                await self.limiter.ready(key)
            async with self._work:
                started = True
                await coroutine
        finally:
            if not started and isinstance(coroutine, Coroutine):
                coroutine.close()
            if task is not None:
                self._tasks.discard(task)
            turn.set_result(None)
            if key is not None and self._last.get(key) is turn:
                del self._last[key]

    def cancel_all(self) -> int:
        """Cancel every update being handled or waiting; how many there were."""
        for task in self._tasks:
            task.cancel()
        return len(self._tasks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class InboxQueue(asyncio.Queue):
    """The Application's update queue: each update is written to the inbox as it enters,
    and one the bot already has (Telegram sent it again) goes no further."""

    def __init__(self, state: State, bodies: dict[int, str]) -> None:
        super().__init__()
        self.inbox = state.inbox
        self.bodies = bodies
        self.keys: dict[int, tuple[int, bytes]] = {}

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            body = self.bodies.pop(item.update_id, None)
            if body is None:  # not from a poll or a webhook: as python-telegram-bot sees it
                body = json.dumps(item.to_dict(), ensure_ascii=False)
            key = self.inbox.admit(item.update_id, body)
            if key is None:
                log.info("update %s was received before; skipped", item.update_id)
                return
            self.keys[id(item)] = key
        await super().put(item)

    async def again(self, update: Update) -> None:
        """Queue an update this queue admitted before (to try it once more)."""
        await super().put(update)


# Transient failures met while handling the current update (set per update).
_FAILED: ContextVar[list[BaseException] | None] = ContextVar("failed", default=None)
TRANSIENT = (NetworkError, RetryAfter)


class InboxApplication(Application):
    """An Application that answers each update once, across restarts and outages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tries: dict[tuple[int, bytes], int] = {}
        self._later: set[asyncio.TimerHandle] = set()
        self._maintenance: asyncio.Task[None] | None = None

    def _inbox_parts(self) -> tuple[State, InboxQueue] | None:
        state = self.bot_data.get("state")
        if isinstance(state, State) and isinstance(self.update_queue, InboxQueue):
            return state, self.update_queue
        return None

    async def process_update(self, update: object) -> None:
        parts = self._inbox_parts()
        key = parts[1].keys.get(id(update)) if parts else None
        if parts is None or key is None:
            await super().process_update(update)
            return
        state, queue = parts
        failed: list[BaseException] = []
        reset = _FAILED.set(failed)
        try:
            await super().process_update(update)
        finally:
            _FAILED.reset(reset)
        if failed and isinstance(update, Update):
            self._try_later(update, key, failed[0])
            return
        queue.keys.pop(id(update), None)
        self._tries.pop(key, None)
        state.inbox.answered(key)

    async def process_error(
        self,
        update: object | None,
        error: Exception,
        job: Any = None,
        coroutine: Any = None,
    ) -> bool:
        """A reply that could not be delivered is not the handler's error: the update is
        tried again later instead (no "sorry", no traceback)."""
        failed = _FAILED.get()
        if (
            failed is not None
            and isinstance(error, TRANSIENT)
            and not isinstance(error, BadRequest)
        ):
            failed.append(error)
            return False
        return await super().process_error(update, error, job, coroutine)

    def _try_later(self, update: Update, key: tuple[int, bytes], error: BaseException) -> None:
        tries = self._tries.get(key, 0)
        self._tries[key] = tries + 1
        delay = REDELIVERY_DELAYS[min(tries, len(REDELIVERY_DELAYS) - 1)]
        log.warning(
            "update %s: the reply was not delivered (%s); trying again in %.0f s",
            update.update_id,
            error,
            delay,
        )
        queue = self.update_queue
        assert isinstance(queue, InboxQueue)

        def again() -> None:
            self._later.discard(handle)
            self.create_task(queue.again(update))

        handle = asyncio.get_running_loop().call_later(delay, again)
        self._later.add(handle)

    async def start(self) -> None:
        await super().start()
        parts = self._inbox_parts()
        if parts is not None:
            await replay_unanswered(self)
            self._maintenance = asyncio.create_task(maintain(parts[0]))

    async def stop(self) -> None:
        """Stop as python-telegram-bot does, but give the updates in hand `STOP_GRACE`
        seconds: those not answered by then stay in the inbox for the next start."""
        for handle in self._later:
            handle.cancel()
        self._later.clear()
        stopping = asyncio.ensure_future(super().stop())
        done, _ = await asyncio.wait((stopping,), timeout=STOP_GRACE)
        processor = self.update_processor
        if not done and isinstance(processor, ChatOrder):
            left = processor.cancel_all()
            log.warning("stopping: %d update(s) left unanswered for the next start", left)
        await stopping
        if self._maintenance is not None:
            self._maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._maintenance
            self._maintenance = None


async def maintain(state: State) -> None:
    """Off the hot path (in a thread, never making a write wait): checkpoint the write-ahead
    log into the database every `CHECKPOINT_EVERY` seconds while writes come, and truncate it
    once they stop (`State.checkpoint`), so that answered updates' content does not linger
    there; and forget answered updates older than Telegram's 24 hours now and then."""
    loop = asyncio.get_running_loop()
    forgotten = loop.time()
    while True:
        await asyncio.sleep(CHECKPOINT_EVERY)
        if loop.time() - forgotten > FORGET_EVERY:
            forgotten = loop.time()
            state.inbox.forget_old()
        try:
            await asyncio.to_thread(state.checkpoint)
        except Exception as error:  # a checkpoint can always wait for the next round
            log.warning("state database checkpoint failed (%s); trying again later", error)


async def replay_unanswered(application: Application) -> None:
    """Queue this bot's updates received before a stop or crash and never answered."""
    state: State = application.bot_data["state"]
    queue = application.update_queue
    pending = state.inbox.unanswered()
    for body in pending:
        data = json.loads(body)
        if isinstance(queue, InboxQueue):
            queue.bodies[data["update_id"]] = body
        await queue.put(Update.de_json(data, application.bot))
    if pending:
        log.info(
            "replaying %d update(s) received but not answered before the last stop", len(pending)
        )
