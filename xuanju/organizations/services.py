"""Read-side questions about organizations, answered by the rules over stored data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from xuanju.organizations.models import Committee, CommitteeSeat, Member, Organization
from xuanju.rules.names import canonical_name, stroke_key
from xuanju.rules.organizations import (
    BRANCH_NORMAL_MAX_MEMBERS,
    MIN_FULL_MEMBERS_FOR_BRANCH,
    MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE,
    Finding,
    OrganizationFacts,
    organization_findings,
)
from xuanju.rules.terms import TermState, TermStatus, term_status
from xuanju.rules.voting import (
    MembershipStatus,
    MemberStanding,
    Restriction,
    RestrictionKind,
    Rights,
    rights_on,
)

FINDING_TEXT = {
    Finding.TOO_FEW_FULL_MEMBERS: "正式党员不足 3 人，不能单独成立党支部，应联合或挂靠（R-ORG-1）",
    Finding.BRANCH_TOO_LARGE: "党员超过 50 人，一般应分设党支部（R-ORG-1）",
    Finding.COMMITTEE_MISSING: "正式党员 7 人以上，应设立支部委员会（R-ORG-2）",
    Finding.COMMITTEE_NOT_EXPECTED: "正式党员不足 7 人，一般不设委员会，只设书记（必要时设副书记）（R-ORG-2）",
    Finding.COMMITTEE_TOO_SMALL: "委员会人数少于规定的下限（R-ORG-2、R-ORG-3、R-ORG-4）",
    Finding.COMMITTEE_TOO_LARGE: "委员会人数超过规定的上限（R-ORG-2、R-ORG-3、R-ORG-4）",
    Finding.COMMITTEE_ABOVE_NORMAL: (
        "委员会人数超过一般的职数（支部委员会一般 3 至 5 人、最多 7 人；党总支一般 5 至 7 人、最多 9 人），"
        "未登记上级批准的职数（R-ORG-2、R-ORG-4）"
    ),
    Finding.SIZE_DIFFERS_FROM_APPROVED: "委员会人数与上级批准的职数不一致（R-ORG-4）",
    Finding.WRONG_KIND_FOR_STATE_ORGAN: (
        "机关党员 100 人以上应设党委，50 至 100 人应设党总支；经上级批准按例外设置的，请登记设置批准文号（R-ORG-3、R-ORG-4）"
    ),
}

STATE_TEXT = {
    TermState.IN_TERM: "任期内",
    TermState.DUE_SOON: "6 个月内届满",
    TermState.OVERDUE: "逾期未换届",
    TermState.DELAYED: "经批准延期",
    TermState.DELAY_LIMIT_NEAR: "延期将到期",
    TermState.ADVANCED: "经批准提前换届",
}


def findings_for(org: Organization, committee: Committee | None) -> list[str]:
    """R-ORG findings for one organization, worded."""
    size = None
    if committee is not None and committee.has_committee:
        size = len(committee.seats.all())  # uses a prefetch when the caller made one
    # A branch is judged by its own roster; a party committee or general branch by all the members
    # beneath it (R-ORG-3 counts the members of the whole organization).
    is_branch = org.kind == "branch"
    facts = OrganizationFacts(
        kind=org.kind_enum,
        sector=org.sector_enum,
        full_members=org.full_member_count if is_branch else org.subtree_full_member_count,
        members=org.member_count if is_branch else org.subtree_member_count,
        committee_size=size,
        approved_committee_size=org.approved_committee_size,
        standing_committee=org.has_standing_committee,
        kind_approved=bool(org.kind_approval),
    )
    return [FINDING_TEXT[f] for f in organization_findings(facts)]


def status_of(committee: Committee, today: date) -> TermStatus:
    approved = committee.reelection_due if committee.reelection_due != committee.term_end else None
    return term_status(committee.elected_on, committee.term_years, today, approved)


@dataclass(frozen=True)
class MonitorFilters:
    """The re-election monitor's buckets as database conditions over current committees.

    Each condition compares the dates the rules stored (term end, due date, reminder start) with
    today exactly as :func:`xuanju.rules.terms.term_status` does, so a committee is in the bucket
    of its state; tests/organizations/test_services.py holds the two together.
    """

    today: date

    def base(self, root: Organization) -> QuerySet[Committee]:
        return Committee.objects.filter(
            is_current=True,
            organization__path__startswith=root.path,
            organization__dissolved_on__isnull=True,
        )

    def conditions(self) -> dict[TermState, Q]:
        today = self.today
        pending = Q(reelection_due__gte=today)
        reminding = Q(remind_from__lte=today)
        delayed = Q(reelection_due__gt=F("term_end"))
        advanced = Q(reelection_due__lt=F("term_end"))
        on_schedule = Q(reelection_due=F("term_end"))
        return {
            TermState.OVERDUE: Q(reelection_due__lt=today),
            TermState.DUE_SOON: pending & on_schedule & reminding,  # R-TERM-3
            TermState.DELAY_LIMIT_NEAR: pending & delayed & reminding,  # R-TERM-2
            TermState.DELAYED: pending & delayed & ~reminding,
            TermState.ADVANCED: pending & advanced,
            TermState.IN_TERM: pending & on_schedule & ~reminding,
        }

    def bucket(self, qs: QuerySet[Committee], state: TermState) -> QuerySet[Committee]:
        return qs.filter(self.conditions()[state])

    def counts(self, qs: QuerySet[Committee]) -> dict[TermState, int]:
        """Every bucket's size in one query."""
        totals = qs.aggregate(
            **{state.value: Count("pk", filter=q) for state, q in self.conditions().items()}
        )
        return {state: totals[state.value] for state in self.conditions()}


def organizations_without_committee(root: Organization) -> QuerySet[Organization]:
    """Active organizations beneath ``root`` with no current committee on record."""
    return Organization.objects.filter(path__startswith=root.path, dissolved_on__isnull=True).exclude(
        Q(committees__is_current=True)
    )


def branches_out_of_line(orgs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Branches that R-ORG-1/2 flag, found by the database so that a county-wide list can filter on
    them; each row shown is then worded by :func:`findings_for`, the rules' own verdict.
    tests/organizations/test_services.py holds this filter to the rules."""
    with_committee = Exists(
        Committee.objects.filter(organization=OuterRef("pk"), is_current=True, has_committee=True)
    )
    committee_needed = Q(full_member_count__gte=MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE)
    return orgs.filter(kind="branch").filter(
        Q(member_count__gt=BRANCH_NORMAL_MAX_MEMBERS)
        | Q(full_member_count__lt=MIN_FULL_MEMBERS_FOR_BRANCH)
        | (committee_needed & ~with_committee)
        | (~committee_needed & with_committee)
    )


def standing_of(member: Member) -> MemberStanding:
    """What the rules need of a member to decide their rights (R-VOTE)."""
    return MemberStanding(
        MembershipStatus(member.status),
        tuple(Restriction(RestrictionKind(r.kind), r.start, r.end) for r in member.restrictions.all()),
    )


def rights_of(member: Member, day: date) -> Rights:
    """The member's right to vote and to stand on ``day`` (R-VOTE-1..4, R-CAND-6); a member no
    longer on the roll has neither."""
    if member.left_on is not None and member.left_on <= day:
        return Rights(can_vote=False, can_stand=False, reasons=())
    return rights_on(standing_of(member), day)


def members_named(members: QuerySet[Member], name: str) -> QuerySet[Member]:
    """The members of ``members`` whose name is ``name`` as a person, not as a spelling (R-NAME-5):
    “王 芳” finds 王芳. Both sides go through :func:`~xuanju.rules.names.canonical_name`, which no
    database can compute (NFKC), so the names are read and compared here — the pools asked about
    (an organization's roster, an election's candidate pool) are small — and a queryset of the
    matches returned."""
    wanted = canonical_name(name)
    if not wanted:
        return members.none()
    matching = [pk for pk, other in members.values_list("pk", "name") if canonical_name(other) == wanted]
    return members.filter(pk__in=matching)


def members_whose_name_contains(members: QuerySet[Member], text: str) -> list[int]:
    """Primary keys of the members of ``members`` whose name contains ``text``, both compared as
    :func:`~xuanju.rules.names.canonical_name` and case-folded (R-NAME-5): a search for “王 芳”
    finds 王芳, one for 阿依古丽•买买提 finds 阿依古丽·买买提."""
    wanted = canonical_name(text).casefold()
    if not wanted:
        return []
    return [pk for pk, name in members.values_list("pk", "name") if wanted in canonical_name(name).casefold()]


SEAT_RANK = {"secretary": 0, "deputy_secretary": 1}


def seats_in_order(committee: Committee) -> list[CommitteeSeat]:
    """A committee as official lists show it: 书记, 副书记, then the members in surname stroke order
    (R-NAME, as the ballot orders them, R-BAL-1)."""
    seats = list(committee.seats.select_related("member"))
    return sorted(seats, key=lambda s: (SEAT_RANK.get(s.post, 2), stroke_key(s.member.name)))
