"""The roster's columns, the header names each is known by, and the rows and errors a reading
returns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

from xuanju.organizations.actions import MEMBER_FIELDS, ActionError
from xuanju.organizations.profile import PROFILE_FIELDS
from xuanju.rules.voting import MembershipStatus

INSTRUCTIONS_SHEET = "填写说明"
ROSTER_SHEET = "党员名册"

FULL = MembershipStatus.FULL.value
PROBATIONARY = MembershipStatus.PROBATIONARY.value
STATUS_TEXT = {FULL: "正式党员", PROBATIONARY: "预备党员"}


class RosterFileError(ActionError):
    """The file as a whole cannot be read as a roster; the message says why in one sentence."""


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    title: str  # the header we write, and the name used in messages when the file has none
    aliases: tuple[str, ...]
    required: bool
    note: str  # shown in the template's header comment and the upload page


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("姓名",), True, "必填"),
    Column("gender", "性别", ("性别",), True, "必填，填“男”或“女”"),
    Column("ethnicity", "民族", ("民族",), True, "必填，如“汉族”“回族”"),
    Column(
        "birth_date",
        "出生日期",
        ("出生日期", "出生年月", "出生年月日", "出生时间"),
        True,
        "必填，如 1985-03-12；只知年月的可写 1985.03，按当月 1 日登记",
    ),
    Column(
        "joined_on",
        "入党日期",
        ("入党日期", "入党时间", "入党年月", "入党年月日"),
        True,
        "必填，写到日，如 2008-07-01",
    ),
    Column(
        "full_member_on",
        "转正日期",
        ("转正日期", "转正时间", "转正年月", "转正年月日"),
        False,
        "正式党员必填，写到日；预备党员留空",
    ),
    Column(
        "status",
        "党员类别",
        ("党员类别", "人员类别", "党员类型"),
        False,
        "填“正式党员”或“预备党员”；整列没有时，按有无转正日期判断",
    ),
    Column(
        "organization",
        "所在党组织",
        ("所在党组织", "所在党支部", "党组织", "所在支部", "所属党组织", "所属党支部", "党组织名称"),
        False,
        "须与系统中的名称完全一致；留空的导入到当前党组织",
    ),
    Column(
        "phone",
        "联系电话",
        ("联系电话", "手机号码", "电话", "手机", "手机号", "电话号码", "联系方式"),
        False,
        "手机号 11 位，固定电话如 010-12345678",
    ),
    Column(
        "id_number",
        "身份证号",
        ("身份证号", "公民身份号码", "身份证号码", "公民身份证号码", "身份证"),
        False,
        "18 位，请把该列设为“文本”格式，否则 Excel 会把末几位变成 0",
    ),
    *(Column(p.field, p.title, p.aliases, False, p.note) for p in PROFILE_FIELDS),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
ALIASES = {alias: c.field for c in COLUMNS for alias in c.aliases}


def _header_key(value: Any) -> str:
    """A header cell reduced to what identifies it: no spaces, marks or parenthesized hints."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*:：※]", "", text)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: ``row`` as Excel shows it, ``column`` its letter."""

    sheet: str
    row: int
    column: str
    header: str
    message: str


@dataclass(frozen=True)
class RosterRow:
    """A row that passed every check, ready to become a :class:`Member`.

    ``organization_id`` is the organization the row goes to (None until resolved: the page's one).
    """

    row: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    joined_on: date
    full_member_on: date | None
    status: str
    phone: str
    id_number: str
    organization_name: str = ""
    organization_id: int | None = None
    education: str = ""
    occupation: str = ""
    front_line: str = ""
    job_title: str = ""

    def member_data(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in MEMBER_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("birth_date", "joined_on", "full_member_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RosterRow:
        values = dict(data)
        for key in ("birth_date", "joined_on", "full_member_on"):
            values[key] = date.fromisoformat(values[key]) if values[key] else None
        return cls(**values)


class _Reading(Protocol):
    @property
    def sheet(self) -> str: ...
    @property
    def header_row(self) -> int: ...
    @property
    def columns(self) -> dict[str, tuple[str, str]]: ...
    @property
    def rows(self) -> Sequence[Any]: ...
    @property
    def errors(self) -> Sequence[Any]: ...
    @property
    def notes(self) -> list[str]: ...
    @property
    def data_rows(self) -> int: ...


def reading_to_dict(reading: _Reading) -> dict[str, Any]:
    """What is kept of a parsed file between the check and the confirmation (no database findings)."""
    return {
        "sheet": reading.sheet,
        "header_row": reading.header_row,
        "columns": {k: list(v) for k, v in reading.columns.items()},
        "rows": [r.to_dict() for r in reading.rows],
        "errors": [asdict(e) for e in reading.errors],
        "notes": list(reading.notes),
        "data_rows": reading.data_rows,
    }


def reading_fields(data: dict[str, Any], row: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """The constructor arguments of a reading from :func:`reading_to_dict`'s output."""
    return {
        "sheet": data["sheet"],
        "header_row": data["header_row"],
        "columns": {k: (v[0], v[1]) for k, v in data["columns"].items()},
        "rows": [row(r) for r in data["rows"]],
        "errors": [RowError(**e) for e in data["errors"]],
        "notes": list(data["notes"]),
        "data_rows": data["data_rows"],
    }


@dataclass
class RosterReading:
    """What a workbook holds: the valid rows, the errors, and notes on how values were read."""

    sheet: str
    header_row: int
    columns: dict[str, tuple[str, str]]  # field -> (letter, header as written)
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data_rows: int = 0  # non-blank rows below the header
    # For rows with errors: (organization name, ID number if it was valid), so that the database
    # checks still report on them and one upload shows every problem. Not kept with the upload.
    partial: dict[int, tuple[str, str]] = field(default_factory=dict, repr=False)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def valid_rows(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return reading_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RosterReading:
        return cls(**reading_fields(data, RosterRow.from_dict))
