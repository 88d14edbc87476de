"""The pure parts of bot.handlers."""

from __future__ import annotations

import copy
import pickle

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers import keyboard
from bot.reply import Button


def test_a_keyboard_is_sent_as_ptb_would_send_it_and_worked_out_once() -> None:
    buttons = (
        (Button("Сайт", url="https://adilet.zan.kz/kaz/docs/V25KR000000"),),
        (Button("Бөлісу", switch_inline="аспаз"),),
    )
    markup = keyboard(buttons)
    assert markup is not None
    plain = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Сайт", url="https://adilet.zan.kz/kaz/docs/V25KR000000")],
            [InlineKeyboardButton("Бөлісу", switch_inline_query="аспаз")],
        ]
    )
    assert markup == plain and hash(markup) == hash(plain)
    assert markup.to_dict() == plain.to_dict()
    assert markup.to_dict() is markup.to_dict()
    assert keyboard(()) is None
    # Copied or unpickled, before or after its first send, it is still its buttons.
    fresh = keyboard(((Button("Аспаз", switch_inline="аспаз"),),))
    assert fresh is not None
    for copied in (pickle.loads(pickle.dumps(fresh)), copy.deepcopy(markup)):
        assert copied.to_dict()["inline_keyboard"]
    assert pickle.loads(pickle.dumps(fresh)).to_dict() == fresh.to_dict()
