"""Cutting Telegram HTML to fit a message: every piece parses as Telegram parses it (the
fake Bot API's parser), fits, and together they keep all the text."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.handlers import split_text
from bot.html_pieces import MORE, shorten_html, split_html, utf16_len, visible_length
from tests.fakes.bot_api import parse_html

TAGS = ["b", "i", "u", "s", "code", 'a href="https://t.me/mamandyq_bot?start=s1&amp;x=2"']


def parsed(piece: str) -> str:
    text, problem = parse_html(piece)
    assert problem is None, (problem, piece)
    return text


def squeezed(text: str) -> str:
    return "".join(text.split())


def check_pieces(text: str, pieces: list[str], limit: int) -> None:
    for piece in pieces:
        shown = parsed(piece)
        assert shown.strip(), piece
        assert utf16_len(shown) <= limit
    # Only the spacing at a cut is dropped.
    assert squeezed("".join(parsed(p) for p in pieces)) == squeezed(parsed(text))


words = st.text(
    alphabet=st.sampled_from(list("абвгдеәіңқөұүһ xyz&<>\"'\n🎓ℹ️́0123")), min_size=0, max_size=60
)


@st.composite
def telegram_html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            parts.append(f"<{tag}>{draw(telegram_html(depth + 1))}</{tag.split()[0]}>")
        else:
            parts.append(html.escape(draw(words), quote=False))
        parts.append(draw(st.sampled_from(["", " ", "\n", "\n\n"])))
    return "".join(parts)


@given(telegram_html(), st.integers(2, 120))
def test_every_piece_parses_and_fits(text: str, limit: int) -> None:
    if not parsed(text).strip():
        return
    check_pieces(text, split_html(text, limit), limit)


@given(telegram_html(), st.integers(3, 120))
def test_a_shortened_text_parses_fits_and_says_it_goes_on(text: str, limit: int) -> None:
    if not parsed(text).strip():
        return
    short = shorten_html(text, limit)
    shown = parsed(short)
    assert utf16_len(shown) <= limit
    if visible_length(text) <= limit:
        assert short == text
    else:
        assert shown.endswith(MORE)
        assert squeezed(parsed(text)).startswith(squeezed(shown.removesuffix(MORE)))


LONG_NAME = "Баспа & қаптама ісі " * 300  # 6 000 characters, 6 900 once "&" is escaped


def card(name: str) -> str:
    """A card as bot/cards.py writes one: a bold name, then paragraphs."""
    return (
        f"<b>{html.escape(name)}</b>\n<i>Translation</i>\n\n"
        "Workers' qualifications · code 07150500\nState-funded places: 447\n\n"
        '<a href="https://t.me/mamandyq_bot?start=sf40e96e">link</a>'
    )


def test_a_card_with_a_name_longer_than_a_message_is_split_into_valid_html() -> None:
    """Before: the name was cut mid-tag (and mid-&amp;), and Telegram refused the card."""
    text = card(LONG_NAME)
    assert len(text) > 4096
    pieces = split_text(text)
    assert len(pieces) == 2
    check_pieces(text, pieces, 4096)
    assert pieces[0].startswith("<b>") and pieces[0].endswith("</b>")
    assert pieces[1].startswith("<b>")


def test_a_long_card_shortened_for_an_edit_or_inline_result() -> None:
    short = shorten_html(card(LONG_NAME))
    shown = parsed(short)
    assert utf16_len(shown) <= 4096 and shown.endswith(MORE)


@pytest.mark.parametrize(
    "text",
    [
        "short <b>card</b>",
        "a\n\nb",
        "x" * 4096,
        "<b>" + "&amp;" * 4096 + "</b>",  # 4 096 characters once parsed: it fits
    ],
)
def test_what_fits_is_left_alone(text: str) -> None:
    assert split_text(text) == [text] and shorten_html(text) == text


def test_cuts_prefer_paragraphs_then_lines_then_spaces() -> None:
    assert split_html("aaaa bbbb\ncccc\n\ndddd eeee", 18) == ["aaaa bbbb\ncccc", "dddd eeee"]
    assert split_html("aaaa bbbb\ncccc dddd", 16) == ["aaaa bbbb", "cccc dddd"]
    assert split_html("aaaa bbbb cccc", 10) == ["aaaa bbbb", "cccc"]
    assert split_html("abcdefgh", 3) == ["abc", "def", "gh"]


def test_an_entity_and_an_emoji_are_never_cut() -> None:
    assert split_html("&amp;&lt;&gt;", 2) == ["&amp;&lt;", "&gt;"]
    assert split_html("ab🎓cd", 3) == ["ab", "🎓c", "d"]
    assert split_html("ab\u2139\ufe0fcd", 3) == ["ab", "\u2139\ufe0fc", "d"]


def test_tags_open_at_a_cut_are_closed_and_opened_again() -> None:
    pieces = split_html('<b>bold <a href="x">link text</a> end</b>', 9)
    assert pieces == ['<b>bold <a href="x">link</a></b>', '<b><a href="x">text</a> end</b>']
