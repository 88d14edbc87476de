"""What the bot remembers, in its own SQLite file beside the data database.

Kept apart from the data so that ingesting a decree (which replaces the data file whole)
never touches anyone's settings. Three small stores share one connection: the users'
choices, the update inbox (`bot.reliability` uses it to answer each update once), and the
optional query log, which is off unless asked for and never stores who asked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.reply import Choice

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    language TEXT,
    decree_id TEXT
);
-- An update's content is kept only until it is answered; then only its id.
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY,
    body TEXT,
    answered INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS query_log (
    query TEXT NOT NULL,
    matched INTEGER NOT NULL,
    logged_at TEXT NOT NULL
);
"""
PRUNE_EVERY = 1000  # update ids between clean-ups of the inbox


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Choices:
    """Each user's language and decree choice: the only thing kept per user."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def of(self, user_id: int) -> Choice:
        row = self.conn.execute(
            "SELECT language, decree_id FROM users WHERE user_id = ?", (user_id,)
        ).fetchone()
        return Choice(row[0], row[1]) if row else Choice()

    def save(self, user_id: int, choice: Choice) -> None:
        """Store what the user chose, keeping what they chose before for the rest."""
        self.conn.execute(
            """
            INSERT INTO users (user_id, language, decree_id) VALUES (?, ?, ?)
            ON CONFLICT(user_id) DO UPDATE SET
                language = coalesce(excluded.language, language),
                decree_id = coalesce(excluded.decree_id, decree_id)
            """,
            (user_id, choice.language, choice.decree_id),
        )


class Inbox:
    """Updates received and not yet answered, and the ids of those answered."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def receive(self, updates: Iterable[tuple[int, str]]) -> None:
        """Write fetched updates down (id, JSON) before they are confirmed to Telegram."""
        now = _now()
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)",
                [(update_id, body, now) for update_id, body in updates],
            )

    def is_handled(self, update_id: int) -> bool:
        row = self.conn.execute(
            "SELECT answered FROM inbox WHERE update_id = ?", (update_id,)
        ).fetchone()
        return bool(row and row[0])

    def mark_handled(self, update_id: int) -> None:
        """Record that an update was answered and erase its content."""
        if update_id % PRUNE_EVERY == 0:
            self.forget_handled()
        self.conn.execute(
            "INSERT INTO inbox (update_id, body, answered, received_at) VALUES (?, NULL, 1, ?)"
            " ON CONFLICT(update_id) DO UPDATE SET body = NULL, answered = 1",
            (update_id, _now()),
        )

    def unanswered(self) -> list[str]:
        """Updates fetched but not answered (the process stopped in between), oldest first."""
        rows = self.conn.execute(
            "SELECT body FROM inbox WHERE answered = 0 AND body IS NOT NULL ORDER BY update_id"
        ).fetchall()
        return [row[0] for row in rows]

    def forget_handled(self, keep: int = 10_000) -> None:
        """Keep the record small: only the most recent update ids matter."""
        self.conn.execute(
            "DELETE FROM inbox WHERE answered = 1 AND update_id NOT IN"
            " (SELECT update_id FROM inbox ORDER BY update_id DESC LIMIT ?)",
            (keep,),
        )


class QueryLog:
    """Normalised queries and whether they matched, when the operator turned the log on."""

    def __init__(self, conn: sqlite3.Connection, enabled: bool) -> None:
        self.conn = conn
        self.enabled = enabled

    def add(self, normalised_query: str, matched: bool) -> None:
        if self.enabled and normalised_query:
            self.conn.execute(
                "INSERT INTO query_log (query, matched, logged_at) VALUES (?, ?, ?)",
                (normalised_query[:200], int(matched), _now()),
            )

    def misses(self, limit: int = 50) -> list[tuple[str, int]]:
        """Queries that found nothing, most frequent first."""
        return self.conn.execute(
            "SELECT query, count(*) AS n FROM query_log WHERE matched = 0"
            " GROUP BY query ORDER BY n DESC, query LIMIT ?",
            (limit,),
        ).fetchall()


class State:
    """The state database: one connection, shared by the three stores."""

    def __init__(self, path: Path, log_queries: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        # Overwrite erased content (an answered update's body) instead of leaving it in free
        # space; SQLite's default is off unless the build says otherwise.
        self.conn.execute("PRAGMA secure_delete=ON")
        self.conn.executescript(SCHEMA)
        self.choices = Choices(self.conn)
        self.inbox = Inbox(self.conn)
        self.queries = QueryLog(self.conn, log_queries)

    def close(self) -> None:
        self.conn.close()
