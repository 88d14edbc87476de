"""A trivial echo bot with exactly mamandyq's Application settings (rate limiter, retries,
inbox, connection pool), only its handlers replaced: the ceiling in benchmarks/load.py.

Run with the same environment as `mamandyq run`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.app import ALLOWED_UPDATES, build_application
from bot.settings import Settings
from bot.state import State
from store.catalog import Catalog


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text, do_quote=False)


def main() -> None:
    settings = Settings.from_env().require_token()
    catalog = Catalog.open(settings.db_path)
    state = State(settings.state_path)
    app = build_application(settings.token, catalog, state, settings.base_url, settings.max_rate)
    for group, handlers in list(app.handlers.items()):
        for handler in list(handlers):
            app.remove_handler(handler, group)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=ALLOWED_UPDATES)


if __name__ == "__main__":
    main()
