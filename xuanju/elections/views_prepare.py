"""Pages of the preparation steps: plan, request (请示) and reply (批复), nomination, candidates.

Each page authorizes with xuanju.organizations.scope and calls one action of xuanju.elections.actions;
a refused step shows the action's Chinese message next to its field or at the top. The rules'
numbers (sizes, terms, surplus) are read from xuanju.rules for display only; the actions decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuanju.accounts.models import User
from xuanju.display import cn_date
from xuanju.elections import actions, bulk, hooks
from xuanju.elections.forms_prepare import (
    CandidateForm,
    DecisionForm,
    NominationForm,
    PlanEditForm,
    StartForm,
)
from xuanju.elections.models import (
    RULE_POST,
    Approval,
    Candidate,
    Contest,
    Election,
    ElectionForm,
    ElectionStatus,
    Post,
)
from xuanju.elections.revision import REVISION_KEY, change_rows, revision_record
from xuanju.formats.election import shown_threshold
from xuanju.formats.wording import BASE_NAMES, KIND_NAMES, STATUS_NAMES
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.scope import (
    can_manage,
    can_oversee,
    can_read,
    manages_or_oversees,
    require,
    user_of,
)
from xuanju.organizations.services import rights_of
from xuanju.rules.candidates import SlateProblem, may_be_equal_election, minimum_candidates
from xuanju.rules.names import stroke_key
from xuanju.rules.organizations import Body, SizeRange, committee_size_range, required_body, size_findings
from xuanju.rules.terms import OrganizationKind, Sector, term_years
from xuanju.rules.voting import completed_years, party_age
from xuanju.web import run_form

# --- what the system proposes for a new plan (R-ORG, R-TERM-1) ----------------------------


@dataclass(frozen=True)
class Proposal:
    full_members: int
    has_committee: bool
    sizes: SizeRange | None  # None when the branch elects a secretary only
    approved_size: int | None  # R-ORG-4
    committee_seats: int
    deputy_seats: int
    term_years: int
    planned_on: date
    reelection_due: date | None
    overdue: bool  # R-TERM-2/3: the term has ended without a re-election


def proposal_for(org: Organization, today: date) -> Proposal:
    """The body, its size and the term the plan form starts from; the action checks them again."""
    full = org.full_member_count if org.kind == "branch" else org.subtree_full_member_count
    has_committee = required_body(org.kind_enum, full) is Body.COMMITTEE  # R-ORG-2
    current = org.committees.filter(is_current=True).first()
    due = current.reelection_due if current else None
    standing = org.has_standing_committee
    sizes = committee_size_range(org.kind_enum, org.sector_enum, standing) if has_committee else None
    seats, deputies = 0, 0
    if sizes is not None:
        approved = org.approved_committee_size
        current_size = current.size() if current and current.has_committee else None
        # R-ORG-4: the approved size first (lawful as it is), else the current size within the range
        lawful = [
            n
            for n in (approved, current_size)
            if n
            and not size_findings(org.kind_enum, org.sector_enum, n, n if n == approved else None, standing)
        ]
        seats = next(iter(lawful), sizes.minimum)
        if org.kind_enum is OrganizationKind.PARTY_COMMITTEE:
            deputies = 2 if org.sector_enum is Sector.TOWNSHIP else 1  # R-ORG-3
        elif org.kind_enum is OrganizationKind.GENERAL_BRANCH:
            deputies = 1
    return Proposal(
        full_members=full,
        has_committee=has_committee,
        sizes=sizes,
        approved_size=org.approved_committee_size,
        committee_seats=seats,
        deputy_seats=deputies,
        term_years=term_years(org.kind_enum, org.sector_enum),  # R-TERM-1
        planned_on=due if due and due >= today else today + timedelta(days=30),
        reelection_due=due,
        overdue=due is not None and due < today,
    )


@login_required
def election_start(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    user = user_of(request)
    require(can_manage(user, org))
    proposal = proposal_for(org, timezone.localdate())
    form = StartForm(
        request.POST or None,
        congress=actions.may_hold_congress(org),  # R-DEL-1
        initial={
            "planned_on": proposal.planned_on,
            "committee_seats": proposal.committee_seats,
            "deputy_seats": proposal.deputy_seats,
            "minimum_party_age": 0,
            "form": ElectionForm.MEMBERS_MEETING,
            "discipline_seats": 0,
            "discipline_deputy_seats": 0,
        },
    )
    created: dict[str, Election] = {}

    def act(data: dict[str, Any]) -> None:
        created["election"] = actions.start_election(user, org, **data)

    back = reverse("election_list", args=[org.pk])
    if run_form(request, form, act, "换届方案已拟订，请核对后报送请示", back):
        return redirect("election_detail", created["election"].pk)
    return render(
        request,
        "elections/prepare_start.html",
        {"org": org, "form": form, "proposal": proposal, "cancel_url": back},
    )


# --- request (请示) and reply (批复) --------------------------------------------------------


def may_decide(user: User, approval: Approval) -> bool:
    """Who replies to a request: the upper level (R-RPT-4), except that a unit's provisional
    delegates are reviewed by whoever manages the convening organization (R-DEL-5)."""
    election = approval.election
    if approval.kind == Approval.Kind.CANDIDATES:
        convening = actions.approving_organization(election)
        if convening is not None:
            return can_manage(user, convening)
    return can_oversee(user, election.organization)


def _election(pk: int) -> Election:
    return get_object_or_404(Election.objects.select_related("organization"), pk=pk)


def last_return(election: Election) -> Approval | None:
    """The plan request the upper level last returned for changes (退回修改), if any (R-RPT-4)."""
    return (
        election.approvals.filter(kind=Approval.Kind.PLAN, decision=Approval.Decision.RETURNED)
        .order_by("-decided_on", "-id")
        .first()
    )


@login_required
def election_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the plan before sending it up, above all after a return for changes (R-RPT-1, R-RPT-4)."""
    election = _election(pk)
    user = user_of(request)
    require(can_manage(user, election.organization))
    contests = {c.post: c.seats for c in election.contests.all()}
    form = PlanEditForm(
        request.POST or None,
        congress=election.at_congress,
        initial={
            "planned_on": election.planned_on,
            "committee_seats": election.committee_seats,
            "deputy_seats": election.deputy_seats,
            "readiness": election.readiness,
            "composition": election.composition,
            "discipline_seats": contests.get(Post.DISCIPLINE_MEMBER, 0),
            "discipline_deputy_seats": contests.get(Post.DISCIPLINE_DEPUTY, 0),
        },
    )
    back = reverse("election_detail", args=[election.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.edit_plan(user, election, **d),
        "换届方案已修改，请预览请示后重新报送",
        reverse("election_request_preview", args=[election.pk]),
    )
    if done:
        return done
    returned = last_return(election)
    intro = "报送请示前可以修改换届方案（R-RPT-1）。"
    if returned is not None:
        intro = (
            f"上级党组织于 {cn_date(returned.decided_on)} 退回修改{f'（{returned.document}）' if returned.document else ''}，"
            f"意见：{returned.comments}。修改后重新报送的请示将列出与退回版本相比的修改（R-RPT-4）。"
        )
    return render(
        request,
        "form.html",
        {
            "title": "修改换届方案",
            "form": form,
            "org": election.organization,
            "cancel_url": back,
            "submit": "保存修改",
            "intro": intro,
        },
    )


@login_required
@require_POST
def election_submit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    user = user_of(request)
    require(can_manage(user, election.organization))
    try:
        approval = actions.submit_plan(user, election)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("election_detail", election.pk)
    messages.success(request, "换届请示已报送上级党组织，等待批复（R-RPT-4）")
    return redirect("election_request", approval.pk)


def _round_rows(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """One round's ``xuanju.result/1`` document, worded for the results table (R-CNT-7)."""
    if not document:
        return None
    tied = set(document.get("tied", []))
    return {
        "kind": KIND_NAMES.get(document.get("kind", ""), document.get("kind", "")),
        "status": STATUS_NAMES.get(document.get("status", ""), document.get("status", "")),
        "seats": document.get("seats"),
        "ballots": document.get("ballots", {}),
        "base_name": BASE_NAMES.get(document.get("majority_base", ""), ""),
        "base": document.get("base"),
        "threshold": shown_threshold(document),  # R-CNT-4: none where no majority applies
        "tally": [
            {
                **person,
                "outcome": "当选"
                if person.get("elected")
                else ("须再次投票" if person.get("id") in tied else ""),
            }
            for person in document.get("tally", [])
        ],
        "notes": document.get("notes", []),
    }


def _by_stroke(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(people, key=lambda p: stroke_key(str(p.get("name", ""))))  # R-NAME


CONGRESS_LABELS = {
    "quota": "代表名额",
    "total": "代表名额",
    "composition": "代表构成",
    "allocation": "名额分配",
}


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "；".join(_plain(v) for v in value)
    return str(value)


def congress_rows(extra: Any) -> list[tuple[str, str]]:
    """What the congress app added to a plan (R-RPT-1: quota, composition, allocation), as lines."""
    if not isinstance(extra, dict):
        return [("说明", _plain(extra))] if extra else []
    return [(CONGRESS_LABELS.get(str(key), str(key)), _plain(value)) for key, value in extra.items()]


def request_context(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    """What a request states, ready for the template, whichever of the three kinds it is."""
    if kind == Approval.Kind.PLAN:
        plan = dict(content)
        if isinstance(plan.get("planned_on"), str):
            plan["planned_on"] = date.fromisoformat(plan["planned_on"])
        return {
            "plan": plan,
            "congress_rows": congress_rows(plan.get("congress")),
            # R-RPT-4: a request resubmitted after a return shows what changed since then
            "revision": plan.get(REVISION_KEY),
            "revision_rows": change_rows(plan.get(REVISION_KEY)),
        }
    contests = []
    for contest in content.get("contests", []):
        entry = dict(contest)
        if kind == Approval.Kind.CANDIDATES:
            entry["candidates"] = _by_stroke(contest.get("candidates", []))
        else:
            entry["elected"] = _by_stroke(contest.get("elected", []))
            entry["rounds"] = [r for r in map(_round_rows, contest.get("rounds", [])) if r]
            # R-RPT-3: approved (secretaries, the commission's too) or filed; reports made before
            # this was stored say it by the post's name
            entry.setdefault("approval", entry.get("post") in APPROVED_POST_NAMES)
        contests.append(entry)
    return {
        "contests": contests,
        "notices": content.get("notices", []),
        "filed_posts": [c["post"] for c in contests if kind == Approval.Kind.RESULTS and not c["approval"]],
        "approved_posts": [c["post"] for c in contests if kind == Approval.Kind.RESULTS and c["approval"]],
    }


APPROVED_POST_NAMES = {Post(p).label for p in actions.APPROVED_POSTS}


def _request_page(
    request: HttpRequest, template: str, election: Election, kind: str, content: dict[str, Any], **extra: Any
) -> HttpResponse:
    org = election.organization
    user = user_of(request)
    return render(
        request,
        template,
        {
            "election": election,
            "org": org,
            # who the request goes to: the upper level, or the convening organization (R-DEL-5)
            "upper": (kind == Approval.Kind.CANDIDATES and actions.approving_organization(election))
            or Organization.objects.get_parent(org),
            "kind": kind,
            "kind_name": Approval.Kind(kind).label,
            "can_manage": can_manage(user, org),
            "sees_vetting": manages_or_oversees(user, org),
            **request_context(kind, content),
            **extra,
        },
    )


@login_required
def election_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A request as the upper level reads it, printable (R-RPT-1/2/3)."""
    approval = get_object_or_404(Approval.objects.select_related("election__organization"), pk=pk)
    election = approval.election
    user = user_of(request)
    require(can_read(user, election.organization))
    return _request_page(
        request,
        "elections/prepare_request.html",
        election,
        approval.kind,
        approval.content,
        approval=approval,
        can_decide=approval.decision == Approval.Decision.PENDING and may_decide(user, approval),
    )


@login_required
def election_request_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The request to hold the election as it would be sent now (R-RPT-1)."""
    election = _election(pk)
    require(can_read(user_of(request), election.organization))
    content = actions.plan_content(election)
    returned = last_return(election) if election.status == ElectionStatus.PLANNING else None
    revision = revision_record(returned, content) if returned is not None else None
    if revision is not None:  # R-RPT-4: as submit_plan will record it
        content[REVISION_KEY] = revision
    return _request_page(
        request,
        "elections/prepare_request.html",
        election,
        Approval.Kind.PLAN,
        content,
        approval=None,
        preview=True,
        unchanged_since_return=returned is not None and revision is None,
    )


@login_required
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level's reply to a plan, candidates or results request (R-RPT-2/3/4)."""
    approval = get_object_or_404(Approval.objects.select_related("election__organization"), pk=pk)
    election = approval.election
    user = user_of(request)
    require(may_decide(user, approval))
    form = DecisionForm(request.POST or None)
    url = reverse("election_detail", args=[election.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.decide(user, approval, d["decision"], d["document"], d["comments"]),
        "批复已登记",
        url,
    )
    if done:
        return done
    return _request_page(
        request,
        "elections/prepare_decide.html",
        election,
        approval.kind,
        approval.content,
        approval=approval,
        form=form,
        show_form=approval.decision == Approval.Decision.PENDING or bool(form.errors),
        cancel_url=url,
    )


# --- nomination (R-CAND-4) ----------------------------------------------------------------


def standing_members(election: Election) -> list[Member]:
    """Full members of the organization and those beneath it (of the unit, for a unit's election of
    delegates: actions.candidate_pool) who may stand on the planned date (R-VOTE, R-CAND-6): whom a
    nomination may name. A nominee failing the upper level's conditions (R-CAND-1) is recorded all
    the same, and the check says why they cannot be provisional."""
    day = election.planned_on
    people = (
        actions.candidate_pool(election)
        .filter(status="full")
        .select_related("organization", "profile")
        .prefetch_related("restrictions", "sanctions")
    )
    return [m for m in people if rights_of(m, day).can_stand]


def eligible_members(election: Election) -> list[Member]:
    """Those of :func:`standing_members` who meet the upper level's conditions (R-CAND-1, checked by
    :func:`xuanju.vetting.services.check_member`): whom the provisional list may take."""
    checks = hooks.candidacy()
    return [m for m in standing_members(election) if checks.member_passes(m, election)]


POST_ORDER = {
    Post.DELEGATE: 0,
    Post.COMMITTEE_MEMBER: 0,
    Post.SECRETARY: 1,
    Post.DEPUTY_SECRETARY: 2,
    Post.DISCIPLINE_MEMBER: 3,
    Post.DISCIPLINE_SECRETARY: 4,
    Post.DISCIPLINE_DEPUTY: 5,
}


def contests_of(election: Election) -> list[Contest]:
    """The committee first, then the secretary and the deputies."""
    return sorted(election.contests.all(), key=lambda c: POST_ORDER.get(Post(c.post), 9))


def _posted_contest(request: HttpRequest, contests: list[Contest], key: str) -> Contest:
    contest = next((c for c in contests if str(c.pk) == request.POST.get(key)), None)
    if contest is None:
        raise Http404("没有这个选举职务")
    return contest


@login_required
def election_nominations(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    org = election.organization
    user = user_of(request)
    require(can_read(user, org))
    manager = can_manage(user, org)
    if request.method == "POST":
        require(manager)
    contests = contests_of(election)
    members = standing_members(election) if manager else []
    checks = hooks.candidacy().checks_by_member(election) if manager else {}
    posted = _posted_contest(request, contests, "contest") if request.method == "POST" else None
    url = reverse("election_nominations", args=[election.pk])
    rows = []
    for contest in contests:
        form = None
        if manager:
            form = NominationForm(
                request.POST if contest == posted else None,
                prefix=f"n{contest.pk}",
                members=members,
                home_id=org.pk,
            )
            if contest == posted:
                done = run_form(
                    request,
                    form,
                    lambda d: actions.record_nomination(user, posted, d["member"], d["source"], d["count"]),
                    "推荐提名已登记",
                    f"{url}#contest-{contest.pk}",
                )
                if done:
                    return done
        rows.append(
            {
                "contest": contest,
                "form": form,
                # R-CAND-4: who was nominated by how many is for the organizers only, each with the
                # check against the upper level's conditions (R-CAND-1, R-CAND-6)
                "tally": [(m, n, checks.get(m.pk)) for m, n in actions.nomination_tally(contest)]
                if manager
                else None,
            }
        )
    return render(
        request,
        "elections/prepare_nominations.html",
        {
            "election": election,
            "org": org,
            "rows": rows,
            "manager": manager,
            "open": election.status == ElectionStatus.PLAN_APPROVED,
            "conditions": hooks.candidacy().conditions_text(election),
        },
    )


# --- candidates (R-CAND-2/3/4/5, R-RPT-2) -------------------------------------------------


@dataclass(frozen=True)
class Slate:
    """The provisional candidates of a contest against R-CAND-2/3, worded by the template."""

    seats: int
    provisional: int
    needed: int
    equal_allowed: bool
    problem: SlateProblem | None

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.provisional)

    @property
    def surplus_percent(self) -> int:
        return (self.provisional - self.seats) * 100 // self.seats if self.provisional > self.seats else 0


def slate_of(contest: Contest) -> Slate:
    equal = may_be_equal_election(RULE_POST[Post(contest.post)])  # R-CAND-3
    return Slate(
        seats=contest.seats,
        provisional=contest.candidates.filter(stage=Candidate.Stage.PROVISIONAL).count(),
        needed=contest.seats if equal else minimum_candidates(contest.seats),  # R-CAND-2
        equal_allowed=equal,
        problem=actions.slate_check(contest),
    )


def _ballot_order(contest: Contest, candidate: Candidate) -> tuple[Any, ...]:
    """Surname stroke order; secretaries and deputies by the approved order first (R-BAL-1)."""
    if contest.post in actions.APPROVED_POSTS and candidate.order is not None:
        return (0, candidate.order, stroke_key(candidate.member.name))
    return (1, 0, stroke_key(candidate.member.name))


@login_required
def election_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    org = election.organization
    user = user_of(request)
    require(can_read(user, org))
    manager = can_manage(user, org)
    if request.method == "POST":
        require(manager)
    sees_vetting = manager or can_oversee(user, org)
    contests = contests_of(election)
    members = eligible_members(election) if manager else []
    # R-CAND-1, R-CAND-6: each person listed, checked against the upper level's conditions
    checks = hooks.candidacy().checks_by_member(election) if sees_vetting else {}
    url = reverse("election_candidates", args=[election.pk])
    posted_candidate = request.POST.get("candidate") if request.method == "POST" else None
    posted_add = _posted_contest(request, contests, "add") if "add" in request.POST else None
    if posted_candidate and not Candidate.objects.filter(pk=posted_candidate, contest__in=contests).exists():
        raise Http404("没有这个人选")
    if "bulk" in request.POST:
        contest = _posted_contest(request, contests, "bulk")
        try:
            count = bulk.set_stage_of(
                user, contest, request.POST.getlist("pick"), request.POST.get("stage", "")
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已将 {count} 人设为{Candidate.Stage(request.POST['stage']).label}")
        return redirect(f"{url}#contest-{contest.pk}")
    on = election.planned_on

    def save(form: CandidateForm, contest: Contest, member: Member | None) -> HttpResponse | None:
        return run_form(
            request,
            form,
            lambda d: actions.set_candidate(
                user,
                contest,
                d["member"] if member is None else member,
                d["stage"],
                d["vetting"],
                d["profile"],
                d.get("order"),
            ),
            "已保存",
            f"{url}#contest-{contest.pk}",
        )

    rows = []
    for contest in contests:
        with_order = contest.post in actions.APPROVED_POSTS  # secretaries, the commission's too
        tally = dict((m.pk, n) for m, n in actions.nomination_tally(contest)) if manager else {}
        people = []
        candidates = sorted(
            contest.candidates.select_related("member__organization"), key=lambda c: _ballot_order(contest, c)
        )
        for candidate in candidates:
            if not sees_vetting and candidate.stage != Candidate.Stage.CANDIDATE:
                continue  # members see the list once the upper level has consented (R-CAND-4)
            form = None
            if manager:
                bound = posted_candidate == str(candidate.pk)
                form = CandidateForm(
                    request.POST if bound else None,
                    prefix=f"k{candidate.pk}",
                    with_order=with_order,
                    initial={
                        "stage": candidate.stage,
                        "vetting": candidate.vetting,
                        "profile": candidate.profile,
                        "order": candidate.order,
                    },
                )
                if bound and (done := save(form, contest, candidate.member)):
                    return done
            people.append(
                {
                    "candidate": candidate,
                    "form": form,
                    "nominated": tally.get(candidate.member_id),
                    "check": checks.get(candidate.member_id),
                    # sex, age and party age on the election day, for the structure at a glance
                    "age": completed_years(candidate.member.birth_date, on),
                    "party_age": party_age(candidate.member.full_member_on, on),
                }
            )
        add_form = None
        if manager:
            listed = {c.member_id for c in candidates}  # the picker offers only who is not listed yet
            add_form = CandidateForm(
                request.POST if contest == posted_add else None,
                prefix=f"a{contest.pk}",
                members=[m for m in members if m.pk not in listed],
                home_id=org.pk,
                with_order=with_order,
                initial={"stage": Candidate.Stage.PROVISIONAL},
            )
            if contest == posted_add and (done := save(add_form, contest, None)):
                return done
        rows.append({"contest": contest, "people": people, "add_form": add_form, "slate": slate_of(contest)})
    # R-CAND-1 (结构合理): targets of the upper level that no outcome of this slate can meet
    structure = hooks.candidacy().slate_structure(election) if sees_vetting else None
    return render(
        request,
        "elections/prepare_candidates.html",
        {
            "election": election,
            "org": org,
            "rows": rows,
            "manager": manager,
            "sees_vetting": sees_vetting,
            "open": election.status == ElectionStatus.PLAN_APPROVED,
            "structure": structure,
            "bulk_stages": [(s.value, s.label) for s in bulk.BULK_STAGES],
        },
    )


@login_required
@require_POST
def election_submit_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    user = user_of(request)
    require(can_manage(user, election.organization))
    try:
        approval = actions.submit_candidates(user, election)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("election_candidates", election.pk)
    messages.success(request, "候选人预备人选已报上级党组织审查（R-RPT-2）")
    return redirect("election_request", approval.pk)
