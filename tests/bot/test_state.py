"""The inbox remembers what was answered, exactly per update, within Telegram's 24 hours of
redelivery: in memory while it fits, in the file past that and after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import state as state_module
from bot.state import State


def body(update_id: int, text: str = "сварщик") -> str:
    return f'{{"update_id": {update_id}, "message": {{"text": "{text}"}}}}'


def answer(state: State, update_id: int, text: str = "сварщик") -> None:
    key = state.inbox.admit(update_id, body(update_id, text))
    assert key is not None
    state.inbox.answered(key)
    state.writes.try_now()


def test_a_redelivered_update_is_refused_and_a_new_one_with_its_id_is_not(
    tmp_path: Path,
) -> None:
    state = State(tmp_path / "state.db", bot_id=1)
    answer(state, 7)
    assert state.inbox.admit(7, body(7)) is None  # Telegram sent it again
    assert state.inbox.admit(7, body(7, "повар")) is not None  # ids started over
    assert state.inbox.is_answered(7)
    state.close()


def test_past_what_memory_holds_the_file_still_knows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_module, "REMEMBERED", 3)
    state = State(tmp_path / "state.db", bot_id=1)
    for update_id in range(1, 6):
        answer(state, update_id)
    assert not state.inbox.is_answered(1)  # not in memory any more
    assert state.inbox.admit(1, body(1)) is None  # but the file says it was answered
    assert state.inbox.admit(6, body(6)) is not None
    state.close()


def test_a_restart_remembers_what_was_answered(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = State(path, bot_id=1)
    answer(first, 3)
    first.close()
    second = State(path, bot_id=1)
    assert second.inbox.admit(3, body(3)) is None
    second.close()


def test_after_a_day_an_update_id_and_body_are_a_new_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(state_module, "_now", lambda: now[0])
    state = State(tmp_path / "state.db", bot_id=1)
    answer(state, 1)
    now[0] += 3600
    answer(state, 2)
    now[0] += state_module.REDELIVERY_WINDOW - 1800  # 1 is 24.5 hours old, 2 is 23.5
    state.inbox.forget_old()
    assert not state.inbox.is_answered(1)
    assert state.inbox.is_answered(2)
    assert state.inbox.admit(1, body(1)) is not None
    assert state.inbox.admit(2, body(2)) is None
    state.close()
