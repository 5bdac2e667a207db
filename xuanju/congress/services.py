"""Read-side questions of a congress, answered by the rules over stored data: the units' members,
the allocation table, the composition, the credentials findings and whether the congress can open.

The pure decisions are in :mod:`xuanju.rules.quota`, :mod:`xuanju.congress.composition`,
:mod:`xuanju.rules.meeting` and :mod:`xuanju.rules.candidates`; this module loads and words them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from xuanju.congress.composition import CompositionTargets, Target, TargetRow, UnitOutlook, composition_rows
from xuanju.congress.models import (
    HOLDING,
    Congress,
    Delegate,
    DelegateStatus,
    ElectoralUnit,
    Grounds,
    UnitElection,
)
from xuanju.elections.models import Approval, Candidate, Election, ElectionStatus
from xuanju.formats.wording import NO_MEMBERS_NO_BASE
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.rules.candidates import minimum_candidates
from xuanju.rules.meeting import has_quorum
from xuanju.rules.names import stroke_key
from xuanju.rules.quota import QUOTA_NORMAL_MAX, QUOTA_NORMAL_MIN
from xuanju.spreadsheet import workbook_bytes
from xuanju.vetting.services import NO_RIGHT_TEXT, day_text, structure_person

DELEGATE_POST = "delegate"  # elections.Post.DELEGATE
FORMAL_CONTINUES = "以已确认的正式代表召开大会"


# --- which congress an election belongs to -------------------------------------------------


def congress_of(election: Election) -> Congress | None:
    """The congress at which ``election`` (a committee election with form congress) is held."""
    return Congress.objects.filter(election=election).select_related("election__organization").first()


def unit_election_of(election: Election) -> UnitElection | None:
    """The unit and congress of ``election`` when it is a unit's election of delegates."""
    return (
        UnitElection.objects.filter(election=election)
        .select_related("unit__congress__election__organization")
        .first()
    )


# --- units and their members ----------------------------------------------------------------


def unit_members(unit: ElectoralUnit) -> QuerySet[Member]:
    """Members on the roll of the unit's organizations and beneath them."""
    return Member.objects.within(*unit.organizations.all()).on_roll()


def unit_full_members(unit: ElectoralUnit) -> int:
    return unit_members(unit).filter(status="full").count()


def subtree_full_members(org: Organization) -> int:
    return Member.objects.filter(
        organization__path__startswith=org.path, left_on__isnull=True, status="full"
    ).count()


def lead_organization(unit: ElectoralUnit) -> Organization:
    """The organization that holds the unit's election: its first organization (by tree order)."""
    first = unit.organizations.order_by("path").first()
    assert first is not None, "an electoral unit has at least one organization"
    return first


# --- allocation (R-DEL-2/3) -------------------------------------------------------------------


def allocation_total(congress: Congress) -> int:
    return sum(u.seats for u in congress.units.all())


def allocation_problem(congress: Congress) -> str | None:
    """Why the allocation cannot go to the upper level or to the units yet, or None."""
    units = list(congress.units.all())
    if not units:
        return "还没有选举单位（R-DEL-3）"
    if congress.allocated_on is None:
        return "还没有分配代表名额（R-DEL-3）"
    total = sum(u.seats for u in units)
    if total != congress.delegates_total:
        return (
            f"各选举单位调整后的名额合计 {total} 名，与代表名额 {congress.delegates_total} 名不符；"
            f"调整须增减相抵（R-DEL-3）"
        )
    # R-DEL-3: a unit without full members has nobody to elect a delegate and gets no seat
    if any(u.seats < 1 and u.full_members for u in units):
        return "每个有正式党员的选举单位至少应有 1 名代表名额（R-DEL-3）"
    return None


def quota_note(congress: Congress) -> str:
    if QUOTA_NORMAL_MIN <= congress.delegates_total <= QUOTA_NORMAL_MAX:
        return ""
    return f"代表名额 {congress.delegates_total} 名不在一般的 100 至 200 名之间，理由：{congress.quota_reason}（R-DEL-2）"


def allocation_rows(congress: Congress) -> list[dict[str, Any]]:
    return [
        {
            "unit": u,
            "name": u.name,
            "organizations": "、".join(o.name for o in u.organizations.order_by("path")),
            "organization_count": u.organizations.count(),
            "full_members": u.full_members,
            "quota": u.quota,
            "allocated": u.allocated,
            "adjustment": u.adjustment,
            "seats": u.seats,
            "reason": u.adjustment_reason,
            # R-DEL-3: why a unit has no seat at all
            "note": NO_MEMBERS_NO_BASE if congress.allocated_on and not u.full_members else "",
        }
        for u in congress.units.prefetch_related("organizations")
    ]


ALLOCATION_HEADERS = [
    "选举单位",
    "所含党组织",
    "正式党员数",
    "按比例计算（取整前）",
    "分配名额",
    "调整",
    "最终名额",
    "调整理由",
]


def allocation_xlsx(congress: Congress) -> bytes:
    """The allocation table as .xlsx, as the request to the upper level states it (R-RPT-1)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名额分配"
    sheet.append(
        [
            f"{congress}代表名额分配方案（代表名额 {congress.delegates_total} 名，每单位基础名额 {congress.base_per_unit} 名）"
        ]
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append(ALLOCATION_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in allocation_rows(congress):
        sheet.append(
            [
                row["name"],
                row["organizations"],
                row["full_members"],
                float(row["quota"]),
                row["allocated"],
                row["adjustment"],
                row["seats"],
                row["reason"],
            ]
        )
        sheet.cell(sheet.max_row, 4).number_format = "0.00"
    sheet.append(
        [
            "合计",
            "",
            sum(u.full_members for u in congress.units.all()),
            "",
            "",
            "",
            allocation_total(congress),
            "",
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (30, 50, 12, 18, 10, 8, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)


def targets_of(congress: Congress) -> CompositionTargets:
    return CompositionTargets(
        front_line_percent=congress.front_line_percent,
        women_percent=congress.women_percent,
        min_minorities=congress.min_minorities,
        max_over_55_percent=congress.max_over_55_percent,
        min_under_35=congress.min_under_35,
    )


def targets_text(congress: Congress) -> list[str]:
    """The composition targets as the request states them (R-DEL-3)."""
    lines = []
    if congress.front_line_percent is not None:
        lines.append(f"生产和工作一线代表不少于 {congress.front_line_percent}%")
    if congress.women_percent is not None:
        lines.append(f"女性代表不少于 {congress.women_percent}%")
    if congress.min_minorities is not None:
        lines.append(f"少数民族代表至少 {congress.min_minorities} 名")
    if congress.max_over_55_percent is not None:
        lines.append(f"55 岁以上代表不超过 {congress.max_over_55_percent}%")
    if congress.min_under_35 is not None:
        lines.append(f"35 岁及以下代表至少 {congress.min_under_35} 名")
    if congress.sectors.strip():
        lines.append(congress.sectors.strip())
    return lines


def plan_content(congress: Congress) -> dict[str, Any]:
    """What the congress adds to the request to hold the election (R-RPT-1, R-DEL-1/2/3)."""
    from xuanju.congress.composition import required_counts

    return {
        "grounds": congress.get_grounds_display(),
        "grounds_note": congress.grounds_note,
        "delegates_total": congress.delegates_total,
        "quota_reason": congress.quota_reason,
        "base_per_unit": congress.base_per_unit,
        "composition": targets_text(congress),
        "composition_counts": {
            target.value: count
            for target, count in required_counts(congress.delegates_total, targets_of(congress))
        },
        "allocation": [
            {
                "unit": row["name"],
                "organizations": row["organizations"],
                "full_members": row["full_members"],
                "quota": round(float(row["quota"]), 2),
                "allocated": row["allocated"],
                "adjustment": row["adjustment"],
                "seats": row["seats"],
                "reason": row["reason"],
            }
            for row in allocation_rows(congress)
        ],
        "method": f"每个选举单位先分配基础名额 {congress.base_per_unit} 名，其余按正式党员人数比例以最大余数法分配（R-DEL-3）",
        "problem": allocation_problem(congress) or "",
    }


def plan_approved(congress: Congress) -> bool:
    """The upper level approved the request that carried the quota and allocation (R-DEL-1/2, R-RPT-1)."""
    return Approval.objects.filter(
        election=congress.election, kind=Approval.Kind.PLAN, decision=Approval.Decision.APPROVED
    ).exists()


def plan_open(congress: Congress) -> bool:
    """The congress's quota, targets and units can change while the election is being planned."""
    return congress.election.status == ElectionStatus.PLANNING


# --- delegates and the composition (R-DEL-3) ----------------------------------------------------


def congress_day(congress: Congress) -> date:
    """The day rights and ages are judged on: the preparatory meeting if held, else the planned date."""
    meeting = getattr(congress, "preparatory_meeting", None)
    return meeting.held_on if meeting is not None else congress.election.planned_on


def holding_delegates(congress: Congress) -> QuerySet[Delegate]:
    return congress.delegates.filter(status__in=HOLDING)


def formal_delegates(congress: Congress) -> QuerySet[Delegate]:
    return congress.delegates.filter(status=DelegateStatus.FORMAL).select_related("member", "unit")


def seats_left(unit: ElectoralUnit) -> int:
    return max(0, unit.seats - unit.delegates.filter(status__in=HOLDING).count())


def _open_candidates(unit: ElectoralUnit) -> list[Member] | None:
    """Candidates of the unit's open delegates election (None when no list is known yet)."""
    open_elections = [
        ue.election
        for ue in unit.elections.select_related("election")
        if ue.election.status
        not in (
            ElectionStatus.COMPLETED,
            ElectionStatus.REFUSED,
            ElectionStatus.VOIDED,
        )
    ]
    people = [
        c.member
        for c in Candidate.objects.filter(
            contest__election__in=open_elections,
            contest__post=DELEGATE_POST,
            stage__in=[Candidate.Stage.PROVISIONAL, Candidate.Stage.CANDIDATE],
        ).select_related("member__profile")
    ]
    return people or None


TARGET_NAMES = {
    Target.FRONT_LINE: ("生产和工作一线", "至少 {n} 名"),
    Target.WOMEN: ("女性", "至少 {n} 名"),
    Target.MINORITIES: ("少数民族", "至少 {n} 名"),
    Target.UNDER_35: ("35 岁及以下", "至少 {n} 名"),
    Target.OVER_55: ("55 岁以上", "不超过 {n} 名"),
}


def _row_text(row: TargetRow, open_seats: int) -> str:
    name = TARGET_NAMES[row.target][0]
    if row.target is Target.OVER_55:
        if not row.reachable:
            return f"55 岁以上代表至少将有 {row.best} 名，超过 {row.required} 名的要求（R-DEL-3）"
        return ""
    if not row.reachable:
        return (
            f"{name}代表即使其余 {open_seats} 个名额都由符合条件的人选当选，最多也只有 {row.best} 名，"
            f"达不到 {row.required} 名的要求：请在尚未选举的选举单位调整人选（R-DEL-3）"
        )
    if row.short:
        return f"{name}代表目前 {row.actual} 名，还差 {row.required - row.actual} 名，须在尚未选出的名额中解决（R-DEL-3）"
    return ""


def composition(congress: Congress) -> dict[str, Any]:
    """The delegates so far and the units' candidates against the targets (R-DEL-3)."""
    on = congress_day(congress)
    units = list(congress.units.all())
    delegates = [d.member for d in holding_delegates(congress).select_related("member__profile")]
    people = [structure_person(m, set()) for m in delegates]
    outlooks = []
    unit_rows = []
    for unit in units:
        left = seats_left(unit)
        candidates = _open_candidates(unit) if left else None
        outlooks.append(
            UnitOutlook(
                left, [structure_person(m, set()) for m in candidates] if candidates is not None else None
            )
        )
        if left:
            unit_rows.append({"unit": unit, "seats_left": left, "candidates": len(candidates or [])})
    open_seats = sum(o.seats_left for o in outlooks)
    rows = composition_rows(people, outlooks, congress.delegates_total, targets_of(congress), on)
    return {
        "on": on,
        "delegates": len(people),
        "open_seats": open_seats,
        "units_left": unit_rows,
        "rows": [
            {
                "name": TARGET_NAMES[r.target][0],
                "target": TARGET_NAMES[r.target][1].format(n=r.required),
                "required": r.required,
                "actual": r.actual,
                "share": round(r.actual * 100 / len(people), 1) if people else None,
                "best": r.best,
                "met": r.met,
                "reachable": r.reachable,
                "warning": _row_text(r, open_seats),
            }
            for r in rows
        ],
    }


# --- credentials (R-DEL-6) --------------------------------------------------------------------


def procedure_findings(election: Election) -> list[str]:
    """What the unit election's records show against the procedure: the meeting's quorum (R-MEET-1),
    the candidates' surplus (R-DEL-4, R-CAND-2) and the convening committee's review (R-DEL-5).
    Empty when nothing is wrong on record."""
    found = []
    meeting = election.meetings.filter(roll_closed=True).order_by("held_on", "pk").first()
    if meeting is None:
        found.append("没有选举大会点名结束的记录")
    elif not has_quorum(meeting.present, meeting.entitled):
        found.append(f"实到会 {meeting.present} 人，未超过应到会 {meeting.entitled} 人的五分之四（R-MEET-1）")
    for contest in election.contests.filter(post=DELEGATE_POST):
        count = contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).count()
        if count < minimum_candidates(contest.seats):
            found.append(
                f"应选代表 {contest.seats} 名，候选人 {count} 名，差额不足 20%（至少 {minimum_candidates(contest.seats)} 名，R-DEL-4）"
            )
    approved = election.approvals.filter(
        kind=Approval.Kind.CANDIDATES, decision=Approval.Decision.APPROVED
    ).exists()
    if not approved:
        found.append("代表候选人预备人选未经审查同意（R-DEL-5）")
    return found


def eligibility_findings(delegate: Delegate, on: date) -> list[str]:
    """Why the delegate lacks the rights a delegate needs on the congress day (R-VOTE, R-DEL-6)."""
    member = delegate.member
    rights = rights_of(member, on)
    if rights.can_vote and rights.can_stand:
        return []
    if member.left_on is not None and member.left_on <= on:
        return [f"已于 {day_text(member.left_on)} 离开本组织，不再在册"]
    texts = [NO_RIGHT_TEXT.get(getattr(r, "value", str(r)), str(r)) for r in rights.reasons]
    return [f"{day_text(on)}{t}" for t in texts] or [f"{day_text(on)}没有选举权和被选举权"]


def report_rows(congress: Congress) -> list[dict[str, Any]]:
    """The credentials group's report: each unit's seats and its formal delegates (R-DEL-6)."""
    by_unit: dict[int, list[Delegate]] = {}
    for delegate in sorted(formal_delegates(congress), key=lambda d: stroke_key(d.member.name)):  # R-NAME-1
        by_unit.setdefault(delegate.unit_id, []).append(delegate)
    return [
        {
            "unit": u,
            "seats": u.seats,
            "delegates": by_unit.get(u.pk, []),
            "vacant": max(0, u.seats - len(by_unit.get(u.pk, []))),
        }
        for u in congress.units.all()
    ]


def report_xlsx(congress: Congress) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "正式代表名单"
    sheet.append([f"{congress}正式代表名单（代表资格审查报告，{day_text(congress_day(congress))}）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["选举单位", "名额", "姓名", "性别", "民族", "出生日期", "当选得票"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    vacant = PatternFill("solid", fgColor="FDE2E1")
    for row in report_rows(congress):
        for d in row["delegates"]:
            m = d.member
            sheet.append(
                [row["unit"].name, row["seats"], m.name, m.gender, m.ethnicity, m.birth_date, d.votes]
            )
            sheet.cell(sheet.max_row, 6).number_format = "yyyy-mm-dd"
        if row["vacant"]:
            sheet.append([row["unit"].name, row["seats"], f"缺额 {row['vacant']} 名", "", "", None, None])
            for cell in sheet[sheet.max_row]:
                cell.fill = vacant
    for column, width in zip("ABCDEFG", (30, 8, 12, 6, 8, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)


# --- can the congress open (R-DEL-6) ----------------------------------------------------------


def readiness_problem(congress: Congress) -> str | None:
    """Why the congress cannot open yet, or None.

    Only formal delegates vote (R-DEL-6). The congress opens when every seat has a formal delegate;
    or, when a unit cannot re-elect or replace in time, once the organizers record the decision to
    open with the delegates confirmed — provided the formal delegates are more than four fifths of
    the quota, so that the congress could be quorate even measured against the full quota
    (R-MEET-1). Either way the preparatory meeting must first adopt the credentials report.
    """
    meeting = getattr(congress, "preparatory_meeting", None)
    if meeting is None:
        return "预备会议尚未召开（R-DEL-6）"
    if not meeting.credentials_report_adopted:
        return "预备会议尚未通过代表资格审查报告（R-DEL-6）"
    formal = formal_delegates(congress).count()
    if formal >= congress.delegates_total:
        return None
    if congress.opening_decision.strip():
        return None
    return (
        f"正式代表 {formal} 名，代表名额 {congress.delegates_total} 名，还有 {congress.delegates_total - formal} 个名额"
        f"没有正式代表：请组织重新选举或补选，或记录以已确认的正式代表召开大会的决定（R-DEL-6）"
    )


def grounds_problem(org: Organization, grounds: str) -> str | None:
    """R-DEL-1: 500 or more full members in the organization's subtree, or scattered units."""
    if grounds == Grounds.MEMBERS_500:
        count = subtree_full_members(org)
        if count < 500:
            return f"{org.name}（含下级组织）正式党员 {count} 人，不足 500 人；所属党组织驻地分散的请选择相应理由（R-DEL-1）"
    elif grounds != Grounds.SCATTERED:
        return "请选择召开党员代表大会的理由（R-DEL-1）"
    return None
