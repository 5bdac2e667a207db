"""The table in an uploaded workbook: which sheet, which header row, which columns, which rows.

Shared by the member roster (党员名册) and the organization-tree import, which differ only in their
columns and in the words of their messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from xuanju.organizations.roster.columns import INSTRUCTIONS_SHEET, Column, RosterFileError, _header_key
from xuanju.organizations.roster.values import _text

HEADER_SEARCH_ROWS = 20


def find_header(
    sheet: Any,
    aliases: Mapping[str, str],
    is_header: Callable[[list[str]], bool],
    error: type[RosterFileError],
) -> tuple[int, list[Any], dict[str, int]] | None:
    """The first row within the first rows that ``is_header`` accepts, with each known column's
    position; two columns meaning the same field are refused, since either could be the one meant."""
    for index, values in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
        keys = [_header_key(v) for v in values]
        if not is_header(keys):
            continue
        found: dict[str, int] = {}
        for position, key in enumerate(keys):
            name = aliases.get(key)
            if name is None:
                continue
            if name in found:
                raise error(
                    f"工作表“{sheet.title}”第 {index} 行的表头中，“{values[found[name]]}”"
                    f"（{get_column_letter(found[name] + 1)} 列）和“{values[position]}”"
                    f"（{get_column_letter(position + 1)} 列）是同一项，请只保留一列"
                )
            found[name] = position
        return index, list(values), found
    return None


@dataclass(frozen=True)
class Table:
    sheet: Any  # the openpyxl worksheet read
    searched: tuple[Any, ...]  # every sheet but the instructions, the one read first
    header_row: int
    positions: dict[str, int]  # field -> 0-based column
    columns: dict[str, tuple[str, str]]  # field -> (letter, header as written)

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, cells by field) of every row below the header that is not blank."""
        for index, values in enumerate(
            self.sheet.iter_rows(min_row=self.header_row + 1, values_only=True), start=self.header_row + 1
        ):
            cells = {name: values[pos] if pos < len(values) else None for name, pos in self.positions.items()}
            if any(_text(v) != "" for v in cells.values()):
                yield index, cells


def locate_table(
    workbook: Any,
    *,
    columns: Sequence[Column],
    is_header: Callable[[list[str]], bool],
    error: type[RosterFileError],
    not_found: Callable[[str], str],
) -> Table:
    """The first sheet (the active one first) with a header row, checked for its required columns.
    ``not_found`` words the refusal when no sheet has one, given the sheets' names."""
    sheets = [s for s in workbook.worksheets if s.title != INSTRUCTIONS_SHEET]
    if not sheets:
        raise error("工作簿中没有工作表")
    active = workbook.active if workbook.active in sheets else sheets[0]
    ordered = (active, *(s for s in sheets if s is not active))
    for sheet in ordered:
        sheet.reset_dimensions()  # some programs write a wrong size; read what is really there
    aliases = {alias: c.field for c in columns for alias in c.aliases}
    for sheet in ordered:
        header = find_header(sheet, aliases, is_header, error)
        if header is not None:
            break
    else:
        raise error(not_found("、".join(f"“{s.title}”" for s in ordered)))
    header_row, header_values, positions = header
    missing = [c.title for c in columns if c.required and c.field not in positions]
    if missing:
        raise error(
            f"工作表“{sheet.title}”第 {header_row} 行的表头缺少"
            + "、".join(f"“{m}”" for m in missing)
            + "列，请对照导入模板补上"
        )
    titles = {c.field: c.title for c in columns}
    return Table(
        sheet=sheet,
        searched=ordered,
        header_row=header_row,
        positions=positions,
        columns={
            name: (get_column_letter(pos + 1), _text(header_values[pos]) or titles[name])
            for name, pos in positions.items()
        },
    )
