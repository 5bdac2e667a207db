"""Nominations, the provisional candidates and their report to the upper level (R-CAND, R-RPT-2)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Sum

from xuanju.audit.trail import record, snapshot
from xuanju.elections import by_election, hooks
from xuanju.elections.actions.base import (
    DISCIPLINE_LEADING_POSTS,
    LEADING_POSTS,
    _check_eligible,
    _fresh,
    _require_status,
    _send_up,
)
from xuanju.elections.actions.notices import notice_problem
from xuanju.elections.models import (
    RULE_POST,
    Approval,
    Candidate,
    Contest,
    Election,
    ElectionKind,
    ElectionStatus,
    Nomination,
    Post,
    PublicNotice,
)
from xuanju.organizations.models import Member
from xuanju.rules.candidates import SlateProblem, minimum_candidates, slate_problem
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor


def _on_record(member: Member) -> Member:
    """``member`` as stored now, with the records the conditions read (profile, sanctions, rights)."""
    return (
        Member.objects.select_related("organization", "profile")
        .prefetch_related("sanctions", "restrictions")
        .get(pk=member.pk)
    )


@transaction.atomic
def record_nomination(actor: Any, contest: Contest, nominee: Member, source: str, count: int) -> Nomination:
    """Record who nominated whom and how many (R-CAND-4); only after the plan is approved (R-RPT-4).

    A nominee who fails the upper level's conditions (R-CAND-1) is still recorded, so that the
    organizers see the nomination and the reasons; such a person cannot be made provisional."""
    election = contest.election
    _require_status(
        election, ElectionStatus.PLAN_APPROVED, why="须在上级同意换届后、报送候选人之前推荐提名（R-RPT-4）"
    )
    if count < 1:
        raise ActionError("推荐人数至少为 1", "count")
    _check_eligible(nominee, election, contest)
    nomination = Nomination.objects.create(
        contest=contest, nominee=nominee, source=source.strip(), count=count
    )
    Candidate.objects.get_or_create(contest=contest, member=nominee)
    record(
        _actor(actor),
        "record_nomination",
        nomination,
        after=snapshot(nomination),
        summary=f"{election}：推荐{nominee.name}（{source}，{count}人）",
    )
    return nomination


def nomination_tally(contest: Contest) -> list[tuple[Member, int]]:
    """Nominees by the number who nominated them, most first (the organizers' view)."""
    totals = (
        Nomination.objects.filter(contest=contest)
        .values("nominee")
        .annotate(total=Sum("count"))
        .order_by("-total")
    )
    members = Member.objects.in_bulk([row["nominee"] for row in totals])
    return [(members[row["nominee"]], row["total"]) for row in totals]


@transaction.atomic
def set_candidate(
    actor: Any,
    contest: Contest,
    member: Member,
    stage: str,
    vetting: str = "",
    profile: str = "",
    order: int | None = None,
) -> Candidate:
    """Put a person on the preliminary list or the provisional candidates, or drop them. A
    provisional candidate must meet the upper level's conditions (R-CAND-1, R-CAND-6): a refusal
    gives every reason."""
    election = contest.election
    _require_status(election, ElectionStatus.PLAN_APPROVED, why="候选人名单已报上级，不能再修改")
    if stage != Candidate.Stage.DROPPED:
        _check_eligible(member, election, contest)
    if stage == Candidate.Stage.CANDIDATE:
        raise ActionError("候选人须经上级审查同意后确定（R-CAND-4、R-RPT-2）", "stage")
    if stage == Candidate.Stage.PROVISIONAL:
        hooks.candidacy().require_conditions(_on_record(member), _fresh(election))
    candidate, _ = Candidate.objects.get_or_create(contest=contest, member=member)
    before = snapshot(candidate)
    candidate.stage, candidate.vetting, candidate.profile, candidate.order = (
        stage,
        vetting.strip(),
        profile.strip(),
        order,
    )
    candidate.save()
    record(
        _actor(actor),
        "set_candidate",
        candidate,
        before=before,
        after=snapshot(candidate),
        summary=f"{election}：{member.name}列为{candidate.get_stage_display()}",
    )
    return candidate


def slate_check(contest: Contest) -> SlateProblem | None:
    """R-CAND-2/3 for the provisional candidates of ``contest``."""
    if contest.election.kind == ElectionKind.BY_ELECTION:  # its own slate rule, source named
        return by_election.slate_problem(contest)
    count = contest.candidates.filter(stage=Candidate.Stage.PROVISIONAL).count()
    return slate_problem(RULE_POST[Post(contest.post)], contest.seats, count)


def _submitted(candidate: Candidate) -> dict[str, Any]:
    """One provisional candidate as the request states it: the vetting record's conclusion (or the
    text typed on the candidates page), the education and the current post on record at the time of
    submission (vetting's answer: xuanju.vetting.hooks)."""
    return hooks.candidacy().submitted_candidate(candidate)


def slate_summary(election: Election) -> dict[str, Any]:
    """The slate's structure (:func:`xuanju.vetting.services.slate_document`) in plain JSON values,
    kept with the submitted candidates so that the request document reads the same later, whatever
    happens to the profiles or the day ages are counted on."""
    document = hooks.candidacy().slate_document(election)
    s = document["structure"]
    return {
        "on": document["on"].isoformat(),
        "size": s["size"],
        "seats": s["seats"],
        "women": s["women"],
        "minorities": s["minorities"],
        "average_age": s["average_age"],
        "college_or_above": s["college_or_above"],
        "education_unknown": s["education"].get("未登记", 0),
        "front_line": s["front_line"],
    }


@transaction.atomic
def submit_candidates(actor: Any, election: Election) -> Approval:
    """Send the provisional candidates to the upper level for review (R-RPT-2, R-CAND-4) — for a
    unit's election of delegates, to the convening organization (R-DEL-5; who may decide:
    :func:`approving_organization`).

    The upper level's conditions can change until now, so every provisional candidate is checked
    against them again (R-CAND-1, R-CAND-6); a refusal names everyone who fails, with every reason."""
    _require_status(election, ElectionStatus.PLAN_APPROVED, why="现在不能报送候选人预备人选")
    waiting = notice_problem(election, PublicNotice.Kind.CANDIDATES)
    if waiting:
        raise ActionError(waiting)
    checked = _fresh(election)  # the conditions as they stand now (they may have changed)
    content: dict[str, Any] = {"contests": []}
    committee_candidates = set(
        Candidate.objects.filter(
            contest__election=election, contest__post=Post.COMMITTEE_MEMBER, stage=Candidate.Stage.PROVISIONAL
        ).values_list("member_id", flat=True)
    )
    if election.kind == ElectionKind.BY_ELECTION:  # a vacant secretary: from the sitting members too
        by_election.check_candidates(election)
        committee_candidates |= {m.pk for m in by_election.sitting_members(election)}
    commission_candidates = set(
        Candidate.objects.filter(
            contest__election=election,
            contest__post=Post.DISCIPLINE_MEMBER,
            stage=Candidate.Stage.PROVISIONAL,
        ).values_list("member_id", flat=True)
    )
    failing: dict[int, str] = {}
    for contest in election.contests.order_by("position"):
        problem = slate_check(contest)
        if problem is SlateProblem.TOO_FEW_CANDIDATES:
            raise ActionError(
                f"{contest.get_post_display()}应选{contest.seats}人，差额选举的预备人选至少{minimum_candidates(contest.seats)}人（R-CAND-2）"
            )
        if problem is SlateProblem.FEWER_CANDIDATES_THAN_SEATS:
            raise ActionError(f"{contest.get_post_display()}的预备人选少于应选人数（R-CAND-3）")
        provisional = list(
            contest.candidates.filter(stage=Candidate.Stage.PROVISIONAL)
            .select_related("member__organization", "member__profile", "vetting_record")
            .prefetch_related("member__sanctions", "member__restrictions")
        )
        for candidate in provisional:
            _check_eligible(candidate.member, election, contest)
            if candidate.member_id not in failing:
                reasons = hooks.candidacy().condition_failures(candidate.member, checked)
                failing[candidate.member_id] = (
                    f"{candidate.member.name}不符合条件：" + "；".join(reasons) if reasons else ""
                )
            # R-CAND-5: the secretary and deputies are chosen among the committee
            outside_committee = candidate.member_id not in committee_candidates
            if election.has_committee and contest.post in LEADING_POSTS and outside_committee:
                raise ActionError(
                    f"书记、副书记的预备人选{candidate.member.name}须同时是委员的预备人选（R-CAND-5）"
                )
            # R-CAND-5: likewise the commission's secretary and deputies among its members
            if contest.post in DISCIPLINE_LEADING_POSTS and candidate.member_id not in commission_candidates:
                raise ActionError(
                    f"纪委书记、副书记的预备人选{candidate.member.name}须同时是纪委委员的预备人选（R-CAND-5）"
                )
        content["contests"].append(
            {
                "post": contest.get_post_display(),
                "seats": contest.seats,
                "candidates": [_submitted(c) for c in provisional],
            }
        )
    refused = [text for text in failing.values() if text]
    if refused:
        raise ActionError("预备人选须符合上级提出的条件，请调整后再报送。" + "。".join(refused))
    content["structure"] = slate_summary(checked)
    return _send_up(
        actor,
        election,
        Approval.Kind.CANDIDATES,
        content,
        ElectionStatus.CANDIDATES_SUBMITTED,
        "submit_candidates",
        "报送候选人预备人选",
    )
