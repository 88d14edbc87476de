"""Wiring: the Application, its defaults and handlers, and serving it until stopped.

Handlers are registered from `bot.answers.COMMANDS` (the one command table), which also
gives Telegram its command menu in each language at start-up, with the bot's description.

`run` is python-telegram-bot's documented manual lifecycle (initialize, start the updater
or our webhook server, start, ..., stop, shutdown) rather than `run_polling`, for what an
operator needs from it: a bot started while Telegram cannot be reached keeps trying, one
line per attempt, instead of exiting; a state database that refuses writes for too long
ends the bot with exit code 1 for its supervisor instead of leaving it deaf; a stop takes
a few seconds at most; every failure an operator can cause is one line, not a traceback.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import handlers
from bot.answers import COMMANDS, Answers
from bot.i18n import translator
from bot.logs import configure_logging
from bot.reliability import (
    IN_FLIGHT,
    ChatOrder,
    FairRateLimiter,
    InboxApplication,
    InboxQueue,
    Limits,
    retry_after_seconds,
)
from bot.settings import TELEGRAM_MAX_RATE, ConfigError, Settings
from bot.state import State, StateUnavailable
from bot.transport import JsonRequest, PollRequest
from locales import LANGUAGES
from store.catalog import Catalog

log = logging.getLogger(__name__)

# Only what the bot handles; Telegram then does not even send the rest.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML,
    link_preview_options=LinkPreviewOptions(is_disabled=True),
    do_quote=False,
)
POLL_TIMEOUT = 10
CONNECT_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
STOP_TIMEOUT = 5.0
# Connections to Telegram: one per update being handled, and a few for the rest.
CONNECTIONS = 2 * IN_FLIGHT


def bot_id(token: str) -> int:
    """The bot's id: the digits before the colon of its token (0 if there are none)."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0


async def register_commands(application: Application) -> None:
    """The command menu in each language (and the default one, in English)."""
    for language in (None, *LANGUAGES):
        _ = translator(language or "en")
        menu = [BotCommand(c.name, _(c.description)) for c in COMMANDS]
        await application.bot.set_my_commands(menu, language_code=language)


async def register_description(application: Application) -> None:
    """The bot's description (shown before the first /start) and short description (its
    profile and shared links) in each language, and the default one in English."""
    answers: Answers = application.bot_data["answers"]
    for language in (None, *LANGUAGES):
        description, short = answers.description(language or "en")
        await application.bot.set_my_description(description, language_code=language)
        await application.bot.set_my_short_description(short, language_code=language)


def build_application(
    token: str,
    catalog: Catalog,
    state: State,
    base_url: str | None = None,
    max_rate: float = TELEGRAM_MAX_RATE,
    limits: Limits | None = None,
    in_flight: int = IN_FLIGHT,
    on_rejected: Callable[[], None] | None = None,
) -> Application:
    """The Application with every handler registered.

    `max_rate` caps messages per second overall, as Telegram asks of bots, with its limits
    per chat and per group (0: no limits at all, for load tests against a local server);
    `limits` sets them all. Updates are handled `in_flight` at a time, each chat's in order.
    `on_rejected` is called when Telegram refuses the token while polling.
    """
    state.use_bot(bot_id(token))
    bodies: dict[int, str] = {}
    limiter = FairRateLimiter(limits or Limits.at(max_rate))
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(DEFAULTS)
        .rate_limiter(limiter)
        .concurrent_updates(ChatOrder(in_flight, limiter=limiter))
        .update_queue(InboxQueue(state, bodies))
        .request(JsonRequest(connection_pool_size=CONNECTIONS))
        .get_updates_request(PollRequest(state, bodies, on_rejected))
        .application_class(InboxApplication)
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot", 1))
    application = builder.build()
    application.bot_data["answers"] = Answers(catalog)
    application.bot_data["state"] = state
    application.add_handler(CommandHandler([c.name for c in COMMANDS], handlers.command))
    # New messages only: an edited message is not a new question.
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, handlers.text)
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            handlers.unsupported,
        )
    )
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline))
    application.add_error_handler(handlers.error)
    return application


@dataclass
class Lifetime:
    """When to stop, and with which exit code."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)
    code: int = 0

    def fail(self, error: StateUnavailable) -> None:
        log.critical("%s", error)
        self.code = 1
        self.stop.set()

    def rejected(self) -> None:
        log.error("Telegram rejected TELEGRAM_BOT_TOKEN while polling (revoked?); stopping")
        self.code = 2
        self.stop.set()


async def _wait(event: asyncio.Event, seconds: float) -> bool:
    """Sleep `seconds` unless `event` is set first; whether it was."""
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _short(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


async def with_retries(
    what: str, action: Callable[[], Awaitable[object]], lifetime: Lifetime
) -> bool:
    """Run `action()` until it succeeds, backing off, one log line per failed attempt;
    False if the bot was told to stop meanwhile. A rejected token is a ConfigError."""
    attempt = 0
    while not lifetime.stop.is_set():
        try:
            await action()
            return True
        except InvalidToken:
            raise ConfigError(
                "Telegram rejected TELEGRAM_BOT_TOKEN (or TELEGRAM_API_BASE_URL is not a Bot API "
                "server): check the token with @BotFather"
            ) from None
        except RetryAfter as error:
            delay = retry_after_seconds(error)
        except TelegramError as error:
            delay = CONNECT_DELAYS[min(attempt, len(CONNECT_DELAYS) - 1)]
            log.warning(
                "%s failed (%s); attempt %d, retrying in %.0f s", what, _short(error), attempt + 1,
                delay,
            )  # fmt: skip
        attempt += 1
        if await _wait(lifetime.stop, delay):
            return False
    return False


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def settle_memory(catalog: Catalog) -> None:
    """Build the default decree's search index now and move everything loaded so far out of
    the garbage collector's sight (`gc.freeze`): the catalog, the index, the libraries never
    die, and a full collection scanning them paused every update in hand (measured: 13 ms
    for the catalog and its answers alone, more with the rest)."""
    catalog.decree().engine  # noqa: B018 (built on first use otherwise)
    gc.collect()
    gc.freeze()


def _install_signals(lifetime: Lifetime) -> None:
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, lifetime.stop.set)


def _remove_signals() -> None:
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.remove_signal_handler(sig)


def _poll_failed(error: TelegramError) -> None:
    log.warning("getUpdates failed (%s); polling again shortly", _short(error))


async def serve(settings: Settings, catalog: Catalog, state: State, webhook: bool) -> int:
    """Run the bot until SIGTERM or SIGINT (exit code 0) or a state database that stays
    unwritable (1); a ConfigError for what the operator must fix."""
    lifetime = Lifetime()
    _install_signals(lifetime)
    state.writes.on_fatal = lifetime.fail
    application = build_application(
        settings.token,
        catalog,
        state,
        settings.base_url,
        settings.max_rate,
        on_rejected=lifetime.rejected,
    )
    server = None
    try:
        if not await with_retries("connecting to Telegram", application.initialize, lifetime):
            return lifetime.code
        state.heartbeat.beat("start")  # Telegram answered; the first poll may take a while
        settle_memory(catalog)
        try:
            await register_commands(application)
            await register_description(application)
        except TelegramError as error:
            log.warning("the command menu was not set (%s); the commands work anyway", error)
        await application.start()
        if webhook:
            from bot.webhook import WebhookServer

            server = WebhookServer(application, state, settings, ALLOWED_UPDATES)
            server.listen()
            if not await with_retries("setting the webhook", server.register, lifetime):
                return lifetime.code
        else:
            assert application.updater is not None
            await with_retries(
                "starting to poll",
                lambda: application.updater.start_polling(  # type: ignore[union-attr]
                    timeout=POLL_TIMEOUT,
                    allowed_updates=ALLOWED_UPDATES,
                    bootstrap_retries=-1,
                    error_callback=_poll_failed,
                ),
                lifetime,
            )
        log.info("mamandyq is answering (%s)", "webhook" if webhook else "long polling")
        await lifetime.stop.wait()
        return lifetime.code
    finally:
        await _stop(application, server)
        _remove_signals()


async def _stop(application: Application, server: object) -> None:
    """Stop in a few seconds at most, whatever Telegram does meanwhile."""
    if server is not None:
        try:
            await asyncio.wait_for(server.close(), STOP_TIMEOUT)  # type: ignore[attr-defined]
        except TimeoutError:
            log.warning("stopping: webhook connections did not close; moving on")
    if application.updater is not None and application.updater.running:
        try:
            await asyncio.wait_for(application.updater.stop(), STOP_TIMEOUT)
        except TimeoutError:
            log.warning("stopping: Telegram did not answer the last poll; moving on")
    if application.running:
        await application.stop()
    await application.shutdown()  # does nothing unless initialized


def run(settings: Settings, catalog: Catalog, state: State, webhook: bool = False) -> int:
    """Serve until stopped: long polling, or a webhook that checks the secret token. The
    exit code: 0 when stopped, 1 when the state database stayed unwritable."""
    configure_logging(settings.token)
    return asyncio.run(serve(settings, catalog, state, webhook))
