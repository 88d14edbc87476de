"""Telegram handlers: translate updates into `Answers` calls and `Reply`s into Bot API calls.

Nothing here decides what to say; that is `bot.answers`. The handlers only find out who
is asking, pick the answer and send it, keeping Telegram's rules (callback queries
answered at once, "message is not modified" ignored, 4096 characters, 1024 for a caption).
Parse mode, link previews and quoting are set once, as the Application's `Defaults`.

A chart is drawn in a worker thread the first time it is asked for and uploaded once: the
file_id Telegram gives back is reused afterwards. The language is the user's choice, else
Telegram's when it is kk or ru, else the script of what they write (remembered in memory
only, for their buttons and commands).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from functools import lru_cache
from html import escape
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import charts
from bot.answers import Answers, Asker
from bot.cards import plain_text
from bot.html_pieces import shorten_html, split_html
from bot.i18n import pick_language, script_language, translator
from bot.reply import Keyboard, Reply
from bot.state import State

log = logging.getLogger(__name__)
# Languages read from what people wrote, kept in memory only (never written to disk).
MAX_GUESSES = 10_000


def _answers(context: ContextTypes.DEFAULT_TYPE) -> Answers:
    return context.bot_data["answers"]


def _state(context: ContextTypes.DEFAULT_TYPE) -> State:
    return context.bot_data["state"]


def _guesses(context: ContextTypes.DEFAULT_TYPE) -> OrderedDict[int, str]:
    return context.bot_data.setdefault("language_guesses", OrderedDict())


def _photo_ids(context: ContextTypes.DEFAULT_TYPE) -> dict[charts.Chart, str]:
    return context.bot_data.setdefault("photo_ids", {})


def asker_for(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str | None = None) -> Asker:
    """The user's language and decree: their saved choice, else Telegram's language_code
    when it is kk or ru, else the script of `text` (or of their earlier messages)."""
    user = update.effective_user
    choice = _state(context).choices.of(user.id) if user else None
    guesses = _guesses(context)
    guess = guesses.get(user.id) if user else None
    written = script_language(text)
    if user and written:
        guesses[user.id] = written
        guesses.move_to_end(user.id)
        while len(guesses) > MAX_GUESSES:
            guesses.popitem(last=False)
    return Asker(
        language=pick_language(
            choice.language if choice else None,
            user.language_code if user else None,
            text,
            guess,
        ),
        decree_id=choice.decree_id if choice else None,
        bot_username=context.bot.username or "mamandyq_bot",
    )


class SerialisedKeyboard(InlineKeyboardMarkup):
    """An inline keyboard that works out its request form once: PTB's objects are frozen,
    and the same card's buttons go out again and again (`to_dict` took 25-110 µs a send,
    more the more buttons: more than the rest of the handler). The dict it returns is shared:
    read it, never change it. Equal to (and hashed as) the plain markup with its buttons."""

    __slots__ = ("_as_dict",)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        # Unset, or None when unpickled (PTB's state keeps every slot): worked out now.
        if getattr(self, "_as_dict", None) is None:
            object.__setattr__(self, "_as_dict", super().to_dict())
        return self._as_dict

    def __hash__(self) -> int:
        return hash((InlineKeyboardMarkup, self._id_attrs))


@lru_cache(maxsize=4096)
def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Buttons as an inline keyboard (immutable, so built once per set of buttons)."""
    if not buttons:
        return None
    return SerialisedKeyboard(
        [
            [
                InlineKeyboardButton(
                    b.text, callback_data=b.data, url=b.url, switch_inline_query=b.switch_inline
                )
                for b in row
            ]
            for row in buttons
        ]
    )


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Pieces of `text` that each fit a message and parse as HTML (`bot.html_pieces`:
    at paragraph breaks where it can, never inside a tag or an entity)."""
    return split_html(text, limit)


def one_message(text: str) -> str:
    """`text` as one message, shortened (saying it goes on) if it is too long: for an
    edit or an inline result, which cannot be followed by more messages."""
    return shorten_html(text, MessageLimit.MAX_TEXT_LENGTH)


async def send(
    message: Message, reply: Reply, photo_ids: dict[charts.Chart, str] | None = None
) -> None:
    """Send a reply to the chat of `message`: a file, a chart, text pieces; buttons last."""
    if reply.document:
        await message.reply_document(
            document=reply.document.content,
            filename=reply.document.filename,
            caption=reply.document.caption,
        )
        return
    if reply.photo:
        fits = len(plain_text(reply.text).strip()) <= MessageLimit.CAPTION_LENGTH
        caption = reply.text if fits else escape(reply.photo.title)
        markup = keyboard(reply.buttons) if fits else None
        await send_chart(
            message, reply.photo, caption, markup, {} if photo_ids is None else photo_ids
        )
        if fits:
            return
    pieces = split_text(reply.text)
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        await message.reply_text(piece, reply_markup=keyboard(reply.buttons) if last else None)


async def send_chart(
    message: Message,
    chart: charts.Chart,
    caption: str,
    markup: InlineKeyboardMarkup | None,
    photo_ids: dict[charts.Chart, str],
) -> None:
    """Send a chart: by the file_id of an earlier upload, else drawn (in a worker thread,
    once per process) and uploaded, keeping the file_id Telegram gives back."""
    known = photo_ids.get(chart)
    if known:
        try:
            await message.reply_photo(known, caption=caption, reply_markup=markup)
            return
        except BadRequest:  # the file is gone on Telegram's side: upload it again
            photo_ids.pop(chart, None)
    png = await asyncio.to_thread(charts.render, chart)
    sent = await message.reply_photo(
        png, caption=caption, reply_markup=markup, filename="mamandyq-chart.png"
    )
    if sent.photo:
        photo_ids[chart] = sent.photo[-1].file_id


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command in `bot.answers.COMMANDS`."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split()[0][1:].split("@")[0]
    args = list(context.args or [])
    asker = asker_for(update, context, " ".join(args))
    reply = _answers(context).command(asker, name, args)
    if reply is not None:
        await send(message, reply, _photo_ids(context))


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


@lru_cache(maxsize=8192)
def _search(answers: Answers, catalog: object, asker: Asker, query: str) -> Reply:
    """The answer to a typed question, worked out once per language, decree and text: the
    same questions come again and again, and a catalog (`catalog`, part of the key: the one
    loaded now) never changes; a reloaded one is another key."""
    return answers.search(asker, query)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = addressed_text(update, context.bot.username or "")
    if query is None or update.effective_message is None:
        return
    answers = _answers(context)
    asker = asker_for(update, context, query)
    reply = (
        _search(answers, answers.catalog.current(), asker, query)
        if query.strip()
        else answers.help(asker)
    )
    # The query log keeps only the words searched on, no digits, addresses or names.
    _state(context).queries.add(query, reply.found)
    await send(update.effective_message, reply, _photo_ids(context))


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and the like in a private chat: say what the bot reads."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    _ = translator(asker_for(update, context).language)
    await message.reply_text(_("I read text only: type a specialty, a job or a code."))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    reply = _answers(context).press(asker_for(update, context), query.data or "")
    if reply is None:
        return
    if reply.choice and update.effective_user:
        _state(context).choices.save(update.effective_user.id, reply.choice)
    message = query.message
    # A message with a photo has a caption, not a text: answer it with a new message.
    if reply.edit and isinstance(message, Message) and message.text is not None:
        try:
            await query.edit_message_text(
                one_message(reply.text), reply_markup=keyboard(reply.buttons)
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise
    elif isinstance(message, Message):
        await send(message, reply, _photo_ids(context))
    elif update.effective_user:
        pieces = split_text(reply.text)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            await context.bot.send_message(
                update.effective_user.id,
                piece,
                reply_markup=keyboard(reply.buttons) if last else None,
            )


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot query in any chat: up to 10 cards to drop into the conversation."""
    query = update.inline_query
    if query is None:
        return
    cards = _answers(context).inline(asker_for(update, context, query.query), query.query)
    results = [
        InlineQueryResultArticle(
            id=c.id,
            title=c.title,
            description=c.description,
            input_message_content=InputTextMessageContent(one_message(c.text)),
        )
        for c in cards
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
                _("Sorry, something went wrong. Please try again.")
            )
        except Exception:  # the error handler itself must never raise
            log.warning("could not tell the user about the error")
