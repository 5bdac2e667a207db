"""The member roster as .xlsx: import with a row-by-row error report, export, and a blank template.

Reading (:func:`read_roster`) never saves anything: it turns a workbook into typed rows and a list
of errors, each naming the sheet, the row as Excel numbers it, the column letter and header, and
what is wrong in Chinese. A problem with the file as a whole (not an .xlsx, corrupt, too large, no
header) raises :class:`RosterFileError` with one sentence. Saving (:func:`import_rows`) re-checks
every row and saves all of them in one transaction or none.

Decisions (see also the docstrings below):

* Dates: real Excel dates and the usual written forms are accepted. A birth date may be given as
  year and month only (the common 出生年月 column); it is stored as the 1st of that month and the
  preview says so. The age check then only reports members who were certainly under 18. Join and
  full-membership dates must name the day, since voting rights and party age count from them.
* An ID number stored by Excel as a number has already lost its last digits (Excel keeps 15
  significant digits), so such a cell is an error, never silently accepted.
* An ID number already in the database is an error for that row, even for the same person: import
  only adds members; changing one is done on the roster page. Rows sharing an ID number within the
  file are all errors (we cannot know which one is right).
* Probation length is not checked: members who joined 1969–1977 had no probation period.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xuanju.audit.trail import record, snapshot
from xuanju.display import cn_date
from xuanju.organizations.actions import MEMBER_FIELDS, ActionError, recount_members
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.personal_data import check_id_number, check_phone, id_check_digit, mask
from xuanju.organizations.profile import PROFILE_FIELDS, PROFILE_NAMES, ProfileError, parse_profile
from xuanju.organizations.scope import can_manage, can_read
from xuanju.rules.names import canonical_name
from xuanju.rules.terms import add_months
from xuanju.rules.voting import MembershipStatus
from xuanju.shell import actor_name as _actor_name
from xuanju.spreadsheet import workbook_bytes

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a small .xlsx that unpacks to gigabytes is refused
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20
ADULT_MONTHS = 18 * 12  # 《党章》第一条：年满十八岁
EARLIEST_YEAR = 1900
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
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": {k: list(v) for k, v in self.columns.items()},
            "rows": [r.to_dict() for r in self.rows],
            "errors": [asdict(e) for e in self.errors],
            "notes": list(self.notes),
            "data_rows": self.data_rows,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RosterReading:
        return cls(
            sheet=data["sheet"],
            header_row=data["header_row"],
            columns={k: (v[0], v[1]) for k, v in data["columns"].items()},
            rows=[RosterRow.from_dict(r) for r in data["rows"]],
            errors=[RowError(**e) for e in data["errors"]],
            notes=list(data["notes"]),
            data_rows=data["data_rows"],
        )


EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"})


class _CellError(Exception):
    pass


# --- reading values -------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as normalized text: full-width digits and punctuation folded, invisible marks gone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace("\u200b", "").replace("\ufeff", "").strip()


_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")


def parse_date(value: Any, header: str, allow_month: bool, today: date) -> tuple[date, bool]:
    """A cell as a date, and whether it named only the year and month (then the day is 1).

    Accepts Excel dates and text such as 1985-03-12, 1985/3/12, 1985.03.12, 19850312,
    1985年3月12日; with ``allow_month`` also 1985.03, 1985-3, 198503, 1985年3月.
    """
    if isinstance(value, datetime):
        day, month_only = value.date(), False
    elif isinstance(value, date):
        day, month_only = value, False
    elif isinstance(value, time | timedelta | bool):
        raise _CellError(f"{header}不是日期，请写成 1985-03-12 这样的格式")
    else:
        if isinstance(value, float) and not value.is_integer():
            text = repr(value)
            if re.fullmatch(r"\d{4}\.1", text):
                raise _CellError(
                    f"{header}被 Excel 存成了数字 {text}，无法判断是 1 月还是 10 月；"
                    "请把该列设为文本后写成 1985.01 或 1985.10"
                )
        else:
            text = _text(value)
        text = _TIME_SUFFIX.sub("", text).replace(" ", "")
        day, month_only = _date_from_text(text, header)
    if month_only and not allow_month:
        raise _CellError(f"{header}“{_text(value)}”只有年月，请写到日，如 2008-07-01（党龄和选举权按日计算）")
    if day.year < EARLIEST_YEAR:
        raise _CellError(f"{header}“{cn_date(day)}”早于 {EARLIEST_YEAR} 年，请核对")
    if day > today:
        raise _CellError(f"{header}“{cn_date(day)}”晚于今天")
    return day, month_only


def _date_from_text(text: str, header: str) -> tuple[date, bool]:
    for pattern, month_only in (
        (_FULL_DATE, False),
        (_COMPACT_DATE, False),
        (_MONTH, True),
        (_COMPACT_MONTH, True),
    ):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, month = int(match[1]), int(match[2])
        day = 1 if month_only else int(match[3])
        try:
            return date(year, month, day), month_only
        except ValueError:
            raise _CellError(f"{header}“{text}”不是存在的日期") from None
    if re.fullmatch(r"\d{2}[-/.]\d{1,2}([-/.]\d{1,2})?", text):
        raise _CellError(f"{header}“{text}”的年份请写 4 位，如 1985-03-12")
    raise _CellError(f"{header}“{text}”不是可识别的日期，请写成 1985-03-12 这样的格式")


ID_AS_NUMBER = "身份证号被 Excel 存成了数字，末几位可能已丢失，请把该列设为文本后重新填写"


def parse_id_number(value: Any) -> str:
    """An 18-character citizen ID number with a correct check digit, or '' for a blank cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _CellError(ID_AS_NUMBER)
    text = _text(value).replace(" ", "").upper()
    if not text:
        return ""
    if "*" in text:
        raise _CellError("身份证号是部分隐藏的（含 *），无法导入；请填写完整的身份证号")
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", text):
        raise _CellError(ID_AS_NUMBER)
    try:
        return check_id_number(text)
    except ValueError as error:
        raise _CellError(str(error)) from None


def parse_phone(value: Any) -> str:
    text = re.sub(r"\s", "", _text(value))
    if not text:
        return ""
    if "*" in text:
        raise _CellError("联系电话是部分隐藏的（含 *），无法导入；请填写完整的号码")
    try:
        return check_phone(text)
    except ValueError as error:
        raise _CellError(str(error)) from None


def parse_gender(value: Any) -> str:
    text = _text(value).removesuffix("性")
    if text not in ("男", "女"):
        raise _CellError(f"性别应填“男”或“女”，现在是“{_text(value)}”" if _text(value) else "性别未填写")
    return text


ETHNIC_GROUPS = frozenset(
    [
        "汉",
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ]
)


def parse_ethnicity(value: Any) -> str:
    text = _text(value).replace(" ", "")
    if not text:
        raise _CellError("民族未填写，如“汉族”")
    if text in ETHNIC_GROUPS:
        text += "族"
    if len(text) > 20:
        raise _CellError(f"民族“{text}”过长")
    return text


def parse_status(value: Any) -> str | None:
    text = _text(value).replace(" ", "")
    if not text:
        return None
    if text in ("正式党员", "正式"):
        return FULL
    if text in ("预备党员", "预备"):
        return PROBATIONARY
    raise _CellError(f"党员类别应填“正式党员”或“预备党员”，现在是“{text}”")


def parse_name(value: Any) -> str:
    text = _text(value)
    # Spaces put in to align two-character names (“王  芳”) are dropped between Chinese characters.
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    if not text:
        raise _CellError("姓名未填写")
    if len(text) > 50:
        raise _CellError(f"姓名“{text[:20]}…”超过 50 个字")
    return text


def row_problems(row: RosterRow, today: date) -> list[tuple[str, str]]:
    """Checks across fields of one row, as (field, Chinese message); shared by reading and saving."""
    problems: list[tuple[str, str]] = []
    if row.status == FULL and row.full_member_on is None:
        problems.append(("full_member_on", "正式党员须填写转正日期"))
    if row.status == PROBATIONARY and row.full_member_on is not None:
        problems.append(("status", "预备党员不应有转正日期；已转正的请把党员类别改为“正式党员”"))
    for name in ("birth_date", "joined_on", "full_member_on"):
        value = getattr(row, name)
        if value is not None and value > today:
            problems.append((name, f"{COLUMN_BY_FIELD[name].title}晚于今天"))
    if row.joined_on < row.birth_date:
        problems.append(("joined_on", "入党日期早于出生日期"))
    elif row.joined_on < add_months(row.birth_date, ADULT_MONTHS):
        problems.append(
            (
                "joined_on",
                f"入党时未满十八岁（出生 {cn_date(row.birth_date)}，入党 {cn_date(row.joined_on)}），"
                "《党章》规定年满十八岁方可入党，请核对日期",
            )
        )
    if row.full_member_on is not None and row.full_member_on < row.joined_on:
        problems.append(("full_member_on", "转正日期早于入党日期"))
    return problems


# --- reading a workbook ---------------------------------------------------------------------


def _read_bytes(file: Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise RosterFileError(
            f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请删去无关的工作表或图片后再上传"
        )
    if not data:
        raise RosterFileError("文件是空的（0 字节），请重新选择名册文件")
    return data


def _open_workbook(data: bytes) -> Any:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise RosterFileError(
            "这是旧版 Excel（.xls）文件或设有打开密码的文件；请在 Excel 或 WPS 中取消密码，"
            "并“另存为” Excel 工作簿（.xlsx）后再上传"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        if data[:2] == b"PK":
            raise RosterFileError(
                "文件已损坏，无法打开；请在 Excel 或 WPS 中打开后重新保存为 .xlsx"
            ) from None
        raise RosterFileError(
            "这不是 Excel 工作簿（.xlsx）文件（可能是 CSV、WPS 表格或其他格式）；"
            "请在 Excel 或 WPS 中“另存为” .xlsx 后再上传"
        ) from None
    if "xl/workbook.xml" not in names:
        raise RosterFileError("这不是 Excel 工作簿（.xlsx）文件（可能是 Word 文档或其他压缩包）")
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError("文件解压后过大，请只保留党员名册一个工作表后再上传")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:
        logger.warning("roster workbook could not be opened", exc_info=True)
        raise RosterFileError(
            "文件无法打开（可能已损坏）；请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再上传"
        ) from None


def _find_header(sheet: Any) -> tuple[int, list[Any], dict[str, int]] | None:
    """The first row (within the first rows) that names the 姓名 column, with its columns."""
    for index, values in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
        keys = [_header_key(v) for v in values]
        if "姓名" not in keys:
            continue
        found: dict[str, int] = {}
        for position, key in enumerate(keys):
            name = ALIASES.get(key)
            if name is None:
                continue
            if name in found:
                first = get_column_letter(found[name] + 1)
                raise RosterFileError(
                    f"工作表“{sheet.title}”第 {index} 行的表头中，“{values[found[name]]}”（{first} 列）和"
                    f"“{values[position]}”（{get_column_letter(position + 1)} 列）是同一项，请只保留一列"
                )
            found[name] = position
        return index, list(values), found
    return None


def _looks_like_roster(sheet: Any) -> bool:
    try:
        return _find_header(sheet) is not None
    except RosterFileError:
        return True


def parse_roster(file: Any, today: date | None = None) -> RosterReading:
    """Read a roster workbook without looking at the database (see :func:`read_roster`)."""
    today = today or timezone.localdate()
    workbook = _open_workbook(_read_bytes(file))
    try:
        return _parse_workbook(workbook, today)
    except RosterFileError:
        raise
    except Exception:
        logger.warning("roster workbook could not be read", exc_info=True)
        raise RosterFileError(
            "文件内容无法读取（可能已损坏）；请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再上传"
        ) from None
    finally:
        workbook.close()


def _parse_workbook(workbook: Any, today: date) -> RosterReading:
    sheets = [s for s in workbook.worksheets if s.title != INSTRUCTIONS_SHEET]
    if not sheets:
        raise RosterFileError("工作簿中没有工作表")
    active = workbook.active if workbook.active in sheets else sheets[0]
    ordered = [active, *(s for s in sheets if s is not active)]
    for sheet in ordered:
        sheet.reset_dimensions()  # some programs write a wrong size; read what is really there
    for sheet in ordered:
        header = _find_header(sheet)
        if header is not None:
            break
    else:
        names = "、".join(f"“{s.title}”" for s in ordered)
        raise RosterFileError(
            f"在工作表{names}的前 {HEADER_SEARCH_ROWS} 行中没有找到表头；"
            "表头须有“姓名”“性别”“民族”“出生日期”“入党日期”等列，可下载导入模板对照"
        )
    header_row, header_values, positions = header
    missing = [c.title for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        raise RosterFileError(
            f"工作表“{sheet.title}”第 {header_row} 行的表头缺少"
            + "、".join(f"“{m}”" for m in missing)
            + "列，请对照导入模板补上"
        )
    columns = {
        name: (get_column_letter(pos + 1), _text(header_values[pos]) or COLUMN_BY_FIELD[name].title)
        for name, pos in positions.items()
    }
    reading = RosterReading(sheet=sheet.title, header_row=header_row, columns=columns)
    month_only_rows = 0
    for index, values in enumerate(
        sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
    ):
        cells = {name: values[pos] if pos < len(values) else None for name, pos in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        reading.data_rows += 1
        if reading.data_rows > MAX_ROWS:
            raise RosterFileError(f"名册超过 {MAX_ROWS} 行，请分成几个文件导入")
        row, errors, month_only, partial = _parse_row(sheet.title, index, cells, columns, today)
        month_only_rows += month_only
        if row is not None:
            reading.rows.append(row)
        else:
            reading.partial[index] = partial
        reading.errors.extend(errors)
    if reading.data_rows == 0:
        raise RosterFileError(f"工作表“{sheet.title}”的表头（第 {header_row} 行）下面没有党员信息")
    other = [s.title for s in ordered if s is not sheet and _looks_like_roster(s)]
    if other:
        reading.notes.append(
            "工作簿中的工作表"
            + "、".join(f"“{t}”" for t in other)
            + f"也像党员名册，本次只读取了“{sheet.title}”"
        )
    if month_only_rows:
        letter, header_text = columns["birth_date"]
        reading.notes.append(
            f"{header_text}（{letter} 列）有 {month_only_rows} 行只写了年月，按当月 1 日登记"
        )
    if "status" not in columns:
        reading.notes.append("文件中没有“党员类别”列：有转正日期的按正式党员登记，没有的按预备党员登记")
    return reading


def _parse_row(
    sheet: str, index: int, cells: dict[str, Any], columns: dict[str, tuple[str, str]], today: date
) -> tuple[RosterRow | None, list[RowError], bool, tuple[str, str]]:
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def error(name: str, message: str) -> None:
        # A check on a column the file lacks is reported on the nearest column it has.
        for candidate in (name, "full_member_on", "joined_on"):
            if candidate in columns:
                letter, header = columns[candidate]
                break
        errors.append(RowError(sheet, index, letter, header, message))

    def read(name: str, parse: Any) -> None:
        if name in broken:
            return
        try:
            values[name] = parse(cells.get(name))
        except _CellError as problem:
            error(name, str(problem))

    def header_of(name: str) -> str:
        return columns[name][1] if name in columns else COLUMN_BY_FIELD[name].title

    broken = {n for n, v in cells.items() if isinstance(v, str) and v.strip() in EXCEL_ERRORS}
    for name in broken:
        error(name, f"{header_of(name)}是公式的错误值“{cells[name].strip()}”，请填写实际内容")
    read("name", parse_name)
    read("gender", parse_gender)
    read("ethnicity", parse_ethnicity)
    read("status", parse_status)
    read("phone", parse_phone)
    read("id_number", parse_id_number)
    for profile_name in PROFILE_NAMES:
        if profile_name in broken:
            continue
        try:
            values[profile_name] = parse_profile(profile_name, cells.get(profile_name))
        except ProfileError as problem:
            error(profile_name, str(problem))
    month_only = False
    for name, allow_month in (("birth_date", True), ("joined_on", False), ("full_member_on", False)):
        raw = cells.get(name)
        if name in broken:
            continue
        if name == "full_member_on" and _text(raw) == "":
            values[name] = None
            continue
        if _text(raw) == "" and not isinstance(raw, date):
            error(name, f"{header_of(name)}未填写")
            continue
        try:
            values[name], only = parse_date(raw, header_of(name), allow_month, today)
        except _CellError as problem:
            error(name, str(problem))
        else:
            month_only = month_only or only
    values["organization_name"] = (
        "" if "organization" in broken else str(cells.get("organization") or "").strip()
    )
    partial = (values["organization_name"], values.get("id_number", ""))
    if errors:
        return None, errors, month_only, partial

    if values["status"] is None:
        values["status"] = FULL if values["full_member_on"] else PROBATIONARY
    row = RosterRow(row=index, **values)
    for name, message in row_problems(row, today):
        error(name, message)
    if row.id_number:
        for message in _id_mismatches(row, month_only):
            error("id_number", message)
    return (None if errors else row), errors, month_only, partial


def _id_mismatches(row: RosterRow, month_only: bool) -> list[str]:
    problems = []
    born = date(int(row.id_number[6:10]), int(row.id_number[10:12]), int(row.id_number[12:14]))
    same = (born.year, born.month) == (row.birth_date.year, row.birth_date.month)
    if not same or (not month_only and born != row.birth_date):
        problems.append(
            f"身份证号中的出生日期 {cn_date(born)} 与出生日期 {cn_date(row.birth_date)} 不一致，请核对"
        )
    gender = "男" if int(row.id_number[16]) % 2 else "女"
    if gender != row.gender:
        problems.append(f"身份证号显示为{gender}性，与性别“{row.gender}”不一致，请核对")
    return problems


# --- checks against the database -----------------------------------------------------------


def _resolve_organizations(
    names: Iterable[str], actor: Any, default_org: Organization
) -> dict[str, Organization | str]:
    """Each organization name in the file: the organization rows go to, or why they cannot."""
    by_name: dict[str, list[Organization]] = defaultdict(list)
    wanted = set(names)
    for org in Organization.objects.filter(name__in=wanted):
        by_name[org.name].append(org)
    resolved: dict[str, Organization | str] = {}
    for name in wanted:
        found = by_name.get(name, [])
        active = [o for o in found if o.is_active]
        managed = [o for o in active if can_manage(actor, o)]
        if any(o.pk == default_org.pk for o in managed):
            resolved[name] = default_org
        elif len(managed) == 1:
            resolved[name] = managed[0]
        elif managed:
            beneath = [o for o in managed if o.path.startswith(default_org.path)]
            if len(beneath) == 1:
                resolved[name] = beneath[0]
            else:
                resolved[name] = (
                    f"您管理的范围内有 {len(managed)} 个名为“{name}”的党组织，无法确定是哪一个；"
                    "请到该党组织的名册页面导入，并清空这一列"
                )
        elif active:
            resolved[name] = f"“{name}”不在您的管理范围内，不能向它导入党员"
        elif found:
            resolved[name] = f"“{name}”已撤销，不能向它导入党员"
        else:
            resolved[name] = f"系统中没有名为“{name}”的党组织（名称须与系统中的完全一致）"
    return resolved


def _id_clash_message(existing: Member, actor: Any, target: Organization) -> str:
    left = "（已不在册）" if existing.left_on else ""
    if existing.organization_id == target.pk:
        return (
            f"这个身份证号已登记在本组织党员{existing.name}名下{left}，不重复导入；需要修改的请在名册中编辑"
        )
    if can_read(actor, existing.organization):
        return f"这个身份证号已登记在“{existing.organization.name}”党员{existing.name}名下{left}"
    return "这个身份证号已登记在其他党组织（不在您的管理范围内），调入的党员请办理组织关系转接"


def read_roster(
    file: Any, *, actor: Any, default_org: Organization, today: date | None = None
) -> RosterReading:
    """Read a roster workbook for ``actor`` importing on ``default_org``'s page; save nothing.

    On top of :func:`parse_roster`: routes each row to the organization its 所在党组织 names (an
    active organization ``actor`` manages; blank means ``default_org``), and reports ID numbers
    repeated in the file or already registered, and members without an ID number whose name and
    birth date are already on the target roster.
    """
    reading = parse_roster(file, today)
    return check_against_database(reading, actor, default_org)


def check_against_database(reading: RosterReading, actor: Any, default_org: Organization) -> RosterReading:
    sheet = reading.sheet
    errors: dict[int, list[RowError]] = defaultdict(list)

    def fail(row: int, name: str, message: str) -> None:
        letter, header = reading.columns.get(name) or reading.columns["name"]
        errors[row].append(RowError(sheet, row, letter, header, message))

    # (row, organization name, ID number) of every row, including those with errors in their cells.
    marks = [(r.row, r.organization_name, r.id_number) for r in reading.rows]
    marks += [(row, name, id_number) for row, (name, id_number) in reading.partial.items()]
    targets = _resolve_organizations({name for _, name, _ in marks if name}, actor, default_org)
    target_of: dict[int, Organization] = {}
    for row, name, _ in marks:
        target = targets[name] if name else default_org
        if isinstance(target, str):
            fail(row, "organization", target)
        else:
            target_of[row] = target
    orgs = {o.pk: o for o in target_of.values()} | {default_org.pk: default_org}

    seen: dict[str, list[int]] = defaultdict(list)
    for row, _, id_number in marks:
        if id_number:
            seen[id_number].append(row)
    existing = {
        m.id_number: m for m in Member.objects.filter(id_number__in=list(seen)).select_related("organization")
    }
    for id_number, rows in seen.items():
        for row in rows:
            others = [n for n in rows if n != row]
            if others:
                fail(row, "id_number", "身份证号与第 " + "、".join(map(str, others)) + " 行重复")
            if id_number in existing:
                target = target_of.get(row, default_org)
                fail(row, "id_number", _id_clash_message(existing[id_number], actor, target))

    routed = [replace(r, organization_id=target_of[r.row].pk) for r in reading.rows if r.row in target_of]
    # Names compare as people, not spellings (R-NAME-5): “王 芳” born the same day is 王芳. The
    # database cannot normalize a name, so members are found by birth date and compared here.
    on_roster = {
        (organization_id, canonical_name(name), birth_date)
        for organization_id, name, birth_date in Member.objects.filter(
            organization__in=list(orgs),
            birth_date__in={r.birth_date for r in routed if not r.id_number},
            left_on__isnull=True,
        ).values_list("organization_id", "name", "birth_date")
    }
    unnamed: dict[tuple[int | None, str, date], list[int]] = defaultdict(list)
    for entry in routed:
        if not entry.id_number:
            unnamed[(entry.organization_id, canonical_name(entry.name), entry.birth_date)].append(entry.row)
    for entry in routed:
        if not entry.id_number:
            key = (entry.organization_id, canonical_name(entry.name), entry.birth_date)
            if key in on_roster:
                fail(
                    entry.row,
                    "name",
                    f"名册中已有出生日期相同的党员{entry.name}，可能是重复导入；如确是另一人，请填写身份证号",
                )
            others = [n for n in unnamed[key] if n != entry.row]
            if others:
                fail(
                    entry.row,
                    "name",
                    "与第 "
                    + "、".join(map(str, others))
                    + " 行的姓名、出生日期相同，可能重复；如确是不同的人，请填写身份证号",
                )
    reading.rows = [r for r in routed if r.row not in errors]
    reading.errors = sorted(
        [*reading.errors, *(e for row_errors in errors.values() for e in row_errors)],
        key=lambda e: (e.row, len(e.column), e.column),
    )
    return reading


# --- saving ---------------------------------------------------------------------------------


@transaction.atomic
def import_rows(actor: Any, rows: Sequence[RosterRow], default_org: Organization) -> int:
    """Add the rows' members, all in one transaction or none; return how many were added.

    The same checks as :func:`xuanju.organizations.actions.add_member` (and the reader's) run again,
    since time has passed since the preview: every target organization is active and managed by
    ``actor``, each row is consistent, and no ID number is repeated or already registered. Members
    are created in bulk, the organizations' counts refreshed once, and the audit trail gets one
    ``add_member`` record per member (so each member's history starts with how they came in) and
    one ``import_roster`` record summarizing the batch.
    """
    if not rows:
        raise ActionError("没有可导入的记录")
    today = timezone.localdate()
    org_ids = {row.organization_id or default_org.pk for row in rows}
    orgs = Organization.objects.in_bulk(org_ids)
    problems: list[str] = []
    for pk in org_ids:
        org = orgs.get(pk)
        if org is None or not org.is_active:
            problems.append(f"党组织“{org.name if org else pk}”已撤销或不存在")
        elif not can_manage(actor, org):
            problems.append(f"您不能管理“{org.name}”的党员")
    seen: dict[str, int] = {}
    for row in rows:
        for _name, message in row_problems(row, today):
            problems.append(f"第 {row.row} 行：{message}")
        if row.id_number:
            if row.id_number in seen:
                problems.append(f"第 {row.row} 行：身份证号与第 {seen[row.id_number]} 行重复")
            seen[row.id_number] = row.row
    clashes = {
        m.id_number: m for m in Member.objects.filter(id_number__in=list(seen)).select_related("organization")
    }
    for row in rows:
        if row.id_number in clashes:
            target = orgs.get(row.organization_id or default_org.pk) or default_org
            problems.append(f"第 {row.row} 行：{_id_clash_message(clashes[row.id_number], actor, target)}")
    if problems:
        shown = "；".join(problems[:5])
        more = f"；另有 {len(problems) - 5} 处问题" if len(problems) > 5 else ""
        raise ActionError(f"没有导入任何记录：{shown}{more}。请重新上传名册")

    members = [
        Member(organization=orgs[row.organization_id or default_org.pk], **row.member_data()) for row in rows
    ]
    try:
        with transaction.atomic():
            created = Member.objects.bulk_create(members, batch_size=500)
    except IntegrityError:
        raise ActionError("导入时发现身份证号与刚登记的党员重复，没有导入任何记录，请重新上传名册") from None
    recount_members(orgs.values())
    name = _actor_name(actor)
    by_org: dict[str, list[int]] = defaultdict(list)
    for member in created:
        org = orgs[member.organization_id]
        by_org[str(org.pk)].append(member.pk)
        record(
            name,
            "add_member",
            member,
            after=snapshot(member) | {"source": "roster_import"},
            summary=f"名册导入：“{org.name}”新增党员{member.name}",
        )
    record(
        name,
        "import_roster",
        default_org,
        after={"count": len(created), "members": dict(by_org)},
        summary=f"在“{default_org.name}”导入党员名册，新增 {len(created)} 名党员",
    )
    return len(created)


# --- export and template --------------------------------------------------------------------

EXPORT_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "joined_on",
    "full_member_on",
    "status",
    "organization",
    "phone",
    "id_number",
    *PROFILE_NAMES,
)
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
HEADER_ROW = 3
WIDTHS = {
    "name": 12,
    "gender": 6,
    "ethnicity": 8,
    "birth_date": 12,
    "joined_on": 12,
    "full_member_on": 12,
    "status": 10,
    "organization": 28,
    "phone": 15,
    "id_number": 21,
    "education": 12,
    "occupation": 16,
    "front_line": 18,
    "job_title": 24,
}


def _layout(sheet: Any, title: str, subtitle: str) -> None:
    """Title, subtitle and the header row, with column widths and formats."""
    last = get_column_letter(len(EXPORT_COLUMNS) + 1)
    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = subtitle
    sheet.merge_cells(f"A2:{last}2")
    headers = ["序号", *(COLUMN_BY_FIELD[f].title for f in EXPORT_COLUMNS)]
    fill = PatternFill("solid", fgColor="F1ECE9")
    for position, text in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, position, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 6
    for position, name in enumerate(EXPORT_COLUMNS, start=2):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = WIDTHS[name]
        if name in ("phone", "id_number"):
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        elif name in ("birth_date", "joined_on", "full_member_on"):
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _write_row(sheet: Any, row: int, number: int, values: dict[str, Any]) -> None:
    sheet.cell(row, 1, number)
    for position, name in enumerate(EXPORT_COLUMNS, start=2):
        cell = sheet.cell(row, position, values.get(name))
        if name in ("birth_date", "joined_on", "full_member_on"):
            cell.number_format = DATE_FORMAT
        elif name in ("phone", "id_number"):
            cell.number_format = TEXT_FORMAT


def _to_bytes(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


def export_roster(
    org: Organization,
    include_subtree: bool = False,
    full_personal_data: bool | Container[int] = False,
    today: date | None = None,
) -> bytes:
    """The members on ``org``'s roster (and beneath it, with ``include_subtree``) as .xlsx.

    The layout is the import layout, so an exported file imports again: a title row, the header,
    dates as real Excel dates and ID numbers and phones as text. ``full_personal_data`` is True for
    everyone's data in full, or the ids of the organizations whose members' ID numbers and phones
    may be shown in full; the others are masked (and a masked file will not import).
    """
    today = today or timezone.localdate()
    members = Member.objects.on_roll().select_related("organization")
    members = members.within(org) if include_subtree else members.filter(organization=org)
    members = members.order_by("organization__path", "name", "pk")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    count = 0
    masked = False
    rows: list[dict[str, Any]] = []
    for member in members.iterator(chunk_size=2000):
        count += 1
        if isinstance(full_personal_data, bool):
            full = full_personal_data
        else:
            full = member.organization_id in full_personal_data
        masked = masked or not full
        values = {name: getattr(member, name) for name in EXPORT_COLUMNS if name != "organization"}
        values["status"] = STATUS_TEXT[member.status]
        values["organization"] = member.organization.name
        values["phone"] = (member.phone if full else mask(member.phone)) or None
        values["id_number"] = (member.id_number if full else mask(member.id_number)) or None
        rows.append(values)
    subtitle = f"导出日期：{today:%Y年%m月%d日}　在册党员 {count} 名"
    if include_subtree:
        subtitle += "（含下级党组织）"
    if masked:
        subtitle += "　身份证号、联系电话已部分隐藏"
    _layout(sheet, f"{org.name}党员名册", subtitle)
    for number, values in enumerate(rows, start=1):
        _write_row(sheet, HEADER_ROW + number, number, values)
    return _to_bytes(workbook)


def _example_id() -> str:
    first17 = "11010519850312002"
    return first17 + id_check_digit(first17)


def roster_template(org: Organization | None = None) -> bytes:
    """The blank import layout: notes on every header, drop-down lists, and an example sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    name = org.name if org is not None else "XX党支部"
    _layout(
        sheet,
        f"{name}党员名册",
        "请从第 4 行起每行填写一名党员；表头不要改动。填写要求见各列表头的批注和“填写说明”工作表。",
    )
    for position, field_name in enumerate(EXPORT_COLUMNS, start=2):
        column = COLUMN_BY_FIELD[field_name]
        comment = Comment(column.note, "党组织选举工作系统")
        comment.width, comment.height = 220, 80
        sheet.cell(HEADER_ROW, position).comment = comment
    first, last = HEADER_ROW + 1, HEADER_ROW + 2000
    for field_name, choices in (("gender", '"男,女"'), ("status", '"正式党员,预备党员"')):
        letter = get_column_letter(EXPORT_COLUMNS.index(field_name) + 2)
        validation = DataValidation(type="list", formula1=choices, allow_blank=True)
        validation.error = "请从下拉列表中选择"
        validation.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 80
    guide["A1"] = "填写说明"
    guide["A1"].font = Font(size=14, bold=True)
    for offset, field_name in enumerate(EXPORT_COLUMNS, start=3):
        column = COLUMN_BY_FIELD[field_name]
        guide.cell(offset, 1, column.title).font = Font(bold=True)
        guide.cell(offset, 2, column.note)
    notes_end = 3 + len(EXPORT_COLUMNS)
    guide.cell(notes_end + 1, 1, "其他").font = Font(bold=True)
    guide.cell(
        notes_end + 1,
        2,
        "表头可以不在第 1 行（上面可以有标题行）；列的顺序不限；“序号”等其他列不会导入。"
        f"每个文件最多 {MAX_ROWS} 行、{MAX_FILE_BYTES // (1024 * 1024)} MB。本工作表不会被导入。",
    )
    guide.cell(notes_end + 3, 1, "填写示例").font = Font(bold=True)
    example_row = notes_end + 4
    headers = ["序号", *(COLUMN_BY_FIELD[f].title for f in EXPORT_COLUMNS)]
    for position, text in enumerate(headers, start=1):
        guide.cell(example_row, position, text).font = Font(bold=True)
    _write_row(
        guide,
        example_row + 1,
        1,
        {
            "name": "王芳",
            "gender": "女",
            "ethnicity": "汉族",
            "birth_date": date(1985, 3, 12),
            "joined_on": date(2008, 7, 1),
            "full_member_on": date(2009, 7, 1),
            "status": "正式党员",
            "organization": name,
            "phone": "13800000000",
            "id_number": _example_id(),
            "education": "大学本科",
            "occupation": "专业技术人员",
            "front_line": "专业技术人员一线",
            "job_title": "东村小学教师",
        },
    )
    return _to_bytes(workbook)


def export_filename(org: Organization, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{org.name}党员名册-{today:%Y%m%d}.xlsx"
