"""Telegram handlers: translate updates into `Answers` calls and `Reply`s into Bot API calls.

Nothing here decides what to say; that is `bot.answers`. The handlers only find out who
is asking, pick the answer, send it with HTML parse mode, and keep Telegram's rules
(callback queries answered at once, "message is not modified" ignored, 4096 characters).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.answers import Answers, Asker, Reply
from bot.cards import card, short_summary
from bot.i18n import pick_language, translator
from bot.state import State
from store.search import skeleton_words

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
INLINE_RESULTS = 10


def _answers(context: ContextTypes.DEFAULT_TYPE) -> Answers:
    return context.bot_data["answers"]


def _state(context: ContextTypes.DEFAULT_TYPE) -> State:
    return context.bot_data["state"]


def asker_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Asker:
    """The user's language and decree: their saved choice, else Telegram's language_code."""
    user = update.effective_user
    language, decree_id = _state(context).settings(user.id) if user else (None, None)
    return Asker(
        language=pick_language(language, user.language_code if user else None),
        decree_id=decree_id,
        bot_username=context.bot.username or "mamandyq_bot",
    )


@lru_cache(maxsize=4096)
def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (immutable, so built once per reply)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    b.text,
                    callback_data=b.data,
                    url=b.url,
                    switch_inline_query=b.switch_inline,
                )
                for b in row
            ]
            for row in reply.buttons
        ]
    )


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split at paragraph breaks so each piece fits a message (cards are built of
    self-contained paragraphs, so no HTML tag is cut)."""
    pieces: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(block) > limit:
            cut = block.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(block[:cut])
            block = block[cut:].lstrip("\n")
        current = block
    if current:
        pieces.append(current)
    return pieces or [text[:limit]]


async def send(message: Message, reply: Reply) -> None:
    """Send a reply to the chat of `message`: text pieces, buttons on the last one."""
    if reply.document:
        await message.reply_document(
            document=reply.document.content,
            filename=reply.document.filename,
            caption=reply.document.caption,
            do_quote=False,
        )
        return
    pieces = split_text(reply.text)
    for i, piece in enumerate(pieces):
        await message.reply_text(
            piece,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=keyboard(reply) if i == len(pieces) - 1 else None,
            do_quote=False,
        )


# Commands


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command: /start, /help, /lang, /about, /top, /browse, /export, /region."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split()[0][1:].split("@")[0]
    reply = _answers(context).command(asker_for(update, context), name, list(context.args or []))
    if reply is not None:
        await send(message, reply)


# Text, buttons, inline mode


def addressed_text(update: Update, bot_username: str) -> str | None:
    """The text meant for the bot: all of it in a private chat; in a group only a message
    that mentions the bot or replies to it (with the mention taken out)."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    # The whole username: not @<name>_fans (another account) nor x@<name>.kz (an address).
    mention = re.compile(rf"(?<![\w@])@{re.escape(bot_username)}(?!\w)", re.IGNORECASE)
    replied = message.reply_to_message
    if bot_username and mention.search(message.text):
        return mention.sub(" ", message.text).strip()
    if replied and replied.from_user and replied.from_user.username == bot_username:
        return message.text
    return None


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = addressed_text(update, context.bot.username or "")
    if query is None:
        return
    answers = _answers(context)
    asker = asker_for(update, context)
    reply = answers.search(asker, query) if query.strip() else answers.help(asker)
    state = _state(context)
    if state.log_queries:
        # Words only: digits could be a phone number or an IIN.
        state.log_query(" ".join(w for w in skeleton_words(query) if not w.isdigit()), reply.found)
    if update.effective_message:
        await send(update.effective_message, reply)


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and the like in a private chat: say what the bot reads."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    _ = translator(asker_for(update, context).language)
    await message.reply_text(
        _("I read text only: type a specialty, a job or a code."), do_quote=False
    )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    asker = asker_for(update, context)
    reply = _answers(context).callback(asker, query.data or "")
    if reply is None:
        return
    if asker.changes and update.effective_user:
        _state(context).save(update.effective_user.id, **asker.changes)
    message = query.message
    if reply.edit and isinstance(message, Message) and not reply.document:
        try:
            await query.edit_message_text(
                split_text(reply.text)[0],
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=keyboard(reply),
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise
        return
    if isinstance(message, Message):
        await send(message, reply)
    elif update.effective_user:
        await context.bot.send_message(
            update.effective_user.id,
            split_text(reply.text)[0],
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=keyboard(reply),
        )


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot query in any chat: up to 10 cards to drop into the conversation."""
    query = update.inline_query
    if query is None:
        return
    answers = _answers(context)
    asker = asker_for(update, context)
    catalog = answers.catalog
    decree = catalog.decree(asker.decree_id)
    if query.query.strip():
        specialties = [
            m.specialty for m in catalog.search(query.query, decree.id, INLINE_RESULTS).matches
        ]
    else:
        specialties = catalog.top(decree.id, INLINE_RESULTS)
    _ = asker._
    results = [
        InlineQueryResultArticle(
            id=s.id,
            title=s.name[:200],
            description=short_summary(_, s),
            input_message_content=InputTextMessageContent(
                split_text(card(_, asker.language, catalog, decree, s, asker.bot_username))[0],
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
            ),
        )
        for s in specialties[:INLINE_RESULTS]
    ]
    await query.answer(results, cache_time=300, is_personal=True)


async def error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what went wrong (the logging filter keeps the token out) and tell the user."""
    if not isinstance(update, Update):
        # Polling itself failed (network, server); python-telegram-bot retries it.
        log.warning("while polling: %r", context.error)
        return
    log.error(
        "error while handling update %s: %r",
        update.update_id,
        context.error,
        exc_info=context.error,
    )
    if (
        update.effective_message
        and update.effective_chat
        and update.effective_chat.type == ChatType.PRIVATE
    ):
        _ = translator(asker_for(update, context).language)
        try:
            await update.effective_message.reply_text(
                _("Sorry, something went wrong. Please try again."), do_quote=False
            )
        except Exception:  # the error handler itself must never raise
            log.warning("could not tell the user about the error")
