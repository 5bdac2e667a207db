"""The page of a Party/government document (GB/T 9704-2012), shared by the .docx and PDF writers.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, leaving a type area of 156 × 225 mm
that holds 22 lines of 28 characters in 3号 (16 pt). Both writers take every size and distance from
here, so the two files of one document have the same lines.
"""

from __future__ import annotations

import unicodedata

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
TOP_MM = 37.0
BOTTOM_MM = 35.0
LEFT_MM = 28.0
RIGHT_MM = 26.0
TYPE_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 156
TYPE_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_MM = TYPE_HEIGHT_MM / LINES_PER_PAGE
CHAR_MM = TYPE_WIDTH_MM / CHARS_PER_LINE

MM_PER_PT = 25.4 / 72
LINE_PT = LINE_MM / MM_PER_PT  # 28.95 pt, the fixed line spacing of the standard's grid
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
FOOT_PT = 14.0  # 4号: page numbers, 抄送 and 印发
PAGE_NUMBER_GAP_MM = 7.0  # the page number's top is 7 mm below the type area
INDENT_CHARS = 2  # first-line indent of paragraphs and headings
DATE_RIGHT_CHARS = 4  # 成文日期右空四字 (with a seal)
SEAL_LINES = 2  # blank lines between the text and the signature, where the seal presses

#: The fonts a reader's Word or WPS is asked for: the standard's typefaces, by the names the
#: usual Chinese installations give them.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"


def table_pt(columns: int) -> float:
    """Tables use a smaller size as they widen, so a row of particulars fits the type area."""
    if columns <= 3:
        return BODY_PT
    if columns <= 5:
        return FOOT_PT
    return 12.0 if columns <= 7 else 10.5


TABLE_PADDING_MM = 1.2  # inside each cell, on every side
TABLE_LINE_FACTOR = 1.45  # a table's lines are 1.45 times its type size apart


def column_widths_mm(rows: list[tuple[str, ...]]) -> list[float]:
    """The widths of a table's columns, filling the type area: shared by their longest text, none
    narrower than three characters nor wider than fourteen; ``rows`` includes the header."""
    longest = [max(width_in_chars(row[c]) for row in rows) for c in range(len(rows[0]))]
    weights = [min(max(n, 3.0), 14.0) for n in longest]
    return [TYPE_WIDTH_MM * w / sum(weights) for w in weights]


def width_in_chars(text: str) -> float:
    """How many full-width characters ``text`` takes: Arabic numerals and Latin letters are
    half-width (GB/T 9704 sets them 半角)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def signature_right_chars(signature: str, date: str) -> float:
    """The right indent, in characters, of the issuing organization's name: centred over the date,
    which stands four characters from the right edge (GB/T 9704-2012, 7.3.5.1)."""
    offset = (width_in_chars(date) - width_in_chars(signature)) / 2
    return max(0.0, DATE_RIGHT_CHARS + offset)


def printed_date(date: str) -> str:
    """The date of the 印发 line ends with 印发."""
    return date if date.endswith("印发") else f"{date}印发"
