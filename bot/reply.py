"""What the bot says, independent of any medium: a message, its buttons, a file or a chart,
and any setting the answer changes. Telegram (`bot.handlers`) and the console
(`bot.console`) only translate these."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import Callback
from bot.charts import Chart


@dataclass(frozen=True)
class Button:
    """An inline button: a callback, a URL, or a switch to inline mode."""

    text: str
    callback: Callback | None = None
    url: str | None = None
    switch_inline: str | None = None

    @property
    def data(self) -> str | None:
        return self.callback.encode() if self.callback else None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str


@dataclass(frozen=True)
class Choice:
    """A setting the user chose with this answer; the caller stores it."""

    language: str | None = None
    decree_id: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message: HTML text, rows of buttons, optionally a file; `edit` replaces the
    message the pressed button belongs to instead of sending a new one. With a `photo`
    (a chart), the text is its caption, or follows it when too long for one."""

    text: str
    buttons: Keyboard = ()
    document: Document | None = None
    photo: Chart | None = None
    edit: bool = False
    # False when a search found nothing in the decree (for the optional query log).
    found: bool = True
    choice: Choice | None = None


@dataclass(frozen=True)
class InlineCard:
    """One result of inline mode: a title, a one-line summary, and the card to send."""

    id: str
    title: str
    description: str
    text: str
