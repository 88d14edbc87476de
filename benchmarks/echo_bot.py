"""A trivial echo bot with exactly mamandyq's Application settings (rate limiter, retries,
inbox, connection pool), only its handlers replaced: the ceiling in benchmarks/load.py.

Run with the same environment as `mamandyq run`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.app import ALLOWED_UPDATES, Settings, build_application, state_for
from store.catalog import Catalog


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text, do_quote=False)


def main() -> None:
    settings = Settings.from_env()
    catalog = Catalog.open()
    app = build_application(
        settings.token, catalog, state_for(None), settings.base_url, settings.max_rate
    )
    for group, handlers in list(app.handlers.items()):
        for handler in list(handlers):
            app.remove_handler(handler, group)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=ALLOWED_UPDATES)


if __name__ == "__main__":
    main()
