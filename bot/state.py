"""What the bot remembers, in its own SQLite file beside the data database.

Kept apart from the data so that ingesting a decree (which replaces the data file whole)
never touches anyone's settings. Four small stores share one connection: the users'
choices, the update inbox (`bot.reliability` uses it to answer each update once), the
optional query log (off unless asked for; never who asked, never names, numbers or
addresses), and the heartbeat `mamandyq health` reads.

Every write goes through `Writes`: in order, grouped into as few transactions as the event
loop allows, and never lost when SQLite refuses one (the file locked by another process,
the disk full, the file read-only for a moment): the write stays queued and is retried
with backoff, and only when writing has failed for `GIVE_UP_SECONDS` does the bot give up
and exit non-zero for its supervisor. Nothing here imports python-telegram-bot, so
`mamandyq report` and `mamandyq health` start fast.

Privacy: the files are readable by their owner only (0600, the -wal and -shm files too,
which SQLite creates with the database's mode); an update's body is kept only until it is
answered, then only its id and a digest (to recognise Telegram delivering it again);
`secure_delete` overwrites erased content, and the write-ahead log, which keeps old page
images, is checkpointed and truncated a few seconds after writes (and on close).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import stat
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.reply import Choice
from bot.settings import ConfigError
from store.query import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from store.search import meaningful_words

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    language TEXT,
    decree_id TEXT
);
-- One row per update a bot received. Telegram sends an update again only to the same bot,
-- within 24 hours and with the same content, so (bot, id, digest of the body) received
-- within 24 hours is the same update, and anything else is a new one (another bot's ids,
-- or ids Telegram started over). The body is kept only until the update is answered.
CREATE TABLE IF NOT EXISTS inbox (
    bot_id INTEGER NOT NULL,
    update_id INTEGER NOT NULL,
    digest BLOB NOT NULL,
    received_at REAL NOT NULL,
    body TEXT,
    answered INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bot_id, update_id, digest)
);
CREATE INDEX IF NOT EXISTS inbox_received ON inbox (received_at);
CREATE TABLE IF NOT EXISTS query_log (
    query TEXT NOT NULL,
    matched INTEGER NOT NULL,
    logged_at TEXT NOT NULL
);
-- When the bot last heard from Telegram (a poll answered, a webhook delivery).
CREATE TABLE IF NOT EXISTS heartbeat (
    source TEXT PRIMARY KEY,
    at REAL NOT NULL
);
"""

# Telegram redelivers an unconfirmed update for at most this long.
REDELIVERY_WINDOW = 24 * 3600.0
# Answered updates remembered in memory; past this, older ones are looked up in the file.
REMEMBERED = 200_000
GIVE_UP_SECONDS = 60.0
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
# How long a write may wait for another process's lock before it is retried later
# (without blocking the bot meanwhile).
BUSY_TIMEOUT_MS = 100
HEARTBEAT_EVERY = 5.0
CHOICES_CACHED = 10_000
FILE_MODE = 0o600


class StateError(ConfigError):
    """The state database cannot be opened or used; the message is one line."""


class StateUnavailable(StateError):
    """Writes to the state database have failed for longer than the bot may wait."""


def _now() -> float:
    return time.time()


def _iso(at: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(at))


def _packed(key: Key) -> bytes:
    """A key as one bytes object: the update id's eight bytes, then the digest."""
    return key[0].to_bytes(8, "big", signed=True) + key[1]


def _unpacked(packed: bytes) -> Key:
    return int.from_bytes(packed[:8], "big", signed=True), packed[8:]


def digest(body: str) -> bytes:
    """What identifies an update's content: a 128-bit BLAKE2b of its body as received."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Writes:
    """The state database's writes, kept in order until SQLite has taken them.

    `add` queues a statement and has it written at the next turn of the event loop (at
    once when no loop runs), together with whatever else was queued meanwhile. A refused
    write is retried with backoff; `flush` waits until everything queued is written and
    raises `StateUnavailable` when writing has failed for `give_up_after` seconds, which is
    also reported to `on_fatal` when the retrying happens in the background.
    """

    def __init__(self, conn: sqlite3.Connection, give_up_after: float = GIVE_UP_SECONDS) -> None:
        self.conn = conn
        self.give_up_after = give_up_after
        self.on_fatal: Callable[[StateUnavailable], None] | None = None
        self.pending: list[tuple[str, Sequence[Any]]] = []
        self.written = 0  # transactions committed, for the checkpointer
        self.failing_since: float | None = None
        self._scheduled = False
        self._retrying: asyncio.Task[None] | None = None

    def add(self, sql: str, params: Sequence[Any] = (), now: bool = False) -> None:
        """Queue a write; with `now`, write it (and all queued before it) at once, unless
        SQLite is refusing writes at the moment (then it waits its turn in the retries)."""
        self.pending.append((sql, params))
        if self._retrying is not None:
            return
        if now:
            if not self.try_now():
                self._retry_soon()
            return
        if self._scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.try_now()
            return
        self._scheduled = True
        loop.call_soon(self._soon)

    def _soon(self) -> None:
        self._scheduled = False
        if not self.try_now():
            self._retry_soon()

    def _retry_soon(self) -> None:
        if self._retrying is not None:
            return
        # Without an event loop (a command, a test) the next write or `flush` retries.
        with contextlib.suppress(RuntimeError):
            self._retrying = asyncio.get_running_loop().create_task(self._retry())

    async def _retry(self) -> None:
        try:
            await self.flush()
        except StateUnavailable as error:
            if self.on_fatal is not None:
                self.on_fatal(error)
            else:
                log.critical("%s", error)
        finally:
            self._retrying = None

    def try_now(self) -> bool:
        """Write everything queued in one transaction; False (all kept) if SQLite refused."""
        if not self.pending:
            return True
        batch = self.pending
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in batch:
                    self.conn.execute(sql, params)
                self.conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
            if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                raise
            self._failed(error)
            return False
        del self.pending[: len(batch)]
        self.written += 1
        if self.failing_since is not None:
            log.warning(
                "state database writable again after %.0f s; nothing was lost",
                _now() - self.failing_since,
            )
            self.failing_since = None
        return True

    def _failed(self, error: sqlite3.Error) -> None:
        if self.failing_since is None:
            self.failing_since = _now()
            log.warning(
                "state database refused a write (%s); keeping %d write(s) and retrying",
                error,
                len(self.pending),
            )

    async def flush(self) -> None:
        """Wait until every queued write is in the file; `StateUnavailable` after trying for
        `give_up_after` seconds."""
        attempt = 0
        while not self.try_now():
            assert self.failing_since is not None
            waited = _now() - self.failing_since
            if waited >= self.give_up_after:
                raise StateUnavailable(
                    f"the state database has refused writes for {waited:.0f} s "
                    f"({len(self.pending)} waiting); giving up so that a supervisor restarts "
                    "the bot"
                )
            await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
            attempt += 1


class Choices:
    """Each user's language and decree choice: the only thing kept per user (cached)."""

    def __init__(self, conn: sqlite3.Connection, writes: Writes) -> None:
        self.conn = conn
        self.writes = writes
        self._cache: OrderedDict[int, Choice] = OrderedDict()

    def of(self, user_id: int) -> Choice:
        cached = self._cache.get(user_id)
        if cached is not None:
            self._cache.move_to_end(user_id)
            return cached
        row = self.conn.execute(
            "SELECT language, decree_id FROM users WHERE user_id = ?", (user_id,)
        ).fetchone()
        choice = Choice(row[0], row[1]) if row else Choice()
        self._remember(user_id, choice)
        return choice

    def save(self, user_id: int, choice: Choice) -> None:
        """Store what the user chose, keeping what they chose before for the rest."""
        before = self.of(user_id)
        self._remember(
            user_id,
            Choice(choice.language or before.language, choice.decree_id or before.decree_id),
        )
        self.writes.add(
            """
            INSERT INTO users (user_id, language, decree_id) VALUES (?, ?, ?)
            ON CONFLICT(user_id) DO UPDATE SET
                language = coalesce(excluded.language, language),
                decree_id = coalesce(excluded.decree_id, decree_id)
            """,
            (user_id, choice.language, choice.decree_id),
        )

    def _remember(self, user_id: int, choice: Choice) -> None:
        self._cache[user_id] = choice
        self._cache.move_to_end(user_id)
        if len(self._cache) > CHOICES_CACHED:
            self._cache.popitem(last=False)


Key = tuple[int, bytes]  # (update_id, digest of the body)


class Inbox:
    """One bot's updates: received and not answered yet (with their bodies), and the keys of
    those answered within the last 24 hours (in memory, and in the file for after a restart).
    """

    def __init__(self, conn: sqlite3.Connection, writes: Writes, bot_id: int) -> None:
        self.conn = conn
        self.writes = writes
        self.bot_id = bot_id
        # Answered keys, packed (`_packed`), with when each was received, and the same keys
        # oldest first: about 140 bytes a key against 270 for an OrderedDict of tuples
        # (python -m benchmarks.inbox_memory), 28 MB against 53 at REMEMBERED keys.
        self._answered: dict[bytes, float] = {}
        self._order: deque[bytes] = deque()
        self._pending: dict[Key, float] = {}
        # Whether `_answered` holds every answered key of the window (else: ask the file).
        self._complete = True
        since = _now() - REDELIVERY_WINDOW
        for update_id, key_digest, at in conn.execute(
            "SELECT update_id, digest, received_at FROM inbox"
            " WHERE bot_id = ? AND answered = 1 AND received_at > ? ORDER BY received_at",
            (bot_id, since),
        ):
            self._remember((update_id, key_digest), at)

    def admit(self, update_id: int, body: str) -> Key | None:
        """Write a new update down (its body as received) and return its key; None when it
        is one this bot already has, answered or being answered (Telegram sent it again)."""
        key = (update_id, digest(body))
        now = _now()
        if key in self._pending or self._was_answered(key, now):
            return None
        self._pending[key] = now
        # A row still there from over 24 hours ago is another update with the same content
        # key (it cannot be a redelivery): it starts over as unanswered.
        self.writes.add(
            "INSERT INTO inbox (bot_id, update_id, digest, received_at, body) VALUES (?,?,?,?,?)"
            " ON CONFLICT (bot_id, update_id, digest) DO UPDATE SET"
            " received_at = excluded.received_at, body = excluded.body, answered = 0"
            " WHERE answered = 1",
            (self.bot_id, update_id, key[1], now, body),
        )
        return key

    def answered(self, key: Key) -> None:
        """Record that an update was answered and erase its body."""
        received = self._pending.pop(key, _now())
        self._remember(key, received)
        # At once, not with the next batch: the reply is out, and a crash before this is
        # written means answering again after the restart.
        self.writes.add(
            "UPDATE inbox SET body = NULL, answered = 1"
            " WHERE bot_id = ? AND update_id = ? AND digest = ?",
            (self.bot_id, key[0], key[1]),
            now=True,
        )

    def unanswered(self) -> list[str]:
        """This bot's updates received but not answered (it stopped in between), oldest first."""
        rows = self.conn.execute(
            "SELECT body FROM inbox WHERE bot_id = ? AND answered = 0 AND body IS NOT NULL"
            " ORDER BY received_at, update_id",
            (self.bot_id,),
        ).fetchall()
        return [row[0] for row in rows]

    def is_answered(self, update_id: int) -> bool:
        """Whether an update with this id was answered (any content; for tests)."""
        return any(_unpacked(packed)[0] == update_id for packed in self._answered)

    @property
    def pending(self) -> int:
        """Updates received and not answered yet, in this process."""
        return len(self._pending)

    def forget_old(self) -> None:
        """Forget answered updates received over 24 hours ago (Telegram never sends them
        again), in memory and in the file."""
        since = _now() - REDELIVERY_WINDOW
        while self._order and self._answered[self._order[0]] <= since:
            del self._answered[self._order.popleft()]
        self.writes.add(
            "DELETE FROM inbox WHERE bot_id = ? AND answered = 1 AND received_at <= ?",
            (self.bot_id, since),
        )

    def _remember(self, key: Key, at: float) -> None:
        packed = _packed(key)
        if packed not in self._answered:
            self._order.append(packed)
        self._answered[packed] = at
        if len(self._order) > REMEMBERED:
            del self._answered[self._order.popleft()]
            self._complete = False

    def _was_answered(self, key: Key, now: float) -> bool:
        at = self._answered.get(_packed(key))
        if at is None and not self._complete:
            row = self.conn.execute(
                "SELECT received_at FROM inbox WHERE bot_id = ? AND update_id = ?"
                " AND digest = ? AND answered = 1",
                (self.bot_id, key[0], key[1]),
            ).fetchone()
            at = row[0] if row else None
        return at is not None and now - at < REDELIVERY_WINDOW


# Words in a query that are, or may be, about the person rather than the specialty.
_CONTACT = re.compile(r"@|https?:|www\.|\w\.[^\W\d_]{2,}", re.IGNORECASE)
_NAME_CUES = frozenset(
    {"зовут", "звать", "имя", "фамилия", "name", "named", "атым", "есімім", "фамилиям"}
)
_NAME_ENDINGS = re.compile(
    r"(ов|ова|ев|ева|ин|ина|ский|ская|ович|евич|овна|евна|ұлы|қызы|uly|kyzy|ova|eva|ovich|ovna)$"
)
_SENTENCE_END = re.compile(r"[.!?]$")


def _name_like(word: str, sentence_start: bool, after_cue: bool) -> bool:
    if after_cue:
        return True
    capital = word[0].isupper()
    return capital and (not sentence_start or bool(_NAME_ENDINGS.search(word.lower())))


def loggable_words(text: str) -> str:
    """What the query log may keep of a query: the words the search compares (no filler,
    at most what the search reads), without any word with a digit (a phone, an IIN), an
    e-mail-like or web-address-like word, or a word that looks like a person's name: a
    capitalised word inside a sentence or in a surname or patronymic form, and the name
    after "меня зовут", "my name is", "атым", ... (up to a comma or the first lowercase
    word). Lowercase, on the search's Latin skeleton."""
    kept: list[str] = []
    sentence_start = True
    cue = False  # the word before was "зовут", "name", "атым", ...
    in_name = False  # inside a name given after such a word
    for token in text[:MAX_QUERY_CHARS].split():
        word = token.strip("\"'«»()[]{},;:.!?-")
        starts, sentence_start = sentence_start, bool(_SENTENCE_END.search(token))
        if not word:
            continue
        name = _name_like(word, starts, cue or (in_name and word[0].isupper()))
        in_name = (cue or in_name) and name and not token.endswith((",", ";", ".", "!", "?"))
        cue = word.lower() in _NAME_CUES
        if name or any(c.isdigit() for c in word) or _CONTACT.search(token):
            continue
        kept.append(word)
    return " ".join(meaningful_words(" ".join(kept))[:MAX_QUERY_WORDS])


class QueryLog:
    """What people asked and whether it matched, when the operator turned the log on:
    only `loggable_words` of each query, never who asked."""

    def __init__(self, conn: sqlite3.Connection, writes: Writes, enabled: bool) -> None:
        self.conn = conn
        self.writes = writes
        self.enabled = enabled

    def add(self, query: str, matched: bool) -> None:
        if not self.enabled:
            return
        words = loggable_words(query)
        if words:
            self.writes.add(
                "INSERT INTO query_log (query, matched, logged_at) VALUES (?, ?, ?)",
                (words, int(matched), _iso(_now())),
            )

    def misses(self, limit: int = 50) -> list[tuple[str, int]]:
        """Queries that found nothing, most frequent first."""
        return self.conn.execute(
            "SELECT query, count(*) AS n FROM query_log WHERE matched = 0"
            " GROUP BY query ORDER BY n DESC, query LIMIT ?",
            (limit,),
        ).fetchall()


class Heartbeat:
    """When the bot last heard from Telegram, for `mamandyq health`: written at most every
    `HEARTBEAT_EVERY` seconds, so that it costs nothing per update."""

    def __init__(self, writes: Writes) -> None:
        self.writes = writes
        self._written: dict[str, float] = {}

    def beat(self, source: str) -> None:
        now = _now()
        if now - self._written.get(source, 0.0) < HEARTBEAT_EVERY:
            return
        self._written[source] = now
        self.writes.add(
            "INSERT INTO heartbeat (source, at) VALUES (?, ?)"
            " ON CONFLICT (source) DO UPDATE SET at = excluded.at",
            (source, now),
        )


def last_heartbeat(path: Path) -> float | None:
    """The time (Unix seconds) the bot whose state is at `path` last heard from Telegram;
    None if it never did. Read-only: never creates or changes the file."""
    if not path.is_file():
        raise StateError(f"no state database at {path} (has the bot run?)")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT max(at) FROM heartbeat").fetchone()
    except sqlite3.Error as error:
        raise StateError(f"cannot read the heartbeat in {path}: {error}") from None
    return row[0] if row else None


def _private(path: Path) -> None:
    """Create `path` for its owner only if it is missing; take group and other permissions
    off it and its -wal and -shm files (SQLite gives those the database's mode)."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077:
                file.chmod(mode & 0o700)


def _open(path: Path) -> sqlite3.Connection:
    """The state database's connection, or a StateError in one line saying why not."""
    if path.is_dir():
        raise StateError(f"the state database {path} is a directory, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _private(path)
    except OSError as error:
        raise StateError(f"cannot create the state database {path}: {error.strerror}") from None
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as error:
        raise StateError(f"cannot open the state database {path}: {_why(error)}") from None
    return conn


def _why(error: sqlite3.Error) -> str:
    text = str(error)
    if "not a database" in text or "malformed" in text:
        return f"{text} (a corrupt file, or not a mamandyq state database)"
    if "readonly" in text or "unable to open" in text:
        return f"{text} (the file or its directory is not writable for this user)"
    return text


class State:
    """The state database: one connection, shared by the four stores.

    `bot_id` (the token's id) keys the inbox: bots sharing a file keep apart.
    """

    def __init__(
        self,
        path: Path,
        log_queries: bool = False,
        bot_id: int = 0,
        give_up_after: float = GIVE_UP_SECONDS,
    ) -> None:
        self.path = path
        self.conn = _open(path)
        try:
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # The bot writes near the end of the inbox and reads little: 256 KB of page
            # cache, not SQLite's default 2 MB, which a day of updates fills (measured: peak
            # RSS under `benchmarks.load` 2 MB lower, python -m benchmarks.load).
            self.conn.execute("PRAGMA cache_size=-256")
            # Overwrite erased content (an answered update's body) instead of leaving it in
            # free space; SQLite's default is off unless the build says otherwise.
            self.conn.execute("PRAGMA secure_delete=ON")
            # Checkpoints happen off the event loop (`checkpoint`), not inside a commit.
            self.conn.execute("PRAGMA wal_autocheckpoint=0")
            self._migrate(bot_id)
        except sqlite3.Error as error:
            self.conn.close()
            raise StateError(f"cannot use the state database {path}: {_why(error)}") from None
        _private(path)
        self.writes = Writes(self.conn, give_up_after)
        self.choices = Choices(self.conn, self.writes)
        self.inbox = Inbox(self.conn, self.writes, bot_id)
        self.queries = QueryLog(self.conn, self.writes, log_queries)
        self.heartbeat = Heartbeat(self.writes)
        self.checkpointed = self.writes.written
        self.truncated = True

    def use_bot(self, bot_id: int) -> Inbox:
        """The inbox of the bot with this id (from its token), from now on `self.inbox`."""
        if self.inbox.bot_id != bot_id:
            self.inbox = Inbox(self.conn, self.writes, bot_id)
        return self.inbox

    def _migrate(self, bot_id: int) -> None:
        """Create the schema; bring a file from an older mamandyq up to date. The old inbox
        knew ids only: its unanswered updates are kept for this bot, its answered ids and the
        old query log (which could hold names) are dropped."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            self._probe_write(version)
            return
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(inbox)")}
        self.conn.execute("BEGIN IMMEDIATE")
        if columns and "bot_id" not in columns:
            self.conn.execute("ALTER TABLE inbox RENAME TO inbox_v1")
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                self.conn.execute(statement)
        if columns and "bot_id" not in columns:
            old = self.conn.execute(
                "SELECT update_id, body FROM inbox_v1 WHERE answered = 0 AND body IS NOT NULL"
            ).fetchall()
            self.conn.executemany(
                "INSERT OR IGNORE INTO inbox (bot_id, update_id, digest, received_at, body)"
                " VALUES (?, ?, ?, ?, ?)",
                [(bot_id, i, digest(b), _now(), b) for i, b in old],
            )
            self.conn.execute("DROP TABLE inbox_v1")
            self.conn.execute("DELETE FROM query_log")
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.conn.execute("COMMIT")

    def _probe_write(self, version: int) -> None:
        """Fail now, in one line, if SQLite opened the file read-only (it does so quietly);
        a lock held by another process is not a reason to refuse to start."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return
            raise
        try:
            self.conn.execute(f"PRAGMA user_version = {version}")
        finally:
            self.conn.execute("ROLLBACK")

    def checkpoint(self) -> None:
        """Bring the write-ahead log into the database, the way that fits the moment: while
        writes keep coming, PASSIVE (it never makes a write wait: the log is then reused from
        its start, overwriting old frames); once they stop, TRUNCATE, so that erased content
        (answered updates' bodies) does not linger in the log. Uses its own connection: safe
        to call from another thread."""
        written = self.writes.written
        if written == self.checkpointed and self.truncated:
            return
        idle = written == self.checkpointed
        self.checkpointed, self.truncated = written, idle
        with contextlib.closing(sqlite3.connect(self.path, timeout=2)) as conn:
            conn.execute(f"PRAGMA wal_checkpoint({'TRUNCATE' if idle else 'PASSIVE'})")

    def close(self) -> None:
        """Write what is queued (if SQLite takes it), checkpoint, close."""
        self.writes.try_now()
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
