"""Bounds on what an ingest accepts, so that no input can take the machine with it.

A decree is a file of a few dozen pages and a few hundred rows. Everything here refuses,
with one line naming what is wrong (and the row, where there is one), what no decree
looks like: something that is not a regular file (a FIFO, a device, a symlink to one), a
file over 50 MB, text of absurd length or with absurdly long lines, more pages or rows
than any region orders, names no message can carry, numbers no decree prints. Control
characters (NUL, ESC, BEL, bidirectional overrides) are taken out of every text a reader
found, so they never reach a terminal or a message.

The checks are pure functions of what was read, apart from `read_source_bytes`, which
opens the file without blocking and checks what it is before reading a byte.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from store.amounts import MAX_RATE, MAX_SEATS, MIN_RATE
from store.model import Decree, DecreeError, Group, Row
from store.raw import RawDecree, RawRow, RawTotal

MAX_SOURCE_BYTES = 50 * 10**6
MAX_PAGES = 200
MAX_TEXT_CHARS = 2_000_000
# The shipped text's longest line has 157 characters; the text reader's number pattern
# is quadratic in a line's length, so a line is never allowed to be long.
MAX_LINE_CHARS = 1_000
MAX_HEADING_CHARS = 20_000
MAX_ROWS = 5_000
# A specialty or field name (the shipped decree's longest has 111 characters); a longer
# one is not a name, and a card must fit in one Telegram message.
MAX_NAME_CHARS = 300
# A name as found, before letter-spaced words are closed up ("т ү р л е р і").
MAX_RAW_NAME_CHARS = 3 * MAX_NAME_CHARS
# The numbers of one row, or one of its cells (the shipped decree's longest: 57).
MAX_NUMBERS_CHARS = 200
MAX_TOTAL = 9_999_999

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# C0 and C1 control characters (tab and newline are spacing, kept as such) and the
# bidirectional embeddings, overrides and isolates that can disguise text on a screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Identity:
    """Which file a path named when it was read: changed when it is replaced or written."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> Identity:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _millions(count: int) -> str:
    return f"{count / 10**6:.0f} MB"


def _check_kind(path: Path, info: os.stat_result) -> None:
    """Refuse anything but a regular file of a sane size (stat of the opened file, so a
    symlink is judged by what it points to)."""
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise DecreeError(f"{path}: cannot read: {kind}, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise DecreeError(f"{path}: cannot read: not a regular file")
    if info.st_size == 0:
        raise DecreeError(f"{path.name}: the file is empty")
    if info.st_size > MAX_SOURCE_BYTES:
        raise DecreeError(
            f"{path.name}: {info.st_size:,} bytes is too large for a decree"
            f" (at most {_millions(MAX_SOURCE_BYTES)})"
        )


def _open(path: Path) -> int:
    # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
    try:
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise DecreeError(f"{path}: cannot read ({error.strerror or error})") from error


def check_source(path: Path) -> Identity:
    """What `path` is, refused with one line unless it is a regular file of 1 byte to 50 MB."""
    fd = _open(path)
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    _check_kind(path, info)
    return Identity.of(info)


def read_source_bytes(path: Path) -> tuple[bytes, Identity]:
    """The bytes of a source file, checked as `check_source` does before any is read, and
    never more than the size cap even if the file grows while it is read."""
    fd = _open(path)
    try:
        info = os.fstat(fd)
        _check_kind(path, info)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_SOURCE_BYTES and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise DecreeError(f"{path}: cannot read ({error.strerror or error})") from error
    finally:
        os.close(fd)
    if size > MAX_SOURCE_BYTES:
        raise DecreeError(f"{path.name}: grew past {_millions(MAX_SOURCE_BYTES)} while read")
    return b"".join(chunks), Identity.of(info)


def check_pages(name: str, pages: int) -> None:
    if pages > MAX_PAGES:
        raise DecreeError(
            f"{name}: more than {MAX_PAGES} pages; a decree has far fewer (not a decree of"
            " this kind)"
        )


def check_text(name: str, text: str) -> None:
    """Refuse extracted text too long in all, or in one line, to be a decree."""
    if len(text) > MAX_TEXT_CHARS:
        raise DecreeError(
            f"{name}: {len(text):,} characters of text; a decree has at most"
            f" {MAX_TEXT_CHARS:,} (not a decree of this kind)"
        )
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise DecreeError(
                f"{name}: line {number} has {len(line):,} characters; a decree's lines have at"
                f" most {MAX_LINE_CHARS:,} (not a decree of this kind)"
            )


def strip_controls(text: str) -> str:
    """`text` without control characters; a tab becomes a space."""
    return _CONTROL.sub("", text.replace("\t", " "))


def _clean_lines(lines: list[str]) -> list[str]:
    return [strip_controls(line) for line in lines]


def _clean_row(row: RawRow) -> RawRow:
    optional = {
        key: None if value is None else strip_controls(value)
        for key, value in (("seats", row.seats), ("city", row.city), ("rural", row.rural))
    }
    return replace(
        row,
        number=strip_controls(row.number),
        code_raw=strip_controls(row.code_raw),
        group_code=strip_controls(row.group_code),
        name_lines=_clean_lines(row.name_lines),
        numbers=strip_controls(row.numbers),
        **optional,
    )


def clean_raw(raw: RawDecree) -> RawDecree:
    """Every text a reader found, without control characters (newlines of the heading kept)."""
    return RawDecree(
        heading="\n".join(strip_controls(line) for line in raw.heading.split("\n")),
        appendices={n: _clean_lines(lines) for n, lines in raw.appendices.items()},
        groups={key: _clean_lines(lines) for key, lines in raw.groups.items()},
        rows=[_clean_row(row) for row in raw.rows],
        totals=[RawTotal(t.appendix, t.group_code, strip_controls(t.printed)) for t in raw.totals],
    )


def _where(row: RawRow) -> str:
    return f"appendix {row.appendix}, row {row.number}"


def _check_raw_row(row: RawRow) -> None:
    name = sum(len(line) for line in row.name_lines)
    if name > MAX_RAW_NAME_CHARS:
        raise DecreeError(
            f"{_where(row)}: a name of {name:,} characters; a specialty's name has at most"
            f" {MAX_NAME_CHARS}"
        )
    for text in (row.numbers, row.seats, row.city, row.rural, row.code_raw):
        if text is not None and len(text) > MAX_NUMBERS_CHARS:
            raise DecreeError(
                f"{_where(row)}: {len(text):,} characters of numbers in one cell; a row has"
                f" at most {MAX_NUMBERS_CHARS}"
            )


def check_raw(raw: RawDecree) -> None:
    """Refuse what a reader found when it is far beyond any decree (before judging it,
    which costs time in proportion to these sizes)."""
    if len(raw.heading) > MAX_HEADING_CHARS:
        raise DecreeError(
            f"not a decree of this kind: {len(raw.heading):,} characters before the first"
            f" appendix (a decree's heading has at most {MAX_HEADING_CHARS:,})"
        )
    if len(raw.rows) > MAX_ROWS:
        raise DecreeError(
            f"not a decree of this kind: {len(raw.rows):,} table rows (at most {MAX_ROWS:,})"
        )
    for key, lines in (*raw.appendices.items(), *raw.groups.items()):
        if sum(len(line) for line in lines) > MAX_HEADING_CHARS:
            raise DecreeError(f"not a decree of this kind: the title of {key} is too long")
    for total in raw.totals:
        if len(total.printed) > MAX_NUMBERS_CHARS:
            raise DecreeError(f"appendix {total.appendix}: a total of {len(total.printed):,} chars")
    for row in raw.rows:
        _check_raw_row(row)


def check_name(where: str, name: str) -> None:
    """A name must have a letter in it and fit in a message with room to spare."""
    if not any(char.isalpha() for char in name):
        raise DecreeError(f"{where}: the row has no specialty name ({name!r})")
    if len(name) > MAX_NAME_CHARS:
        raise DecreeError(
            f"{where}: a name of {len(name):,} characters; a name has at most {MAX_NAME_CHARS}"
        )


def _money(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def check_row(row: Row) -> None:
    """Places and rates must be numbers a decree can print: 0 to 99 999 places, rates of
    10 000 to 99 999 999 tenge a year."""
    where = f"appendix {row.appendix}, row {row.row}"
    check_name(where, row.name)
    if not 0 <= row.seats <= MAX_SEATS:
        raise DecreeError(
            f"{where}: {row.seats} places is not plausible (a row orders 0 to {_money(MAX_SEATS)})"
        )
    for rate in (*row.city_costs, *row.rural_costs):
        if not MIN_RATE <= rate <= MAX_RATE:
            raise DecreeError(
                f"{where}: a yearly cost of {rate} tenge is not plausible"
                f" ({_money(MIN_RATE)} to {_money(MAX_RATE)})"
            )
    if not (row.city_costs and row.rural_costs):
        raise DecreeError(f"{where}: the row has no city or no rural cost")


def _check_total(where: str, total: int | None) -> None:
    if total is not None and not 0 <= total <= MAX_TOTAL:
        raise DecreeError(f"{where}: a printed total of {total} places is not plausible")


def _check_group(group: Group) -> None:
    where = f"appendix {group.appendix}, group {group.code}"
    if not any(char.isalpha() for char in group.name):
        raise DecreeError(f"{where}: the field of education has no name ({group.name!r})")
    if len(group.name) > MAX_NAME_CHARS:
        raise DecreeError(f"{where}: a field name of {len(group.name):,} characters")
    _check_total(where, group.printed_total)


def check_decree(decree: Decree) -> None:
    """Refuse a built decree whose names or numbers no message or family could use."""
    for row in decree.rows:
        check_row(row)
    for group in decree.groups:
        _check_group(group)
    for appendix in decree.appendices:
        _check_total(f"appendix {appendix.appendix}", appendix.printed_total)
    if len(decree.region) > MAX_NAME_CHARS or not decree.region.strip():
        raise DecreeError("not a decree of this kind: no region name in its heading")
