"""Wiring in one place: settings from the environment, the Application and its handlers."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import handlers
from bot.answers import Answers
from bot.reliability import InboxApplication, InboxQueue, RetryingRateLimiter, replay_unanswered
from bot.state import State, default_state_path
from store.catalog import Catalog

# Only what the bot handles; Telegram then does not even send the rest.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
# Telegram's overall limit for a bot's messages per second.
TELEGRAM_MAX_RATE = 30


class ConfigError(ValueError):
    """A missing or wrong setting; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    """What `mamandyq run` needs, read from the environment."""

    token: str
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8443
    log_queries: bool = False
    max_rate: float = TELEGRAM_MAX_RATE

    @classmethod
    def from_env(cls, webhook: bool = False) -> Settings:
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather")
        settings = cls(
            token=token,
            base_url=os.environ.get("TELEGRAM_API_BASE_URL") or None,
            webhook_url=os.environ.get("WEBHOOK_URL") or None,
            webhook_secret=os.environ.get("WEBHOOK_SECRET") or None,
            port=_number("PORT", int, 8443),
            log_queries=os.environ.get("MAMANDYQ_LOG_QUERIES", "") == "1",
            max_rate=_number("MAMANDYQ_MAX_RATE", float, TELEGRAM_MAX_RATE),
        )
        if webhook and not (settings.webhook_url and settings.webhook_secret):
            raise ConfigError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        return settings


def _number(name: str, kind: type[int] | type[float], default: float) -> Any:
    """A numeric setting from the environment, with a clear error when it is not a number."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {value!r}") from None


class RedactToken(logging.Filter):
    """Replace the bot token in every log record, whatever library logged it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1]:
            # The whole traceback: the token may be in a chained exception's message.
            trace = logging.Formatter().formatException(record.exc_info)
            if self.token in trace:
                message = f"{message}\n{trace}"
                record.exc_info = None
                record.exc_text = None
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        return True


def configure_logging(token: str) -> None:
    """Log to stderr; httpx's request lines (which carry the token in the URL) stay quiet."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def build_application(
    token: str,
    catalog: Catalog,
    state: State,
    base_url: str | None = None,
    max_rate: float = TELEGRAM_MAX_RATE,
) -> Application:
    """The Application with every handler registered.

    `max_rate` caps messages per second overall, as Telegram asks of bots (0: no cap,
    for load tests against a local fake server).
    """
    builder = (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(RetryingRateLimiter(overall_max_rate=max_rate, max_retries=5))
        .update_queue(InboxQueue(state))
        .application_class(InboxApplication)
        .post_init(replay_unanswered)
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot", 1))
    application = builder.build()
    application.bot_data["answers"] = Answers(catalog)
    application.bot_data["state"] = state
    application.add_handler(CommandHandler(list(Answers.COMMANDS), handlers.command))
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


def run(settings: Settings, catalog: Catalog, state: State, webhook: bool = False) -> None:
    """Serve until stopped: long polling, or a webhook that checks the secret token."""
    configure_logging(settings.token)
    application = build_application(
        settings.token, catalog, state, settings.base_url, settings.max_rate
    )
    try:
        if webhook:
            application.run_webhook(
                listen="0.0.0.0",
                port=settings.port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        # PTB's message quotes the token, and an uncaught traceback is printed unredacted.
        raise ConfigError(
            "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather"
        ) from None


def state_for(db_path: Path | None, log_queries: bool = False) -> State:
    """The bot's own state database, beside the data database."""
    return State(default_state_path(db_path), log_queries=log_queries)
