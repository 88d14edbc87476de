"""End-to-end tests of the Telegram side: the real Application polling a fake Bot API.

Every test runs `bot.app.build_application` in long-polling mode against `FakeBotAPI`, which
checks each request against the official Bot API description, and asserts on what the bot
sent. Expected facts come from the decree (tests/data/expected_rows.tsv, transcribed by hand)
and from the translation catalogues (read through `bot.i18n.translator`, so a message that is
not translated yet is expected in English), never from the bot's own output.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.i18n import translator
from bot.settings import ConfigError, Settings
from bot.state import State
from store.catalog import Catalog
from tests.bot.running import StartBot
from tests.fakes.bot_api import Call, FakeBotAPI, UploadedFile, parse_html
from tests.helpers import (
    CAR_SERVICE,
    CATERING,
    ELECTRICAL,
    FIELDS,
    GREETING,
    LANGUAGE_SET,
    LEVEL_PLACES,
    NO_MATCH,
    NURSING,
    SEVERAL,
    SORRY,
    STALE,
    TOP,
    TOTAL_PLACES,
    WELDING,
    button_data,
    button_with_text,
    buttons,
    expected_rows,
    group_name,
    places,
    plain,
    reply_to,
    specialty_id,
    top_ten,
)

DATA = Path(__file__).resolve().parents[1] / "data"

GROUP_CHAT = -4242


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
    assert _(TOTAL_PLACES).format(seats=447 + 35) in text
    assert "465 161 ₸" in text
    assert "552 703 ₸" in text
    assert "43/19" in text
    link = f"https://t.me/{bot.bot.username}?start=s{specialty_id(catalog, WELDING)}"
    assert text.rstrip().endswith(link)
    share = buttons(call.params["reply_markup"])
    assert [b.get("switch_inline_query") for b in share] == [WELDING]
    api.assert_no_violations()


async def test_an_ambiguous_query_offers_buttons_that_open_cards(
    api: FakeBotAPI, bot: Application
) -> None:
    choice = await reply_to(api, api.message("электрик"))

    assert plain(choice) == translator("ru")(SEVERAL)
    data = button_data(choice)
    assert len(data) >= 2
    assert all(1 <= len(d.encode()) <= 64 for d in data)
    names = {row["name"] for row in expected_rows()}
    for button in buttons(choice.params["reply_markup"]):
        shown = button["text"].removesuffix("…")
        assert any(name.startswith(shown) for name in names), button["text"]

    pressed = button_with_text(choice, ELECTRICAL)["callback_data"]
    card = await press(api, pressed, expect="sendMessage", message_id=choice.result["message_id"])

    _ = translator("ru")
    assert card.params["text"].startswith(f"<b>{ELECTRICAL}</b>")
    assert places(ELECTRICAL) == [45, 67]
    assert _(LEVEL_PLACES).format(seats=45) in plain(card)
    assert _(LEVEL_PLACES).format(seats=67) in plain(card)
    assert _(TOTAL_PLACES).format(seats=112) in plain(card)
    api.assert_no_violations()


@pytest.mark.parametrize("query", ["asdf qwerty", "юрист", "<юрист> & co"])
async def test_no_match_says_so_and_offers_browsing(
    api: FakeBotAPI, bot: Application, query: str
) -> None:
    call = await reply_to(api, api.message(query))

    _ = translator("ru")
    assert_html(call)
    assert plain(call).startswith(_(NO_MATCH).format(query=query))
    [browse] = button_data(call)

    fields = await press(api, browse, expect="editMessageText")
    assert fields.params["message_id"] == call.result["message_id"]
    assert plain(fields) == _(FIELDS)
    api.assert_no_violations()


def specialty_button(call: Call, name: str) -> dict[str, Any] | None:
    """The button of a specialty (its text may be cut short with "…")."""
    for button in buttons(call.params.get("reply_markup")):
        shown = button["text"].removesuffix("…")
        if button["text"] == name or (button["text"].endswith("…") and name.startswith(shown)):
            return button
    return None


@pytest.mark.parametrize("name", [WELDING, CAR_SERVICE])  # on the first and second page
async def test_browse_a_field_then_a_specialty_and_back(
    api: FakeBotAPI, bot: Application, name: str
) -> None:
    _ = translator("ru")
    listing = await reply_to(api, api.message("/browse"))
    message_id = listing.result["message_id"]
    assert plain(listing) == _(FIELDS)
    codes = [b["text"].split()[0] for b in buttons(listing.params["reply_markup"])]
    assert codes[:8] == ["01", "02", "03", "04", "05", "06", "07", "08"]

    engineering = next(
        b for b in buttons(listing.params["reply_markup"]) if b["text"].startswith("07 ")
    )
    field = await press(api, engineering["callback_data"], "editMessageText", message_id)
    rows = [row for row in expected_rows() if row["group_code"] == "07"]
    count, seats = len({row["name"] for row in rows}), sum(int(row["seats"]) for row in rows)
    summary = (
        _.plural("{count} specialty", "{count} specialties", count).format(count=count)
        + ", "
        + _.plural("{seats} place", "{seats} places", seats).format(seats=seats)
    )
    assert plain(field) == f"07 {group_name('07')}\n{summary}"
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
    assert _(TOTAL_PLACES).format(seats=sum(places(name))) in plain(card)
    back = [b for b in buttons(card.params["reply_markup"]) if "callback_data" in b]
    assert [b["text"] for b in back] == ["⬅️ " + _("Back")]

    again = await press(api, back[0]["callback_data"], "editMessageText", message_id)
    assert again.params["message_id"] == message_id
    assert again.params["text"] == field.params["text"]
    assert again.params["reply_markup"] == field.params["reply_markup"]
    api.assert_no_violations()


async def test_pressing_the_current_page_changes_nothing_and_says_nothing(
    api: FakeBotAPI, bot: Application
) -> None:
    listing = await reply_to(api, api.message("/browse"))
    current = button_with_text(listing, "1/2")["callback_data"]
    api.add_update(api.callback_query(current, message_id=listing.result["message_id"]))
    # Updates are handled in order: once this is answered, the press has been handled.
    card = await reply_to(api, api.message("сварщик"))
    assert card.params["text"].startswith(f"<b>{WELDING}</b>")

    assert not [c for c in api.calls + api.refused if c.method == "editMessageText"]
    assert len(api.calls_of("answerCallbackQuery")) == 1
    assert len(api.replies_to(1001)) == 2  # the field list and the card, no error message
    api.assert_no_violations()


async def test_export_sends_the_whole_decree_as_csv(api: FakeBotAPI, bot: Application) -> None:
    call = await reply_to(api, api.message("/export"), method="sendDocument")

    document = call.params["document"]
    assert isinstance(document, UploadedFile)
    assert document.filename.endswith(".csv")
    table = list(csv.DictReader(io.StringIO(document.data.decode("utf-8-sig"))))
    assert len(table) == 132
    expected = {(row["appendix"], row["row"]): row for row in expected_rows()}
    for got in table:
        want = expected[got["appendix"], got["row"]]
        for column in ("code", "code_raw", "seats", "city_costs", "rural_costs", "name"):
            assert got[column] == want[column], (got["appendix"], got["row"], column)
    welding = [row for row in table if row["name"] == WELDING]
    assert [(r["seats"], r["city_costs"]) for r in welding] == [
        ("447", "465161|552703"),
        ("35", "465161"),
    ]
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
    assert api.replies_to(GROUP_CHAT) == [card, top]
    lines = plain(top).splitlines()
    assert lines[0] == translator("ru")(TOP)
    assert [line.split(". ", 1)[1].split(" — ")[0] for line in lines[1:]] == top_ten()

    # A reply to one of the bot's messages is addressed to it without a mention.
    answer = await reply_to(api, in_group("медбике", reply_to_message=card.result))
    assert answer.params["text"].startswith(f"<b>{NURSING}</b>")
    assert api.replies_to(GROUP_CHAT) == [card, top, answer]
    api.assert_no_violations()


async def test_deep_link_opens_the_card(
    api: FakeBotAPI, bot: Application, catalog: Catalog
) -> None:
    nursing = specialty_id(catalog, NURSING)

    card = await reply_to(api, api.message(f"/start s{nursing}"))

    assert card.params["text"].startswith(f"<b>{NURSING}</b>")
    assert translator("ru")(TOTAL_PLACES).format(seats=sum(places(NURSING))) in plain(card)
    assert plain(card).rstrip().endswith(f"https://t.me/{bot.bot.username}?start=s{nursing}")

    unknown = await reply_to(api, api.message("/start szzzzzz"))
    assert plain(unknown).startswith(translator("ru")(GREETING))
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
    assert translator("ru")(TOTAL_PLACES).format(seats=sum(places(CATERING))) in card
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
        # Someone else with an English Telegram still gets English.
        other = await reply_to(api, api.message("сварщик", user_id=2002, language_code="en"))

    assert card.params["chat_id"] == 1001
    assert card.params["text"].startswith(f"<b>{WELDING}</b>")
    assert kk(TOTAL_PLACES).format(seats=482) in plain(card)
    assert "<i>" not in card.params["text"]  # the kk card has no translated name
    assert "<i>Translation, not from the decree" in other.params["text"]
    assert TOTAL_PLACES.format(seats=482) in plain(other)
    # The first application confirmed its updates: none was answered twice.
    assert len(api.replies_to(1001)) == 3
    assert SORRY not in {plain(c) for c in api.replies_to(1001) if "text" in c.params}
    api.assert_no_violations()
