"""What an inspector or the upper level should look at: the compliance items of the elections and
organizations they supervise, computed from the database on request.

Every kind of item is one query over the user's whole scope (no per-organization queries), and
every decision is the rules' own: overdue re-elections are the re-election monitor's bucket
(:class:`xuanju.organizations.services.MonitorFilters`, confirmed with ``status_of``), the candidate
surplus is :func:`xuanju.rules.candidates.slate_problem`, quorum failures and void rounds are the
status the tally engine stored in ``Round.result``.

Thresholds chosen here (the Regulations give no number):

* ``RESULTS_REPORT_DAYS`` = 15 calendar days from the last meeting to the results report (R-RPT-3):
  room for a 5-working-day results notice (公示) and the paperwork, short enough that a report
  forgotten for weeks shows.
* A plan (请示) is late when it is submitted after the re-election was due (the term end, or the
  approved delayed date) of the committee in office at the time (R-TERM-2).
* A members' meeting held before the upper level consented to the candidates — or with no such
  consent at all — skipped an approval (R-RPT-2, R-RPT-4).

An election's audit trail, and the state of the audit chain, are :mod:`xuanju.supervision.trail`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, overload

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from xuanju.accounts.models import User
from xuanju.display import cn_date
from xuanju.elections.actions import NOTICE_STEP
from xuanju.elections.models import (
    CLOSED_STATUSES,
    RULE_POST,
    Approval,
    Candidate,
    Contest,
    Election,
    ElectionStatus,
    Meeting,
    Objection,
    Post,
    PublicNotice,
    Round,
)
from xuanju.organizations.models import Committee, Organization
from xuanju.organizations.scope import is_supervisor, supervised_q
from xuanju.organizations.services import MonitorFilters, status_of
from xuanju.rules.candidates import SlateProblem, minimum_candidates, slate_problem
from xuanju.rules.terms import TermState

RESULTS_REPORT_DAYS = 15
OPEN_ELECTION = ~Q(status__in=CLOSED_STATUSES)
SLATE_FIXED = [  # from here on the slate no longer changes, so a short one is a finding
    ElectionStatus.CANDIDATES_SUBMITTED,
    ElectionStatus.CANDIDATES_APPROVED,
    ElectionStatus.MEETING,
    ElectionStatus.PLENARY,
    ElectionStatus.RESULTS_SUBMITTED,
    ElectionStatus.COMPLETED,
]


class Kind(StrEnum):
    OVERDUE = "overdue"
    PLAN_LATE = "plan_late"
    MEETING_BEFORE_APPROVAL = "meeting_before_approval"
    RESULTS_LATE = "results_late"
    SURPLUS_LOW = "surplus_low"
    QUORUM_FAILED = "quorum_failed"
    ROUND_VOID = "round_void"
    OPEN_OBJECTION = "open_objection"
    OPEN_REPORT = "open_report"
    VACANCY_LATE = "vacancy_late"


KIND_TEXT = {
    Kind.OVERDUE: "逾期未换届",
    Kind.PLAN_LATE: "届满后才请示换届",
    Kind.MEETING_BEFORE_APPROVAL: "未经批复召开选举大会",
    Kind.RESULTS_LATE: "选举结果报送迟延",
    Kind.SURPLUS_LOW: "差额比例不足",
    Kind.QUORUM_FAILED: "到会人数不足",
    Kind.ROUND_VOID: "投票无效",
    Kind.OPEN_OBJECTION: "公示问题未答复",
    Kind.OPEN_REPORT: "举报未办结",
    Kind.VACANCY_LATE: "补选不及时",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Item:
    kind: Kind
    organization_id: int
    organization_name: str
    organization_path: str
    election_id: int | None
    on: date | None  # the date of the fact (meeting, submission, due date …)
    rule: str
    explanation: str  # Chinese, ends with the rule ID
    links: tuple[Link, ...]

    @property
    def kind_text(self) -> str:
        return KIND_TEXT[self.kind]


@dataclass(frozen=True)
class Findings:
    items: Sequence[Item]  # those of the chosen kind, or all
    counts: dict[Kind, int]  # every kind, before the kind filter


# --- who supervises what ------------------------------------------------------------------


#: What ``user`` supervises, as a filter (old name: the rule is in xuanju.organizations.scope).
scope_q = supervised_q


def reach(user: User, root: Organization | None, prefix: str = "") -> Q:
    """The user's scope, narrowed to ``root``'s subtree when a filter names one."""
    q = scope_q(user, prefix)
    return q & Q(**{f"{prefix}path__startswith": root.path}) if root is not None else q


def may_filter_by(user: User, root: Organization) -> bool:
    """A subtree filter must lie inside the user's reach (their own organization included)."""
    if user.is_superuser:
        return True
    own = user.organization
    return is_supervisor(user) and own is not None and root.path.startswith(own.path)


# --- the items ----------------------------------------------------------------------------


_PK = 918273645  # a stand-in pk, replaced in the reversed URL (one reverse() per name, not per item)


@lru_cache(maxsize=64)
def _url_pattern(name: str, urlconf: Any, prefix: str) -> tuple[str, str] | None:
    try:
        url = reverse(name, args=[_PK], urlconf=urlconf)
    except NoReverseMatch:
        return None
    head, _, tail = url.partition(str(_PK))
    return head, tail


def _url(name: str, pk: Any) -> str | None:
    if not isinstance(pk, int):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            return None
    pattern = _url_pattern(name, get_urlconf(), get_script_prefix())
    return None if pattern is None else f"{pattern[0]}{pk}{pattern[1]}"


def _links(*pairs: tuple[str, str, Any]) -> tuple[Link, ...]:
    links = []
    for label, name, pk in pairs:
        url = _url(name, pk) if pk is not None else None
        if url:
            links.append(Link(label, url))
    return tuple(links)


def _item(
    kind: Kind,
    org: Organization,
    election_id: int | None,
    on: date | None,
    rule: str,
    explanation: str,
    *links: tuple[str, str, Any],
) -> Item:
    return Item(kind, org.pk, org.name, org.path, election_id, on, rule, explanation, _links(*links))


def _election_link(election_id: int | None) -> tuple[str, str, int | None]:
    return ("换届选举", "election_detail", election_id)


def _overdue_committees(user: User, root: Organization | None, today: date) -> QuerySet[Committee] | None:
    """The re-election monitor's overdue bucket over the user's scope, in the page's order."""
    filters = MonitorFilters(today)
    start = root or (None if user.is_superuser else user.organization)
    roots = [start] if start is not None else list(Organization.objects.filter(depth=1))
    if not roots:
        return None
    base = filters.base(roots[0])
    for other in roots[1:]:
        base = base | filters.base(other)
    return filters.bucket(base, TermState.OVERDUE).filter(scope_q(user, "organization__"))


def _overdue_item_list(committees: QuerySet[Committee], today: date) -> list[Item]:
    open_election = Election.objects.filter(OPEN_ELECTION, organization=OuterRef("organization")).values(
        "pk"
    )[:1]
    rows = committees.select_related("organization").annotate(open_election=Subquery(open_election))
    items = []
    for committee in rows:
        if status_of(committee, today).state is not TermState.OVERDUE:  # the rules have the last word
            continue
        org = committee.organization
        days = (today - committee.reelection_due).days
        waiting = "，换届选举正在进行" if committee.open_election else "，尚未发起换届选举"
        items.append(
            _item(
                Kind.OVERDUE,
                org,
                committee.open_election,
                committee.reelection_due,
                "R-TERM-2",
                f"本届委员会{cn_date(committee.elected_on)}选举产生，应于{cn_date(committee.reelection_due)}换届，"
                f"已逾期{days}天{waiting}（R-TERM-2）",
                ("党组织", "organization_detail", org.pk),
                _election_link(committee.open_election),
            )
        )
    return items


def overdue_items(user: User, root: Organization | None, today: date) -> list[Item]:
    """R-TERM-2/3: the re-election monitor's overdue bucket, over the user's scope."""
    committees = _overdue_committees(user, root, today)
    if committees is None:
        return []
    return _overdue_item_list(committees.order_by("reelection_due", "organization__path"), today)


def plan_late_items(user: User, root: Organization | None) -> list[Item]:
    """R-TERM-2: the first request to hold the re-election was sent after it was due."""
    due = Committee.objects.filter(
        organization=OuterRef("election__organization"), elected_on__lt=OuterRef("submitted_on")
    ).order_by("-elected_on")
    plans = (
        Approval.objects.filter(kind=Approval.Kind.PLAN)
        .filter(reach(user, root, "election__organization__"))
        .annotate(due=Subquery(due.values("reelection_due")[:1]))
        .select_related("election__organization")
        .only("election_id", "submitted_on", "election__organization__name", "election__organization__path")
        .order_by("election_id", "submitted_on", "pk")
    )
    items = []
    seen: set[int] = set()
    for plan in plans:
        if plan.election_id in seen:
            continue
        seen.add(plan.election_id)
        if plan.due is None or plan.submitted_on <= plan.due:
            continue
        org = plan.election.organization
        items.append(
            _item(
                Kind.PLAN_LATE,
                org,
                plan.election_id,
                plan.submitted_on,
                "R-TERM-2",
                f"换届请示{cn_date(plan.submitted_on)}才报送，本届应于{cn_date(plan.due)}换届，"
                f"晚了{(plan.submitted_on - plan.due).days}天，且没有经批准的延期（R-TERM-2）",
                _election_link(plan.election_id),
                ("请示", "election_request", plan.pk),
            )
        )
    return items


def meeting_before_approval_items(user: User, root: Organization | None) -> list[Item]:
    """R-RPT-2/4: a members' meeting held before (or without) the consent to the candidates."""
    consent = Approval.objects.filter(
        election=OuterRef("election"), kind=Approval.Kind.CANDIDATES, decision=Approval.Decision.APPROVED
    ).order_by("decided_on")
    meetings = (
        Meeting.objects.filter(kind__in=[Meeting.Kind.MEMBERS, Meeting.Kind.CONGRESS])
        .filter(reach(user, root, "election__organization__"))
        .annotate(consent_on=Subquery(consent.values("decided_on")[:1]))
        .filter(Q(consent_on__isnull=True) | Q(held_on__lt=Subquery(consent.values("decided_on")[:1])))
        .select_related("election__organization")
        .only("held_on", "election__organization__name", "election__organization__path")
        .order_by("held_on", "pk")
    )
    items = []
    for meeting in meetings:
        if meeting.consent_on is None:
            text = f"党员大会{cn_date(meeting.held_on)}召开，没有上级同意候选人预备人选的批复（R-RPT-2、R-RPT-4）"
        else:
            text = f"党员大会{cn_date(meeting.held_on)}召开，早于上级同意候选人预备人选的批复日期{cn_date(meeting.consent_on)}（R-RPT-4）"
        items.append(
            _item(
                Kind.MEETING_BEFORE_APPROVAL,
                meeting.election.organization,
                meeting.election_id,
                meeting.held_on,
                "R-RPT-4",
                text,
                _election_link(meeting.election_id),
                ("会议", "meeting_detail", meeting.pk),
            )
        )
    return items


def results_late_items(user: User, root: Organization | None, today: date) -> list[Item]:
    """R-RPT-3: the results reported more than RESULTS_REPORT_DAYS after the last meeting, or not
    reported although that many days have passed."""
    first_report = Approval.objects.filter(election=OuterRef("pk"), kind=Approval.Kind.RESULTS).order_by(
        "submitted_on"
    )
    limit = timedelta(days=RESULTS_REPORT_DAYS)
    elections = (
        Election.objects.exclude(status=ElectionStatus.REFUSED)
        .filter(reach(user, root, "organization__"))
        .annotate(
            last_held=Max("meetings__held_on"), reported_on=Subquery(first_report.values("submitted_on")[:1])
        )
        .filter(last_held__lt=today - limit)
        .select_related("organization")
        .only("organization__name", "organization__path")
        .order_by("last_held", "pk")
    )
    items = []
    for election in elections:
        last: date = election.last_held
        reported: date | None = election.reported_on
        if reported is not None and reported - last <= limit:
            continue
        if reported is None:
            text = f"选举会议{last}结束，已过{(today - last).days}天，仍未报送选举结果（应在{RESULTS_REPORT_DAYS}天内，R-RPT-3）"
        else:
            text = f"选举会议{last}结束，{reported}才报送选举结果，间隔{(reported - last).days}天（应在{RESULTS_REPORT_DAYS}天内，R-RPT-3）"
        items.append(
            _item(
                Kind.RESULTS_LATE,
                election.organization,
                election.pk,
                reported or last,
                "R-RPT-3",
                text,
                _election_link(election.pk),
            )
        )
    return items


def surplus_items(user: User, root: Organization | None) -> list[Item]:
    """R-CAND-2/3 on the slate once it is fixed: provisional candidates while the upper level
    reviews them, candidates after its consent. The verdict is the rules' slate_problem."""
    contests = (
        Contest.objects.filter(election__status__in=SLATE_FIXED)
        .filter(reach(user, root, "election__organization__"))
        .annotate(
            provisional=Count("candidates", filter=Q(candidates__stage=Candidate.Stage.PROVISIONAL)),
            confirmed=Count("candidates", filter=Q(candidates__stage=Candidate.Stage.CANDIDATE)),
        )
        .select_related("election__organization")
        .only(
            "post",
            "seats",
            "election__status",
            "election__organization__name",
            "election__organization__path",
        )
        .order_by("election_id", "position")
    )
    items = []
    for contest in contests:
        election = contest.election
        reviewing = election.status == ElectionStatus.CANDIDATES_SUBMITTED
        count = contest.provisional if reviewing else contest.confirmed
        problem = slate_problem(RULE_POST[Post(contest.post)], contest.seats, count)
        if problem is None:
            continue
        stage = "预备人选" if reviewing else "候选人"
        post = contest.get_post_display()
        if problem is SlateProblem.TOO_FEW_CANDIDATES:
            rule = "R-CAND-2"
            text = (
                f"{post}应选{contest.seats}人，{stage}{count}人，差额不足应选人数的20%"
                f"（至少{minimum_candidates(contest.seats)}人，R-CAND-2）"
            )
        else:
            rule = "R-CAND-3"
            text = f"{post}应选{contest.seats}人，{stage}只有{count}人，少于应选人数（R-CAND-3）"
        items.append(
            _item(
                Kind.SURPLUS_LOW,
                election.organization,
                election.pk,
                None,
                rule,
                text,
                _election_link(election.pk),
                ("候选人", "election_candidates", election.pk),
            )
        )
    return items


def round_items(user: User, root: Organization | None) -> list[Item]:
    """R-MEET-1 and R-BAL-5: rounds the tally engine found invalid or void."""
    rounds = (
        Round.objects.filter(result__status__in=["meeting_invalid", "round_void"])
        .filter(reach(user, root, "contest__election__organization__"))
        .select_related("contest__election__organization", "meeting")
        .order_by("meeting__held_on", "pk")
    )
    items = []
    for round_ in rounds:
        result = round_.result or {}
        contest, meeting = round_.contest, round_.meeting
        label = f"{contest.get_post_display()}第{round_.number}轮"
        if result.get("status") == "meeting_invalid":
            kind, rule = Kind.QUORUM_FAILED, "R-MEET-1"
            text = (
                f"{label}：实到会{meeting.present}人，没有超过应到会{meeting.entitled}人的五分之四，"
                "会议不能进行选举（R-MEET-1）"
            )
        else:
            ballots = result.get("ballots", {})
            kind, rule = Kind.ROUND_VOID, "R-BAL-5"
            # the engine's own reason: more returned than issued, or the procedure's strict reading
            reason = next((n for n in result.get("notes", []) if "R-BAL-5" in n), "")
            text = (
                f"{label}：{reason}"
                if reason
                else (
                    f"{label}：收回选票{ballots.get('returned', round_.returned)}张，多于发出的"
                    f"{ballots.get('issued', round_.issued)}张，本轮选举无效，须重新投票（R-BAL-5）"
                )
            )
        items.append(
            _item(
                kind,
                contest.election.organization,
                contest.election_id,
                meeting.held_on,
                rule,
                text,
                _election_link(contest.election_id),
                ("会议", "meeting_detail", meeting.pk),
                ("计票结果", "round_result", round_.pk),
            )
        )
    return items


def objection_items(user: User, root: Organization | None) -> list[Item]:
    """Problems raised during a notice and not yet answered, one item per election and notice kind:
    the candidates cannot go up (R-RPT-2) or the results be reported (R-RPT-3) before the answers."""
    objections = (
        Objection.objects.filter(answered_on__isnull=True)
        .filter(reach(user, root, "notice__election__organization__"))
        .select_related("notice__election__organization")
        .order_by("lodged_on", "pk")
    )
    grouped: dict[tuple[int, str], list[Objection]] = defaultdict(list)
    for objection in objections:
        grouped[(objection.notice.election_id, objection.notice.kind)].append(objection)
    items = []
    for (election_id, kind), group in grouped.items():
        notice = group[0].notice
        step, _ = NOTICE_STEP[PublicNotice.Kind(kind)]
        rule = "R-RPT-2" if kind == PublicNotice.Kind.CANDIDATES else "R-RPT-3"
        items.append(
            _item(
                Kind.OPEN_OBJECTION,
                notice.election.organization,
                election_id,
                group[0].lodged_on,
                rule,
                f"{notice.get_kind_display()}期间反映的{len(group)}个问题尚未答复（最早{group[0].lodged_on}），"
                f"答复前不能{step}（{rule}）",
                _election_link(election_id),
                ("公示", "election_notices", election_id),
            )
        )
    return items


def handled_reports(user: User) -> QuerySet[Any] | None:
    """The misconduct reports (xuanju.supervision.models.Report) the user handles, by the reports
    part's own scope: the upper level's inspectors (R-SUP-2). None where that part is missing."""
    try:
        from xuanju.supervision.actions import reports_for
        from xuanju.supervision.models import Report
    except ImportError:  # the reports part is not installed
        return None
    return Report.objects.all() if user.is_superuser else reports_for(user)


def open_reports(user: User) -> QuerySet[Any] | None:
    """Reports the user handles that are not concluded (status received or investigating)."""
    reports = handled_reports(user)
    return None if reports is None else reports.exclude(status="concluded")


def open_report_items(user: User, root: Organization | None) -> list[Item]:
    """R-SUP-2: misconduct reports not yet concluded, for the inspectors who handle them (the
    organization department does not see them here: reports go to the discipline body). Only the
    fact, the date and the status are shown, never the content or the reporter."""
    reports = open_reports(user)
    if reports is None:
        return []
    if root is not None:
        reports = reports.filter(organization__path__startswith=root.path)
    items = []
    for entry in reports.select_related("organization").order_by("received_on", "pk"):
        received = _first_date(entry, "received_on")
        items.append(
            _item(
                Kind.OPEN_REPORT,
                entry.organization,
                entry.election_id,
                received,
                "R-SUP-2",
                f"{received}收到的举报现为“{entry.get_status_display()}”，尚未办结（R-SUP-2）",
                _election_link(entry.election_id),
                ("举报", "report_detail", entry.pk),
            )
        )
    return items


def vacancy_items(user: User, root: Organization | None, today: date) -> list[Item]:
    """Vacant committee seats open past the 补选不及时 threshold (xuanju.organizations.vacancies;
    《中国共产党支部工作条例（试行）》: a vacancy is filled promptly by a by-election)."""
    from xuanju.organizations.models import Vacancy
    from xuanju.organizations.vacancies import overdue_months
    from xuanju.rules.vacancies import vacancy_age

    months = overdue_months()
    vacancies = (
        Vacancy.objects.filter(
            reach(user, root, "committee__organization__"), filled_on=None, committee__is_current=True
        )
        .select_related("committee__organization", "former_member")
        .order_by("opened_on", "id")
    )
    items = []
    for vacancy in vacancies:
        age = vacancy_age(vacancy.opened_on, today, None, months)
        if not age.overdue:
            continue
        org = vacancy.committee.organization
        who = f"（原{vacancy.former_member.name}）" if vacancy.former_member else ""
        items.append(
            _item(
                Kind.VACANCY_LATE,
                org,
                None,
                vacancy.opened_on,
                "支部条例",
                f"{vacancy.get_post_display()}{who}于{vacancy.opened_on}因{vacancy.get_reason_display()}出缺，"
                f"已空缺{age.days_open}天，超过{months}个月未补选",
                ("党组织", "organization_detail", org.pk),
                ("补选", "by_election_start", org.pk),
            )
        )
    return items


def _first_date(obj: Any, *names: str) -> date | None:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value.date() if hasattr(value, "date") and callable(value.date) else value
    return None


def _other_items(user: User, root: Organization | None, today: date) -> list[Item]:
    """Every kind but the overdue re-elections: these follow the elections, not the county's size."""
    return [
        *plan_late_items(user, root),
        *meeting_before_approval_items(user, root),
        *results_late_items(user, root, today),
        *surplus_items(user, root),
        *round_items(user, root),
        *objection_items(user, root),
        *open_report_items(user, root),
        *vacancy_items(user, root, today),
    ]


def _sort_key(item: Item) -> tuple[int, str, date]:
    return (list(Kind).index(item.kind), item.organization_path, item.on or date.min)


def findings(user: User, today: date, kind: Kind | None = None, root: Organization | None = None) -> Findings:
    """Every compliance item the user supervises (within ``root``'s subtree when given), with the
    count of each kind; ``items`` holds only ``kind`` when given."""
    items = [*overdue_items(user, root, today), *_other_items(user, root, today)]
    counts = {k: 0 for k in Kind}
    for item in items:
        counts[item.kind] += 1
    if kind is not None:
        items = [i for i in items if i.kind == kind]
    items.sort(key=_sort_key)
    return Findings(items, counts)


class PagedItems(Sequence[Item]):
    """The items in :func:`findings`' order for a paginated page: the overdue re-elections (as many
    as the county has overdue committees, thousands) are counted and sliced in SQL, as the
    re-election monitor does; the other kinds, which follow the elections, are built in full."""

    def __init__(self, committees: QuerySet[Committee] | None, overdue: int, rest: list[Item], today: date):
        self.committees, self.overdue, self.rest, self.today = committees, overdue, rest, today

    def __len__(self) -> int:
        return self.overdue + len(self.rest)

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...
    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        items: list[Item] = []
        if start < self.overdue and self.committees is not None:
            page = self.committees.order_by("organization__path", "reelection_due")[
                start : min(stop, self.overdue)
            ]
            items += _overdue_item_list(page, self.today)
        return items + self.rest[max(0, start - self.overdue) : max(0, stop - self.overdue)]


def findings_page(
    user: User, today: date, kind: Kind | None = None, root: Organization | None = None
) -> Findings:
    """As :func:`findings`, for a page that shows a slice: the same counts and order, but the overdue
    items are counted in SQL and only those of the slice asked for are built."""
    committees = _overdue_committees(user, root, today)
    overdue = 0 if committees is None else committees.count()
    rest = _other_items(user, root, today)
    counts = {k: 0 for k in Kind}
    counts[Kind.OVERDUE] = overdue
    for item in rest:
        counts[item.kind] += 1
    if kind is not None:
        rest = [i for i in rest if i.kind == kind]
    rest.sort(key=_sort_key)
    shown = overdue if kind in (None, Kind.OVERDUE) else 0
    return Findings(PagedItems(committees, shown, rest, today), counts)
