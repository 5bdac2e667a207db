"""Member profile columns (学历、职业、一线情况、工作单位及职务) as the national Party-member
information system (全国党员管理信息系统) and county staff keep them.

They are free text in those files (the categories changed over the years), so they are stored as
written, trimmed and length-checked; the roster import, the member form and the roster page read
the column list from here so that the roster module does not grow with every extra column.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileField:
    field: str
    title: str
    aliases: tuple[str, ...]
    max_length: int
    note: str


PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField(
        "education",
        "学历",
        ("学历", "文化程度", "最高学历", "全日制学历"),
        30,
        "如“大学本科”“高中”，可留空",
    ),
    ProfileField(
        "occupation", "职业", ("职业", "现职业", "工作岗位", "人员类型"), 50, "如“农牧渔民”“企业管理人员”"
    ),
    ProfileField(
        "front_line", "一线情况", ("一线情况", "是否一线", "一线"), 50, "如“农牧渔民一线”“工勤技能人员一线”"
    ),
    ProfileField(
        "job_title",
        "工作单位及职务",
        ("工作单位及职务", "工作单位及职务职称", "现任职务", "职务", "单位职务"),
        100,
        "如“东村村委会主任”",
    ),
)
PROFILE_NAMES = tuple(p.field for p in PROFILE_FIELDS)
PROFILE_BY_FIELD = {p.field: p for p in PROFILE_FIELDS}


class ProfileError(ValueError):
    """A profile cell that cannot be stored; the message is Chinese."""


def parse_profile(name: str, value: Any) -> str:
    """A profile cell as stored text: full-width forms folded, inner line breaks made spaces."""
    spec = PROFILE_BY_FIELD[name]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).replace("\u200b", "").replace("\ufeff", "")
    text = " ".join(text.split())
    if len(text) > spec.max_length:
        raise ProfileError(f"{spec.title}“{text[:20]}…”超过 {spec.max_length} 个字")
    return text
