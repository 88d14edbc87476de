"""The decree's line grammar, shared by both readers: how an appendix, a row, a group
heading and a total begin, and the words of the table header."""

from __future__ import annotations

import re

APPENDIX = re.compile(r"^(\d+)\s*-\s*қосымша\s*$")
# "1-қосымшаның жалғасы" (continued): a label over a page that goes on with the table.
APPENDIX_CONTINUED = re.compile(r"^\d+\s*-\s*қосымшаның\s+жалғасы\s*$")
ROW_START = re.compile(r"^(\d{1,3})\s+(\d{7,8})(?=\s|$)(.*)$")
GROUP = re.compile(r"^(\d{2,3})\s+([^\d\s].*)$")
TOTAL = re.compile(r"^Барлығы\b(.*)$")
TOTAL_WORD = "Барлығы"
# The costs header's two sub-columns close the table header.
CITY, RURAL = "қала", "ауыл"
TABLE_HEADER_END = re.compile(rf"^{CITY}\s+{RURAL}$")
