"""`mamandyq chat`: the bot's conversation in a terminal, no token and no network.

It calls the same `Answers` as the Telegram handlers, shows their HTML as plain text and
numbers the buttons: type a number to press one. Files and charts are written to the
current directory and their paths shown.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot import charts
from bot.answers import Answers, Asker
from bot.cards import plain_text
from bot.i18n import pick_language
from bot.reply import Reply
from store.limits import strip_controls


def plain(text: str) -> str:
    """Telegram HTML as terminal text: tags dropped, entities decoded, and no control
    characters (an ESC or BEL from a decree or a query must not reach the terminal)."""
    return strip_controls(plain_text(text))


def terminal(text: str) -> str:
    """Any text for the terminal, without control characters (newlines kept)."""
    return strip_controls(text)


class Console:
    """One person chatting; keeps the last buttons so a number can press them."""

    def __init__(
        self, answers: Answers, language: str | None, out: TextIO, files: Path | None = None
    ) -> None:
        self.answers = answers
        self.asker = Asker(language=pick_language(language, None))
        self.out = out
        self.files = files or Path()
        self.buttons: list[str] = []

    def show(self, reply: Reply) -> None:
        self.buttons = []
        if reply.document:
            path = self.files / reply.document.filename
            path.write_bytes(reply.document.content)
            self.out.write(f"{plain(reply.text)}\n[{terminal(str(path.resolve()))}]\n")
            return
        if reply.photo:
            path = self.files / f"mamandyq-{reply.photo.name}-{reply.photo.language}.png"
            path.write_bytes(charts.render(reply.photo))
            self.out.write(f"[{path.resolve()}]\n")
        self.out.write(plain(reply.text) + "\n")
        for row in reply.buttons:
            for button in row:
                if button.data:
                    self.buttons.append(button.data)
                    self.out.write(f"  [{len(self.buttons)}] {terminal(button.text)}\n")
                elif button.url:
                    self.out.write(f"  ({terminal(button.text)}: {terminal(button.url)})\n")
        self.out.write("\n")

    def handle(self, line: str) -> None:
        """Answer one line: a command, a button number, or a search."""
        line = line.strip()
        if not line:
            return
        pressed = line.isdigit() and not line.startswith("0") and len(line) <= 2  # not a code
        if pressed and 1 <= int(line) <= len(self.buttons):
            reply = self.answers.press(self.asker, self.buttons[int(line) - 1])
        elif line.startswith("/"):
            name, *args = line[1:].split() or [""]
            reply = self.answers.command(self.asker, name, args) or self.answers.help(self.asker)
        else:
            reply = self.answers.search(self.asker, line)
        if reply is not None:
            if reply.choice and reply.choice.language:
                self.asker = replace(self.asker, language=reply.choice.language)
            if reply.choice and reply.choice.decree_id:
                self.asker = replace(self.asker, decree_id=reply.choice.decree_id)
            self.show(reply)


def chat(
    answers: Answers, language: str | None, source: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    """Read lines until end of input; greet first when talking to a person."""
    console = Console(answers, language, out)
    interactive = source.isatty()
    if interactive:
        console.show(answers.start(console.asker))
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = source.readline()
        if not line:
            break
        console.handle(line)
