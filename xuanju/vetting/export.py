"""The slate as .xlsx: one sheet of the people with their profiles, vetting and condition checks,
one of the structure against the upper level's targets. Organizers and the upper level only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xuanju.elections.models import Candidate, Election, Post
from xuanju.rules.conditions import EducationLevel
from xuanju.rules.voting import completed_years, party_age
from xuanju.spreadsheet import workbook_bytes
from xuanju.vetting.assessment import record_of, vetting_summary
from xuanju.vetting.conditions import LEVEL_NAME, check_member, conditions_text, profile_of
from xuanju.vetting.models import VettingRecord
from xuanju.vetting.structure import AGE_BAND_NAMES, SLATE_STAGES, outgoing_members, slate_structure

CANDIDATES_SHEET = "预备人选"
STRUCTURE_SHEET = "班子结构"
HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "姓名", 10),
    ("gender", "性别", 6),
    ("ethnicity", "民族", 8),
    ("birth_date", "出生日期", 12),
    ("age", "年龄", 6),
    ("party_age", "党龄", 6),
    ("education", "学历", 12),
    ("occupation", "职业（岗位）", 16),
    ("current_post", "现任职务", 20),
    ("front_line", "一线", 6),
    ("returning", "上届委员", 9),
    ("posts", "预备人选职务", 14),
    ("vetting", "考察结论", 40),
    ("conditions", "条件核对", 40),
)
FILL = PatternFill("solid", fgColor="F1ECE9")


def slate_document(election: Election) -> dict[str, Any]:
    """The slate's profile rows and its structure against the targets, as plain values, for the
    .xlsx export and the candidate request (关于候选人预备人选的请示)."""
    team = slate_structure(election)
    on = team.on
    posts: dict[int, list[str]] = {}
    records: dict[int, VettingRecord | None] = {}
    for candidate in (
        Candidate.objects.filter(contest__election=election, stage__in=SLATE_STAGES)
        .select_related("contest", "vetting_record")
        .order_by("contest__position")
    ):
        posts.setdefault(candidate.member_id, []).append(candidate.contest.get_post_display())
        if candidate.contest.post == Post.COMMITTEE_MEMBER or candidate.member_id not in records:
            records[candidate.member_id] = record_of(candidate)
    returning = outgoing_members(election)
    rows = []
    for member in team.people:
        profile = profile_of(member)
        check = check_member(member, election)
        rows.append(
            {
                "name": member.name,
                "gender": member.gender,
                "ethnicity": member.ethnicity,
                "birth_date": member.birth_date,
                "age": completed_years(member.birth_date, on),
                "party_age": party_age(member.full_member_on if member.is_full else None, on),
                "education": profile.get_education_display() if profile and profile.education else "",
                "occupation": profile.occupation if profile else "",
                "current_post": profile.current_post if profile else "",
                "front_line": bool(profile and profile.front_line),
                "returning": member.pk in returning,
                "posts": "、".join(posts.get(member.pk, [])),
                "vetting": vetting_summary(records.get(member.pk)),
                "conditions_met": check.passed,
                "conditions": "符合" if check.passed else "；".join(check.reasons),
            }
        )
    s = team.structure
    structure = {
        "size": s.size,
        "seats": team.seats,
        "women": s.women,
        "minorities": s.minorities,
        "average_age": None if s.average_age is None else round(s.average_age, 1),
        "youngest": s.youngest,
        "oldest": s.oldest,
        "age_bands": dict(zip(AGE_BAND_NAMES, s.age_bands, strict=True)),
        "education": {LEVEL_NAME[level]: s.education_count(level) for level in EducationLevel}
        | ({"未登记": s.education_unknown} if s.education_unknown else {}),
        "college_or_above": s.college_or_above,
        "occupations": dict(s.occupations),
        "front_line": s.front_line,
        "returning": s.returning,
        "new": s.new,
    }
    return {
        "on": on,
        "candidates": rows,
        "structure": structure,
        "targets": team.target_rows,
        "unreachable": team.unreachable,
        "at_risk": team.at_risk,
        "conditions": conditions_text(election),
    }


def _title(sheet: Any, title: str, subtitle: str, width: int) -> None:
    last = get_column_letter(width)
    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = subtitle
    sheet.merge_cells(f"A2:{last}2")


def _header(sheet: Any, row: int, titles: list[str]) -> None:
    for position, text in enumerate(titles, start=1):
        cell = sheet.cell(row, position, text)
        cell.font = Font(bold=True)
        cell.fill = FILL
        cell.alignment = Alignment(horizontal="center")


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def slate_workbook(election: Election, today: date | None = None) -> bytes:
    """The slate of ``election`` as an .xlsx workbook (bytes)."""
    today = today or timezone.localdate()
    document = slate_document(election)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CANDIDATES_SHEET
    rows = document["candidates"]
    _title(
        sheet,
        f"{election.organization.name}换届选举预备人选情况",
        f"导出日期：{today:%Y年%m月%d日}　年龄、党龄按选举日 {document['on']:%Y年%m月%d日} 计算　共 {len(rows)} 人",
        len(COLUMNS) + 1,
    )
    _header(sheet, HEADER_ROW, ["序号", *(title for _, title, _ in COLUMNS)])
    sheet.column_dimensions["A"].width = 6
    for position, (_, _, width) in enumerate(COLUMNS, start=2):
        sheet.column_dimensions[get_column_letter(position)].width = width
    for number, values in enumerate(rows, start=1):
        row = HEADER_ROW + number
        sheet.cell(row, 1, number)
        for position, (field, _, _) in enumerate(COLUMNS, start=2):
            cell = sheet.cell(row, position, _cell_value(values.get(field)))
            if field == "birth_date":
                cell.number_format = DATE_FORMAT
            if field in ("vetting", "conditions"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"

    structure = workbook.create_sheet(STRUCTURE_SHEET)
    s = document["structure"]
    _title(structure, "预备人选结构", f"预备人选 {s['size']} 人，应选 {s['seats']} 人", 4)
    structure.column_dimensions["A"].width = 24
    structure.column_dimensions["B"].width = 12
    structure.column_dimensions["C"].width = 28
    structure.column_dimensions["D"].width = 12
    _header(structure, HEADER_ROW, ["项目", "人数", "上级要求", "是否达到"])
    line = HEADER_ROW + 1
    targets = {t["name"]: t for t in document["targets"]}

    def put(name: str, value: Any) -> None:
        nonlocal line
        structure.cell(line, 1, name)
        structure.cell(line, 2, value)
        target = targets.pop(name, None)
        if target is not None:
            structure.cell(line, 3, target["target"])
            structure.cell(line, 4, "达到" if target["met"] else "未达到")
        line += 1

    put("女性", s["women"])
    put("少数民族", s["minorities"])
    put("平均年龄", s["average_age"])
    put("最小年龄", s["youngest"])
    put("最大年龄", s["oldest"])
    for band, count in s["age_bands"].items():
        put(f"年龄 {band}", count)
    for level, count in s["education"].items():
        put(f"学历：{level}", count)
    put("大专以上学历", s["college_or_above"])
    for occupation, count in s["occupations"].items():
        put(f"职业：{occupation}", count)
    put("生产、工作一线", s["front_line"])
    put("新进", s["new"])
    put("连任", s["returning"])
    for target in list(targets.values()):  # targets with no line above (e.g. 35 岁及以下)
        put(target["name"], target["actual"])
    line += 1
    notes = [
        *(f"无法达到：{t}" for t in document["unreachable"]),
        *(f"须注意：{t}" for t in document["at_risk"]),
    ]
    if document["conditions"]:
        notes.append("上级提出的条件：" + "；".join(document["conditions"]))
    for note in notes:
        structure.cell(line, 1, note)
        structure.merge_cells(start_row=line, start_column=1, end_row=line, end_column=4)
        line += 1
    return workbook_bytes(workbook)


def slate_filename(election: Election, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{election.organization.name}预备人选情况-{today:%Y%m%d}.xlsx"
