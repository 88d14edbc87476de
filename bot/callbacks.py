"""What a button carries: one small frozen type per button kind, one encode/decode pair.

Callback data is "<prefix>:<field>:<field>...", ASCII and far under Telegram's 64 bytes;
trailing optional fields are left out. Anything that does not decode (old, forged or
cut data) is None, which the bot answers with a polite "out of date".
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, fields
from functools import cache
from typing import ClassVar

MAX_DATA_BYTES = 64


class Callback:
    """A button's data. Subclasses are frozen dataclasses with a unique PREFIX."""

    PREFIX: ClassVar[str]

    def encode(self) -> str:
        values = [getattr(self, f.name) for f in fields(self)]  # type: ignore[arg-type]
        while values and values[-1] is None:
            values.pop()
        data = ":".join([self.PREFIX, *map(str, values)])
        if len(data.encode()) > MAX_DATA_BYTES or not data.isascii():
            raise ValueError(f"callback data too long or not ASCII: {data!r}")
        return data


ID_SEPARATOR = "."


def join_ids(ids: list[str] | tuple[str, ...]) -> str:
    return ID_SEPARATOR.join(ids)


def split_ids(ids: str) -> list[str]:
    return [i for i in ids.split(ID_SEPARATOR) if i]


@dataclass(frozen=True)
class Nothing(Callback):
    """Old messages' page counter ("1/2"): the bot no longer makes such a button, and
    pressing an old one says nothing."""

    PREFIX = "n"


@dataclass(frozen=True)
class Card(Callback):
    """Open a specialty's card; from a field's page, with a way back to that page."""

    PREFIX = "c"
    specialty_id: str
    field: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class FieldPage(Callback):
    """A page of a field of education's specialties."""

    PREFIX = "f"
    code: str
    page: int


@dataclass(frozen=True)
class Browse(Callback):
    """A page of the list of fields of education."""

    PREFIX = "b"
    page: int


@dataclass(frozen=True)
class Top(Callback):
    """The specialties with the most places."""

    PREFIX = "t"


@dataclass(frozen=True)
class TopCard(Callback):
    """A card opened from the top list, with a way back to it."""

    PREFIX = "tc"
    specialty_id: str


@dataclass(frozen=True)
class Pick(Callback):
    """A choice list ("which one do you mean?") of these specialties."""

    PREFIX = "p"
    ids: str


@dataclass(frozen=True)
class PickCard(Callback):
    """A card opened from a choice list, with a way back to it."""

    PREFIX = "pc"
    specialty_id: str
    ids: str


@dataclass(frozen=True)
class Compare(Callback):
    """Two or three specialties side by side."""

    PREFIX = "v"
    ids: str


@dataclass(frozen=True)
class CompareCard(Callback):
    """A card opened from a comparison, with a way back to it."""

    PREFIX = "vc"
    specialty_id: str
    ids: str


@dataclass(frozen=True)
class Language(Callback):
    PREFIX = "l"
    language: str


@dataclass(frozen=True)
class Region(Callback):
    """Choose a decree (region and year)."""

    PREFIX = "r"
    decree_id: str


KINDS: tuple[type[Callback], ...] = (
    Nothing,
    Card,
    FieldPage,
    Browse,
    Top,
    TopCard,
    Pick,
    PickCard,
    Compare,
    CompareCard,
    Language,
    Region,
)
_BY_PREFIX = {kind.PREFIX: kind for kind in KINDS}


@cache
def _field_types(kind: type[Callback]) -> list[tuple[str, type, bool]]:
    """(name, int or str, required) for each field of a callback kind."""
    hints = typing.get_type_hints(kind)
    found = []
    for f in fields(kind):  # type: ignore[arg-type]
        hint = hints[f.name]
        optional = type(None) in typing.get_args(hint)
        base = int if hint is int or int in typing.get_args(hint) else str
        found.append((f.name, base, not optional))
    return found


def decode(data: str) -> Callback | None:
    """The callback a button's data stands for; None when it is not one of ours."""
    prefix, *parts = data.split(":")
    kind = _BY_PREFIX.get(prefix)
    if kind is None:
        return None
    spec = _field_types(kind)
    required = sum(1 for _, _, needed in spec if needed)
    if not required <= len(parts) <= len(spec) or any(not p or not p.isascii() for p in parts):
        return None
    values = {}
    for (name, base, _), part in zip(spec, parts, strict=False):
        if base is int:
            if not part.isdigit():
                return None
            values[name] = int(part)
        else:
            values[name] = part
    return kind(**values)
