"""Wiring: the Application, its defaults and handlers, and serving it.

Handlers are registered from `bot.answers.COMMANDS` (the one command table), which also
gives Telegram its command menu in each language at start-up, with the bot's description.
"""

from __future__ import annotations

from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken
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
from bot.reliability import InboxApplication, InboxQueue, RetryingRateLimiter, replay_unanswered
from bot.settings import TELEGRAM_MAX_RATE, ConfigError, Settings
from bot.state import State
from locales import LANGUAGES
from store.catalog import Catalog

# Only what the bot handles; Telegram then does not even send the rest.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML,
    link_preview_options=LinkPreviewOptions(is_disabled=True),
    do_quote=False,
)


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


async def _post_init(application: Application) -> None:
    await register_commands(application)
    await register_description(application)
    await replay_unanswered(application)


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
        .defaults(DEFAULTS)
        .rate_limiter(RetryingRateLimiter(overall_max_rate=max_rate, max_retries=5))
        .update_queue(InboxQueue(state))
        .application_class(InboxApplication)
        .post_init(_post_init)
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
