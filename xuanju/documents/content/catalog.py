"""Which documents an election has, and building one: each kind's refs and context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xuanju.audit.trail import anchor_of
from xuanju.documents.content.approvals import (
    _candidates_refs,
    _candidates_request,
    _plan_refs,
    _plan_request,
    _reply_context,
    _reply_refs,
)
from xuanju.documents.content.common import Built, NotAvailable, Ref, _approval
from xuanju.documents.content.meetings import _meeting, _meeting_refs, _procedure, _roles, _roll
from xuanju.documents.content.results import (
    _audit_refs,
    _closed_rounds,
    _form_refs,
    _minutes,
    _notice,
    _notice_refs,
    _result_form,
    _results_refs,
    _results_report,
    _round,
    _round_refs,
    _sampling_audit,
)
from xuanju.documents.kinds import WAITING, Kind
from xuanju.documents.sampling import concluded_audits
from xuanju.elections.models import (
    Approval,
    Election,
    Round,
)


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
