"""The results package (``xuanju.venue-results/1``), written at the venue by ``xuanju venue export``.

It carries everything the central system needs to check and merge the meeting:

- the meeting package as it came (with the county's signature) and its digest: where it came from;
- every meeting with its roll call (who answered, who was excused and why, the counts), the adopted
  procedure and the scrutineers and counters;
- every round with its ballots as ``xuanju.election/1`` (:func:`xuanju.elections.rounds.export_round`),
  the stored ballot entries and the engine's result; the people elected; seat reductions;
- the documents of the meeting (.docx, as the documents page makes them);
- the venue's whole audit chain, whose first record names the package's digest, and its head.

It is signed by the venue's key, whose fingerprint every count report printed at the venue shows
(counting/report.html); the organizer types that fingerprint in when importing (:mod:`merge`).
"""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone

from xuanju.audit.models import AuditRecord
from xuanju.documents import content
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections.models import Contest, Elected, Election, Meeting, Round
from xuanju.elections.rounds import export_round
from xuanju.venue.install import Venue, VenueError

RESULTS_FORMAT = "xuanju.venue-results/1"
# The documents of the meeting itself; the requests and replies stay with the central system.
MEETING_DOCUMENTS = (
    Kind.PROCEDURE,
    Kind.ROLES,
    Kind.ROLL,
    Kind.ROUND_RESULT,
    Kind.SAMPLING_AUDIT,
    Kind.RESULT_FORM,
    Kind.MINUTES,
)
MEETING_FIELDS = (
    "kind",
    "roll_closed",
    "entitled",
    "present",
    "majority_base",
    "tie_revote_needs_majority",
    "reduction_reading",
    "pre_election_needs_majority",
    "issued_over_present_voids",
    "procedure_adopted",
    "procedure_votes",
    "pre_election_candidates",
    "counting_method",
    "closed",
)
BALLOT_FIELDS = (
    "marks_for",
    "marks_against",
    "write_ins",
    "count",
    "void_reason",
    "sheet",
    "source",
    "entered_by",
    "confirmed_by",
)


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        **{name: getattr(meeting, name) for name in MEETING_FIELDS},
        "held_on": meeting.held_on.isoformat(),
        "attendance": [
            {
                "member": a.member_id,
                "present": a.present,
                "excluded_reason": a.excluded_reason,
                "exclusion_consent": a.exclusion_consent,
            }
            for a in meeting.attendance.order_by("member_id")
        ],
        "roles": [{"member": r.member_id, "role": r.role} for r in meeting.roles.order_by("pk")],
    }


def _round(round_: Round) -> dict[str, Any]:
    return {
        "contest": round_.contest_id,
        "meeting": round_.meeting.kind,
        "number": round_.number,
        "kind": round_.kind,
        "seats": round_.seats,
        "issued": round_.issued,
        "returned": round_.returned,
        "counting_method": round_.counting_method,
        "candidates": sorted(c.key for c in round_.candidates.all()),
        "ballots": [
            {name: getattr(b, name) for name in BALLOT_FIELDS} for b in round_.ballots.order_by("pk")
        ],
        "election": export_round(round_),  # xuanju.election/1: `xuanju tally` counts it again
        "result": round_.result,
    }


def _documents(election: Election) -> list[dict[str, Any]]:
    documents = []
    for ref in content.available(election):
        if ref.kind not in MEETING_DOCUMENTS:
            continue
        made = document_file(election, ref.kind, ref.item, "docx")
        documents.append(
            {
                "kind": ref.kind.value,
                "item": ref.item,
                "name": made.name,
                "docx": base64.b64encode(made.data).decode("ascii"),
            }
        )
    return documents


def audit_chain() -> list[dict[str, Any]]:
    return [
        record.content() | {"previous_hash": record.previous_hash, "hash": record.hash}
        for record in AuditRecord.objects.order_by("pk").iterator()
    ]


def results_payload(venue: Venue) -> dict[str, Any]:
    """The results of the venue's meeting; VenueError while a round is still being counted."""
    election = Election.objects.select_related("organization").get(pk=venue.election_id)
    rounds = list(
        Round.objects.filter(contest__election=election)
        .select_related("contest__election__organization", "meeting")
        .order_by("contest__position", "contest_id", "number")
    )
    open_rounds = [r for r in rounds if not r.closed]
    if open_rounds:
        r = open_rounds[0]
        raise VenueError(f"{r.contest.get_post_display()}第{r.number}轮还没有计票结束，结束后再导出结果")
    meetings = list(election.meetings.order_by("pk"))
    if not meetings:
        raise VenueError("会议还没有开始，没有可以导出的结果")
    chain = audit_chain()
    return {
        "format": RESULTS_FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "meeting_package_digest": venue.package_digest,
        "meeting_package": venue.package_envelope(),
        "election": {"id": election.pk, "status": election.status},
        "meetings": [_meeting(m) for m in meetings],
        "roll_call": [{"meeting": m.kind, "entitled": m.entitled, "present": m.present} for m in meetings],
        "contests": [
            {
                "id": c.pk,
                "seats_reduced": c.seats_reduced,
                "reduction_consent": c.reduction_consent,
                "reduced_by_presidium": c.reduced_by_presidium,
            }
            for c in Contest.objects.filter(election=election).order_by("pk")
        ],
        "rounds": [_round(r) for r in rounds],
        "elected": [
            {
                "contest": e.contest_id,
                "round": e.round.number,
                "member": e.member_id,
                "write_in_name": e.write_in_name,
                "votes": e.votes,
            }
            for e in Elected.objects.filter(contest__election=election).select_related("round").order_by("pk")
        ],
        "documents": _documents(election),
        "audit": {"records": chain, "head": chain[-1]["hash"] if chain else "", "count": len(chain)},
    }
