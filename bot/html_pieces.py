"""Telegram HTML cut to fit a message, never inside a tag or an entity.

Telegram refuses a message whose HTML does not parse (a `<b>` left open, half of an
`&amp;`), and one with more than 4096 characters of text after parsing. `split_html`
cuts a text into pieces that each parse and fit: at the last paragraph break that fits,
else a line break, else a space, else between two characters (not before a combining
mark); every tag open at a cut is closed before it and opened again after it.
`shorten_html` keeps the first piece and says the text goes on ("…"), for the places
that can carry one message only (an edited message, an inline result).

Lengths are counted in UTF-16 code units of the visible text, never fewer than
Telegram's count. Pure functions of strings; the input is HTML as the bot writes it
(tags balanced, `&`, `<`, `>` escaped).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

LIMIT = 4096
MORE = "…"

_PIECE = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);|.", re.DOTALL)
_NAME = re.compile(r"</?\s*([^\s>/]+)")
_ZERO_WIDTH_JOINERS = frozenset("\u200d\ufe0e\ufe0f")


@dataclass(frozen=True)
class _Atom:
    """A tag, an entity or one character: the text between atoms is where a cut may go."""

    raw: str
    visible: str
    opens: str | None = None
    closes: str | None = None

    @property
    def units(self) -> int:
        return utf16_len(self.visible)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _atom(raw: str) -> _Atom:
    if raw.startswith("<") and len(raw) > 1:
        match = _NAME.match(raw)
        name = match.group(1).lower() if match else ""
        return _Atom(raw, "", closes=name) if raw.startswith("</") else _Atom(raw, "", opens=name)
    if raw.startswith("&") and len(raw) > 1:
        return _Atom(raw, html.unescape(raw))
    return _Atom(raw, raw)


def _atoms(text: str) -> list[_Atom]:
    return [_atom(match.group()) for match in _PIECE.finditer(text)]


def visible_length(text: str) -> int:
    """What Telegram counts of `text`: its characters once tags and entities are parsed."""
    return sum(atom.units for atom in _atoms(text))


def _joins_previous(atom: _Atom) -> bool:
    """A mark, variation selector or joiner belongs with the character before it."""
    char = atom.visible[:1]
    return bool(char) and (unicodedata.combining(char) > 0 or char in _ZERO_WIDTH_JOINERS)


def _cut(atoms: list[_Atom], start: int, limit: int) -> int:
    """Where the piece starting at `start` ends: the best place before `limit` units."""
    used = 0
    breaks: dict[str, int] = {}
    for i in range(start, len(atoms)):
        atom = atoms[i]
        if atom.visible in ("\n", " ") and used:
            newline = atom.visible == "\n"
            if newline and i + 1 < len(atoms) and atoms[i + 1].visible == "\n":
                breaks["paragraph"] = i
            breaks["line" if newline else "space"] = i
        if used + atom.units > limit:
            return _best(breaks, atoms, start, i)
        used += atom.units
    return len(atoms)


def _best(breaks: dict[str, int], atoms: list[_Atom], start: int, over: int) -> int:
    for kind in ("paragraph", "line", "space"):
        if kind in breaks:
            return breaks[kind]
    cut = over
    while cut - 1 > start and _joins_previous(atoms[cut]):
        cut -= 1
    return cut


def _stack_after(atoms: list[_Atom], stack: list[_Atom]) -> list[_Atom]:
    """The start tags still open after `atoms`, given those open before them."""
    stack = list(stack)
    for atom in atoms:
        if atom.opens:
            stack.append(atom)
        elif atom.closes and stack and stack[-1].opens == atom.closes:
            stack.pop()
    return stack


def _render(atoms: list[_Atom], opened: list[_Atom], closing: list[_Atom]) -> str:
    """The piece: tags open before it opened again, its atoms, open tags closed."""
    return (
        "".join(a.raw for a in opened)
        + "".join(a.raw for a in atoms)
        + "".join(f"</{a.opens}>" for a in reversed(closing))
    )


def _skip_spacing(atoms: list[_Atom], index: int) -> int:
    """Past the spaces and newlines at a cut (tags there are kept)."""
    while index < len(atoms) and atoms[index].visible in ("\n", " "):
        index += 1
    return index


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """`text` as pieces of at most `limit` visible units that each parse as Telegram HTML;
    spacing at a cut is dropped, nothing else."""
    if utf16_len(text) <= limit:  # what is visible is never longer than the markup
        return [text]
    atoms = _atoms(text)
    if sum(a.units for a in atoms) <= limit:
        return [text]
    pieces: list[str] = []
    start, opened = 0, []
    while start < len(atoms):
        end = max(_cut(atoms, start, limit), start + 1)
        body = atoms[start:end]
        closing = _stack_after(body, opened)
        if any(a.visible.strip() for a in body):  # not just tags and spacing at the end
            pieces.append(_render(body, opened, closing))
        start, opened = _skip_spacing(atoms, end), closing
    return pieces or [text]


def shorten_html(text: str, limit: int = LIMIT, more: str = MORE) -> str:
    """`text` if it fits; else as much as fits, cut as `split_html` cuts, then `more`."""
    if utf16_len(text) <= limit or visible_length(text) <= limit:
        return text
    return split_html(text, limit - utf16_len(more))[0] + more
