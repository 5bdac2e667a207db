"""Every change users can make to organizations, members, committees and terms.

Each action is one transaction: it checks the rules, performs the change and appends the audit
record (R-SUP-4). Views parse and authorize, then call exactly one action. Bad requests raise
:class:`ActionError` with a Chinese message; nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.display import cn_date
from xuanju.organizations.models import (
    Committee,
    CommitteeSeat,
    Member,
    Organization,
    Reminder,
    Restriction,
    TermAdjustment,
    Transfer,
)
from xuanju.organizations.profile import PROFILE_NAMES
from xuanju.rules.terms import AdjustmentProblem, adjustment_problem, term_dates, term_years
from xuanju.rules.voting import MembershipStatus

# ActionError's home is xuanju.shell; imported from here by modules not yet moved over.
from xuanju.shell import ActionError as ActionError
from xuanju.shell import actor_name as _actor

# --- organizations ------------------------------------------------------------------------


def recount_members(organizations: Iterable[Organization]) -> None:
    """Refresh the stored member counts of ``organizations`` from the roster."""
    ids = [org.pk for org in organizations]
    counts = {
        row["organization"]: row
        for row in Member.objects.filter(organization__in=ids, left_on__isnull=True)
        .values("organization")
        .annotate(total=Count("id"), full=Count("id", filter=Q(status=MembershipStatus.FULL.value)))
    }
    for org in Organization.objects.filter(pk__in=ids):
        row = counts.get(org.pk, {"total": 0, "full": 0})
        change_total, change_full = row["total"] - org.member_count, row["full"] - org.full_member_count
        if change_total or change_full:
            Organization.objects.filter(pk=org.pk).update(
                member_count=row["total"], full_member_count=row["full"]
            )
            _add_to_subtree_counts([*org.ancestor_paths(), org.path], change_total, change_full)


def _add_to_subtree_counts(paths: list[str], total: int, full: int) -> None:
    Organization.objects.filter(path__in=paths).update(
        subtree_member_count=F("subtree_member_count") + total,
        subtree_full_member_count=F("subtree_full_member_count") + full,
    )


@transaction.atomic
def create_organization(
    actor: Any,
    parent: Organization | None,
    name: str,
    kind: str,
    sector: str,
    founded_on: date | None = None,
) -> Organization:
    if parent is not None and not parent.is_active:
        raise ActionError(f"上级党组织“{parent.name}”已撤销，不能在其下新建组织", "parent")
    if parent is not None and parent.kind == "branch":
        raise ActionError("党支部之下不能再设党组织，请选择党委或党总支作为上级", "parent")
    fields: dict[str, Any] = {"name": name.strip(), "kind": kind, "sector": sector}
    if founded_on is not None:
        fields["founded_on"] = founded_on
    tree = Organization.objects
    org = tree.add_child(parent, fields) if parent is not None else tree.add_root(fields)
    record(_actor(actor), "create_organization", org, after=snapshot(org), summary=f"新建党组织“{org.name}”")
    return org


@transaction.atomic
def update_organization(actor: Any, org: Organization, **changes: Any) -> Organization:
    before = snapshot(org)
    for field, value in changes.items():
        setattr(org, field, value)
    org.save()
    record(
        _actor(actor),
        "update_organization",
        org,
        before=before,
        after=snapshot(org),
        summary=f"修改“{org.name}”",
    )
    return org


@transaction.atomic
def move_organization(actor: Any, org: Organization, new_parent: Organization) -> Organization:
    if new_parent.path.startswith(org.path):
        raise ActionError("不能把党组织移到它自己或它的下级组织之下", "parent")
    if new_parent.kind == "branch":
        raise ActionError("党支部之下不能再设党组织", "parent")
    if not new_parent.is_active:
        raise ActionError(f"“{new_parent.name}”已撤销", "parent")
    org.refresh_from_db()  # its path and counts may have changed since the caller loaded it
    old_parent = Organization.objects.get_parent(org)
    before = {"parent": old_parent.pk if old_parent else None}
    total, full = org.subtree_member_count, org.subtree_full_member_count
    _add_to_subtree_counts(org.ancestor_paths(), -total, -full)
    Organization.objects.move(org, new_parent, "sorted-child")
    org.refresh_from_db()
    _add_to_subtree_counts(org.ancestor_paths(), total, full)
    record(
        _actor(actor),
        "move_organization",
        org,
        before=before,
        after={"parent": new_parent.pk},
        summary=f"“{org.name}”隶属关系调整到“{new_parent.name}”",
    )
    return org


@transaction.atomic
def merge_organizations(actor: Any, source: Organization, target: Organization, on: date) -> Organization:
    """Merge ``source`` into ``target``: its members transfer, its sub-organizations move, it is
    dissolved."""
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ActionError("不能合并到自身或自己的下级组织", "target")
    if not target.is_active:
        raise ActionError(f"“{target.name}”已撤销", "target")
    for child in list(Organization.objects.get_children(source)):
        if child.is_active:
            move_organization(actor, child, target)
    for member in list(Member.objects.filter(organization=source, left_on__isnull=True)):
        transfer_member(actor, member, target, on)
    source.refresh_from_db()
    dissolve_organization(actor, source, on)
    record(
        _actor(actor),
        "merge_organizations",
        target,
        before={"source": source.pk},
        after={"target": target.pk},
        summary=f"“{source.name}”并入“{target.name}”",
    )
    return target


@transaction.atomic
def dissolve_organization(actor: Any, org: Organization, on: date) -> Organization:
    if not org.is_active:
        raise ActionError(f"“{org.name}”已于 {cn_date(org.dissolved_on)} 撤销")
    if Member.objects.filter(organization=org, left_on__isnull=True).exists():
        raise ActionError("这个党组织还有在册党员，请先转出党员或与其他组织合并")
    if Organization.objects.get_children(org).filter(dissolved_on__isnull=True).exists():
        raise ActionError("这个党组织还有下级组织，请先调整或撤销下级组织")
    before = snapshot(org)
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on"])
    Committee.objects.filter(organization=org, is_current=True).update(is_current=False)
    record(
        _actor(actor),
        "dissolve_organization",
        org,
        before=before,
        after=snapshot(org),
        summary=f"撤销“{org.name}”",
    )
    return org


# --- members ------------------------------------------------------------------------------

MEMBER_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "joined_on",
    "full_member_on",
    "status",
    "phone",
    "id_number",
    *PROFILE_NAMES,
]


def _check_member(data: dict[str, Any], exclude_pk: int | None = None) -> None:
    if data["status"] == MembershipStatus.FULL.value and not data.get("full_member_on"):
        raise ActionError("正式党员须填写转正日期", "full_member_on")
    if data["status"] == MembershipStatus.PROBATIONARY.value and data.get("full_member_on"):
        raise ActionError("预备党员不应有转正日期", "full_member_on")
    if data["joined_on"] < data["birth_date"]:
        raise ActionError("入党日期不能早于出生日期", "joined_on")
    if data.get("full_member_on") and data["full_member_on"] < data["joined_on"]:
        raise ActionError("转正日期不能早于入党日期", "full_member_on")
    id_number = data.get("id_number") or ""
    if id_number:
        clash = Member.objects.filter(id_number=id_number)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            raise ActionError("这个身份证号已登记在其他党员名下", "id_number")


@transaction.atomic
def add_member(actor: Any, org: Organization, **data: Any) -> Member:
    if not org.is_active:
        raise ActionError(f"“{org.name}”已撤销，不能添加党员")
    _check_member(data)
    values = {field: data.get(field) for field in MEMBER_FIELDS}
    values["ethnicity"] = values["ethnicity"] or "汉族"
    values["phone"] = values["phone"] or ""
    values["id_number"] = values["id_number"] or ""
    for name in PROFILE_NAMES:
        values[name] = values[name] or ""
    member = Member.objects.create(organization=org, **values)
    recount_members([org])
    record(
        _actor(actor),
        "add_member",
        member,
        after=snapshot(member),
        summary=f"“{org.name}”新增党员{member.name}",
    )
    return member


@transaction.atomic
def update_member(actor: Any, member: Member, **data: Any) -> Member:
    merged = {field: getattr(member, field) for field in MEMBER_FIELDS} | data
    _check_member(merged, exclude_pk=member.pk)
    before = snapshot(member)
    for field, value in data.items():
        setattr(member, field, value)
    member.save()
    recount_members([member.organization])
    record(
        _actor(actor),
        "update_member",
        member,
        before=before,
        after=snapshot(member),
        summary=f"修改党员{member.name}",
    )
    return member


@transaction.atomic
def transfer_member(actor: Any, member: Member, to: Organization, on: date) -> Transfer:
    if member.left_on is not None:
        raise ActionError(f"{member.name}已不在册")
    if to.pk == member.organization_id:
        raise ActionError("转入组织与现在的组织相同", "to")
    if not to.is_active:
        raise ActionError(f"“{to.name}”已撤销", "to")
    source = member.organization
    transfer = Transfer.objects.create(member=member, from_organization=source, to_organization=to, on=on)
    member.organization = to
    member.save(update_fields=["organization"])
    recount_members([source, to])
    vacancies.member_transferred(actor, member, on)  # a seat outside the new organization falls vacant
    record(
        _actor(actor),
        "transfer_member",
        member,
        before={"organization_id": source.pk},
        after={"organization_id": to.pk, "on": on.isoformat()},
        summary=f"{member.name}由“{source.name}”转入“{to.name}”",
    )
    return transfer


@transaction.atomic
def remove_member(actor: Any, member: Member, on: date, reason: str, kind: str = "transferred_out") -> Member:
    """The member is no longer on the roster; ``kind`` (transferred_out, death, other) says which
    vacancy a committee seat of theirs becomes (xuanju.organizations.vacancies)."""
    before = snapshot(member)
    member.left_on = on
    member.save(update_fields=["left_on"])
    recount_members([member.organization])
    vacancies.member_left(actor, member, on, kind, reason)
    record(
        _actor(actor),
        "remove_member",
        member,
        before=before,
        after=snapshot(member) | {"reason": reason},
        summary=f"{member.name}不再在册：{reason}",
    )
    return member


@transaction.atomic
def add_restriction(
    actor: Any, member: Member, kind: str, start: date, end: date | None, document: str
) -> Restriction:
    if end is not None and end < start:
        raise ActionError("结束日期不能早于开始日期", "end")
    restriction = Restriction.objects.create(
        member=member, kind=kind, start=start, end=end, document=document
    )
    record(
        _actor(actor),
        "add_restriction",
        restriction,
        after=snapshot(restriction),
        summary=f"{member.name}：{restriction.get_kind_display()}",
    )
    vacancies.restriction_added(actor, restriction)  # R-VOTE-3/4: the seat falls vacant
    return restriction


@transaction.atomic
def end_restriction(actor: Any, restriction: Restriction, end: date) -> Restriction:
    if end < restriction.start:
        raise ActionError("结束日期不能早于开始日期", "end")
    before = snapshot(restriction)
    restriction.end = end
    restriction.save(update_fields=["end"])
    record(_actor(actor), "end_restriction", restriction, before=before, after=snapshot(restriction))
    return restriction


# --- committees and terms -----------------------------------------------------------------


@dataclass(frozen=True)
class SeatInput:
    member: Member
    post: str


def set_term_dates(committee: Committee, approved_date: date | None = None) -> None:
    """Store the dates the rules give the committee's term (R-TERM-1/2/3); the caller saves."""
    dates = term_dates(committee.elected_on, committee.term_years, approved_date)
    committee.term_end, committee.reelection_due, committee.remind_from = (
        dates.term_end,
        dates.due,
        dates.remind_from,
    )


@transaction.atomic
def record_committee(
    actor: Any, org: Organization, elected_on: date, seats: list[SeatInput], has_committee: bool = True
) -> Committee:
    """Record the committee elected on ``elected_on`` as the current one (R-TERM-1)."""
    if elected_on > timezone.localdate():
        raise ActionError("选举日期不能晚于今天", "elected_on")
    members = [s.member for s in seats]
    if len({m.pk for m in members}) != len(members):
        raise ActionError("同一名党员在委员会中出现了两次", "seats")
    for seat in seats:
        # A party committee's or general branch's members belong to the branches beneath it.
        if not seat.member.organization.path.startswith(org.path) or seat.member.left_on is not None:
            raise ActionError(f"{seat.member.name}不是本组织（含下级组织）的在册党员", "seats")
        if not seat.member.is_full:
            raise ActionError(f"{seat.member.name}是预备党员，没有被选举权（R-VOTE-2）", "seats")
    if sum(1 for s in seats if s.post == "secretary") != 1:
        raise ActionError("须有且只有一名书记", "seats")
    years = term_years(org.kind_enum, org.sector_enum)  # R-TERM-1
    previous = Committee.objects.filter(organization=org, is_current=True).first()
    if previous is not None:
        if elected_on <= previous.elected_on:
            raise ActionError(f"新一届的选举日期须晚于上一届（{cn_date(previous.elected_on)}）", "elected_on")
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    committee = Committee(
        organization=org, elected_on=elected_on, term_years=years, has_committee=has_committee
    )
    set_term_dates(committee)
    committee.save()
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(committee=committee, member=s.member, post=s.post) for s in seats
    )
    record(
        _actor(actor),
        "record_committee",
        committee,
        after=snapshot(committee) | {"seats": [[s.member.pk, s.post] for s in seats]},
        summary=f"“{org.name}”{cn_date(elected_on)}选举产生新一届{'委员会' if has_committee else '书记'}，任期{years}年",
    )
    return committee


@transaction.atomic
def record_term_adjustment(
    actor: Any,
    committee: Committee,
    kind: str,
    new_date: date,
    approved_on: date,
    approved_by: Organization,
    document: str,
    reason: str,
    exceptional: bool = False,
    document_file: Any = None,
) -> TermAdjustment:
    """Record the upper level's approval to delay or advance a re-election (R-TERM-2)."""
    if not committee.is_current:
        raise ActionError("只能为本届委员会办理延期或提前换届")
    if kind == "delay" and new_date <= committee.term_end:
        raise ActionError(f"延期换届的日期须晚于届满日期 {cn_date(committee.term_end)}", "new_date")
    if kind == "advance" and new_date >= committee.term_end:
        raise ActionError(f"提前换届的日期须早于届满日期 {cn_date(committee.term_end)}", "new_date")
    problem = adjustment_problem(committee.term_end, new_date, exceptional)  # R-TERM-2
    if problem is AdjustmentProblem.EXCEEDS_ONE_YEAR:
        raise ActionError(
            "延期或提前换届一般不超过 1 年（R-TERM-2）；确需超过的，须有上级的特别批准并勾选“特殊批准”",
            "new_date",
        )
    if problem is AdjustmentProblem.NO_CHANGE:
        raise ActionError("批准的日期与届满日期相同，无需办理", "new_date")
    if (
        not committee.organization.path.startswith(approved_by.path)
        or approved_by.pk == committee.organization_id
    ):
        raise ActionError("批准机关须是这个党组织的上级党组织", "approved_by")
    adjustment = TermAdjustment.objects.create(
        committee=committee,
        kind=kind,
        new_date=new_date,
        approved_on=approved_on,
        approved_by=approved_by,
        document=document.strip(),
        reason=reason.strip(),
        exceptional=exceptional,
        document_file=document_file or "",
    )
    before = snapshot(committee)
    set_term_dates(committee, new_date)
    committee.save(update_fields=["term_end", "reelection_due", "remind_from"])
    record(
        _actor(actor),
        "record_term_adjustment",
        adjustment,
        before=before,
        after=snapshot(adjustment) | {"reelection_due": committee.reelection_due.isoformat()},
        summary=f"“{committee.organization.name}”{adjustment.get_kind_display()}至{cn_date(new_date)}（{document}）",
    )
    return adjustment


@transaction.atomic
def send_reminder(actor: Any, sender: Organization, org: Organization, message: str) -> Reminder:
    """The upper level reminds an organization that its re-election is due (R-TERM-3)."""
    committee = Committee.objects.filter(organization=org, is_current=True).first()
    if committee is None:
        raise ActionError(f"“{org.name}”还没有登记本届委员会，无法计算换届日期")
    reminder = Reminder.objects.create(
        organization=org,
        sent_by=sender,
        sent_at=timezone.now(),
        sender_name=_actor(actor),
        due=committee.reelection_due,
        message=message.strip(),
    )
    record(
        _actor(actor),
        "send_reminder",
        reminder,
        after=snapshot(reminder),
        summary=f"提醒“{org.name}”按期换届",
    )
    return reminder


@transaction.atomic
def mark_reminder_read(actor: Any, reminder: Reminder) -> Reminder:
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
        record(_actor(actor), "read_reminder", reminder, after={"read_at": reminder.read_at.isoformat()})
    return reminder


ELECTED_POSTS = {"secretary", "deputy_secretary"}


@transaction.atomic
def assign_divisions(actor: Any, committee: Committee, divisions: dict[int, str]) -> Committee:
    """The committee's division of work among its members (委员分工: organization, propaganda,
    discipline …). The secretary and deputies are elected and approved (R-CAND-5, R-RPT-3), so
    their posts are not changed here."""
    if not committee.is_current:
        raise ActionError("只能为本届委员会分工")
    seats = {seat.member_id: seat for seat in committee.seats.all()}
    before = {str(k): s.post for k, s in seats.items()}
    for member_id, post in divisions.items():
        seat = seats.get(member_id)
        if seat is None:
            raise ActionError("分工的人须是本届委员会委员")
        if post in ELECTED_POSTS or seat.post in ELECTED_POSTS:
            if post != seat.post:
                raise ActionError("书记、副书记由选举产生并经上级批准，不能在分工中改变（R-CAND-5、R-RPT-3）")
            continue
        seat.post = post
        seat.save(update_fields=["post"])
    record(
        _actor(actor),
        "assign_divisions",
        committee,
        before=before,
        after={str(k): s.post for k, s in seats.items()},
        summary=f"“{committee.organization.name}”委员分工",
    )
    vacancies.divisions_changed(committee, before, seats.values())  # the committee's history
    return committee


# The vacancy hooks above import this module's ActionError: imported last, after it exists.
from xuanju.organizations import vacancies  # noqa: E402
