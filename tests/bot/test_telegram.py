"""End-to-end tests of the Telegram side: the real Application polling a fake Bot API.

Every test runs `bot.app.build_application` in long-polling mode against `FakeBotAPI`, which
checks each request against the official Bot API description, and asserts on what the bot
sent. Expected facts come from the decree (tests/data/expected_rows.tsv, transcribed by hand)
and from the translation catalogues (read through `bot.i18n.translator`, so a message that is
not translated yet is expected in English), never from the bot's own output.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from telegram.ext import Application

from bot.answers import Answers
from bot.app import ALLOWED_UPDATES, build_application, register_commands, register_description
from bot.i18n import translator
from bot.settings import ConfigError, Settings
from bot.state import State
from store.catalog import Catalog
from store.search import Kind, Match, SearchResult, Topic
from store.storage import read_decrees
from tests.bot.running import StartBot
from tests.fakes.bot_api import Call, FakeBotAPI, UploadedFile, parse_html
from tests.fakes.polling import polling
from tests.helpers import (
    CAR_SERVICE,
    CATERING,
    ELECTRICAL,
    FIELDS,
    FIGURES,
    GREETING,
    HELP_FIRST_LINE,
    LANGUAGE_SET,
    LEVEL_PLACES,
    LEVELS,
    NO_MATCH,
    NURSING,
    PAGE,
    REGION,
    REGION_OF,
    SEVERAL,
    SHORT_LEVELS,
    SORRY,
    SOURCE,
    SPENDING,
    STALE,
    TOP,
    TOTAL_PLACES,
    UNKNOWN_LINK,
    WELDING,
    YEAR_BEGUN,
    ScriptedCatalog,
    button_data,
    button_with_text,
    buttons,
    decree_date,
    expected_rows,
    group_name,
    levels_of,
    places,
    plain,
    reply_to,
    specialty_id,
    top_ten,
    until,
)

DATA = Path(__file__).resolve().parents[1] / "data"

GROUP_CHAT = -4242
TODAY = date(2026, 12, 1)
CONFECTIONERY = "Нан пісіру, макарон және кондитер өндірісі"


def parts(language: str, name: str) -> str:
    """ "workers 447 + mid-level 35": a specialty's places per level, from the transcription."""
    _ = translator(language)
    return " + ".join(f"{_(SHORT_LEVELS[a])} {n}" for a, n in sorted(levels_of(name).items()))


def total_line(language: str, name: str) -> str:
    return translator(language)(TOTAL_PLACES).format(
        seats=sum(places(name)), parts=parts(language, name)
    )


# Talking to the bot


async def press(
    api: FakeBotAPI,
    data: str,
    expect: str,
    message_id: int | None = None,
    chat_id: int | None = None,
    language_code: str = "ru",
) -> Call:
    """Press a button with `data`; check the query is answered; return the bot's `expect` call."""
    before = len(api.calls_of(expect))
    update = api.add_update(
        api.callback_query(
            data, message_id=message_id, chat_id=chat_id, language_code=language_code
        )
    )
    query_id = update["callback_query"]["id"]
    await api.wait_for(
        "answerCallbackQuery", predicate=lambda c: c.params["callback_query_id"] == query_id
    )
    return (await api.wait_for(expect, count=before + 1))[before]


def assert_html(call: Call) -> None:
    assert call.params.get("parse_mode") == "HTML"


@pytest.fixture(autouse=True)
def no_errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A handler that raised is caught by the error handler; make it fail the test anyway.

    Only the bot's and python-telegram-bot's loggers count: the fake server's aiohttp may log
    a connection the client dropped while shutting down.
    """
    caplog.set_level(logging.WARNING)
    yield
    records = [r for phase in ("setup", "call", "teardown") for r in caplog.get_records(phase)]
    errors = [
        r
        for r in records
        if r.levelno >= logging.ERROR and r.name.split(".")[0] in ("bot", "telegram")
    ]
    assert not errors, [r.getMessage() for r in errors]


# Settings


def test_settings_honour_the_api_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:secret")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    assert Settings.from_env().base_url == "http://127.0.0.1:8081/bot"

    monkeypatch.delenv("TELEGRAM_API_BASE_URL")
    assert Settings.from_env().base_url is None


@pytest.mark.parametrize("token", [None, "", "   "])
def test_a_missing_token_is_a_clear_config_error(
    monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    if token is None:
        monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    else:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(ConfigError) as raised:
        Settings.from_env().require_token()
    message = str(raised.value)
    assert "TELEGRAM_BOT_TOKEN" in message
    assert "@BotFather" in message
    assert "\n" not in message


async def test_an_application_from_the_settings_talks_to_that_server(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", api.token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    settings = Settings.from_env()
    state = State(tmp_path / "state.db")
    app = build_application(settings.token, catalog, state, base_url=settings.base_url)
    await app.initialize()
    try:
        assert [c.method for c in api.calls] == ["getMe"]
        assert app.bot.username == api.bot_user["username"]
        assert app.bot.base_file_url == api.base_file_url + api.token
    finally:
        await app.shutdown()
        state.close()
    api.assert_no_violations()


# Commands


async def test_polling_asks_only_for_the_handled_update_types(
    api: FakeBotAPI, bot: Application
) -> None:
    await reply_to(api, api.message("/help"))  # a poll returns as soon as there is an update

    polls = api.calls_of("getUpdates")
    assert polls[0].params["allowed_updates"] == ["message", "callback_query", "inline_query"]
    assert polls[0].params["allowed_updates"] == list(ALLOWED_UPDATES)
    api.assert_no_violations()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_start_greets_in_the_users_language(
    api: FakeBotAPI, bot: Application, language: str
) -> None:
    call = await reply_to(api, api.message("/start", language_code=language))

    greeting = translator(language)(GREETING)
    text = plain(call)
    assert call.params["chat_id"] == 1001
    assert_html(call)
    assert text.startswith(greeting)
    if language != "en" and greeting != GREETING:  # translated: no English left in it
        assert "Hello" not in text
    assert button_data(call) == ["l:kk", "l:ru", "l:en"]
    api.assert_no_violations()


@pytest.mark.parametrize(("query", "language"), [("сварщик", "ru"), (WELDING, "kk")])
async def test_a_direct_match_sends_the_card(
    api: FakeBotAPI, bot: Application, catalog: Catalog, query: str, language: str
) -> None:
    assert places(WELDING) == [447, 35]

    call = await reply_to(api, api.message(query, language_code=language))

    _ = translator(language)
    text = plain(call)
    assert_html(call)
    assert call.params["text"].startswith(f"<b>{WELDING}</b>")
    assert _(LEVEL_PLACES).format(seats=447) in text
    assert _(LEVEL_PLACES).format(seats=35) in text
    assert total_line(language, WELDING) in text
    assert "465 161 ₸" in text
    assert "552 703 ₸" in text
    assert "43/19" in text
    link = f"https://t.me/{bot.bot.username}?start=s{specialty_id(catalog, WELDING)}"
    assert text.rstrip().endswith(link)
    share = [b for b in buttons(call.params["reply_markup"]) if "switch_inline_query" in b]
    assert [b["switch_inline_query"] for b in share] == [WELDING]
    up = button_data(call)
    assert up == ["f:07:0"]  # up to the specialty's field
    api.assert_no_violations()


async def test_an_ambiguous_query_offers_buttons_that_open_cards(
    api: FakeBotAPI, bot: Application
) -> None:
    choice = await reply_to(api, api.message("электрик"))

    _ = translator("ru")
    assert plain(choice).startswith(_(SEVERAL))
    data = button_data(choice)
    assert len(data) >= 3
    assert all(1 <= len(d.encode()) <= 64 for d in data)
    assert ELECTRICAL in plain(choice)

    pressed = specialty_button(choice, ELECTRICAL)["callback_data"]
    message_id = choice.result["message_id"]
    card = await press(api, pressed, expect="editMessageText", message_id=message_id)

    assert card.params["text"].startswith(f"<b>{ELECTRICAL}</b>")
    assert places(ELECTRICAL) == [45, 67]
    assert _(LEVEL_PLACES).format(seats=45) in plain(card)
    assert _(LEVEL_PLACES).format(seats=67) in plain(card)
    assert total_line("ru", ELECTRICAL) in plain(card)
    back = button_with_text(card, "⬅️ " + _("Back"))["callback_data"]
    again = await press(api, back, expect="editMessageText", message_id=message_id)
    assert again.params["text"] == choice.params["text"]
    api.assert_no_violations()


@pytest.mark.parametrize("query", ["asdf qwerty", "юрист", "<юрист> & co"])
async def test_no_match_says_so_and_offers_browsing(
    api: FakeBotAPI, bot: Application, query: str
) -> None:
    call = await reply_to(api, api.message(query))

    _ = translator("ru")
    assert_html(call)
    assert plain(call).startswith(_(NO_MATCH).format(query=query))
    browse = button_data(call)[-1]  # after a related field's button, if any ("юрист")

    fields = await press(api, browse, expect="editMessageText")
    assert fields.params["message_id"] == call.result["message_id"]
    assert plain(fields).startswith(_(FIELDS))
    api.assert_no_violations()


def specialty_button(call: Call, name: str) -> dict[str, Any] | None:
    """The button of a specialty: "[n. ][translation · ]name · places", each name possibly cut
    short with "…" at a word boundary."""
    for button in buttons(call.params.get("reply_markup")):
        text = re.sub(r"^\d+\. ", "", button["text"]).rsplit(" · ", 1)[0]
        shown = text.split(" · ")[-1]
        if shown == name or (shown.endswith("…") and name.startswith(shown.removesuffix("…"))):
            return button
    return None


@pytest.mark.parametrize("name", [WELDING, CAR_SERVICE])  # on the first and second page
async def test_browse_a_field_then_a_specialty_and_back(
    api: FakeBotAPI, bot: Application, name: str
) -> None:
    _ = translator("ru")
    listing = await reply_to(api, api.message("/browse"))
    message_id = listing.result["message_id"]
    assert plain(listing).startswith(_(FIELDS))
    codes = [b["text"].split()[0] for b in buttons(listing.params["reply_markup"])]
    assert codes == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "101", "103", "104"]

    engineering = next(
        b for b in buttons(listing.params["reply_markup"]) if b["text"].startswith("07 ")
    )
    field = await press(api, engineering["callback_data"], "editMessageText", message_id)
    rows = [row for row in expected_rows() if row["group_code"] == "07"]
    count, seats = len({row["name"] for row in rows}), sum(int(row["seats"]) for row in rows)
    by_level = {int(a): sum(int(r["seats"]) for r in rows if r["appendix"] == a) for a in "123"}
    summary = (
        _.plural("{count} specialty", "{count} specialties", count).format(count=count)
        + " · "
        + " · ".join(f"{_(SHORT_LEVELS[a])} {n}" for a, n in by_level.items())
    )
    assert seats == sum(by_level.values())
    lines = plain(field).splitlines()
    assert lines[0].startswith(f"07 {group_name('07')} — ")  # and its translation
    assert lines[1:3] == [summary, _(PAGE).format(page=1, pages=5)]
    assert field.params["message_id"] == message_id

    # Page through the field until the specialty shows up.
    for _page in range(10):
        if specialty_button(field, name):
            break
        following = button_with_text(field, _("Next") + " ▶️")["callback_data"]
        field = await press(api, following, "editMessageText", message_id)
    chosen = specialty_button(field, name)
    assert chosen is not None

    card = await press(api, chosen["callback_data"], "editMessageText", message_id)
    assert card.params["message_id"] == message_id
    assert card.params["text"].startswith(f"<b>{name}</b>")
    assert total_line("ru", name) in plain(card)
    back = [b for b in buttons(card.params["reply_markup"]) if "callback_data" in b]
    assert [b["text"] for b in back] == ["⬅️ " + _("Back")]

    again = await press(api, back[0]["callback_data"], "editMessageText", message_id)
    assert again.params["message_id"] == message_id
    assert again.params["text"] == field.params["text"]
    assert again.params["reply_markup"] == field.params["reply_markup"]
    api.assert_no_violations()


async def test_an_old_page_counter_changes_nothing_and_says_nothing(
    api: FakeBotAPI, bot: Application
) -> None:
    listing = await reply_to(api, api.message("/browse"))
    # The bot no longer shows a page counter button; one on an older message does nothing.
    assert not [d for d in button_data(listing) if d.startswith("n")]
    api.add_update(api.callback_query("n", message_id=listing.result["message_id"]))
    # Updates are handled in order: once this is answered, the press has been handled.
    card = await reply_to(api, api.message("сварщик"))
    assert card.params["text"].startswith(f"<b>{WELDING}</b>")

    assert not [c for c in api.calls + api.refused if c.method == "editMessageText"]
    assert len(api.calls_of("answerCallbackQuery")) == 1
    assert len(api.replies_to(1001)) == 2  # the field list and the card, no error message
    api.assert_no_violations()


@pytest.mark.parametrize(("language", "separator"), [("kk", ";"), ("ru", ";"), ("en", ",")])
async def test_export_sends_a_workbook_and_csv_on_request(
    api: FakeBotAPI, bot: Application, language: str, separator: str
) -> None:
    _ = translator(language)
    call = await reply_to(
        api, api.message("/export", language_code=language), method="sendDocument"
    )
    document = call.params["document"]
    assert isinstance(document, UploadedFile)
    assert document.filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(document.data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == _("Appendix") and _("Specialty code") in header
    code = header.index(_("Specialty code"))
    got = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[code] for row in got] == [row["code"] for row in expected_rows()]

    call = await reply_to(
        api, api.message("/export csv", language_code=language), method="sendDocument"
    )
    document = call.params["document"]
    assert document.filename.endswith(".csv") and document.data.startswith(b"\xef\xbb\xbf")
    table = list(
        csv.DictReader(io.StringIO(document.data.decode("utf-8-sig")), delimiter=separator)
    )
    assert len(table) == 132
    expected = {(row["appendix"], row["row"]): row for row in expected_rows()}
    for got_row in table:
        want = expected[got_row["appendix"], got_row["row"]]
        for column in ("code", "code_raw", "seats", "city_costs", "rural_costs", "name"):
            assert got_row[column] == want[column], (got_row["appendix"], got_row["row"], column)
    api.assert_no_violations()


async def test_group_chats_get_answers_only_when_addressed(
    api: FakeBotAPI, bot: Application
) -> None:
    username = bot.bot.username
    assert username == api.bot_user["username"]

    def in_group(text: str, **extra: Any) -> dict[str, Any]:
        return api.message(text, chat_id=GROUP_CHAT, chat_type="group", **extra)

    api.add_update(in_group("повар"))
    api.add_update(in_group("/top@some_other_bot"))
    api.add_update(in_group(f"@{username}_fans повар"))  # another account
    api.add_update(in_group(f"write to x@{username}.kz, повар"))  # not a mention
    card = await reply_to(api, in_group(f"@{username} сварщик"))
    # Updates are handled in order: the ones before the mention got no reply.
    assert card.params["text"].startswith(f"<b>{WELDING}</b>"), "answered unaddressed message"
    assert api.replies_to(GROUP_CHAT) == [card]

    top = await reply_to(api, in_group(f"/top@{username}"))
    [chart] = api.calls_of("sendPhoto")
    assert api.replies_to(GROUP_CHAT) == [card, chart, top]
    lines = plain(top).splitlines()
    assert lines[0] == translator("ru")(TOP)
    numbered = [line.split(". ", 1)[1] for line in lines if re.match(r"\d+\. ", line)]
    assert numbered == top_ten()

    # A reply to one of the bot's messages is addressed to it without a mention.
    answer = await reply_to(api, in_group("медбике", reply_to_message=card.result))
    assert answer.params["text"].startswith(f"<b>{NURSING}</b>")
    assert api.replies_to(GROUP_CHAT) == [card, chart, top, answer]
    api.assert_no_violations()


async def test_deep_link_opens_the_card(
    api: FakeBotAPI, bot: Application, catalog: Catalog
) -> None:
    nursing = specialty_id(catalog, NURSING)

    card = await reply_to(api, api.message(f"/start s{nursing}"))

    assert card.params["text"].startswith(f"<b>{NURSING}</b>")
    assert total_line("ru", NURSING) in plain(card)
    assert plain(card).rstrip().endswith(f"https://t.me/{bot.bot.username}?start=s{nursing}")
    api.assert_no_violations()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("payload", ["szzzzzz", "s0000000-deadbeef", "promo2025"])
async def test_an_unknown_or_stale_deep_link_says_so(
    api: FakeBotAPI, bot: Application, language: str, payload: str
) -> None:
    _ = translator(language)
    reply = await reply_to(api, api.message(f"/start {payload}", language_code=language))
    lines = plain(reply).split("\n\n")
    assert lines[0] == "⚠️ " + _(UNKNOWN_LINK)
    assert lines[1] == _(GREETING)
    api.assert_no_violations()


@pytest.mark.parametrize(
    "data",
    [
        "c:zzzzzzz",
        "garbage",
        "f:99:7",
        "c:zzzzzzz:07:0",
        "f:07:x",
        "b:-",
        "l:xx",
        "r:nowhere",
        "c:" + "z" * 62,
        "ж" * 32,
    ],
)
async def test_stale_or_forged_buttons_are_out_of_date(
    api: FakeBotAPI, bot: Application, data: str
) -> None:
    assert len(data.encode()) <= 64
    reply = await press(api, data, expect="sendMessage")

    assert plain(reply) == translator("ru")(STALE)
    assert api.replies_to(1001) == [reply]
    api.assert_no_violations()


# Inline mode


async def test_inline_query_answers_with_cards(api: FakeBotAPI, bot: Application) -> None:
    update = api.inline_query("повар")
    call = await reply_to(api, update, method="answerInlineQuery")

    assert call.params["inline_query_id"] == update["inline_query"]["id"]
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert content["message_text"].startswith(f"<b>{result['title']}</b>")
    assert results[0]["title"] == CATERING
    card, problem = parse_html(results[0]["input_message_content"]["message_text"])
    assert problem is None
    assert total_line("ru", CATERING) in card
    api.assert_no_violations()


async def test_empty_inline_query_shows_the_top_specialties(
    api: FakeBotAPI, bot: Application
) -> None:
    call = await reply_to(api, api.inline_query(""), method="answerInlineQuery")

    results = call.params["results"]
    assert [r["title"] for r in results] == top_ten()
    assert all(r["input_message_content"]["parse_mode"] == "HTML" for r in results)
    api.assert_no_violations()


# State across restarts


async def test_the_language_choice_survives_a_restart(
    api: FakeBotAPI, start_bot: StartBot, state_path: Path
) -> None:
    kk = translator("kk")
    async with start_bot(state_path):
        menu = await reply_to(api, api.message("/start", language_code="en"))
        assert plain(menu).startswith(GREETING)
        chosen = await press(
            api, "l:kk", "editMessageText", menu.result["message_id"], language_code="en"
        )
        assert plain(chosen) == kk(LANGUAGE_SET)

    async with start_bot(state_path):
        card = await reply_to(api, api.message("сварщик", language_code="en"))
        # Someone else with an English Telegram writing in English still gets English.
        other = await reply_to(api, api.message("welding", user_id=2002, language_code="en"))

    assert card.params["chat_id"] == 1001
    assert card.params["text"].startswith(f"<b>{WELDING}</b>")
    assert total_line("kk", WELDING) in plain(card)
    assert "<i>" not in card.params["text"]  # the kk card has no translated name
    assert "<i>Translation, not from the decree" in other.params["text"]
    assert total_line("en", WELDING) in plain(other)
    # The first application confirmed its updates: none was answered twice.
    assert len(api.replies_to(1001)) == 3
    assert SORRY not in {plain(c) for c in api.replies_to(1001) if "text" in c.params}
    api.assert_no_violations()


# Start-up: the command menu and the description, in each language


async def test_start_up_registers_commands_and_descriptions_in_each_language(
    api: FakeBotAPI, bot: Application
) -> None:
    # What `bot.app.serve` does once Telegram answers, before it serves.
    await register_commands(bot)
    await register_description(bot)

    for language in ("kk", "ru", "en"):
        _ = translator(language)
        menu = api.commands[('{"type": "default"}', language)]
        assert [c["command"] for c in menu][:2] == ["start", "help"]
        compare = next(c for c in menu if c["command"] == "compare")
        assert compare["description"] == _("two or three specialties side by side")
        [description] = [
            c for c in api.calls_of("setMyDescription") if c.params.get("language_code") == language
        ]
        assert description.params["description"].startswith(
            _(
                "I show how many college places the state funds for each specialty in {region} "
                "(study on them is free), at which level, and how much the state spends per "
                "student a year, exactly as the akimat's decree says. Type a specialty or a job "
                "in Kazakh, Russian or English."
            ).split("{region}")[0]
        )
        assert REGION[language] in description.params["description"]
        [short] = [
            c
            for c in api.calls_of("setMyShortDescription")
            if c.params.get("language_code") == language
        ]
        assert REGION[language] in short.params["short_description"]
    # And the default ones (no language_code), in English.
    assert len(api.calls_of("setMyDescription")) == len(api.calls_of("setMyShortDescription")) == 4
    assert ('{"type": "default"}', "") in api.commands
    api.assert_no_violations()


# The whole conversation, in each language


@asynccontextmanager
async def running(api: FakeBotAPI, catalog: Any, state_path: Path) -> AsyncIterator[Application]:
    """The bot over `catalog` (which may be scripted), with the clock at TODAY."""
    state = State(state_path)
    try:
        async with polling(api, catalog, state) as app:
            app.bot_data["answers"] = Answers(catalog, today=lambda: TODAY)
            yield app
    finally:
        state.close()


def check_buttons(api: FakeBotAPI) -> None:
    """No dead button anywhere: every button the bot sent acts (a callback the bot knows,
    inline sharing or a link), and no page counter that does nothing."""
    from bot import callbacks as cb

    for call in api.calls:
        for button in buttons(call.params.get("reply_markup")):
            data = button.get("callback_data")
            assert data or button.get("switch_inline_query") or button.get("url"), button
            if data:
                decoded = cb.decode(data)
                assert decoded is not None and not isinstance(decoded, cb.Nothing), button


async def wait_reply(api: FakeBotAPI, before: int, chat: int = 1001, timeout: float = 30) -> Call:
    """The first reply to `chat` after the first `before` ones."""
    await until(api, lambda: len(api.replies_to(chat)) > before, "a reply", timeout)
    return api.replies_to(chat)[before]


async def chart_then_text(api: FakeBotAPI, text: str, language: str) -> tuple[Call, Call]:
    """Send a command answered with a chart; return the photo and the call with the text
    (the photo itself when the text fits its caption, else the message after it)."""
    before = len(api.replies_to(1001))
    api.add_update(api.message(text, language_code=language))
    photo = await wait_reply(api, before)
    assert photo.method == "sendPhoto"
    caption = plain(photo, "caption")
    assert 0 < len(caption) <= 1024
    if "reply_markup" in photo.params or len(caption) > 200:
        return photo, photo
    message = await wait_reply(api, before + 1)
    assert message.method == "sendMessage"
    return photo, message


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_the_conversation_in_each_language(
    api: FakeBotAPI, catalog: Catalog, state_path: Path, language: str
) -> None:
    _ = translator(language)
    async with running(api, catalog, state_path):
        # The greeting names the region and the year, and says the year has begun.
        greeting = await reply_to(api, api.message("/start", language_code=language))
        text = plain(greeting)
        assert text.startswith(_(GREETING))
        figures = _(FIGURES).format(
            region=REGION[language], year="2025-2026", number="43/19", date=decree_date(language)
        )
        assert figures in text.splitlines()
        assert "⚠️ " + _(YEAR_BEGUN).format(year="2025-2026", intake=2025) in text.splitlines()
        chosen = await press(
            api, f"l:{language}", "editMessageText", greeting.result["message_id"], None, language
        )
        assert plain(chosen) == _(LANGUAGE_SET)

        # A card: places free for the student, the state's spending, levels, totals, source.
        card = await reply_to(api, api.message("сварщик", language_code=language))
        text = plain(card)
        assert _(LEVEL_PLACES).format(seats=447) in text
        assert (
            _(SPENDING).format(city="465 161 ₸ / 552 703 ₸", rural="511 788 ₸ / 599 330 ₸") in text
        )
        assert f"{_(LEVELS[1])} · " in text and f"{_(LEVELS[2])} · " in text
        assert _("Training for a trade; colleges take students after grade 9 or 11.") in text
        assert total_line(language, WELDING) in text
        source = _(SOURCE).format(
            region=REGION_OF[language], number="43/19", date=decree_date(language), year="2025-2026"
        )
        appendices = _.plural("appendix {numbers}", "appendices {numbers}", 2)
        assert f"{source}; {appendices.format(numbers='1, 2')}" in text
        if language == "ru":
            assert "постановление акимата Карагандинской области" in text
            assert "приложения 1, 2" in text

        # After grade 9, post-secondary places are not added; the medical field shows once.
        nurse = await reply_to(
            api, api.message("хочу стать медсестрой после 9 класса", language_code=language)
        )
        text = plain(nurse)
        assert _("Places after grade 9: {seats}").format(seats=455) in text.splitlines()
        assert "487" not in text
        field_line = _("Field of education: {field}").split("{field}")[0]
        assert len([t for t in text.splitlines() if t.startswith(field_line)]) == 1

        # /top: a chart, then the list with names in the user's language and place counts.
        photo, top = await chart_then_text(api, "/top", language)
        upload = photo.params["photo"]
        assert isinstance(upload, UploadedFile) and len(upload.data) > 20_000
        width, height = png_size(upload.data)
        assert 600 <= width <= 2000 and 300 <= height <= 2000
        listing = plain(top, "caption" if top is photo else "text")
        assert listing.startswith(_(TOP))
        first = top_ten()[0]
        assert f"1. {first}" in listing
        top_button = specialty_button(top, first)
        assert top_button is not None and top_button["text"].endswith(f" · {sum(places(first))}")
        if language != "kk":
            assert _("In italics: translations of the names, not from the decree.") in listing
        opened = await press(
            api,
            top_button["callback_data"],
            "sendMessage" if top is photo else "editMessageText",
            top.result["message_id"],
            None,
            language,
        )
        assert opened.params["text"].startswith(f"<b>{first}</b>")
        back = button_with_text(opened, "⬅️ " + _("Back"))["callback_data"]
        again = await press(
            api, back, "editMessageText", opened.result["message_id"], None, language
        )
        assert plain(again).startswith(_(TOP))

        # The same chart again: Telegram's file_id, no second upload.
        photo_again, _top = await chart_then_text(api, "/top", language)
        assert photo_again.params["photo"] == photo.result["photo"][-1]["file_id"]

        # /about: its chart (places per field, per level) and the text after it.
        photo, about = await chart_then_text(api, "/about", language)
        assert isinstance(photo.params["photo"], UploadedFile)
        assert photo.params["photo"].data != upload.data  # another chart
        assert plain(photo, "caption").startswith(
            _("State-funded places by field of education and level, {region}, {year}").split("{")[0]
        )
        text = plain(about)
        assert _("Total at all levels: {seats}").format(seats=9300) in text
        assert (
            f"{_(LEVELS[3])}: 272. " + _("Only after grade 11 or a college, not after grade 9.")
            in text
        )

        # A field, page by page, a card and back.
        fields = await reply_to(api, api.message("/browse", language_code=language))
        message_id = fields.result["message_id"]
        engineering = next(
            b for b in buttons(fields.params["reply_markup"]) if b["text"].startswith("07 ")
        )
        page = await press(
            api, engineering["callback_data"], "editMessageText", message_id, None, language
        )
        assert _(PAGE).format(page=1, pages=5) in plain(page).splitlines()
        following = button_with_text(page, _("Next") + " ▶️")["callback_data"]
        page = await press(api, following, "editMessageText", message_id, None, language)
        assert _(PAGE).format(page=2, pages=5) in plain(page).splitlines()
        assert [b["text"] for b in buttons(page.params["reply_markup"])][-3:] == [
            "◀️ " + _("Back"),
            _("Next") + " ▶️",
            "⬆️ " + _("All fields"),
        ]
        card_button = next(
            b for b in buttons(page.params["reply_markup"]) if b["callback_data"].startswith("c:")
        )
        card = await press(
            api, card_button["callback_data"], "editMessageText", message_id, None, language
        )
        back = button_with_text(card, "⬅️ " + _("Back"))["callback_data"]
        again = await press(api, back, "editMessageText", message_id, None, language)
        assert again.params["text"] == page.params["text"]
        up = button_with_text(again, "⬆️ " + _("All fields"))["callback_data"]
        listing = await press(api, up, "editMessageText", message_id, None, language)
        assert plain(listing).startswith(_(FIELDS))

        # /compare: side by side, a card from it and back.
        compared = await reply_to(
            api, api.message("/compare повар, кондитер", language_code=language)
        )
        text = plain(compared)
        assert text.startswith("⚖️ " + _("Comparison"))
        places_line = _("State-funded places (free for the student): {seats}")
        assert places_line.format(seats="1️⃣ 802 · 2️⃣ 40") in text.splitlines()
        second = specialty_button(compared, CONFECTIONERY)
        card = await press(
            api,
            second["callback_data"],
            "editMessageText",
            compared.result["message_id"],
            None,
            language,
        )
        assert card.params["text"].startswith(f"<b>{CONFECTIONERY}</b>")
        back = button_with_text(card, "⬅️ " + _("Back"))["callback_data"]
        again = await press(
            api, back, "editMessageText", compared.result["message_id"], None, language
        )
        assert again.params["text"] == compared.params["text"]

        # A stale deep link says so.
        stale = await reply_to(api, api.message("/start szzzzzz", language_code=language))
        assert plain(stale).startswith("⚠️ " + _(UNKNOWN_LINK))

        # /export: a workbook in the user's language.
        document = await reply_to(
            api, api.message("/export", language_code=language), "sendDocument"
        )
        sheet = openpyxl.load_workbook(io.BytesIO(document.params["document"].data)).worksheets[0]
        assert sheet["A1"].value == _("Appendix") and sheet.max_row == 133

    check_buttons(api)
    api.assert_no_violations()


# The kinds of answer the new search engine gives, through Telegram


def scripted_results(catalog: Catalog) -> dict[str, SearchResult]:
    by_name = {s.name: s for s in catalog.decree().specialties}

    def found(kind: Kind, *names: str, **fields: Any) -> SearchResult:
        matches = tuple(Match(by_name[n], 95.0) for n in names)
        return SearchResult("scripted", matches, kind, total=len(matches), **fields)

    results = {
        "сравни повар и кондитер": found(Kind.SEVERAL, CATERING, CONFECTIONERY),
        "медицина": found(Kind.FIELD, field="09"),
        "стоматолог": found(Kind.NONE, related_field="09"),
    }
    results.update({f"topic {t.value}": found(Kind.SMALLTALK, topic=t) for t in Topic})
    return results


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_several_fields_small_talk_and_pointers_through_telegram(
    api: FakeBotAPI, catalog: Catalog, state_path: Path, language: str
) -> None:
    _ = translator(language)
    scripted = ScriptedCatalog(catalog, scripted_results(catalog))
    async with running(api, scripted, state_path):
        await reply_to(api, api.message("/start", language_code=language))
        await press(api, f"l:{language}", "editMessageText", None, None, language)

        compared = await reply_to(api, api.message("сравни повар и кондитер"))
        assert plain(compared).startswith("⚖️ " + _("Comparison"))

        field = await reply_to(api, api.message("медицина"))
        medical = {r["name"] for r in expected_rows() if r["group_code"] == "09"}
        assert plain(field).startswith("09 Денсаулық сақтау және әлеуметтік қамтамасыз ету")
        assert all(name in plain(field) for name in medical)

        pointer = await reply_to(api, api.message("стоматолог"))
        assert plain(pointer).startswith(_(NO_MATCH).format(query="стоматолог"))
        assert button_data(pointer) == ["f:09:0", "b:0"]
        opened = await press(api, "f:09:0", "editMessageText", pointer.result["message_id"])
        assert plain(opened) == plain(field)

        greeting = await reply_to(api, api.message("topic greeting"))
        assert plain(greeting).startswith(_(GREETING))
        thanks = await reply_to(api, api.message("topic thanks"))
        assert plain(thanks) == _("You're welcome! Type another specialty whenever you like.")
        helped = await reply_to(api, api.message("topic help"))
        assert plain(helped).startswith(
            _(
                "Type a specialty, a job or a code, and I answer with the state-funded places and "
                "what the state spends per student a year, from the decree."
            )
        )
        listed = await reply_to(api, api.message("topic list"))
        assert plain(listed).startswith(_(FIELDS))
        funding = await reply_to(api, api.message("topic funding"))
        text = plain(funding)
        assert text.startswith(_("Grants, free study and stipends"))
        assert (
            _(
                "The amounts on the cards are what the state spends on average on one student a "
                "year, in a city and in a rural college. They are not a fee: the family pays none "
                "of it."
            )
            in text
        )
    check_buttons(api)
    api.assert_no_violations()


# The language follows the script when Telegram's is neither kk nor ru


async def test_the_language_follows_what_people_write(api: FakeBotAPI, bot: Application) -> None:
    bot.bot_data["answers"] = Answers(bot.bot_data["answers"].catalog, today=lambda: TODAY)
    ru, kk = translator("ru"), translator("kk")
    russian = await reply_to(api, api.message("сварщик", language_code="en"))
    assert ru(LEVEL_PLACES).format(seats=447) in plain(russian)
    kazakh = await reply_to(api, api.message("дәнекерлеуші", language_code="de"))
    assert kk(LEVEL_PLACES).format(seats=447) in plain(kazakh)
    # A button or a command without words answers in the language last written in.
    field = await press(api, "f:07:0", "editMessageText", kazakh.result["message_id"], None, "de")
    assert kk(PAGE).format(page=1, pages=5) in plain(field)
    helped = await reply_to(api, api.message("/help", language_code="de"))
    assert plain(helped).startswith(kk(HELP_FIRST_LINE))
    # Someone else, writing in Latin letters with Telegram in English, gets English.
    english = await reply_to(api, api.message("welding", user_id=2002, language_code="en"))
    assert LEVEL_PLACES.format(seats=447) in plain(english)
    api.assert_no_violations()


async def test_a_chart_whose_file_telegram_lost_is_uploaded_again(
    api: FakeBotAPI, bot: Application
) -> None:
    first = await reply_to(api, api.message("/about"), method="sendPhoto")
    assert isinstance(first.params["photo"], UploadedFile)
    known = bot.bot_data.setdefault("photo_ids", {})
    await until(api, lambda: bool(known), "the bot keeps the file_id")  # after the answer
    assert list(known.values()) == [first.result["photo"][-1]["file_id"]]
    chart = next(iter(known))
    known[chart] = "AgACAgIAAxkBAAI-gone"  # Telegram no longer has it

    again = await reply_to(api, api.message("/about"), method="sendPhoto")
    assert isinstance(again.params["photo"], UploadedFile)
    assert again.params["photo"].data == first.params["photo"].data
    new_id = again.result["photo"][-1]["file_id"]
    await until(api, lambda: known.get(chart) == new_id, "the new file_id kept")
    assert [c.params["photo"] for c in api.refused if c.method == "sendPhoto"] == [
        "AgACAgIAAxkBAAI-gone"
    ]


# Names longer than a message (a database written before ingest refused them)


@pytest.fixture
def long_name_catalog(shipped_db: Path) -> Catalog:
    """The shipped decree with welding renamed to 6 000 characters (6 900 once "&" is
    escaped), built directly: ingest would refuse such a name now."""
    [decree] = read_decrees(shipped_db)
    long_name = "Баспа & қаптама ісі " * 300
    rows = tuple(
        dataclasses.replace(r, name=long_name) if r.name == WELDING else r for r in decree.rows
    )
    return Catalog([dataclasses.replace(decree, rows=rows)])


async def test_a_name_longer_than_a_message_breaks_nothing(
    api: FakeBotAPI, long_name_catalog: Catalog, tmp_path: Path
) -> None:
    """Before: the card was cut mid-tag, so Telegram refused it, and /top and the empty
    inline query failed for every user."""
    state = State(tmp_path / "state.db")
    welding = next(s for s in long_name_catalog.decree().specialties if len(s.name) > 4096)
    try:
        async with polling(api, long_name_catalog, state):
            top = await reply_to(api, api.message("/top", language_code="en"))
            assert plain(top).startswith(TOP)
            inline = await reply_to(api, api.inline_query(""), method="answerInlineQuery")
            assert len(inline.params["results"]) == 10
            before = len(api.calls_of("sendMessage"))
            api.add_update(api.message(f"/start s{welding.id}", language_code="en"))
            pieces = (await api.wait_for("sendMessage", count=before + 2))[before:]
            assert plain(pieces[0]).startswith("Баспа & қаптама") and plain(pieces[1])
            edited = await press(api, f"c:{welding.id}", "sendMessage", top.result["message_id"])
            assert plain(edited)
    finally:
        state.close()
    api.assert_no_violations()
