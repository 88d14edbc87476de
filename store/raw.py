"""What a reader hands over: the pieces of a decree as found on the page, nothing judged.

Readers (`read_text`, `read_pdf`) only locate things; `store.decree.build_decree` turns a
`RawDecree` into a validated `store.model.Decree`, so that reading the layout and judging
the content are separate and tested separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawRow:
    """One table row as found: texts only."""

    appendix: int
    number: str
    code_raw: str
    group_code: str
    name_lines: list[str] = field(default_factory=list)
    # For each name line, whether the break after it cut a word, as the PDF reader saw it
    # on the page (an item None: the page cannot tell); None: no geometry (the text reader).
    name_cuts: list[bool | None] | None = None
    # The text reader sees all numbers of a row as one flow; the PDF reader sees cells.
    numbers: str = ""
    seats: str | None = None
    city: str | None = None
    rural: str | None = None
    # Name text came after the numbers (the row was cut by a page break), so the
    # order in which the cost cells were printed says nothing about their columns.
    interrupted: bool = False
    page: int | None = None
    line: int | None = None


@dataclass
class RawTotal:
    """A printed "Барлығы" line: of a group, or (group_code None) of a whole appendix."""

    appendix: int
    group_code: str | None
    printed: str


@dataclass
class RawDecree:
    """Everything a reader found, in reading order."""

    heading: str
    appendices: dict[int, list[str]] = field(default_factory=dict)
    groups: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    totals: list[RawTotal] = field(default_factory=list)
