"""The documents sent to the upper level and its replies: the plan's request (请示), the replies
(批复) and the report of the provisional candidates (R-RPT-1, R-RPT-2, R-RPT-4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from xuanju.documents.content.common import (
    NotAvailable,
    Ref,
    _approval,
    _common,
    _is_by,
    _lines,
    _month,
    _numeral,
    _percent,
    _reply,
    cn_date,
    plain,
)
from xuanju.documents.content.results import _closed_rounds, _contest_results
from xuanju.documents.kinds import Kind
from xuanju.documents.markup import cell
from xuanju.elections.actions import slate_summary
from xuanju.elections.models import (
    RULE_POST,
    Approval,
    Candidate,
    Election,
    Post,
)
from xuanju.elections.revision import REVISION_KEY, change_rows
from xuanju.elections.rounds import ballot_order
from xuanju.rules.candidates import may_be_equal_election
from xuanju.rules.voting import party_age
from xuanju.vetting.services import profile_of


def _plan_refs(election: Election) -> list[Ref]:
    approval = _approval(election, Approval.Kind.PLAN)
    label = "关于补选的请示" if _is_by(election) else Kind.PLAN_REQUEST.label
    return [Ref(Kind.PLAN_REQUEST, None, label, approval.submitted_on)] if approval else []


def _plan_request(election: Election, item: int | None) -> dict[str, Any]:
    """The request to hold the election (R-RPT-1): term, readiness, form, date and agenda, the next
    committee's size, composition principles, nomination and election method — as submitted."""
    approval = _approval(election, Approval.Kind.PLAN)
    if approval is None:
        raise NotAvailable
    plan = approval.content
    # as the other fields: the election's own value when the stored request lacks it (records
    # imported or made before the field was stored)
    planned = date.fromisoformat(plan["planned_on"]) if plan.get("planned_on") else election.planned_on
    return _common(election, approval.submitted_on) | {
        "term": cell(plain(plan.get("term", ""))),
        "readiness": _lines(plan.get("readiness", "")),
        "form": cell(plan.get("form", "")),
        "planned_on": cn_date(planned),
        "agenda": [cell(a) for a in plan.get("agenda", [])],
        "committee_seats": plan.get("committee_seats", election.committee_seats),
        "deputy_seats": plan.get("deputy_seats", election.deputy_seats),
        "term_years": plan.get("term_years", election.term_years),
        "composition": _lines(plan.get("composition", "")),
        "nomination": cell(plain(plan.get("nomination", ""))),
        "method": cell(plain(plan.get("method", ""))),
        "discipline_seats": plan.get("discipline_seats", 0),
        "discipline_deputy_seats": plan.get("discipline_deputy_seats", 0),  # R-CAND-5
        # R-RPT-1: what the congress app added (quota, composition, allocation), one line each
        "congress": [cell(plain(f"{key}：{value}")) for key, value in (plan.get("congress") or {}).items()],
        "revision": _revision(plan.get(REVISION_KEY)),
        # a by-election's request: each vacancy with its date and reason, the committee's term end
        "vacancies": [
            {
                "post": cell(v.get("post", "")),
                "name": cell(v.get("name", "")),
                "opened_on": cn_date(date.fromisoformat(v["opened_on"])) if v.get("opened_on") else "",
                "reason": cell(v.get("reason", "")),
                "document": cell(v.get("document", "")),
            }
            for v in plan.get("vacancies", [])
        ],
        "term_end": cn_date(date.fromisoformat(plan["term_end"])) if plan.get("term_end") else "",
    }


def _revision(revision: dict[str, Any] | None) -> dict[str, Any] | None:
    """A resubmitted request's record of the return and of what changed since (R-RPT-4)."""
    if not revision:
        return None
    returned_on = revision.get("returned_on")
    return {
        "returned_on": cn_date(date.fromisoformat(returned_on)) if returned_on else "",
        "document": cell(revision.get("document", "")),
        "comments": cell(plain(" ".join(revision.get("comments", "").split()))),
        "rows": [{key: cell(plain(value)) for key, value in row.items()} for row in change_rows(revision)],
    }


def _reply_refs(kind: Kind, approval_kind: str) -> Callable[[Election], list[Ref]]:
    def refs(election: Election) -> list[Ref]:
        approval = _approval(election, approval_kind)
        if approval is None or approval.decided_on is None:
            return []
        return [Ref(kind, None, kind.label, approval.decided_on)]

    return refs


def _reply_context(approval_kind: str) -> Callable[[Election, int | None], dict[str, Any]]:
    def context(election: Election, item: int | None) -> dict[str, Any]:
        approval = _approval(election, approval_kind)
        if approval is None or approval.decided_on is None:
            raise NotAvailable
        reply = _common(election, approval.decided_on) | _reply(approval)
        if approval_kind == Approval.Kind.RESULTS:  # the reply names whom it approves (R-RPT-3)
            reply["contests"] = _contest_results(election, _closed_rounds(election))
        return reply

    return context


def _candidates_refs(election: Election) -> list[Ref]:
    approval = _approval(election, Approval.Kind.CANDIDATES)
    if approval is None:
        return []
    return [Ref(Kind.CANDIDATES_REQUEST, None, Kind.CANDIDATES_REQUEST.label, approval.submitted_on)]


def _person(candidate: Candidate, on: date, submitted: dict[str, Any]) -> dict[str, Any]:
    """One provisional candidate's row: particulars from the roll, education and current post as
    submitted (requests made before these were kept read the profile on record), vetting as
    submitted."""
    member = candidate.member
    age = party_age(member.full_member_on, on)
    if "education" in submitted:
        education, current_post = submitted.get("education", ""), submitted.get("current_post", "")
    else:
        profile = profile_of(member)
        education = profile.get_education_display() if profile and profile.education else ""
        current_post = profile.current_post if profile else ""
    return {
        "name": cell(member.name),
        "gender": member.gender,
        "ethnicity": cell(member.ethnicity),
        "birth": _month(member.birth_date),
        "joined": _month(member.joined_on),
        "party_age": age if age is not None else "—",
        "education": cell(plain(education)) or "—",
        "current_post": cell(plain(current_post)) or "—",
        "profile": cell(plain(candidate.profile)) or "—",
        "vetting": cell(plain(submitted.get("vetting", ""))) or "—",
    }


def _average(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0")


def _slate_structure(election: Election, approval: Approval) -> dict[str, Any] | None:
    """The structure of the slate (women, minorities, average age, college or above, front line)
    as submitted; for a request made before it was kept, as the records give it now."""
    stored = approval.content.get("structure") or slate_summary(election)
    if not stored.get("size"):
        return None
    return {
        "size": stored["size"],
        "on": cn_date(date.fromisoformat(stored["on"])),
        "women": stored["women"],
        "minorities": stored["minorities"],
        "average_age": _average(stored["average_age"]),
        "college_or_above": stored["college_or_above"],
        "education_unknown": stored.get("education_unknown", 0),
        "front_line": stored["front_line"],
    }


def _candidates_request(election: Election, item: int | None) -> dict[str, Any]:
    """The provisional candidates as submitted for review (R-RPT-2), with the surplus of each
    contest (R-CAND-2/3), each person's particulars from the roll and the structure of the slate."""
    approval = _approval(election, Approval.Kind.CANDIDATES)
    if approval is None:
        raise NotAvailable
    on = approval.submitted_on
    by_post = {c.get_post_display(): c for c in election.contests.all()}
    contests: list[dict[str, Any]] = []
    for entry in approval.content.get("contests", []):
        contest = by_post.get(entry["post"])
        submitted = {c["name"]: c for c in entry.get("candidates", [])}
        rows = (
            list(contest.candidates.select_related("member__profile").filter(member__name__in=submitted))
            if contest
            else []
        )
        people = [_person(c, on, submitted[c.member.name]) for c in ballot_order(rows)]  # R-BAL-1, R-NAME
        seats, count = entry["seats"], len(people)
        contests.append(
            {
                "numeral": _numeral(len(contests)),
                "post": entry["post"],
                "seats": seats,
                "count": count,
                "surplus": count - seats,
                "surplus_percent": _percent(count - seats, seats),
                "competitive": count > seats,
                "equal_allowed": contest is not None
                and may_be_equal_election(RULE_POST[Post(contest.post)]),  # R-CAND-3
                "people": people,
            }
        )
    return _common(election, on) | {"contests": contests, "structure": _slate_structure(election, approval)}
