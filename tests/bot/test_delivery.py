"""Delivery as an operator meets it (issue 12): the bot is never deaf after a failed state
write, never skips a genuine message as "answered before", never keeps one chat waiting
behind another, never drops a reply an outage kept from Telegram, keeps trying while
Telegram cannot be reached at start, and says what is wrong in one line.

Each test runs the real bot: `mamandyq run` as a child process, or the real Application in
this process where a fault has to be simulated from inside (a full disk), against the fake
Bot API. Waiting is on the fake server's traffic, the bot's log or its state database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.app import serve
from bot.i18n import translator
from bot.reliability import Limits
from bot.settings import Settings
from bot.state import State
from store.catalog import Catalog
from tests.bot.running import REPO, BotProcess, answered, bot_env, duplicates, launch
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.polling import free_port, polling
from tests.helpers import TOP, ErrorRecords, handled, new_id, plain, until

QUERIES = ("сварщик", "nurse", "повар", "06130100", "бағдарламашы", "бухгалтер")
TOKEN_A = "111111:bot-A-token"
TOKEN_B = "222222:bot-B-token"


def send(api: FakeBotAPI, chats: list[int], **extra: Any) -> list[dict[str, Any]]:
    return [
        api.add_update({**api.message(QUERIES[i % len(QUERIES)], user_id=chat), **extra})
        for i, chat in enumerate(chats)
    ]


# 1. A failed state write


async def test_a_state_database_locked_for_7_s_delays_answers_but_loses_none(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    state_db = tmp_path / "state.db"
    process = await launch(processes, api, bot_env(api, data_db, state_db), tmp_path / "log")
    first = [new_id() for _ in range(3)]
    send(api, first)
    await until(api, lambda: answered(api, first) == 3, "answers before the lock")

    # An operator's sqlite3 session holds the write lock for 7 s (longer than any busy
    # time-out), while people keep asking.
    operator = sqlite3.connect(state_db, isolation_level=None)
    operator.execute("BEGIN IMMEDIATE")
    during = [new_id() for _ in range(10)]
    try:
        for chat in during:
            send(api, [chat])
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)
    finally:
        operator.execute("ROLLBACK")
        operator.close()

    await until(api, lambda: answered(api, during) == 10, "every chat answered after the lock")
    after = [new_id() for _ in range(3)]
    send(api, after)
    await until(api, lambda: answered(api, after) == 3, "answers after the lock")
    assert process.running
    assert await process.stop() == 0
    assert duplicates(api, first + during + after) == {}
    output = process.output()
    assert "refused a write" in output and "writable again" in output, output
    assert "Traceback" not in output, output


class FullDisk:
    """A connection whose writes SQLite refuses as on a full disk while `full` is set."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.full = False
        self.refused = 0

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        if self.full and sql.startswith("BEGIN"):
            self.refused += 1
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, params)


async def test_a_full_disk_delays_answers_but_loses_none(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, errors: ErrorRecords
) -> None:
    state = State(tmp_path / "state.db")
    disk = FullDisk(state.conn)
    state.writes.conn = disk  # type: ignore[assignment]
    try:
        async with polling(api, catalog, state) as app:
            before = send(api, [new_id()])
            await handled(api, app, before[0])
            disk.full = True
            chats = [new_id() for _ in range(5)]
            updates = send(api, chats)
            await until(api, lambda: disk.refused >= 3, "writes refused for a while")
            disk.full = False
            for update in updates:
                await handled(api, app, update)
            assert answered(api, chats) == 5
            assert duplicates(api, chats) == {}
    finally:
        state.close()
    # Nothing was lost on the way: every update is in the file, answered.
    with contextlib.closing(sqlite3.connect(tmp_path / "state.db")) as conn:
        assert conn.execute("SELECT count(*), sum(answered) FROM inbox").fetchone() == (6, 6)


async def test_a_disk_that_stays_full_ends_the_bot_with_exit_code_1(
    api: FakeBotAPI, catalog: Catalog, data_db: Path, tmp_path: Path
) -> None:
    state = State(tmp_path / "state.db", give_up_after=1.0)
    disk = FullDisk(state.conn)
    state.writes.conn = disk  # type: ignore[assignment]
    settings = Settings(
        db_path=data_db, state_path=state.path, token=api.token, base_url=api.base_url
    )
    try:
        running = asyncio.create_task(serve(settings, catalog, state, webhook=False))
        await api.wait_for("deleteWebhook", timeout=20)  # polling starts
        disk.full = True
        send(api, [new_id()])
        assert await asyncio.wait_for(running, 30) == 1
    finally:
        state.close()


# 2. The inbox: per bot, and "the same update" decided exactly


async def run_once(
    api: FakeBotAPI,
    ids: range,
    data_db: Path,
    state_db: Path,
    log: Path,
    processes: list[BotProcess],
    stuck: bool = False,
) -> list[int]:
    """One run of the bot on the shared `state_db`: ten new messages with update ids `ids`,
    each from a new user; with `stuck`, the last one's chat cannot be delivered to until
    the bot is stopped. The chats, in order."""
    process = await launch(processes, api, bot_env(api, data_db, state_db), log)
    chats = [new_id() for _ in ids]
    if stuck:
        api.inject("sendMessage", "500", times=1_000_000, chat_id=chats[-1])
    for update_id, chat in zip(ids, chats, strict=True):
        api.add_update({"update_id": update_id, **api.message("nurse", user_id=chat)})
    answerable = chats[:-1] if stuck else chats
    await until(api, lambda: answered(api, answerable) == len(answerable), "the chats", 20)
    if stuck:
        await until(api, lambda: bool(api.refused), "the stuck reply refused")
    assert await process.stop() == 0
    return chats


def once(api: FakeBotAPI, chats: list[int]) -> int:
    return sum(1 for chat in chats if len(api.replies_to(chat)) == 1)


async def test_three_runs_on_one_state_answer_thirty_of_thirty(
    data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    state_db, log = tmp_path / "state.db", tmp_path / "bot.log"
    # Bot A, ids 1-10; the last reply is kept from Telegram until it stops.
    async with FakeBotAPI(token=TOKEN_A) as api_a:
        a = await run_once(api_a, range(1, 11), data_db, state_db, log, processes, stuck=True)
    # Another bot on the same state file: its update ids start over at 1.
    async with FakeBotAPI(token=TOKEN_B) as api_b:
        b = await run_once(api_b, range(1, 11), data_db, state_db, log, processes)
    # Bot A again, after Telegram started its ids over: new messages, ids 3-12.
    async with FakeBotAPI(token=TOKEN_A) as api_c:
        c = await run_once(api_c, range(3, 13), data_db, state_db, log, processes)
        # Bot A's own update left unanswered in its first run is answered now.
        await until(api_c, lambda: bool(api_c.replies_to(a[-1])), "bot A's held-up reply")

    runs = (once(api_a, a[:-1]) + once(api_c, a[-1:]), once(api_b, b), once(api_c, c))
    print(f"\nthree runs on one state database: {runs[0]}/10, {runs[1]}/10, {runs[2]}/10")
    assert runs == (10, 10, 10)
    # Nothing doubled, and bot B never answered into bot A's chats.
    assert all(len(api.replies_to(chat)) <= 1 for api in (api_a, api_b, api_c) for chat in a)
    assert all(api.replies_to(chat) == [] for api in (api_a, api_c) for chat in b)
    assert "Traceback" not in log.read_text()


# 3. One chat never holds up another


async def test_a_busy_group_does_not_delay_a_private_user(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path
) -> None:
    state = State(tmp_path / "state.db")
    group = -1_001_234_567_890
    try:
        async with polling(api, catalog, state, limits=Limits()) as app:
            username = app.bot.username
            for _ in range(45):
                api.add_update(
                    api.message(f"/top@{username}", user_id=new_id(), chat_id=group,
                                chat_type="supergroup")
                )  # fmt: skip
            await until(api, lambda: len(api.replies_to(group)) >= 20, "the group's burst")
            private = new_id()
            send(api, [private])
            await until(api, lambda: bool(api.replies_to(private)), "the private reply")
            # Telegram allows 20 messages a minute in a group: the rest are still waiting.
            assert len(api.replies_to(group)) < 45
            # /top answers with its chart (a photo) and the list (a message).
            top = translator("ru")(TOP)
            lists = [plain(c) for c in api.replies_to(group) if c.method == "sendMessage"]
            assert lists and all(text.startswith(top) for text in lists)
    finally:
        state.close()


async def test_a_429_for_one_chat_does_not_pause_the_others(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path
) -> None:
    state = State(tmp_path / "state.db")
    try:
        async with polling(api, catalog, state, limits=Limits()):
            slowed, other = new_id(), new_id()
            api.inject("sendMessage", "429", retry_after=15)
            (first,) = send(api, [slowed])
            await until(api, lambda: any(c.fault == "429" for c in api.refused), "the 429")
            send(api, [other])
            await until(api, lambda: bool(api.replies_to(other)), "the other chat's reply")
            assert api.replies_to(slowed) == [], "the 429 ended before the other reply"
            assert not state.inbox.is_answered(first["update_id"])
    finally:
        state.close()


async def test_one_chat_gets_its_replies_in_order_at_telegrams_pace(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, errors: ErrorRecords
) -> None:
    state = State(tmp_path / "state.db")
    chat, other = new_id(), new_id()
    try:
        async with polling(api, catalog, state, limits=Limits()) as app:
            updates = [api.add_update(api.message(q, user_id=chat)) for q in QUERIES]
            await until(api, lambda: len(api.replies_to(chat)) >= 3, "the burst of three")
            # Telegram's limit per chat (a burst of three, then one a second) holds the
            # rest back; another chat asking now is answered meanwhile, not after them.
            send(api, [other])
            await until(api, lambda: bool(api.replies_to(other)), "the other chat's reply")
            assert len(api.replies_to(chat)) < len(QUERIES) - 1
            for update in updates:
                await handled(api, app, update)
    finally:
        state.close()
    replies = api.replies_to(chat)
    # In order: each reply is the card of the message at its place.
    expected = [catalog.decree().search(q).matches[0].specialty.name for q in QUERIES]
    assert [plain(reply).split("\n")[0] for reply in replies] == expected


async def test_chats_waiting_for_their_limit_do_not_take_the_places_of_others(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path
) -> None:
    state = State(tmp_path / "state.db")
    try:
        # Two updates handled at once; three chats each ask six questions at once, so each
        # has three waiting for Telegram's one-a-second limit of its chat.
        async with polling(api, catalog, state, limits=Limits(), in_flight=2):
            busy = [new_id() for _ in range(3)]
            for _ in range(6):
                send(api, busy)
            await until(api, lambda: answered(api, busy) == 3, "each busy chat's first replies")
            late = new_id()
            send(api, [late])
            await until(api, lambda: bool(api.replies_to(late)), "the reply to another chat")
            assert sum(len(api.replies_to(chat)) for chat in busy) < 18
    finally:
        state.close()


# 4. A long outage


async def test_a_60_s_send_outage_loses_no_reply(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    process = await launch(
        processes, api, bot_env(api, data_db, tmp_path / "state.db"), tmp_path / "log"
    )
    api.inject("sendMessage", "500", times=1_000_000)
    chats = [new_id() for _ in range(6)]
    for chat in chats:
        send(api, [chat])
        await asyncio.sleep(5)
    await asyncio.sleep(30)  # 60 s in all without a message getting through
    api.clear_faults()
    await until(api, lambda: answered(api, chats) == len(chats), "every chat answered", 90)
    assert await process.stop() == 0
    assert duplicates(api, chats) == {}
    assert "Traceback" not in process.output()


async def test_a_stop_during_an_outage_is_quick_and_the_replies_come_after_restart(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    env = bot_env(api, data_db, tmp_path / "state.db")
    first = await launch(processes, api, env, tmp_path / "log")
    api.inject("sendMessage", "timeout", times=1_000_000)  # Telegram never answers
    chats = [new_id() for _ in range(4)]
    send(api, chats)
    await until(api, lambda: len(api.refused) >= 4, "every reply stuck")
    assert await first.stop(signal.SIGTERM, timeout=15) == 0
    assert answered(api, chats) == 0

    api.clear_faults()
    second = await launch(processes, api, env, tmp_path / "log")
    await until(api, lambda: answered(api, chats) == 4, "the replies after the restart", 20)
    assert await second.stop() == 0
    assert duplicates(api, chats) == {}
    assert "replaying 4 update(s)" in second.output()


# 5. Start-up without Telegram


async def test_a_bot_started_without_telegram_keeps_trying_then_answers(
    data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    port = free_port()
    env = bot_env(None, data_db, tmp_path / "state.db", "333333:start-token")
    env["TELEGRAM_API_BASE_URL"] = f"http://127.0.0.1:{port}/bot"
    process = BotProcess(env, tmp_path / "log")
    processes.append(process)
    await process.start()
    await process.until_logged("connecting to Telegram failed", count=2)
    async with FakeBotAPI(token="333333:start-token", port=port) as api:
        chat = new_id()
        send(api, [chat])
        await until(api, lambda: bool(api.replies_to(chat)), "the answer once Telegram is up", 60)
        assert await process.stop() == 0
    lines = [line for line in process.output().splitlines() if "connecting to Telegram" in line]
    assert len(lines) >= 2
    assert all("attempt" in line and "retrying in" in line for line in lines)
    assert "Traceback" not in process.output()


# 6. and 7. What an operator gets wrong: one line, exit code 2


def run_cli(
    args: list[str], env: dict[str, str], **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


def assert_one_line(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_a_corrupt_state_database_is_one_line(data_db: Path, tmp_path: Path) -> None:
    state_db = tmp_path / "state.db"
    state_db.write_bytes(b"this is not SQLite at all " * 100)
    done = run_cli(["run"], bot_env(None, data_db, state_db, "1:x"))
    assert_one_line(done, 2, "mamandyq:", str(state_db))


def test_a_state_database_that_is_a_directory_is_one_line(data_db: Path, tmp_path: Path) -> None:
    state_db = tmp_path / "state.db"
    state_db.mkdir()
    done = run_cli(["run"], bot_env(None, data_db, state_db, "1:x"))
    assert_one_line(done, 2, "mamandyq:", "directory")


def test_a_data_database_that_is_a_directory_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    done = run_cli(["search", "сварщик", "--db", str(folder)], dict(os.environ))
    assert_one_line(done, 2, "mamandyq:", "directory")


def test_a_read_only_state_database_is_one_line(data_db: Path, tmp_path: Path) -> None:
    state_db = tmp_path / "state.db"
    State(state_db).close()
    if os.geteuid() == 0:  # root writes to any file it may not: make it immutable instead
        subprocess.run(["chattr", "+i", str(state_db)], check=True)
        undo = ["chattr", "-i", str(state_db)]
    else:
        state_db.chmod(0o400)
        undo = ["chmod", "600", str(state_db)]
    try:
        done = run_cli(["run"], bot_env(None, data_db, state_db, "1:x"))
    finally:
        subprocess.run(undo, check=True)
    assert_one_line(done, 2, "mamandyq:", str(state_db), "not writable")


async def test_a_webhook_port_in_use_is_one_line(
    api: FakeBotAPI, data_db: Path, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(
            api,
            data_db,
            tmp_path / "state.db",
            WEBHOOK_URL="https://example.invalid/telegram",
            WEBHOOK_SECRET="s3cret",
            PORT=str(port),
            WEBHOOK_LISTEN="127.0.0.1",
        )
        done = await asyncio.to_thread(run_cli, ["run", "--webhook"], env)
    assert done.returncode == 2, done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("mamandyq: cannot listen on 127.0.0.1:") and str(port) in last
    assert "Traceback" not in done.stderr


# The health check


def health(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(["health", *args], env)


async def test_health_follows_the_last_poll(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    state_db = tmp_path / "state.db"
    env = bot_env(api, data_db, state_db)
    assert_one_line(await asyncio.to_thread(health, env), 1, "unhealthy", "no state database")

    process = await launch(processes, api, env, tmp_path / "log")
    for _ in range(30):  # the bot's first poll, each try waiting a second for a change
        if (done := await asyncio.to_thread(health, env)).returncode == 0:
            break
        await api.next_change(1.0)
    else:
        pytest.fail(f"never healthy: {done.stderr}")
    assert done.stdout.startswith("healthy")
    assert await process.stop() == 0

    # As if the bot had not polled for 500 s (hung, or cut off from Telegram).
    with contextlib.closing(sqlite3.connect(state_db)) as conn:
        conn.execute("UPDATE heartbeat SET at = at - 500")
        conn.commit()
    assert_one_line(await asyncio.to_thread(health, env), 1, "unhealthy", "s ago")
    assert (await asyncio.to_thread(health, env, "--max-age", "1000")).returncode == 0
    assert (await asyncio.to_thread(health, env, "--max-age", "-5")).returncode == 2


def test_the_heartbeat_is_not_a_write_per_update(tmp_path: Path) -> None:
    state = State(tmp_path / "state.db")
    try:
        before = state.writes.written
        for _ in range(1000):
            state.heartbeat.beat("poll")
        assert state.writes.written - before == 1
    finally:
        state.close()
