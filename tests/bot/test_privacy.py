"""Privacy of what the bot keeps: only a user's language and decree choice; of an update,
once answered, only its id and a digest, in files only their owner can read, with the
write-ahead log checkpointed so that answered questions do not linger there; the opt-in
query log keeps the words searched on, never numbers, addresses or names.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.state import State, loggable_words
from store.catalog import Catalog
from store.search import meaningful_words, skeleton_words
from tests.bot.running import REPO, BotProcess, answered, bot_env, launch
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.polling import polling
from tests.helpers import ErrorRecords, new_id, rows, talk, until

QUERIES = ("сварщик", "nurse", "повар", "06130100", "бағдарламашы", "бухгалтер")


def state_files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def leftovers(path: Path, needles: list[bytes]) -> list[tuple[str, bytes]]:
    """Which of `needles` are in the state database's files (database, -wal, -shm)."""
    found = []
    for file in state_files(path):
        data = file.read_bytes()
        found += [(file.name, needle) for needle in needles if needle in data]
    return found


async def test_the_state_keeps_only_language_choices_by_default(
    api: FakeBotAPI, catalog: Catalog, tmp_path: Path, errors: ErrorRecords
) -> None:
    path = tmp_path / "state.db"
    state = State(path)
    askers = [new_id() for _ in range(3)]
    chooser = new_id()
    try:
        async with polling(api, catalog, state) as app:
            await talk(
                api,
                app,
                [api.message(q, user_id=u) for u, q in zip(askers, QUERIES, strict=False)]
                + [api.message("zzqxj", user_id=askers[0])]
                + [api.callback_query("l:kk", user_id=chooser)]
                + [api.inline_query("nurse", user_id=askers[1])],
            )
    finally:
        state.close()

    tables = rows(path)
    assert tables["users"] == [{"user_id": chooser, "language": "kk", "decree_id": None}]
    assert tables["query_log"] == []
    inbox = tables["inbox"]
    assert len(inbox) == 6
    assert {tuple(sorted(row)) for row in inbox} == {
        ("answered", "body", "bot_id", "digest", "received_at", "update_id")
    }
    assert all(row["body"] is None and row["answered"] == 1 for row in inbox)
    assert all(len(row["digest"]) == 16 for row in inbox)
    for table, content in tables.items():
        found = json.dumps(content, ensure_ascii=False, default=repr)
        for user in askers:
            assert str(user) not in found, table
        assert "User" not in found and "zzqxj" not in found, table
    # Nothing of what was asked is left in the files themselves either.
    needles = [b"zzqxj", "сварщик".encode(), b"User7", b'"first_name"']
    assert leftovers(path, needles) == []


def test_an_answered_update_leaves_no_trace_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite leaves erased content in free space unless secure_delete is on. Debian's build
    # turns it on by default, most others do not: start every connection with SQLite's own
    # default, so that this test means the same everywhere.
    connect = sqlite3.connect

    def stock_sqlite(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete=OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", stock_sqlite)
    path = tmp_path / "state.db"
    state = State(path, bot_id=42)
    try:
        user = {"id": 7_000_999, "is_bot": False, "first_name": "Aigerim"}
        body = json.dumps({"update_id": 1, "message": {"text": "secret-query", "from": user}})
        key = state.inbox.admit(1, body)
        assert key is not None
        state.checkpoint()  # as the running bot does, unanswered updates included
        assert b"secret-query" in path.read_bytes()
        state.inbox.answered(key)
        # The running bot checkpoints every few seconds: PASSIVE while writes come, then,
        # once they stop, TRUNCATE.
        state.checkpoint()
        state.checkpoint()
        assert leftovers(path, [b"secret-query", b"Aigerim"]) == []
    finally:
        state.close()
    assert leftovers(path, [b"secret-query", b"Aigerim"]) == []


def test_the_state_files_are_for_their_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "new" / "state.db"
        state = State(path)
        state.choices.save(1, state.choices.of(1))
        files = state_files(path)
        assert {f.name for f in files} == {"state.db", "state.db-wal", "state.db-shm"}
        assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
        state.close()
        # A file made readable by others before (an older mamandyq) is closed up.
        path.chmod(0o644)
        State(path).close()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


async def test_a_running_bot_keeps_no_answered_question_on_disk(
    api: FakeBotAPI, data_db: Path, tmp_path: Path, processes: list[BotProcess]
) -> None:
    state_db = tmp_path / "state.db"
    process = await launch(processes, api, bot_env(api, data_db, state_db), tmp_path / "log")
    chats = [new_id() for _ in range(30)]
    secrets = [f"zzsecret{i}q" for i in range(len(chats))]
    for chat, secret in zip(chats, secrets, strict=True):
        api.add_update(api.message(f"сварщик {secret}", user_id=chat))
    await until(api, lambda: answered(api, chats) == len(chats), "every chat answered", 20)
    needles = [s.encode() for s in secrets] + [f"User{c}".encode() for c in chats]

    # While the bot runs: gone from the database, its write-ahead log and its shared memory
    # a moment after the answers (the checkpoint runs every few seconds).
    deadline = asyncio.get_running_loop().time() + 20
    while leftovers(state_db, needles):
        assert asyncio.get_running_loop().time() < deadline, leftovers(state_db, needles)[:3]
        await asyncio.sleep(0.1)
    assert {stat.S_IMODE(f.stat().st_mode) for f in state_files(state_db)} == {0o600}
    # And after a crash.
    assert await process.stop(signal.SIGKILL) == -signal.SIGKILL
    assert leftovers(state_db, needles) == []


# (query, the words the search reads that must be kept, what must never be kept)
LOGGABLE = [
    ("Сварщик!", ["svarshik"], []),
    ("zzqxj фыва", ["zzkhj", "fiva"], []),
    (
        "Меня зовут Айгерим Сапарова, пишите aigerim.s@mail.kz или 87011234567, повар",
        ["povar"],
        ["aigerim", "saparova", "mail", "8701", "@"],
    ),
    ("менің атым Ерлан, бағдарламашы болғым келеді", ["bagdarlamashi"], ["erlan"]),
    ("меня зовут айгерим хочу быть поваром", ["povarom"], ["aigerim"]),
    ("my name is John Smith. nurse please", ["nurse"], ["john", "smith"]),
    ("ИИН 990101300123, телефон +7 701 123 45 67 медсестра", ["medsestra"], ["99", "701"]),
    ("site www.college.kz or https://x.org/?q=1 электрик", ["elektrik"], ["college", "x.org"]),
    ("Иванов сварщик", ["svarshik"], ["ivanov"]),
]


@pytest.mark.parametrize(("query", "kept", "dropped"), LOGGABLE)
def test_loggable_words_drop_numbers_addresses_and_names(
    query: str, kept: list[str], dropped: list[str]
) -> None:
    logged = loggable_words(query)
    assert set(kept) <= set(logged.split()), logged
    assert not any(word in logged for word in dropped), logged
    assert not any(ch.isdigit() for ch in logged)
    assert set(logged.split()) <= set(meaningful_words(query))  # only what the search reads


def test_a_code_alone_leaves_nothing_to_log() -> None:
    assert loggable_words("07150500") == ""


async def test_the_query_log_keeps_only_what_was_searched_and_reports_misses(
    api: FakeBotAPI, catalog: Catalog, data_db: Path, tmp_path: Path, errors: ErrorRecords
) -> None:
    path = tmp_path / "state.db"
    state = State(path, log_queries=True)
    asked = [
        ("Сварщик!", True),
        ("zzqxj  фыва", False),
        ("Меня зовут Айгерим, ZZQXJ фыва? пишите на aigerim@mail.kz, 87011234567", False),
        ("qwpx", False),
    ]
    users = [new_id() for _ in asked]
    try:
        async with polling(api, catalog, state) as app:
            await talk(
                api,
                app,
                [api.message(q, user_id=u) for u, (q, _) in zip(users, asked, strict=True)],
            )
    finally:
        state.close()

    logged = rows(path)["query_log"]
    assert {tuple(sorted(row)) for row in logged} == {("logged_at", "matched", "query")}
    miss, other = " ".join(skeleton_words("zzqxj фыва")), " ".join(skeleton_words("qwpx"))
    # The capitalised ZZQXJ inside a sentence counts as name-like and is dropped.
    assert [(row["query"], bool(row["matched"])) for row in logged] == [
        ("svarshik", True),
        (miss, False),
        (loggable_words(asked[2][0]), False),
        (other, False),
    ]
    assert "fiva" in logged[2]["query"] and "zzkhj" not in logged[2]["query"]
    text = json.dumps(logged, ensure_ascii=False)
    for personal in ["aigerim", "Айгерим", "mail", "8701", *map(str, users)]:
        assert personal not in text

    env = {**os.environ, "MAMANDYQ_STATE_DB": str(path)}
    report = subprocess.run(
        [sys.executable, "-m", "bot.cli", "report", "misses", "--db", str(data_db)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert sorted(report.stdout.splitlines()) == sorted(
        [f"1\t{other}", f"1\t{loggable_words(asked[2][0])}", f"1\t{miss}"]
    )
