"""What each document of an election says, from the stored records only.

Every context is plain data (dicts, lists, strings, numbers) for a template, built from records and
the dates stored on them — the request's ``submitted_on``, the reply's ``decided_on``, the meeting's
``held_on`` — never from the clock, so a document generated again reads the same. Free text from
records passes through :func:`~xuanju.documents.markup.literal` and
:func:`~xuanju.documents.markup.cell` so that nothing a user typed can turn into markup.

Nothing here links a voter to a ballot (R-SUP-1): the roll says who was present, the results say
how many votes each person received, and no document puts the two together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from xuanju.audit.trail import anchor_of
from xuanju.documents.kinds import WAITING, Kind
from xuanju.documents.markup import cell, literal
from xuanju.documents.sampling import audit_context, audit_label, concluded_audits
from xuanju.elections import hooks
from xuanju.elections.actions import (
    APPROVED_POSTS,
    REDUCTION_READINGS,
    meeting_contests,
    slate_summary,
)
from xuanju.elections.forms_meeting import EXCLUSION_LABELS
from xuanju.elections.models import (
    RULE_POST,
    Approval,
    Attendance,
    Candidate,
    Elected,
    Election,
    ElectionForm,
    ElectionKind,
    Meeting,
    MeetingRole,
    Post,
    Round,
)
from xuanju.elections.revision import REVISION_KEY, change_rows
from xuanju.elections.rounds import ballot_order
from xuanju.formats.election import shown_threshold
from xuanju.formats.wording import BASE_NAMES, KIND_NAMES, STATUS_NAMES
from xuanju.organizations.models import Member, Organization
from xuanju.rules.candidates import may_be_equal_election
from xuanju.rules.meeting import minimum_present_for_quorum
from xuanju.rules.names import stroke_key
from xuanju.rules.reduction import ConsentReading
from xuanju.rules.voting import party_age
from xuanju.vetting.services import profile_of

# The system's messages cite rule IDs for its users; a document sent to the upper level quotes the
# Regulations' substance without them.
_CITATION = re.compile(r"（R-[A-Z]+-\d+(?:[、，]\s*R-[A-Z]+-\d+)*）")
_TRAILING_CITATION = re.compile(r"[，、]\s*R-[A-Z]+-\d+")
_BARE_CITATION = re.compile(r"\s*R-[A-Z]+-\d+")
_REASONS = {k.value: v for k, v in EXCLUSION_LABELS.items()}
_NUMERALS = "一二三四五六七八九十"  # headings 一、二、… (a document has a few sections)
_POST_ORDER = {
    Post.DELEGATE: 0,
    Post.COMMITTEE_MEMBER: 0,
    Post.SECRETARY: 1,
    Post.DEPUTY_SECRETARY: 2,
    Post.DISCIPLINE_MEMBER: 3,
    Post.DISCIPLINE_SECRETARY: 4,
    Post.DISCIPLINE_DEPUTY: 5,
}
_APPROVED_POSTS = APPROVED_POSTS  # approved (批准); the others are filed (R-RPT-3)
_PLENARIES = (Meeting.Kind.PLENARY, Meeting.Kind.DISCIPLINE_PLENARY)
_PLENARY_NAMES = {
    Meeting.Kind.PLENARY: "新一届委员会第一次全体会议",
    Meeting.Kind.DISCIPLINE_PLENARY: "新一届纪律检查委员会第一次全体会议",
}


class NotAvailable(Exception):
    """The records this document is made from do not exist (yet)."""


@dataclass(frozen=True)
class Ref:
    """One document that can be generated now: its kind, its item (a meeting, round or member id
    for documents of which an election has several) and how the list names it."""

    kind: Kind
    item: int | None
    name: str
    dated: date


@dataclass(frozen=True)
class Built:
    ref: Ref
    context: dict[str, Any]


# --- wording helpers -------------------------------------------------------------------------


def cn_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _month(day: date | None) -> str:
    return f"{day.year}.{day.month:02d}" if day else "—"


def plain(text: str) -> str:
    """``text`` without the system's rule citations."""
    text = _CITATION.sub("", text)
    text = _TRAILING_CITATION.sub("", text)
    return _BARE_CITATION.sub("", text)


def _lines(text: str) -> list[str]:
    """Free text as paragraphs, one per line, each safe as markup."""
    return [literal(plain(line)) for line in text.splitlines() if line.strip()]


def _numeral(index: int) -> str:
    """一, 二, … for the ``index``-th section (from 0); Arabic beyond ten."""
    return _NUMERALS[index] if index < len(_NUMERALS) else str(index + 1)


def _names(names: Iterable[str]) -> list[str]:
    return sorted(names, key=stroke_key)  # R-NAME


def _upper(org: Organization) -> str:
    parent = Organization.objects.get_parent(org)
    return parent.name if parent else ""


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.0f}%" if whole else "—"


# --- per kind: the documents there are and what each says ------------------------------------


def _approval(election: Election, kind: str) -> Approval | None:
    return election.approvals.filter(kind=kind).order_by("-submitted_on", "-id").first()


def _congress_name(election: Election) -> str:
    """The congress a unit's delegates election sends its delegates to ("" for other elections)."""
    if not election.is_delegates:
        return ""
    unit = getattr(election, "congress_unit", None)
    return str(unit.unit.congress) if unit is not None else "党员代表大会"


def _common(election: Election, dated: date) -> dict[str, Any]:
    org = election.organization
    congress = _congress_name(election)
    return {
        "org": cell(org.name),
        "upper": cell(_upper(org)),
        "date": cn_date(dated),
        "year": dated.year,
        "has_committee": election.has_committee,
        "term_years": election.term_years,
        "committee_seats": election.committee_seats,
        "deputy_seats": election.deputy_seats,
        "body": f"出席{cell(congress)}代表"
        if election.is_delegates
        else "委员会"
        if election.has_committee
        else "书记" + ("、副书记" if election.deputy_seats else ""),
        # What the election is, as the titles of its results name it.
        "delegates": election.is_delegates,
        "congress_name": cell(congress),
        "elects": cell(
            f"选举出席{congress}代表" if election.is_delegates else "补选" if _is_by(election) else "换届选举"
        ),
        "by_election": _is_by(election),  # 关于补选…的请示, 补选结果的报告
        "electing_meeting": ElectionForm(election.form).label,  # 党员大会 or 党员代表大会 (R-DEL-1)
    }


def _reply(approval: Approval) -> dict[str, Any]:
    """The upper level's reply to a request or report (R-RPT-4): what it decided, when, under which
    document number, and why where it did not approve."""
    assert approval.decided_on is not None
    return {
        "decision": approval.decision,
        "approved": approval.decision == Approval.Decision.APPROVED,
        "returned": approval.decision == Approval.Decision.RETURNED,
        "refused": approval.decision == Approval.Decision.REFUSED,
        "number": cell(approval.document),
        "comments": _lines(approval.comments),
        "submitted_on": cn_date(approval.submitted_on),
    }


def _is_by(election: Election) -> bool:
    return election.kind == ElectionKind.BY_ELECTION


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
    planned = date.fromisoformat(plan["planned_on"])
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


# --- meetings ---------------------------------------------------------------------------------


def _meetings(election: Election) -> list[Meeting]:
    return sorted(election.meetings.all(), key=lambda m: (m.kind in _PLENARIES, m.pk))


def _meeting_name(meeting: Meeting) -> str:
    return _PLENARY_NAMES.get(Meeting.Kind(meeting.kind), meeting.get_kind_display())


def commission_name(org: Organization) -> str:
    """The organization's discipline commission by name: 中共某某委员会 → 中共某某纪律检查委员会."""
    return f"{org.name.removesuffix('委员会')}纪律检查委员会"


def _meeting_refs(kind: Kind, ready: Callable[[Meeting], bool]) -> Callable[[Election], list[Ref]]:
    def refs(election: Election) -> list[Ref]:
        return [
            Ref(kind, m.pk, f"{kind.label}（{_meeting_name(m)}）", m.held_on)
            for m in _meetings(election)
            if ready(m)
        ]

    return refs


def _meeting(election: Election, item: int | None) -> Meeting:
    meeting = election.meetings.filter(pk=item).first() if item is not None else None
    if meeting is None:
        raise NotAvailable
    return meeting


def _meeting_common(election: Election, meeting: Meeting) -> dict[str, Any]:
    return _common(election, meeting.held_on) | {
        "meeting": _meeting_name(meeting),
        "held_on": cn_date(meeting.held_on),
        "entitled": meeting.entitled,
        "present": meeting.present,
        "quorum": minimum_present_for_quorum(meeting.entitled),
    }


def _contest_lines(meeting: Meeting) -> list[dict[str, Any]]:
    lines = []
    for contest in sorted(meeting_contests(meeting), key=lambda c: c.position):
        count = contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).count()
        lines.append(
            {
                "post": contest.get_post_display(),
                "seats": contest.seats,
                "candidates": count,
                "competitive": count > contest.seats,
            }
        )
    return lines


def _procedure(election: Election, item: int | None) -> dict[str, Any]:
    """The election procedure the meeting adopted (R-MEET-3): quorum (R-MEET-1), ballot marks and
    write-ins (R-BAL-2), valid, invalid and void ballots (R-BAL-3/4/5), the majority base and the
    tie revote (R-CNT-1/4), further election (R-CNT-5/6) and the vote that adopted it."""
    meeting = _meeting(election, item)
    if not meeting.procedure_adopted:
        raise NotAvailable
    return _meeting_common(election, meeting) | {
        "contests": _contest_lines(meeting),
        "base_name": BASE_NAMES[meeting.majority_base],
        "base_is_entitled": meeting.majority_base == "entitled",
        "tie_revote_needs_majority": meeting.tie_revote_needs_majority,
        # R-CNT-8: the pre-election the congress adopted, and whether it needs a majority
        "pre_election": meeting.pre_election_candidates or 0,
        "pre_election_needs_majority": meeting.pre_election_needs_majority,
        "issued_over_present_voids": meeting.issued_over_present_voids,  # R-BAL-5
        "votes": cell(meeting.procedure_votes),
        "plenary": meeting.kind in _PLENARIES,
        # R-CNT-5: how the procedure reads 半数以上, and the presidium's power at a congress
        "reduction_consent": REDUCTION_READINGS[ConsentReading(meeting.reduction_reading)],
        "presidium_may_reduce": meeting.kind == Meeting.Kind.CONGRESS,
        "congress": meeting.kind == Meeting.Kind.CONGRESS,
    }


def _roles(election: Election, item: int | None) -> dict[str, Any]:
    meeting = _meeting(election, item)
    roles = list(meeting.roles.select_related("member"))
    if not roles:
        raise NotAvailable

    def named(role: str) -> list[str]:
        return _names(cell(r.member.name) for r in roles if r.role == role)

    return _meeting_common(election, meeting) | {
        "chief": named(MeetingRole.Role.CHIEF_SCRUTINEER),
        "scrutineers": named(MeetingRole.Role.SCRUTINEER),
        "counters": named(MeetingRole.Role.COUNTER),
    }


def _roll(election: Election, item: int | None) -> dict[str, Any]:
    """Entitled, excluded with reasons and consent (R-MEET-2), present and the quorum (R-MEET-1).
    The roll is about attendance only; it is never set beside any ballot (R-SUP-1)."""
    meeting = _meeting(election, item)
    if not meeting.roll_closed:
        raise NotAvailable
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    excluded = [a for a in rows if a.excluded_reason]
    return _meeting_common(election, meeting) | {
        "on_roll": len(rows),
        "excluded": [
            {
                "name": cell(a.member.name),
                "reason": cell(_REASONS.get(a.excluded_reason, a.excluded_reason)),
                "consent": cell(a.exclusion_consent),
            }
            for a in sorted(excluded, key=lambda a: stroke_key(a.member.name))
        ],
        "absent": _names(cell(a.member.name) for a in rows if not a.excluded_reason and not a.present),
        "absent_count": meeting.entitled - meeting.present,
        "quorum_met": meeting.present * 5 > meeting.entitled * 4,  # R-MEET-1
    }


# --- rounds and results -----------------------------------------------------------------------


def _closed_rounds(election: Election) -> list[Round]:
    rounds = Round.objects.filter(contest__election=election, closed=True).select_related(
        "contest", "meeting"
    )
    return sorted(rounds, key=lambda r: (r.meeting.held_on, r.meeting.pk, r.contest.position, r.number))


def _round_label(round_: Round) -> str:
    return f"{round_.contest.get_post_display()}第{round_.number}轮（{round_.get_kind_display()}）"


def _round_refs(election: Election) -> list[Ref]:
    return [
        Ref(Kind.ROUND_RESULT, r.pk, f"{Kind.ROUND_RESULT.label}：{_round_label(r)}", r.meeting.held_on)
        for r in _closed_rounds(election)
    ]


def _audit_refs(election: Election) -> list[Ref]:
    return [
        Ref(Kind.SAMPLING_AUDIT, a.round_id, audit_label(a), a.round.meeting.held_on)
        for a in concluded_audits(election)
    ]


def _sampling_audit(election: Election, item: int | None) -> dict[str, Any]:
    audit = next((a for a in concluded_audits(election) if a.round_id == item), None)
    if audit is None:
        raise NotAvailable
    return _meeting_common(election, audit.round.meeting) | audit_context(audit)


def _tally(result: dict[str, Any]) -> dict[str, Any]:
    """One ``xuanju.result/1`` document as the documents word it (R-CNT-1..7)."""
    tied = set(result.get("tied", []))
    names = {p["id"]: p["name"] for p in result.get("tally", [])}
    # R-CNT-8: a pre-election and its later rounds place formal candidates, they elect nobody
    pre_election = result.get("stage") == "pre_election" or result.get("kind") == "pre_election"
    chosen = "列为正式候选人" if pre_election else "当选"
    people = []
    for rank, person in enumerate(result.get("tally", []), start=1):
        outcome = chosen if person["elected"] else ("须再次投票" if person["id"] in tied else "未" + chosen)
        people.append(
            {
                "rank": rank,
                "name": cell(person["name"]) + ("（另选他人）" if person.get("write_in") else ""),
                "for": person["for"],
                "against": person["against"],
                "abstain": person["abstain"],
                "outcome": outcome,
            }
        )
    ballots = result.get("ballots", {})
    return {
        "status": STATUS_NAMES.get(result.get("status", ""), ""),
        "complete": result.get("status") in ("complete", "tie_revote_needed", "seats_unfilled"),
        "seats": result.get("seats"),
        "issued": ballots.get("issued"),
        "returned": ballots.get("returned"),
        "valid": ballots.get("valid"),
        "invalid": ballots.get("invalid"),
        "void": ballots.get("void"),
        "base_name": BASE_NAMES.get(result.get("majority_base", ""), ""),
        "base": result.get("base"),
        "threshold": shown_threshold(result),  # R-CNT-4: none where no majority applies
        "chosen": chosen,
        "people": people,
        "elected": [cell(names[i]) for i in result.get("elected_in_stroke_order", [])],  # R-CNT-7
        "notes": [literal(plain(n)) for n in result.get("notes", [])],
    }


def _test_deck(round_: Round) -> dict[str, Any] | None:
    """The round's test deck (测试票检验) as the count report words it: when, by whom, how many
    sheets, passed or not, and every difference a failed run found; None where the round was not
    counted by scanning or has no run."""
    counting = hooks.counting()
    found = counting.test_deck(round_) if counting is not None else None
    if not found:
        return None
    run = found["run"]
    return {
        "passed": found["passed"],
        "date": cn_date(timezone.localtime(run.run_at).date()),
        "by": cell(run.run_by),
        "sheets": run.sheets,
        "pages": run.pages,
        "differences": [cell(d) for d in run.differences],
        "failed_before": [
            {
                "date": cn_date(timezone.localtime(r.run_at).date()),
                "by": cell(r.run_by),
                "differences": len(r.differences),
            }
            for r in found["failed_before"]
        ],
    }


def _round(election: Election, item: int | None) -> dict[str, Any]:
    round_ = next((r for r in _closed_rounds(election) if r.pk == item), None)
    if round_ is None or not round_.result:
        raise NotAvailable
    return _meeting_common(election, round_.meeting) | {
        "post": round_.contest.get_post_display(),
        "number": round_.number,
        "round_kind": KIND_NAMES.get(round_.kind, round_.kind),
        "test_deck": _test_deck(round_),
        **_tally(round_.result),
    }


def _matrix(rounds: list[Round]) -> dict[str, Any]:
    """Every person's for-votes across the rounds of one contest (R-CNT-7): one row each, in the
    order of the first round's tally, with the outcome."""
    order: list[str] = []
    votes: dict[str, dict[int, int]] = {}
    elected: set[str] = set()
    for round_ in rounds:
        for person in (round_.result or {}).get("tally", []):
            name = person["name"]
            if name not in votes:
                order.append(name)
                votes[name] = {}
            votes[name][round_.number] = person["for"]
            if person["elected"]:
                elected.add(name)
    return {
        "columns": [
            f"第{r.number}轮{'' if r.kind == Round.Kind.REGULAR else r.get_kind_display()}" for r in rounds
        ],
        "rows": [
            {
                "name": cell(name),
                "votes": [votes[name].get(r.number, "—") for r in rounds],
                "outcome": "当选" if name in elected else "未当选",
            }
            for name in order
        ],
    }


def _contest_results(election: Election, rounds: list[Round]) -> list[dict[str, Any]]:
    contests: list[dict[str, Any]] = []
    for contest in sorted(election.contests.all(), key=lambda c: c.position):
        own = [r for r in rounds if r.contest_id == contest.pk]
        if not own:
            continue
        elected = list(contest.elected.select_related("member"))
        contests.append(
            {
                "numeral": _numeral(len(contests)),
                "post": contest.get_post_display(),
                "seats": contest.seats,
                "seats_reduced": contest.seats_reduced,
                "reduction": cell(contest.reduction_consent),
                "by_presidium": contest.reduced_by_presidium,  # R-CNT-5
                # R-RPT-3: the secretaries are approved, under the body they lead; members are filed
                "needs_approval": contest.post in _APPROVED_POSTS,
                "office": cell(_office(election.organization, Post(contest.post))),
                "meeting": _meeting_name(own[0].meeting),
                "held_on": cn_date(own[0].meeting.held_on),
                "entitled": own[0].meeting.entitled,
                "present": own[0].meeting.present,
                "elected": [
                    {"name": cell(_elected_name(e)), "votes": e.votes}
                    for e in sorted(elected, key=lambda e: stroke_key(_elected_name(e)))  # R-CNT-7
                ],
                **_matrix(own),
            }
        )
    return contests


def _office(org: Organization, post: Post) -> str:
    """The office an approval names: 中共某某委员会书记, 中共某某纪律检查委员会副书记, …"""
    within = {
        Post.DISCIPLINE_MEMBER: "委员",
        Post.DISCIPLINE_SECRETARY: "书记",
        Post.DISCIPLINE_DEPUTY: "副书记",
    }
    if post in within:
        return commission_name(org) + within[post]
    return org.name + post.label


def _elected_name(elected: Elected) -> str:
    return elected.member.name if elected.member else elected.write_in_name


def _form_refs(election: Election) -> list[Ref]:
    rounds = _closed_rounds(election)
    return [Ref(Kind.RESULT_FORM, None, Kind.RESULT_FORM.label, rounds[-1].meeting.held_on)] if rounds else []


def _result_form(election: Election, item: int | None) -> dict[str, Any]:
    rounds = _closed_rounds(election)
    if not rounds:
        raise NotAvailable
    return _common(election, rounds[-1].meeting.held_on) | {"contests": _contest_results(election, rounds)}


def _results_refs(election: Election) -> list[Ref]:
    approval = _approval(election, Approval.Kind.RESULTS)
    label = "关于补选结果的报告" if _is_by(election) else Kind.RESULTS_REPORT.label
    return [Ref(Kind.RESULTS_REPORT, None, label, approval.submitted_on)] if approval else []


def _results_report(election: Election, item: int | None) -> dict[str, Any]:
    """The report of the results (R-RPT-3): committee members for filing (备案), secretary and
    deputies for approval (批准), every person's votes in every round (R-CNT-7)."""
    approval = _approval(election, Approval.Kind.RESULTS)
    if approval is None:
        raise NotAvailable
    rounds = _closed_rounds(election)
    contests = _contest_results(election, rounds)
    members = next((c for c in contests if c["post"] == Post.COMMITTEE_MEMBER.label), None)
    posts = [c for c in contests if c["post"] != Post.COMMITTEE_MEMBER.label]
    commission = next((c for c in contests if c["post"] == Post.DISCIPLINE_MEMBER.label), None)
    meetings = _meetings(election)
    return _common(election, approval.submitted_on) | {
        "contests": contests,
        "members": members,
        "posts": posts,
        # R-RPT-3: the commission's members filed, its secretary (and deputies) approved
        "commission": commission,
        "commission_name": cell(commission_name(election.organization)),
        "commission_leaders": "、".join(
            c["post"].removeprefix("纪委")
            for c in contests
            if c["post"] in (Post.DISCIPLINE_SECRETARY.label, Post.DISCIPLINE_DEPUTY.label)
        ),
        "meetings": [
            {
                "name": _meeting_name(m),
                "held_on": cn_date(m.held_on),
                "entitled": m.entitled,
                "present": m.present,
            }
            for m in meetings
        ],
    }


def _notice_refs(election: Election) -> list[Ref]:
    people = _elected_people(election)
    return [
        Ref(Kind.NOTICE, member.pk, f"{Kind.NOTICE.label}（{member.name}）", dated)
        for member, (dated, _) in people.items()
    ]


def _elected_people(election: Election) -> dict[Member, tuple[date, list[Elected]]]:
    """Each confirmed elected member with the posts they were elected to, dated by the meeting that
    elected them last — or by the upper level's approval of the results, once given (R-RPT-3)."""
    report = _approval(election, Approval.Kind.RESULTS)
    approved_on = report.decided_on if report and report.decision == Approval.Decision.APPROVED else None
    people: dict[Member, tuple[date, list[Elected]]] = {}
    rows = Elected.objects.filter(contest__election=election, member__isnull=False).select_related(
        "member", "contest", "round__meeting"
    )
    for row in sorted(rows, key=lambda e: (stroke_key(_elected_name(e)), _POST_ORDER[Post(e.contest.post)])):
        assert row.member is not None  # filtered above: write-ins get a notice once confirmed
        dated, posts = people.get(row.member, (row.round.meeting.held_on, []))
        people[row.member] = (approved_on or max(dated, row.round.meeting.held_on), [*posts, row])
    return people


def _notice(election: Election, item: int | None) -> dict[str, Any]:
    person = next(((m, p) for m, p in _elected_people(election).items() if m.pk == item), None)
    if person is None:
        raise NotAvailable
    member, (dated, rows) = person
    report = _approval(election, Approval.Kind.RESULTS)
    return _common(election, dated) | {
        "name": cell(member.name),
        "posts": [
            {
                "post": row.contest.get_post_display(),
                "meeting": _meeting_name(row.round.meeting),
                "held_on": cn_date(row.round.meeting.held_on),
                "needs_approval": row.contest.post in _APPROVED_POSTS,
                "office": cell(_office(election.organization, Post(row.contest.post))),
            }
            for row in rows
        ],
        "approved": bool(report and report.decision == Approval.Decision.APPROVED),
        "approval_number": cell(report.document) if report else "",
    }


def _minutes(election: Election, item: int | None) -> dict[str, Any]:
    """The minute of one meeting: attendance, the procedure adopted, scrutineers, candidates, every
    round with its result, and the announcement of the elected (R-MEET-1..4, R-CNT-7)."""
    meeting = _meeting(election, item)
    if not meeting.roll_closed:
        raise NotAvailable
    rounds = [r for r in _closed_rounds(election) if r.meeting_id == meeting.pk]
    candidates = []
    for contest in sorted(meeting_contests(meeting), key=lambda c: c.position):
        finals = list(contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).select_related("member"))
        candidates.append(
            {
                "post": contest.get_post_display(),
                "seats": contest.seats,
                "names": [cell(c.member.name) for c in ballot_order(finals)],
            }
        )
    context = _meeting_common(election, meeting) | {
        "roll": _roll(election, item),
        "procedure": _procedure(election, item) if meeting.procedure_adopted else None,
        "roles": _roles(election, item) if meeting.roles.exists() else None,
        "candidates": candidates,
        "rounds": [
            {
                "numeral": _numeral(number),
                "label": _round_label(r),
                "post": r.contest.get_post_display(),
                "number": r.number,
                "round_kind": r.get_kind_display(),
                **_tally(r.result or {}),
            }
            for number, r in enumerate(rounds)
        ],
        "reductions": [
            {
                "post": c.get_post_display(),
                "consent": cell(c.reduction_consent),
                "seats": c.seats_reduced,
                "by_presidium": c.reduced_by_presidium,  # R-CNT-5: the presidium decided, not a vote
            }
            for c in meeting_contests(meeting)
            if c.seats_reduced
        ],
        "elected": [
            {"post": c["post"], "names": [e["name"] for e in c["elected"]]}
            for c in _contest_results(election, rounds)
        ],
    }
    return context


@dataclass(frozen=True)
class Spec:
    refs: Callable[[Election], list[Ref]]
    context: Callable[[Election, int | None], dict[str, Any]]


SPECS: dict[Kind, Spec] = {
    Kind.PLAN_REQUEST: Spec(_plan_refs, _plan_request),
    Kind.PLAN_REPLY: Spec(
        _reply_refs(Kind.PLAN_REPLY, Approval.Kind.PLAN), _reply_context(Approval.Kind.PLAN)
    ),
    Kind.CANDIDATES_REQUEST: Spec(_candidates_refs, _candidates_request),
    Kind.CANDIDATES_REPLY: Spec(
        _reply_refs(Kind.CANDIDATES_REPLY, Approval.Kind.CANDIDATES), _reply_context(Approval.Kind.CANDIDATES)
    ),
    Kind.PROCEDURE: Spec(_meeting_refs(Kind.PROCEDURE, lambda m: m.procedure_adopted), _procedure),
    Kind.ROLES: Spec(_meeting_refs(Kind.ROLES, lambda m: m.roles.exists()), _roles),
    Kind.ROLL: Spec(_meeting_refs(Kind.ROLL, lambda m: m.roll_closed), _roll),
    Kind.ROUND_RESULT: Spec(_round_refs, _round),
    Kind.SAMPLING_AUDIT: Spec(_audit_refs, _sampling_audit),
    Kind.RESULT_FORM: Spec(_form_refs, _result_form),
    Kind.RESULTS_REPORT: Spec(_results_refs, _results_report),
    Kind.RESULTS_REPLY: Spec(
        _reply_refs(Kind.RESULTS_REPLY, Approval.Kind.RESULTS), _reply_context(Approval.Kind.RESULTS)
    ),
    Kind.NOTICE: Spec(_notice_refs, _notice),
    Kind.MINUTES: Spec(_meeting_refs(Kind.MINUTES, lambda m: m.roll_closed), _minutes),
}


def available(election: Election) -> list[Ref]:
    """The documents the records of ``election`` allow now, in the order of the steps."""
    return [ref for kind in Kind for ref in SPECS[kind].refs(election)]


def waiting(election: Election, refs: list[Ref]) -> list[tuple[Kind, str]]:
    """The kinds with no document yet, each with what it waits for."""
    present = {ref.kind for ref in refs}
    return [(kind, WAITING[kind]) for kind in Kind if kind not in present]


def _anchor_records(election: Election, kind: Kind, item: int | None) -> tuple[list[Any], tuple[str, ...]]:
    """The records whose audit record a signed paper certifies, and the actions that count (R-SUP-4):
    the round's closing for its result; the last closing for the result form; the report's filing; the
    upper level's decision for a reply; the meeting's (and its rounds') last record for the minutes."""
    replies = {
        Kind.PLAN_REPLY: Approval.Kind.PLAN,
        Kind.CANDIDATES_REPLY: Approval.Kind.CANDIDATES,
        Kind.RESULTS_REPLY: Approval.Kind.RESULTS,
    }
    if kind == Kind.ROUND_RESULT:
        return [r for r in _closed_rounds(election) if r.pk == item], ("close_round",)
    if kind == Kind.RESULT_FORM:
        return list(_closed_rounds(election)), ("close_round",)
    if kind == Kind.SAMPLING_AUDIT:
        return [a for a in concluded_audits(election) if a.round_id == item], ("weigh_sampling_audit",)
    if kind == Kind.RESULTS_REPORT:
        return [a for a in [_approval(election, Approval.Kind.RESULTS)] if a], ("submit_results",)
    if kind in replies:
        return [a for a in [_approval(election, replies[kind])] if a], ("decide",)
    if kind == Kind.MINUTES:
        meeting = _meeting(election, item)
        return [meeting, *Round.objects.filter(meeting=meeting)], ()
    return [], ()


def anchor(election: Election, kind: Kind, item: int | None) -> str:
    """``第1234条 4436-7F3A-91C2-0B5E`` for a signed paper (printed after 审计校验码), else ""."""
    records, actions = _anchor_records(election, kind, item)
    found = anchor_of(*records, actions=actions) if records else None
    return found.code if found else ""


def build(election: Election, kind: Kind, item: int | None) -> Built:
    """The document ``kind`` (``item``: its meeting, round or member) with its context; a signed
    paper's context carries ``anchor``, its 审计校验码 (R-SUP-4)."""
    ref = next((r for r in SPECS[kind].refs(election) if r.item == item), None)
    if ref is None:
        raise NotAvailable
    return Built(ref, SPECS[kind].context(election, item) | {"anchor": anchor(election, kind, item)})
