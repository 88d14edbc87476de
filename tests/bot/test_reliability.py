"""Reliability: bad input, network faults, restarts, the token, the webhook, privacy, ingests.

The bot runs for real: `bot.app.build_application` in this process, or `python -m bot.cli run`
as a child process, against `FakeBotAPI`, which checks every request against the official Bot
API description and can refuse, drop, delay or "lose the answer to" any call. What the bot is
expected to say comes from the translation catalogues and the decree, never from its output.

The counts that document the chosen direction (a possible duplicate rather than a lost answer)
are printed: run with ``-s`` to see them.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import Application

from bot.i18n import translator
from bot.logs import RedactToken
from bot.reliability import IN_FLIGHT
from bot.state import State
from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from store.model import DecreeError
from tests.bot.running import BotProcess, answered, bot_env, duplicates, launch
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.polling import polling
from tests.helpers import (
    HELP_FIRST_LINE,
    LANGUAGE_SET,
    SORRY,
    STALE,
    TEXT_ONLY,
    TEXT_SOURCE,
    ErrorRecords,
    handled,
    new_id,
    plain,
    talk,
    texts_to,
    until,
)

TOKEN = "123456:SECRET-token-abcdefghijklmnopqrstuvwx"
SECRET = TOKEN.split(":", 1)[1]


# Queries that each get exactly one message: a specialty card.
QUERIES = ("сварщик", "nurse", "повар", "06130100", "бағдарламашы", "бухгалтер")


async def put(api: FakeBotAPI, app: Application, update: dict[str, Any]) -> None:
    """Hand `update` to the bot directly, as if Telegram had sent it (e.g. through a webhook
    set up with other allowed_updates), and wait until it is handled."""
    await app.update_queue.put(Update.de_json(update, app.bot))
    await handled(api, app, update)


# 1. Bad input

AWKWARD_TEXTS = [
    "сварщик " * 511 + "электрик",  # 4096 characters
    "я" * 4096,  # one very long word
    "😀🎓👩‍🔧🇰🇿",
    "👩‍🔧",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\x00\x01\x07\x08\x1b[31m\x7f",
    "\u202eкишмуцв\u202c",
    "ממשלה מכללה",
    "ممرضة",
    "<b>",
    "</i>",
    "&",
    "&amp;",
    "*_`[",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "'; DROP TABLE rows; --",
    "' OR 1=1 --",
    "0",
    "06130100",
    "123456789012345678901234567890",
    "Мейiргер nurse 護士 ісі",
    "сwарщик ЭЛЕКТРИК électricien",
    "{query} %s {}",
    "@mamandyq_test_bot",
]

PIECES = [
    "<b>",
    "</i>",
    "&",
    "*_`[",
    "<script>",
    "'; DROP TABLE rows; --",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2066",
    "\x00",
    "\x1b",
    "\n",
    " ",
    "😀",
    "👩‍🔧",
    "🇰🇿",
    "שלום",
    "مرحبا",
    "сварщик",
    "дәнекерлеуші",
    "nurse",
    "06130100",
    "0",
    "{query}",
    '"',
    "\\",
]

bad_texts = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300),
).filter(lambda text: not text.startswith("/"))


async def assert_answers_text(
    api: FakeBotAPI, app: Application, errors: ErrorRecords, text: str
) -> list[str]:
    """Send `text` from a new user; the bot answers it in well-formed messages, no error."""
    chat = new_id()
    logged = len(errors.records)
    update = api.add_update(api.message(text, user_id=chat))
    await until(api, lambda: bool(api.replies_to(chat)), f"a reply to {text[:80]!r}")
    await handled(api, app, update)
    api.assert_no_violations()
    assert errors.messages(logged) == [], text
    replies = api.replies_to(chat)
    assert {call.method for call in replies} == {"sendMessage"}
    sent = texts_to(api, chat)
    assert all(reply.strip() for reply in sent)
    assert translator("ru")(SORRY) not in sent
    return sent


async def test_awkward_texts_get_a_well_formed_reply(
    api: FakeBotAPI, bot: Application, errors: ErrorRecords
) -> None:
    assert len(AWKWARD_TEXTS[0]) == 4096
    for text in AWKWARD_TEXTS:
        sent = await assert_answers_text(api, bot, errors, text)
        if text in ("<b>", "</i>", "&amp;", "'; DROP TABLE rows; --"):
            # Not found, and echoed literally: escaped for HTML, not interpreted. ("&" and
            # "*_`[" have no letter in them: they are small talk.)
            assert any(f"«{text}»" in reply for reply in sent), sent


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=bad_texts)
async def test_any_text_gets_a_well_formed_reply(
    api: FakeBotAPI, bot: Application, errors: ErrorRecords, text: str
) -> None:
    # One running Application serves every example.
    await assert_answers_text(api, bot, errors, text)


async def test_updates_the_bot_does_not_read_get_a_polite_reply_or_silence(
    api: FakeBotAPI, bot: Application, errors: ErrorRecords
) -> None:
    stub = api.schema.stub
    media: dict[str, Any] = {
        "sticker": {**stub("Sticker"), "file_id": "st1", "type": "regular", "width": 512},
        "photo": [{**stub("PhotoSize"), "file_id": "ph1", "width": 90, "height": 90}],
        "voice": {**stub("Voice"), "file_id": "vo1", "duration": 3},
        "location": {"latitude": 49.8, "longitude": 73.1},
        "document": api.add_file(b"%PDF-1.4 nothing", "decree.pdf", "application/pdf"),
    }
    text_only = translator("ru")(TEXT_ONLY)
    for kind, value in media.items():
        chat = new_id()
        update = api.add_update(api.message(None, user_id=chat, **{kind: value}))
        await handled(api, bot, update)
        assert texts_to(api, chat) == [text_only], kind

    # In a group the bot keeps quiet about media.
    group_user = new_id()
    update = api.add_update(
        api.message(None, user_id=group_user, chat_type="group", photo=media["photo"])
    )
    await handled(api, bot, update)
    assert api.replies_to(update["message"]["chat"]["id"]) == []

    # A message without `from` (anonymous group admin, or a malformed update).
    chat = new_id()
    anonymous = api.message("nurse", user_id=chat)
    del anonymous["message"]["from"]
    update = api.add_update(anonymous)
    await handled(api, bot, update)
    assert len(api.replies_to(chat)) == 1
    group_user = new_id()
    anonymous = api.message(None, user_id=group_user, chat_type="group", photo=media["photo"])
    del anonymous["message"]["from"]
    update = api.add_update(anonymous)
    await handled(api, bot, update)
    assert api.replies_to(update["message"]["chat"]["id"]) == []

    # Types left out of allowed_updates; Telegram should not send them, but if it does
    # (an old webhook, a proxy), the bot must neither crash nor talk out of turn.
    user = new_id()
    edited = api.message("nurse", user_id=user)["message"]
    edited["edit_date"] = edited["date"] + 5
    channel = {
        "message_id": 1,
        "date": edited["date"],
        "chat": {"id": -1_009_000_000_001, "type": "channel", "title": "News"},
        "text": "сварщик",
    }
    member_change = {
        "chat": {"id": user, "type": "private", "first_name": "U"},
        "from": api.user(user),
        "date": edited["date"],
        "old_chat_member": {"status": "member", "user": api.bot_user},
        "new_chat_member": {"status": "kicked", "user": api.bot_user, "until_date": 0},
    }
    unread = [
        {"update_id": 900_001, "edited_message": edited},
        {"update_id": 900_002, "channel_post": channel},
        {"update_id": 900_003, "edited_channel_post": {**channel, "edit_date": channel["date"]}},
        {"update_id": 900_004, "my_chat_member": member_change},
        {"update_id": 900_005, "chat_member": {**member_change, "from": api.user(new_id())}},
    ]
    for update in unread:
        await put(api, bot, update)
    # An edited message is not a new question, and the rest are not for the bot: silence.
    assert api.replies_to(user) == []
    assert api.replies_to(channel["chat"]["id"]) == []

    # And the bot still answers.
    chat = new_id()
    update = api.add_update(api.message("nurse", user_id=chat))
    await handled(api, bot, update)
    assert "Мейіргер ісі" in texts_to(api, chat)[0]
    api.assert_no_violations()


async def test_forged_and_stale_buttons_get_a_polite_answer(
    api: FakeBotAPI, bot: Application, catalog: Catalog, errors: ErrorRecords
) -> None:
    stale = translator("ru")(STALE)
    forged = [
        "c:zzzzzzz",
        "c:",
        "c:1:2:x",
        "c:nope:09:0",
        "f:999999:0",
        "f:09:x",
        "b:x",
        "l:xx",
        "r:nope",
        "garbage",
        "::::",
        "\x00\x01",
        "💥" * 16,
        "c:" + "9" * 62,
    ]
    for data in forged:
        user = new_id()
        update = api.add_update(api.callback_query(data, user_id=user))
        await handled(api, bot, update)
        query_id = update["callback_query"]["id"]
        answered = [
            c
            for c in api.calls_of("answerCallbackQuery")
            if c.params["callback_query_id"] == query_id
        ]
        assert len(answered) == 1, data
        assert texts_to(api, user) == [stale], data

    # A button pressed on a message that is not there any more (inline-mode card).
    user = new_id()
    update = api.callback_query("b:oops", user_id=user)
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "AAAA-inline"
    update = api.add_update(update)
    await handled(api, bot, update)
    assert texts_to(api, user) == [stale]

    # Old pages: a page that no longer exists shows the last one instead.
    field = catalog.decree().fields[0]
    for data in ("b:999", f"f:{field.code}:999"):
        user = new_id()
        update = api.add_update(api.callback_query(data, user_id=user))
        await handled(api, bot, update)
        edits = [c for c in api.replies_to(user) if c.method == "editMessageText"]
        assert len(edits) == 1, data
        assert edits[0].params["reply_markup"]["inline_keyboard"], data

    # Another user's button: someone else in a group presses a card button.
    group = -1_001_000_555_000
    asker = new_id()
    update = api.add_update(
        api.message("@mamandyq_test_bot электрик", user_id=asker, chat_id=group, chat_type="group")
    )
    await handled(api, bot, update)
    choices = api.replies_to(group)
    assert len(choices) == 1
    card_button = choices[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    other = new_id()
    update = api.add_update(
        api.callback_query(
            card_button, user_id=other, chat_id=group, message_id=choices[0].result["message_id"]
        )
    )
    await handled(api, bot, update)
    assert any(
        c.params["callback_query_id"] == update["callback_query"]["id"]
        for c in api.calls_of("answerCallbackQuery")
    )
    assert len(api.replies_to(group)) == 2
    api.assert_no_violations()


async def test_inline_queries_of_any_length_get_a_valid_answer(
    api: FakeBotAPI, bot: Application, errors: ErrorRecords
) -> None:
    queries = [
        ("сварщик " * 32)[:256],
        "я" * 256,
        "<b>&*_`[" * 32,
        "😀" * 256,
        "\u200b" * 256,
        "",
    ]
    for query in queries:
        assert len(query) <= 256
        update = api.add_update(api.inline_query(query, user_id=new_id()))
        await handled(api, bot, update)
        answers = [
            c
            for c in api.calls_of("answerInlineQuery")
            if c.params["inline_query_id"] == update["inline_query"]["id"]
        ]
        assert len(answers) == 1, query
    api.assert_no_violations()
    # The empty query lists the top specialties.
    assert api.calls_of("answerInlineQuery")[-1].params["results"]


# 2. Network faults


async def test_refused_calls_lose_no_update_and_duplicate_no_reply(
    api: FakeBotAPI, bot: Application, errors: ErrorRecords
) -> None:
    chats: list[int] = []
    updates: list[dict[str, Any]] = []

    def send(count: int) -> None:
        for _ in range(count):
            chats.append(new_id())
            message = api.message(QUERIES[len(chats) % len(QUERIES)], user_id=chats[-1])
            updates.append(api.add_update(message))

    def refused(method: str) -> list[str | None]:
        return [c.fault for c in api.refused if c.method == method]

    # Each round breaks getUpdates once and sends while the bot is cut off; the first reply
    # of the round is refused too (twice in a row for "drop").
    rounds = [("502", "500"), ("drop", "502"), ("500", "drop"), ("429", "429")]
    for poll_fault, send_fault in rounds:
        opts = {"retry_after": 1} if send_fault == "429" else {}
        api.inject("sendMessage", send_fault, times=2 if send_fault == "drop" else 1, **opts)
        broken = len(refused("getUpdates"))
        opts = {"retry_after": 1} if poll_fault == "429" else {}
        api.inject("getUpdates", poll_fault, **opts)
        send(1)  # ends the poll in flight; the next one fails
        await until(
            api, lambda broken=broken: len(refused("getUpdates")) > broken, f"{poll_fault} polls"
        )
        send(2)
        await until(api, lambda: all(api.replies_to(c) for c in chats), "every chat answered")
    # Slow answers (shorter than the read time-out).
    api.inject("getUpdates", "timeout", delay=0.3)
    api.inject("sendMessage", "timeout", delay=0.3)
    send(3)
    await until(api, lambda: all(api.replies_to(c) for c in chats), "every chat answered")
    await until(
        api, lambda: any(c.fault for c in api.calls_of("getUpdates")), "the slow poll answered"
    )

    # Every update marked answered: its handler is done, no reply to it can follow.
    for update in updates:
        await handled(api, bot, update)
    assert duplicates(api, chats) == {}
    assert [len(api.replies_to(chat)) for chat in chats] == [1] * len(chats)
    # Every fault did happen.
    assert refused("getUpdates") == [poll for poll, _ in rounds]
    assert refused("sendMessage") == ["500", "502", "drop", "drop", "429"]
    assert [c.fault for c in api.calls_of("getUpdates") if c.fault] == ["timeout"]
    assert [c.fault for c in api.calls_of("sendMessage") if c.fault] == ["timeout"]
    api.assert_no_violations()


async def test_a_lost_or_late_answer_means_a_duplicate_reply_never_a_lost_one(
    api: FakeBotAPI, bot: Application, errors: ErrorRecords
) -> None:
    # Telegram took the message but the bot never heard back (twice), then Telegram answered
    # only after the bot's read time-out (5 s): the bot cannot know, sends again.
    faults = [("lost_reply", {}), ("lost_reply", {}), ("timeout", {"delay": 5.5})]
    chats: list[int] = []
    updates: list[dict[str, Any]] = []
    for kind, opts in faults:
        api.inject("sendMessage", kind, **opts)
        for _ in range(2):
            chats.append(new_id())
            message = api.message(QUERIES[len(chats) % len(QUERIES)], user_id=chats[-1])
            updates.append(api.add_update(message))
        await until(api, lambda: all(api.replies_to(c) for c in chats), "every chat answered")
    await until(
        api, lambda: len(api.calls_of("sendMessage")) >= len(chats) + 3, "the late answer", 3
    )
    for update in updates:  # marked answered: nothing more is sent for them
        await handled(api, bot, update)

    doubled = duplicates(api, chats)
    count = sum(len(texts) - 1 for texts in doubled.values())
    copies = {chat: len(texts) for chat, texts in doubled.items()}
    print(f"\n2 lost answers, 1 late one on sendMessage: {count} duplicates (copies: {copies})")
    # Each was sent once more: the same message again, not an error message.
    assert count == len(faults)
    assert len(doubled) == len(faults)
    assert all(len(set(texts)) == 1 for texts in doubled.values())
    assert all(api.replies_to(chat) for chat in chats)
    api.assert_no_violations()


# 3. Restarts of a real process


async def stream(api: FakeBotAPI, chats: list[int], burst: int = 10, pause: float = 0.3) -> None:
    """One search from each chat, in bursts: the bot fetches a burst at once and confirms it
    with its next poll while still answering it, so a crash loses what is left of it unless
    the bot wrote it down."""
    for start in range(0, len(chats), burst):
        for i, chat in enumerate(chats[start : start + burst], start):
            api.add_update(api.message(QUERIES[i % len(QUERIES)], user_id=chat))
        await asyncio.sleep(pause)


async def test_sigterm_mid_stream_then_restart_answers_every_update_once(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    env = bot_env(api, data_db, tmp_path / "state.db")
    first = await launch(processes, api, env, tmp_path / "bot.log")
    chats = [new_id() for _ in range(40)]
    feeding = asyncio.create_task(stream(api, chats))
    await until(api, lambda: answered(api, chats) >= 12, "a quarter of the stream answered")

    assert await first.stop(signal.SIGTERM) == 0
    stopped_at = answered(api, chats)
    assert stopped_at < len(chats), "the stream ended before the stop; nothing was tested"
    await launch(processes, api, env, tmp_path / "bot.log")
    await feeding
    await until(api, lambda: answered(api, chats) == len(chats), "every chat answered", 20)

    # Once the process has exited, no reply can follow: the count is final.
    second = processes[-1]
    assert await second.stop(signal.SIGTERM) == 0
    output = first.output()
    assert "Traceback" not in output, output
    print(f"\nSIGTERM after {stopped_at} of {len(chats)} answers; duplicates: 0 expected")
    assert duplicates(api, chats) == {}
    assert [len(api.replies_to(chat)) for chat in chats] == [1] * len(chats)
    api.assert_no_violations()


async def test_sigkill_mid_stream_then_restart_skips_nothing_and_keeps_settings(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    env = bot_env(api, data_db, tmp_path / "state.db")
    first = await launch(processes, api, env, tmp_path / "bot.log")

    # A user chooses Kazakh before the crash.
    speaker = new_id()
    api.add_update(api.callback_query("l:kk", user_id=speaker, language_code="en"))
    (edit,) = await api.wait_for(
        "editMessageText", predicate=lambda c: c.params.get("chat_id") == speaker, timeout=10
    )
    assert plain(edit) == translator("kk")(LANGUAGE_SET)

    chats = [new_id() for _ in range(40)]
    # The third burst's replies cannot get through until the kill, so the kill finds updates
    # fetched, confirmed to Telegram and unanswered however fast the bot answers a burst.
    held = chats[20:30]
    for chat in held:
        api.inject("sendMessage", "drop", times=10_000, chat_id=chat)

    def burst_held() -> bool:
        waiting = {u["message"]["chat"]["id"] for u in api.updates if "message" in u}
        tried = {c.params.get("chat_id") for c in api.refused if c.method == "sendMessage"}
        return not waiting & set(held) and bool(tried & set(held))

    feeding = asyncio.create_task(stream(api, chats))
    await until(api, lambda: answered(api, chats) >= 12, "a quarter of the stream answered")
    await until(api, burst_held, "the third burst fetched, confirmed and its replies failing")
    assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
    api.clear_faults("sendMessage")
    killed_at = answered(api, chats)
    assert killed_at < len(chats), "the stream ended before the kill; nothing was tested"

    second = await launch(processes, api, env, tmp_path / "bot.log")
    await feeding
    await until(api, lambda: answered(api, chats) == len(chats), "every chat answered", 20)

    # The language chosen before the kill is still used.
    before = len(api.replies_to(speaker))
    api.add_update(api.message("/help", user_id=speaker, language_code="en"))
    await until(api, lambda: len(api.replies_to(speaker)) > before, "the help reply")
    help_text = plain(api.replies_to(speaker)[-1])
    kazakh = translator("kk")(HELP_FIRST_LINE)
    assert kazakh != HELP_FIRST_LINE
    assert help_text.startswith(kazakh), help_text

    assert await second.stop(signal.SIGTERM) == 0  # exited: the count below is final
    doubled = duplicates(api, chats)
    count = sum(len(texts) - 1 for texts in doubled.values())
    replayed = sum(map(int, re.findall(r"replaying (\d+) update", second.output())))
    print(
        f"\nSIGKILL after {killed_at} of {len(chats)} answers: {count} duplicate replies; "
        f"{replayed} update(s) replayed from the inbox"
    )
    assert replayed >= 1, "nothing was fetched and unanswered at the kill; nothing was tested"
    # A duplicate is an update whose reply Telegram took in the instant before the kill,
    # before the bot heard back and marked it: at most one per update being answered at
    # once (IN_FLIGHT; one, when updates were answered one at a time), each of them replayed.
    assert count <= min(IN_FLIGHT, replayed), doubled
    sorry = translator("ru")(SORRY)
    assert all(sorry not in texts_to(api, chat) for chat in chats)
    api.assert_no_violations()


# 4. The token


def redacted(log_it: Callable[[logging.Logger], None]) -> str:
    """What a handler filtered by RedactToken writes for the records `log_it` makes."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactToken(TOKEN))
    log = logging.getLogger("tests.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log_it(log)
    finally:
        log.removeHandler(handler)
        log.propagate = True
    return out.getvalue()


def test_the_token_is_redacted_from_messages_and_whole_tracebacks() -> None:
    def in_the_message(log: logging.Logger) -> None:
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            log.exception("start-up failed for %s (100%% sure)", TOKEN)

    def in_a_cause(log: logging.Logger) -> None:
        try:
            try:
                raise ValueError(f"https://api.telegram.org/bot{TOKEN}/getMe?x=%41")
            except ValueError as error:
                raise RuntimeError("Network Retry Loop failed: 100%s") from error
        except RuntimeError:
            log.exception("polling failed at %d%%", 50)

    output = redacted(in_the_message)
    assert SECRET not in output
    assert "start-up failed for <token> (100% sure)" in output
    assert "The token `<token>` was rejected" in output
    assert output.count("Traceback (most recent call last)") == 1, output

    output = redacted(in_a_cause)
    assert SECRET not in output
    assert "polling failed at 50%" in output
    assert "bot<token>/getMe?x=%41" in output
    assert output.count("Traceback (most recent call last)") == 2, output  # cause and effect
    assert "Logging error" not in output


async def test_a_rejected_token_is_one_line_and_never_printed(
    data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    async with FakeBotAPI() as api:  # it knows another token, so it refuses ours
        process = BotProcess(bot_env(api, data_db, tmp_path / "state.db", TOKEN), tmp_path / "log")
        processes.append(process)
        await process.start()
        code = await process.wait()
    output = process.output()
    assert SECRET not in output, output
    assert code == 2, output
    assert output.strip().splitlines()[-1].startswith("mamandyq: "), output


async def test_the_token_stays_out_of_logs_and_messages_through_errors(
    data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    async with FakeBotAPI(token=TOKEN) as api:
        log = tmp_path / "bot.log"
        api.inject("getUpdates", "502")
        api.inject("getUpdates", "500")
        api.inject("sendMessage", "500")
        api.inject("sendMessage", "drop")
        process = await launch(processes, api, bot_env(api, data_db, tmp_path / "s.db"), log)
        chats = [new_id() for _ in range(3)]
        for chat, query in zip(chats, ["nurse", "zzqxj", "/about"], strict=True):
            api.add_update(api.message(query, user_id=chat))
        await until(api, lambda: answered(api, chats) == 3, "three answers", 15)

        # Telegram revokes the token: every call fails from now on, handlers raise.
        api.token = "654321:revoked"
        victim = new_id()
        # The poll in flight was let in before the revocation: it fetches this update.
        api.add_update(api.message("nurse", user_id=victim))
        await until(
            api,
            lambda: any(c.error == "Unauthorized" for c in api.refused),
            "the bot notices the revoked token",
        )
        await process.until_logged("error while handling update")
        await process.stop(signal.SIGTERM)

    output = process.output()
    assert "Traceback" in output and "ERROR" in output, "no error was logged; nothing tested"
    assert SECRET not in output, output
    assert "abcdefghijklmnopqrstuvwx" not in output
    for call in [*api.calls, *api.refused]:
        sent = json.dumps(call.params, ensure_ascii=False, default=repr)
        assert SECRET not in sent, call


# 5. Ingest faults while the bot runs


async def test_a_running_bot_serves_a_new_ingest_without_a_restart(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    """Before: the bot answered from the data it started with until it was restarted."""
    await launch(processes, api, bot_env(api, data_db, tmp_path / "state.db"), tmp_path / "log")

    async def nursing_places() -> str:
        chat = new_id()
        api.add_update(api.message("nurse", user_id=chat))
        await until(api, lambda: bool(api.replies_to(chat)), "an answer about nursing")
        return texts_to(api, chat)[0]

    assert "455" in await nursing_places()
    source = tmp_path / "decree-43-19.txt"  # the same decree, corrected: 456 places
    source.write_text(
        TEXT_SOURCE.read_text(encoding="utf-8").replace("Мейіргер ісі 455 ", "Мейіргер ісі 456 "),
        encoding="utf-8",
    )
    await asyncio.to_thread(ingest, source, data_db)
    deadline = asyncio.get_running_loop().time() + 20  # LiveCatalog looks once a second
    answer = await nursing_places()
    while "456" not in answer and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
        answer = await nursing_places()
    assert "456" in answer and "455" not in answer
    api.assert_no_violations()


async def test_a_failed_ingest_leaves_the_running_bot_and_its_data_alone(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, errors: ErrorRecords
) -> None:
    pdf = shipped_source().read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf[: len(pdf) // 3])
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(pdf[:1024] + bytes(reversed(pdf[1024:4096])) + b"\x00" * 4096)
    not_a_decree = tmp_path / "notes.txt"
    not_a_decree.write_text("Shopping list\nmilk 2\nbread 1\nсварщик 12 000\n", encoding="utf-8")

    def digest() -> str:
        return hashlib.sha256(data_db.read_bytes()).hexdigest()

    catalog = Catalog.open(data_db)
    state = State(tmp_path / "state.db")
    try:
        async with polling(api, catalog, state) as app:
            chat = new_id()
            await talk(api, app, [api.message("nurse", user_id=chat)])
            before, first_answer = digest(), texts_to(api, chat)

            for source in (truncated, corrupt, not_a_decree):
                with pytest.raises(DecreeError):
                    await asyncio.to_thread(ingest, source, data_db)
                assert digest() == before, source
            assert not list(data_db.parent.glob(".ingest-*"))

            chat = new_id()
            await talk(api, app, [api.message("nurse", user_id=chat)])
            answer = texts_to(api, chat)
            assert answer == first_answer
            assert answer[0].startswith("Мейіргер ісі")
            assert "487" in answer[0]  # 455 + 32 places, as printed in the decree
            api.assert_no_violations()
    finally:
        state.close()
