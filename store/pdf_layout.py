"""The geometry of a decree table, from the characters on a page: pure functions.

Nothing here assumes one layout. Text lines are characters on one baseline; columns are
found where the body's text leaves white gaps running down the page (or where vertical
rules stand), and named by what they hold (the 7-8 digit codes, the row numbers left of
them, the three number columns at the right); rows are the codes, and every other line of
a column is given to a row by its order and, for names, by how a name begins (a capital
letter) — so a name whose lines stand above a bottom-aligned or centred number is that
number's name. Whether a line break cut a word is decided by the line's width against
its column's: only a line of one word that fills the column was cut.

Characters are pdfplumber's dicts (text, x0, x1, top, bottom, size).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from statistics import median
from typing import Any

from store.names import cannot_start_a_word, close_letter_spacing

Char = dict[str, Any]

CODE = re.compile(r"^\d{7,8}$")
ROW_NUMBER = re.compile(r"^\d{1,3}$")
# The number columns: seats, city costs, rural costs (after the name).
NUMBER_COLUMNS = 3


@dataclass
class Line:
    """Characters on one baseline, left to right; never changed once made, so what is
    derived from them is computed once (a page's lines are asked again and again)."""

    chars: list[Char]
    # `segments` of this line, by gap (asked for again and again while a page is read).
    pieces: dict[float, list[tuple[float, float, str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @cached_property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @cached_property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property
    def size(self) -> float:
        return median(c.get("size") or 9.0 for c in self.chars)

    @cached_property
    def text(self) -> str:
        return line_text(self.chars)

    @cached_property
    def spaced(self) -> bool:
        """Letter-spaced: drawn with gaps between letters (a word stretched to the width),
        widely ("т ү р л е р і") or slightly (a justified line of one long word)."""
        if re.search(r"(?:^|  )\S(?: \S){2,}(?:  |$)", self.text):
            return True
        visible = [c for c in self.chars if c["text"].strip()]
        gaps = sorted(b["x0"] - a["x1"] for a, b in pairwise(visible))
        return len(gaps) >= 3 and gaps[len(gaps) // 2] > 0.08 * self.size


def char_size(char: Char) -> float:
    return char.get("size") or 9.0


def line_text(chars: Sequence[Char]) -> str:
    """A line's text in the readers' convention: one space between the letters of a
    letter-spaced word, two between words (see `store.names`).

    Letter spacing is judged within the line: a run of single letters standing apart is a
    stretched word, and only a gap clearly wider than the run's own is a word break in it
    ("т і л  м е н"), however wide the stretching."""
    tokens = _tokens_of(chars)
    if not tokens:
        return ""
    out = [tokens[0][0]]
    runs = _letter_runs(tokens)
    for i in range(1, len(tokens)):
        gap = tokens[i][1] - tokens[i - 1][2]
        same_run = runs[i] is not None and runs[i] == runs[i - 1]
        out.append(" " if same_run and gap <= runs[i] else "  ")
        out.append(tokens[i][0])
    return "".join(out).strip()


def _tokens_of(chars: Sequence[Char]) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of the runs of characters between spaces or visible gaps."""
    tokens: list[list[Char]] = []
    previous: Char | None = None
    for char in chars:
        if not char["text"].strip():
            previous = None
            tokens.append([])
            continue
        apart = previous is not None and char["x0"] - previous["x1"] > 0.25 * char_size(previous)
        if not tokens or apart or not tokens[-1]:
            tokens.append([])
        tokens[-1].append(char)
        previous = char
    return [("".join(c["text"] for c in t), t[0]["x0"], t[-1]["x1"]) for t in tokens if t]


def _one_letter(token: str) -> bool:
    """A letter of a letter-spaced word, punctuation held on ("(с", "р)", "қ,")."""
    return sum(c.isalpha() for c in token) == 1


def _letter_runs(tokens: list[tuple[str, float, float]]) -> list[float | None]:
    """For each token, the widest gap still within its letter-spaced run (None: not in a
    run of two or more single letters)."""
    limits: list[float | None] = [None] * len(tokens)
    i = 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and _one_letter(tokens[j + 1][0]) and _one_letter(tokens[i][0]):
            j += 1
        if j > i:
            gaps = sorted(tokens[k + 1][1] - tokens[k][2] for k in range(i, j))
            limit = 1.6 * gaps[len(gaps) // 2] + 0.1
            for k in range(i, j + 1):
                limits[k] = limit
        i = j + 1
    return limits


def group_lines(chars: Iterable[Char]) -> list[Line]:
    """Characters grouped into lines (tops within a third of the type size), top to bottom."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(lines[-1][0]["top"] - char["top"]) <= 0.35 * char_size(char):
            lines[-1].append(char)
        else:
            lines.append([char])
    return [Line(sorted(line, key=lambda c: c["x0"])) for line in lines]


def segments(line: Line, gap: float = 0.35) -> list[tuple[float, float, str]]:
    """A line cut where its characters stand apart by more than `gap` type sizes:
    (x0, x1, text) of each piece."""
    if gap not in line.pieces:
        pieces: list[list[Char]] = [[]]
        for char in line.chars:
            last = pieces[-1][-1] if pieces[-1] else None
            if last is not None and char["x0"] - last["x1"] > gap * char_size(char):
                pieces.append([])
            if char["text"].strip() or pieces[-1]:
                pieces[-1].append(char)
        found = [(p[0]["x0"], p[-1]["x1"], line_text(p)) for p in pieces if p]
        line.pieces[gap] = [piece for piece in found if piece[2]]
    return line.pieces[gap]


def occupied(spans: Iterable[tuple[float, float]], slack: float) -> list[tuple[float, float]]:
    """The x intervals covered by any span, spans closer than `slack` merged."""
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1] + slack:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


@dataclass(frozen=True)
class Columns:
    """The six columns of the table as x boundaries: №, code, name, seats, city, rural."""

    edges: tuple[float, ...]  # seven edges, left to right

    def index(self, char: Char) -> int:
        x = (char["x0"] + char["x1"]) / 2
        for i in range(6):
            if x < self.edges[i + 1]:
                return i
        return 5


def _tokens(line: Line) -> list[tuple[float, float, str]]:
    return [(x0, x1, t) for x0, x1, text in segments(line, 0.2) for t in text.split()]


def find_columns(body: list[Line], rules: Sequence[float], width: float) -> Columns | None:
    """The columns of a table body, from its vertical rules when they divide it, else
    from the white gaps its text leaves; None when neither gives the six columns."""
    return _from_rules(body, rules) or _from_gaps(body, width)


def _from_rules(body: list[Line], rules: Sequence[float]) -> Columns | None:
    xs = sorted(set(round(x, 1) for x in rules))
    if len(xs) < 7:
        return None
    intervals = list(pairwise(xs))
    return _name_columns(body, intervals)


def _from_gaps(body: list[Line], width: float) -> Columns | None:
    spans = [(x0, x1) for line in body for x0, x1, _ in segments(line) if not _spans_columns(line)]
    size = median(line.size for line in body) if body else 9.0
    intervals = occupied(spans, 0.15 * size)
    return _name_columns(body, intervals, bounds=(0.0, width))


def _spans_columns(line: Line) -> bool:
    """A line that runs across columns: a group heading, or a total's label."""
    text = line.text
    return bool(re.match(r"^\d{2,3}\s+[^\d\s]", text)) or "Барлығы" in text


def _name_columns(
    body: list[Line],
    intervals: list[tuple[float, float]],
    bounds: tuple[float, float] | None = None,
) -> Columns | None:
    """Say which interval is which column by what it holds: the codes, the row numbers
    left of them, three number columns at the right; the name is all in between."""
    tokens = [t for line in body for t in _tokens(line)]

    def holding(pattern: re.Pattern[str]) -> list[int]:
        counts = [0] * len(intervals)
        for x0, x1, text in tokens:
            if pattern.match(text):
                middle = (x0 + x1) / 2
                for i, (a, b) in enumerate(intervals):
                    if a - 1 <= middle <= b + 1:
                        counts[i] += 1
        return counts

    codes = holding(CODE)
    if not intervals or max(codes) == 0:
        return None
    code = codes.index(max(codes))
    numbers = holding(ROW_NUMBER)
    number = max(range(code), key=lambda i: numbers[i], default=None)
    if number is None or len(intervals) - code - 1 < NUMBER_COLUMNS + 1:
        return None
    name = (code + 1, len(intervals) - NUMBER_COLUMNS - 1)
    groups = [
        intervals[number],
        intervals[code],
        (intervals[name[0]][0], intervals[name[1]][1]),
        *intervals[-NUMBER_COLUMNS:],
    ]
    return Columns(_edges(groups, bounds))


def _edges(
    groups: list[tuple[float, float]], bounds: tuple[float, float] | None
) -> tuple[float, ...]:
    """Boundaries halfway between neighbouring columns (or on their rules)."""
    inner = [(a[1] + b[0]) / 2 for a, b in pairwise(groups)]
    left, right = bounds if bounds else (groups[0][0], groups[-1][1])
    return (min(left, groups[0][0]), *inner, max(right, groups[-1][1]))


@dataclass
class CellLine:
    """A line of text within one column."""

    line: Line
    column: int

    @property
    def text(self) -> str:
        return self.line.text


def cell_lines(body: list[Line], columns: Columns) -> list[CellLine]:
    """Every line of every column, top to bottom."""
    per_column: dict[int, list[Char]] = {}
    for line in body:
        for char in line.chars:
            per_column.setdefault(columns.index(char), []).append(char)
    found = [
        CellLine(line, column)
        for column, chars in per_column.items()
        for line in group_lines(chars)
        if line.text
    ]
    return sorted(found, key=lambda c: (c.line.top, c.column))


@dataclass
class Block:
    """Consecutive lines of one column that form one cell's text."""

    lines: list[Line] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def middle(self) -> float:
        return (self.lines[0].top + self.lines[-1].bottom) / 2

    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    def number_text(self) -> str:
        """The lines of a number cell as one: a space where a thousands group begins the
        next line ("552" / "703", and "873" / "4433" as the decree prints it), none where
        the line cut a number ("4749" / "40", "46" / "5 161")."""
        out = ""
        for line in self.lines:
            text = re.sub(r"\s+", " ", line.text).strip()
            lead = re.match(r"\d+", text)
            tail = re.search(r"(?<![\d])(\d{1,3})$", out)
            cut = out[-1:].isdigit() and lead and not (tail and len(lead.group(0)) >= 3)
            out += text if cut or not out else " " + text
        return out


def name_blocks(lines: list[Line]) -> list[Block]:
    """Name lines cut into names: a name begins with a capital letter (or a digit), its
    other lines go on in lower case or with punctuation."""
    blocks: list[Block] = []
    for line in lines:
        first = line.text.lstrip("«\"'")[:1]
        if not blocks or first.isupper() or first.isdigit():
            blocks.append(Block())
        blocks[-1].lines.append(line)
    return blocks


def number_blocks(lines: list[Line], rates: bool = True) -> list[Block]:
    """Number-cell lines cut into cells, one line a cell for places; for rates, a line goes
    on the cell above when that ends in "/" or in a rate cut short ("465 161/509" and
    "451/780 190": a rate has at least five digits), or when it starts with "/"."""
    blocks: list[Block] = []
    for line in lines:
        joined = rates and blocks and goes_on(blocks[-1].text(), line.text)
        if not joined:
            blocks.append(Block())
        blocks[-1].lines.append(line)
    return blocks


def _unfinished(text: str) -> bool:
    """A rate cell's text that must go on: it ends in "/" or in fewer than five digits."""
    text = text.rstrip()
    last = text.rsplit("/", 1)[-1]
    return text.endswith("/") or len(re.sub(r"\D", "", last)) < 5


def goes_on(text: str, line: str) -> bool:
    """A rate cell's line that goes on the text above: it begins with "/" or with a 0 (no
    number does), or the text above is unfinished."""
    return line.startswith(("/", "0")) or (bool(text) and _unfinished(text))


def cuts(lines: Sequence[Line], text_width: float) -> list[bool | None]:
    """For each line of a name, whether the break after it cut a word, as far as the page
    can tell: True before text that cannot begin a word (one letter, only endings); else
    False after a line of several words, or of one word that left room for the next
    line's first letter; None for a full line of one word (letter-spaced to the width, or
    the next letter would not have fitted), where a word was cut or just fitted:
    `store.names.is_cut` decides those."""
    found: list[bool | None] = []
    for line, after in zip(lines, [*lines[1:], None], strict=True):
        if after is None:
            found.append(False)
            continue
        following = close_letter_spacing(after.text)
        if cannot_start_a_word(following):
            found.append(True)
            continue
        if len(close_letter_spacing(line.text).split()) != 1:
            found.append(False)
            continue
        first = next(c for c in after.chars if c["text"].strip())
        # The word's own width, without the stretching a justified line gives it.
        natural = sum(c["x1"] - c["x0"] for c in line.chars if c["text"].strip())
        full = natural + (first["x1"] - first["x0"]) > text_width
        found.append(None if full else False)
    return found
