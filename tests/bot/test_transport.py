"""How requests and answers travel: the pure parts of bot.transport."""

from __future__ import annotations

import json

from bot.transport import JsonRequest, split_updates

SENT = {
    "message_id": 7,
    "date": 1754438400,
    "chat": {"id": 42, "type": "private", "first_name": "Aru"},
    "text": "Дәнекерлеу ісі",
    "reply_markup": {"inline_keyboard": [[{"text": "Келесі", "callback_data": "p:1"}]]},
}


def test_a_sent_message_comes_back_without_the_buttons_and_nothing_else_changes() -> None:
    payload = json.dumps({"ok": True, "result": SENT}, ensure_ascii=False).encode()
    data = JsonRequest.parse_json_payload(payload)
    assert data["ok"] is True
    assert "reply_markup" not in data["result"]
    assert data["result"] == {k: v for k, v in SENT.items() if k != "reply_markup"}


def test_answers_that_are_not_a_message_are_parsed_as_they_are() -> None:
    for body in ({"ok": True, "result": True}, {"ok": True, "result": [SENT]}, {"ok": False}):
        assert JsonRequest.parse_json_payload(json.dumps(body).encode()) == body


def test_split_updates_keeps_each_update_exactly_as_sent() -> None:
    first = '{"update_id": 5, "message": {"text": "сварщик"}}'
    second = '{"update_id":6,"message":{"text":"\\u0430\\u0441\\u043f\\u0430\\u0437"}}'
    parsed = split_updates(f'{{"ok":true,"result":[{first}, {second}]}}')
    assert parsed is not None
    data, bodies = parsed
    assert bodies == [first, second]
    assert [u["update_id"] for u in data["result"]] == [5, 6]
    assert data["result"][1]["message"]["text"] == "аспаз"


def test_split_updates_leaves_any_other_shape_to_the_ordinary_parser() -> None:
    assert split_updates('{"ok":true,"result":[]}') == ({"ok": True, "result": []}, [])
    for text in ('{"ok":false,"error_code":409}', '{"ok":true,"result":[{"update_id":1}]', ""):
        assert split_updates(text) is None
