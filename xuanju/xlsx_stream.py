"""Large .xlsx exports: openpyxl writes the workbook around the data, the rows are written as XML text.

openpyxl's write-only mode still builds a cell object per value and writes it through lxml (about
10 µs a cell, most of a 100,000-row export). :class:`StreamedSheet` lets openpyxl write everything
else (styles, column widths, the title rows above the data), then writes the data rows itself, as
openpyxl would write them (inline strings, Excel serial dates, the same style ids), into the same
zip in one pass. Text cells stay text, formula-like text gets the quote prefix (as
:func:`xuanju.spreadsheet.as_text` does), characters XML cannot hold are dropped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from xuanju.spreadsheet import FORMULA_STARTS

_MARKER = "XUANJU-STREAMED-ROWS-GO-HERE"


@dataclass(frozen=True)
class CellStyle:
    id: int  # in the workbook's cellXfs; 0 is the default (no s attribute)
    quoted: int  # the same with the quote prefix, for formula-like text


class StreamedSheet:
    """A write-only ``sheet`` of ``workbook``: rows above the data through :meth:`append`, then the
    data rows streamed by :meth:`save`."""

    def __init__(self, workbook: Workbook, sheet: Any) -> None:
        self.workbook, self.sheet = workbook, sheet
        self.appended = 0

    def append(self, row: list[Any]) -> None:
        """A row above the data (a title, the headers), through openpyxl."""
        self.sheet.append(row)
        self.appended += 1

    def style(
        self, font: Font | None = None, fill: PatternFill | None = None, number_format: str | None = None
    ) -> CellStyle:
        pattern = WriteOnlyCell(self.sheet)
        if font is not None:
            pattern.font = font
        if fill is not None:
            pattern.fill = fill
        if number_format is not None:
            pattern.number_format = number_format
        quoted = StyleArray(pattern._style) if pattern._style is not None else StyleArray()
        quoted.quotePrefix = 1
        styles = self.workbook._cell_styles  # how openpyxl numbers a cell's style (StyleableObject.style_id)
        plain = styles.add(pattern._style) if pattern.has_style else 0
        return CellStyle(plain, styles.add(quoted))

    def save(self, rows: Iterable[Sequence[tuple[Any, CellStyle]]], target: IO[bytes]) -> None:
        """Save the workbook into ``target`` with ``rows`` (value and style per cell) as its data."""
        first = self.appended + 1
        self.sheet.append([_MARKER])
        skeleton = io.BytesIO()
        self.workbook.save(skeleton)
        opening = f'<row r="{first}">'
        with (
            zipfile.ZipFile(skeleton) as source,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as output,
        ):
            for entry in source.infolist():
                data = source.read(entry.filename)
                at = data.find(_MARKER.encode("ascii"))
                if at < 0:
                    output.writestr(entry, data)
                    continue
                start = data.rindex(opening.encode("ascii"), 0, at)
                end = data.index(b"</row>", at) + len(b"</row>")
                with output.open(zipfile.ZipInfo(entry.filename, entry.date_time), "w") as sheet_xml:
                    sheet_xml.write(data[:start])
                    chunk: list[str] = []
                    for number, row in enumerate(rows, start=first):
                        chunk.append(_row_xml(number, row))
                        if len(chunk) == 2000:
                            sheet_xml.write("".join(chunk).encode("utf-8"))
                            chunk.clear()
                    sheet_xml.write("".join(chunk).encode("utf-8"))
                    sheet_xml.write(data[end:])


_LETTERS = [get_column_letter(c) for c in range(1, 100)]


def _row_xml(number: int, row: Sequence[tuple[Any, CellStyle]]) -> str:
    cells = [_cell_xml(f"{_LETTERS[c]}{number}", value, style) for c, (value, style) in enumerate(row)]
    return f'<row r="{number}">{"".join(cells)}</row>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _cell_xml(ref: str, value: Any, style: CellStyle) -> str:
    """One cell as openpyxl's lxml_write_cell writes it."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        s = style.quoted if value.startswith(FORMULA_STARTS) else style.id
        styled = f' s="{s}"' if s else ""
        if not value:
            return f'<c r="{ref}"{styled} t="inlineStr"/>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    styled = f' s="{style.id}"' if style.id else ""
    if value is None:
        return f'<c r="{ref}"{styled} t="n"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{styled} t="n"><v>{safe_string(value)}</v></c>'
    if isinstance(value, datetime | date):
        return f'<c r="{ref}"{styled} t="n"><v>{safe_string(to_excel(value))}</v></c>'
    raise TypeError(f"no streamed cell for {type(value).__name__}")
