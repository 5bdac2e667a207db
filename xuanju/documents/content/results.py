"""The documents of the rounds and the results: each round's tally and sampling audit, the result
forms, the report of the results, the results notice and the minutes (R-RPT-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from xuanju.documents.content.common import (
    _APPROVED_POSTS,
    _POST_ORDER,
    NotAvailable,
    Ref,
    _approval,
    _common,
    _is_by,
    _numeral,
    cn_date,
    plain,
)
from xuanju.documents.content.meetings import (
    _meeting,
    _meeting_common,
    _meeting_name,
    _meetings,
    _procedure,
    _roles,
    _roll,
    commission_name,
)
from xuanju.documents.kinds import Kind
from xuanju.documents.markup import cell, literal
from xuanju.documents.sampling import audit_context, audit_label, concluded_audits
from xuanju.elections import hooks
from xuanju.elections.actions import meeting_contests
from xuanju.elections.models import (
    Approval,
    Candidate,
    Elected,
    Election,
    Post,
    Round,
)
from xuanju.elections.rounds import ballot_order
from xuanju.formats.election import shown_threshold
from xuanju.formats.wording import BASE_NAMES, KIND_NAMES, STATUS_NAMES
from xuanju.organizations.models import Member, Organization
from xuanju.rules.names import stroke_key


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
