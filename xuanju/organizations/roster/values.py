"""One cell's value to a typed field: dates, ID numbers, phones, gender, ethnicity, status and
names, and the checks across one row. Pure: no database, so each parser is tested on its own."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from xuanju.display import cn_date
from xuanju.organizations.personal_data import check_id_number, check_phone
from xuanju.organizations.roster.columns import COLUMN_BY_FIELD, FULL, PROBATIONARY, RosterRow
from xuanju.rules.terms import add_months

ADULT_MONTHS = 18 * 12  # 《党章》第一条：年满十八岁
EARLIEST_YEAR = 1900


EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"})


class _CellError(Exception):
    pass


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
