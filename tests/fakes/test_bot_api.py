"""Tests of the fake Bot API server itself.

The fake is what every bot test trusts to behave like Telegram, so its long polling, request
decoding, validation and fault injection are pinned down here, mostly through the real PTB
``Bot`` (so that requests are encoded exactly as in production) and once through a complete
``telegram.ext.Application`` polling loop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from .bot_api import FakeBotAPI, parse_html

CHAT = 4242


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A running fake server."""
    async with FakeBotAPI() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    """A real, initialised PTB Bot talking to the fake."""
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as real:
        yield real


async def raw(
    api: FakeBotAPI, method: str, token: str | None = None, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST form fields the way PTB does (strings as is, everything else JSON encoded)."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    url = f"{api.base_url}{token or api.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, data=data) as response:
        return response.status, await response.json(content_type=None)


# ---- basics ----------------------------------------------------------------------------------


async def test_get_me_and_wrong_token(api: FakeBotAPI, bot: Bot) -> None:
    assert bot.username == "mamandyq_test_bot"
    assert bot.id == 123456789
    status, body = await raw(api, "getMe")
    assert status == 200
    assert api.schema.check_value(body["result"], "User", "result") == []
    assert body["result"]["supports_inline_queries"] is True
    assert body["result"]["can_read_all_group_messages"] is False
    assert await raw(api, "getMe", token="1:wrong") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_sent_message_is_a_valid_message_echoing_keyboard(api: FakeBotAPI, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Алматы", callback_data="r:alm")]])
    sent = await bot.send_message(CHAT, "<b>Таңдаңыз</b>", parse_mode="HTML", reply_markup=keyboard)
    assert sent.text == "Таңдаңыз"
    assert sent.reply_markup == keyboard
    [call] = api.calls_of("sendMessage")
    assert call.params["chat_id"] == CHAT
    assert call.params["text"] == "<b>Таңдаңыз</b>"
    assert api.schema.check_value(call.result, "Message", "result") == []
    assert api.replies_to(CHAT) == [call]
    api.assert_no_violations()


# ---- getUpdates ------------------------------------------------------------------------------


async def test_get_updates_offset_and_limit(api: FakeBotAPI) -> None:
    ids = [api.add_update(api.message(f"m{i}"))["update_id"] for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    _, body = await raw(api, "getUpdates", limit=2)
    assert [u["update_id"] for u in body["result"]] == ids[:2]
    _, body = await raw(api, "getUpdates", offset=ids[1])  # confirms ids[0]
    assert [u["update_id"] for u in body["result"]] == ids[1:]
    _, body = await raw(api, "getUpdates", offset=ids[2] + 1)
    assert body["result"] == []
    assert api.updates == []


async def test_get_updates_long_poll_returns_early(api: FakeBotAPI) -> None:
    # A poll that would wait a minute returns the update as soon as it is queued.
    poll = asyncio.create_task(raw(api, "getUpdates", timeout=60))
    await raw(api, "getMe")  # another request meanwhile: the poll still waits
    assert not poll.done()
    update = api.add_update(api.message("salem"))
    _, body = await asyncio.wait_for(poll, 30)
    assert body["result"] == [update]


async def test_get_updates_long_poll_waits_for_timeout(api: FakeBotAPI) -> None:
    # Without updates the poll does not return while other requests come and go.
    poll = asyncio.create_task(raw(api, "getUpdates", timeout=1))
    for _ in range(3):
        await raw(api, "getMe")
    assert not poll.done()
    _, body = await poll
    assert body["result"] == []


async def test_get_updates_allowed_updates(api: FakeBotAPI) -> None:
    api.add_update(api.message("text"))
    query = api.add_update(api.callback_query("r:alm"))
    _, body = await raw(api, "getUpdates", allowed_updates=["callback_query"])
    assert body["result"] == [query]


def test_add_update_rejects_malformed_fixture(api: FakeBotAPI) -> None:
    with pytest.raises(ValueError, match="unknown field"):
        api.add_update(api.message("x", colour="red"))


# ---- validation ------------------------------------------------------------------------------


async def test_missing_required_parameter(api: FakeBotAPI) -> None:
    status, body = await raw(api, "sendMessage", text="hi")
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": 'Bad Request: required parameter "chat_id" is missing',
    }
    assert api.violations == ['sendMessage: required parameter "chat_id" is missing']
    assert api.calls_of("sendMessage") == []
    assert [c.method for c in api.refused] == ["sendMessage"]
    with pytest.raises(AssertionError, match="chat_id"):
        api.assert_no_violations()


async def test_unknown_method_and_parameter(api: FakeBotAPI) -> None:
    assert (await raw(api, "sendMesage", chat_id=CHAT, text="x"))[0] == 404
    status, body = await raw(api, "sendMessage", chat_id=CHAT, text="x", parse_mod="HTML")
    assert status == 400
    assert body["description"] == 'Bad Request: unknown parameter "parse_mod"'
    assert len(api.violations) == 2
    assert "no such Bot API" in api.violations[0]


async def test_wrong_type(api: FakeBotAPI) -> None:
    status, body = await raw(api, "sendMessage", chat_id=CHAT, text="x", disable_notification=3)
    assert status == 400
    assert "disable_notification: expected Boolean" in body["description"]


@pytest.mark.parametrize(
    ("data", "ok"),
    [("x" * 64, True), ("ж" * 32, True), ("x" * 65, False), ("ж" * 33, False)],
)
async def test_callback_data_is_limited_to_64_bytes(
    api: FakeBotAPI, bot: Bot, data: str, ok: bool
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=data)]])
    if ok:
        await bot.send_message(CHAT, "x", reply_markup=keyboard)
        api.assert_no_violations()
    else:
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(CHAT, "x", reply_markup=keyboard)
        assert "callback_data" in api.violations[0]


@pytest.mark.parametrize(
    "text",
    ["<b>x", "<script>alert(1)</script>", "a < b", "AT&T", "<span>x</span>", "<b><i>x</b></i>"],
)
async def test_bad_html_is_rejected(api: FakeBotAPI, bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(CHAT, text, parse_mode="HTML")
    assert len(api.violations) == 1


async def test_good_html_is_accepted(api: FakeBotAPI, bot: Bot) -> None:
    text = (
        '<b>Жоғары</b> &lt;5&gt; &#1178; <a href="https://e.kz/?a=1&amp;b=2">сілтеме</a> '
        '<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span> <i><u>iu</u></i> '
        '<pre><code class="language-python">x = 1</code></pre> '
        "<blockquote expandable>q</blockquote> a > b"
    )
    sent = await bot.send_message(CHAT, text, parse_mode="HTML")
    assert sent.text == "Жоғары <5> Қ сілтеме s t iu x = 1 q a > b"
    api.assert_no_violations()


def test_parse_html_reasons() -> None:
    assert parse_html("<b>x")[1] == 'Can\'t find end tag corresponding to start tag "b"'
    assert parse_html("<script>")[1] == 'Unsupported start tag "script" at byte offset 0'
    assert parse_html("a < b")[1] == 'Unsupported start tag "" at byte offset 2'
    assert parse_html("<B>x</B>") == ("x", None)


async def test_text_limits(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(CHAT, "я" * 4096)
    await bot.send_message(CHAT, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML")
    api.assert_no_violations()
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "я" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(CHAT, "file-id", caption="c" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query("1", text="t" * 201)


async def test_inline_query_rules(api: FakeBotAPI, bot: Bot) -> None:
    def article(result_id: str, text: str = "x") -> InlineQueryResultArticle:
        content = InputTextMessageContent(text, parse_mode="HTML")
        return InlineQueryResultArticle(result_id, "title", content)

    await bot.answer_inline_query("1", [article(str(i)) for i in range(50)])
    api.assert_no_violations()
    with pytest.raises(BadRequest, match=r"(?i)RESULTS_TOO_MUCH"):
        await bot.answer_inline_query("1", [article(str(i)) for i in range(51)])
    with pytest.raises(BadRequest, match=r"(?i)RESULT_ID_INVALID"):
        await bot.answer_inline_query("1", [article("i" * 65)])
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.answer_inline_query("1", [article("1", "<b>x")])


async def test_edit_to_same_content_is_not_modified(api: FakeBotAPI, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d")]])
    sent = await bot.send_message(CHAT, "v1", reply_markup=keyboard)
    query = api.callback_query("d", user_id=CHAT)["callback_query"]
    assert query["message"]["message_id"] == sent.message_id
    assert query["message"]["reply_markup"] == keyboard.to_dict()
    await bot.edit_message_text("v2", CHAT, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("v2", CHAT, sent.message_id, reply_markup=keyboard)
    assert [c.method for c in api.replies_to(CHAT)] == ["sendMessage", "editMessageText"]
    api.assert_no_violations()


# ---- files -----------------------------------------------------------------------------------


async def test_multipart_upload_is_decoded_and_downloadable(api: FakeBotAPI, bot: Bot) -> None:
    pdf = b"%PDF-1.4 fake"
    upload = InputFile(pdf, filename="шешім.pdf")
    sent = await bot.send_document(CHAT, upload, caption="<i>Қаулы</i>", parse_mode="HTML")
    [call] = api.calls_of("sendDocument")
    document = call.params["document"]
    assert (document.filename, document.content_type, document.data) == (
        "шешім.pdf",
        "application/pdf",
        pdf,
    )
    assert call.params["caption"] == "<i>Қаулы</i>"
    assert sent.caption == "Қаулы"
    assert sent.document is not None and sent.document.file_name == "шешім.pdf"
    remote = await bot.get_file(sent.document.file_id)
    assert bytes(await remote.download_as_bytearray()) == pdf
    api.assert_no_violations()


def _png(width: int, height: int) -> bytes:
    """A PNG header as far as Telegram's dimension check reads it (signature and IHDR)."""
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        + width.to_bytes(4, "big")
        + height.to_bytes(4, "big")
        + b"\x08\x02\x00\x00\x00"
    )


async def test_uploaded_photos_must_be_images_telegram_can_take(api: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_photo(CHAT, InputFile(_png(1080, 900), filename="chart.png"))
    assert sent.photo and sent.photo[-1].file_id
    again = await bot.send_photo(CHAT, sent.photo[-1].file_id)  # by file_id: no upload
    assert again.photo
    api.assert_no_violations()
    with pytest.raises(BadRequest, match=r"(?i)PHOTO_INVALID_DIMENSIONS"):
        await bot.send_photo(CHAT, InputFile(_png(9000, 2000), filename="big.png"))
    with pytest.raises(BadRequest, match=r"(?i)PHOTO_INVALID_DIMENSIONS"):
        await bot.send_photo(CHAT, InputFile(_png(2100, 100), filename="thin.png"))
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CHAT, InputFile(b"not an image", filename="x.png"))
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(CHAT, "AgACAgIAAxkBAAI-never-uploaded")


async def test_bot_descriptions_have_telegrams_limits(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_description("д" * 512, language_code="ru")
    await bot.set_my_short_description("қ" * 120, language_code="kk")
    api.assert_no_violations()
    with pytest.raises(BadRequest, match=r"(?i)description is too long"):
        await bot.set_my_description("d" * 513)
    with pytest.raises(BadRequest, match=r"(?i)short description is too long"):
        await bot.set_my_short_description("s" * 121)


# ---- faults ----------------------------------------------------------------------------------


# PTB itself warns when it builds RetryAfter from an int (PTB_TIMEDELTA opt-in).
@pytest.mark.filterwarnings("ignore:.*retry_after:DeprecationWarning")
async def test_refusing_faults(api: FakeBotAPI, bot: Bot) -> None:
    api.inject("sendMessage", "429", retry_after=3)
    api.inject("sendMessage", "500")
    api.inject("sendMessage", "502")
    api.inject("sendMessage", "drop")
    with pytest.raises(RetryAfter, match="Retry in 3"):
        await bot.send_message(CHAT, "1")
    for _ in range(3):
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "1")
    await bot.send_message(CHAT, "2")
    assert [c.fault for c in api.refused] == ["429", "500", "502", "drop"]
    assert [c.params["text"] for c in api.calls_of("sendMessage")] == ["2"]


async def test_lost_reply_is_processed_but_unanswered(api: FakeBotAPI, bot: Bot) -> None:
    api.inject("sendMessage", "lost_reply")
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "once")
    [call] = api.calls_of("sendMessage")
    assert call.fault == "lost_reply"
    assert api.refused == []


async def test_slow_answer_is_still_processed(api: FakeBotAPI, bot: Bot) -> None:
    api.inject("sendMessage", "timeout", delay=0.4)
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "slow", read_timeout=0.1)
    [call] = await api.wait_for("sendMessage", timeout=2)
    assert call.fault == "timeout"


async def test_wait_for_times_out_with_traffic_listing(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_chat_action(CHAT, "typing")
    with pytest.raises(AssertionError, match=r"(?s)timed out.*sendChatAction"):
        await api.wait_for("sendMessage", timeout=0.1)
    assert api.replies_to(CHAT) == []
    with pytest.raises(ValueError, match="not a Bot API"):
        api.inject("sendMesage", "500")


# ---- the real Application --------------------------------------------------------------------


async def test_real_application_polls_and_echoes(api: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>Сәлем!</b>")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        await update.effective_message.reply_text(update.effective_message.text)

    application = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    api.add_update(api.message("/start", user_id=CHAT))
    api.add_update(api.message("Алматы колледжі", user_id=CHAT))

    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        calls = await api.wait_for("sendMessage", count=2)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    assert [(c.params["chat_id"], c.params["text"]) for c in calls] == [
        (CHAT, "<b>Сәлем!</b>"),
        (CHAT, "Алматы колледжі"),
    ]
    assert api.updates == []  # both confirmed by the final getUpdates offset
    api.assert_no_violations()
