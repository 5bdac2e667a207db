"""A workbook to typed rows and row-by-row errors, within the file's limits; nothing is saved."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook

from xuanju.display import cn_date
from xuanju.organizations.profile import PROFILE_NAMES, ProfileError, parse_profile
from xuanju.organizations.roster.columns import (
    ALIASES,
    COLUMN_BY_FIELD,
    COLUMNS,
    FULL,
    PROBATIONARY,
    RosterFileError,
    RosterReading,
    RosterRow,
    RowError,
)
from xuanju.organizations.roster.table import HEADER_SEARCH_ROWS, find_header, locate_table
from xuanju.organizations.roster.values import (
    EXCEL_ERRORS,
    _CellError,
    _text,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_id_number,
    parse_name,
    parse_phone,
    parse_status,
    row_problems,
)

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a small .xlsx that unpacks to gigabytes is refused
MAX_ROWS = 20_000


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


def _is_roster_header(keys: list[str]) -> bool:
    return "姓名" in keys


def _looks_like_roster(sheet: Any) -> bool:
    try:
        return find_header(sheet, ALIASES, _is_roster_header, RosterFileError) is not None
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
    table = locate_table(
        workbook,
        columns=COLUMNS,
        is_header=_is_roster_header,
        error=RosterFileError,
        not_found=lambda names: (
            f"在工作表{names}的前 {HEADER_SEARCH_ROWS} 行中没有找到表头；"
            "表头须有“姓名”“性别”“民族”“出生日期”“入党日期”等列，可下载导入模板对照"
        ),
    )
    sheet, header_row, columns = table.sheet, table.header_row, table.columns
    reading = RosterReading(sheet=sheet.title, header_row=header_row, columns=columns)
    month_only_rows = 0
    for index, cells in table.rows():
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
    other = [s.title for s in table.searched if s is not sheet and _looks_like_roster(s)]
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
