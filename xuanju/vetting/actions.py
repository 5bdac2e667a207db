"""Every change of vetting data, each one transaction with its audit record. Views authorize
(xuanju.vetting.services: sets_conditions, sees_vetting, edits_profile) and call one action; a
refused step raises ActionError with a Chinese message.

The audit records of vetting keep the verdicts and counts, never the findings, talks or
conclusions: those are for the organizers and the upper level only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from xuanju.audit.trail import record, record_deletion, snapshot
from xuanju.elections.models import Candidate, Election
from xuanju.organizations.models import Member
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor
from xuanju.vetting.models import (
    ElectionConditions,
    MemberProfile,
    Sanction,
    StructureTargets,
    VettingRecord,
    VettingTalk,
)
from xuanju.vetting.services import CONDITIONS_OPEN, RATINGS, VETTING_OPEN, assessment_problem

CONDITION_FIELDS = (
    "min_party_age",
    "min_age",
    "max_age",
    "min_education",
    "must_reside_locally",
    "sanction_free_years",
    "other",
)
TARGET_FIELDS = (
    "min_women",
    "min_minorities",
    "max_average_age",
    "under_age",
    "min_under_age",
    "min_college_or_above",
    "min_front_line",
    "min_new",
    "max_returning",
)
PROFILE_FIELDS = (
    "education",
    "occupation",
    "front_line",
    "current_post",
    "residence",
    "resides_locally",
    "heads_residents_committee",
)
VETTING_FIELDS = (
    "political_findings",
    "political_verdict",
    "ability_findings",
    "ability_verdict",
    "conduct_findings",
    "conduct_verdict",
    "integrity_findings",
    "integrity_verdict",
    "assessment_participants",
    *(field for field, _ in RATINGS),
    "conclusion",
    "team",
    "vetted_on",
)
#: What the audit trail keeps of a vetting record: no findings, conclusion or names.
VETTING_AUDIT_FIELDS = [
    "candidate",
    "political_verdict",
    "ability_verdict",
    "conduct_verdict",
    "integrity_verdict",
    "assessment_participants",
    *(field for field, _ in RATINGS),
    "vetted_on",
]


def _require_conditions_open(election: Election) -> None:
    if election.status not in CONDITIONS_OPEN:
        raise ActionError(
            f"现在是“{election.get_status_display()}”阶段，预备人选已报上级，条件和结构要求不能再修改"
        )


@transaction.atomic
def set_conditions(actor: Any, election: Election, **values: Any) -> ElectionConditions:
    """The upper level sets the candidates' conditions for ``election`` (R-CAND-1), until the
    provisional candidates are submitted. The view checks ``services.sets_conditions``."""
    _require_conditions_open(election)
    low, high = values.get("min_age"), values.get("max_age")
    if low is not None and high is not None and high < low:
        raise ActionError("最高年龄不能低于最低年龄", "max_age")
    conditions, _ = ElectionConditions.objects.get_or_create(
        election=election, defaults={"min_party_age": election.minimum_party_age}
    )
    before = snapshot(conditions)
    for field in CONDITION_FIELDS:
        if field in values:
            value = values[field]
            setattr(conditions, field, value.strip() if isinstance(value, str) else value)
    conditions.set_by = _actor(actor)
    conditions.save()
    record(
        _actor(actor),
        "set_conditions",
        conditions,
        before=before,
        after=snapshot(conditions),
        summary=f"{election}：设定候选人条件",
    )
    return conditions


@transaction.atomic
def set_structure_targets(actor: Any, election: Election, **values: Any) -> StructureTargets:
    """The upper level sets the structure targets of the new committee (R-CAND-1)."""
    _require_conditions_open(election)
    if (values.get("under_age") is None) != (values.get("min_under_age") is None):
        raise ActionError("年龄线和该年龄以下的人数须同时填写", "min_under_age")
    targets, _ = StructureTargets.objects.get_or_create(election=election)
    before = snapshot(targets)
    for field in TARGET_FIELDS:
        if field in values:
            setattr(targets, field, values[field])
    targets.set_by = _actor(actor)
    targets.save()
    record(
        _actor(actor),
        "set_structure_targets",
        targets,
        before=before,
        after=snapshot(targets),
        summary=f"{election}：设定班子结构要求",
    )
    return targets


@transaction.atomic
def save_profile(actor: Any, member: Member, **values: Any) -> MemberProfile:
    """Record a member's education, occupation, front-line work, post and residence."""
    profile, _ = MemberProfile.objects.get_or_create(member=member)
    before = snapshot(profile)
    for field in PROFILE_FIELDS:
        if field in values:
            value = values[field]
            setattr(profile, field, value.strip() if isinstance(value, str) else value)
    profile.save()
    record(
        _actor(actor),
        "save_profile",
        profile,
        before=before,
        after=snapshot(profile),
        summary=f"{member.name}：更新党员基本情况",
    )
    return profile


@transaction.atomic
def add_sanction(actor: Any, member: Member, kind: str, decided_on: date, document: str = "") -> Sanction:
    """Put a Party disciplinary sanction on record (for "近 N 年未受处分", R-CAND-1)."""
    if kind not in Sanction.Kind.values:
        raise ActionError("请选择处分种类", "kind")
    if decided_on < member.joined_on:
        raise ActionError("处分日期不能早于入党日期", "decided_on")
    sanction = Sanction.objects.create(
        member=member, kind=kind, decided_on=decided_on, document=document.strip()
    )
    record(
        _actor(actor),
        "add_sanction",
        sanction,
        after=snapshot(sanction),
        summary=f"{member.name}：登记{sanction.get_kind_display()}处分",
    )
    return sanction


@transaction.atomic
def delete_sanction(actor: Any, sanction: Sanction) -> None:
    """Remove a sanction entered by mistake (the audit record keeps what it was)."""
    record_deletion(
        _actor(actor), "delete_sanction", sanction, summary=f"{sanction.member.name}：删除误登记的处分"
    )


def _require_vetting_open(candidate: Candidate) -> None:
    election = candidate.contest.election
    if election.status not in VETTING_OPEN:
        raise ActionError(f"现在是“{election.get_status_display()}”阶段，考察情况不能再修改")
    if candidate.stage == Candidate.Stage.DROPPED:
        raise ActionError(f"{candidate.member.name}未列入人选")


@transaction.atomic
def save_vetting(actor: Any, candidate: Candidate, **values: Any) -> VettingRecord:
    """Record the vetting (考察) of a person: the four checks, the democratic assessment, the
    conclusion and the team. The counts must not exceed the participants."""
    _require_vetting_open(candidate)
    counts = [values.get(field, 0) or 0 for field, _ in RATINGS]
    problem = assessment_problem(values.get("assessment_participants", 0) or 0, counts)
    if problem:
        raise ActionError(problem, "assessment_participants")
    vetting, _ = VettingRecord.objects.get_or_create(candidate=candidate)
    before = snapshot(vetting, VETTING_AUDIT_FIELDS)
    for field in VETTING_FIELDS:
        if field in values:
            value = values[field]
            setattr(vetting, field, value.strip() if isinstance(value, str) else value)
    vetting.updated_by = _actor(actor)
    vetting.save()
    record(
        _actor(actor),
        "save_vetting",
        vetting,
        before=before,
        after=snapshot(vetting, VETTING_AUDIT_FIELDS),
        summary=f"{candidate.contest.election}：更新{candidate.member.name}的考察情况",
    )
    return vetting


@transaction.atomic
def add_talk(actor: Any, candidate: Candidate, talked_on: date, with_whom: str, summary: str) -> VettingTalk:
    """Record one individual talk (个别谈话) of the vetting."""
    _require_vetting_open(candidate)
    if not with_whom.strip():
        raise ActionError("请写明谈话对象", "with_whom")
    if not summary.strip():
        raise ActionError("请写明谈话要点", "summary")
    vetting, _ = VettingRecord.objects.get_or_create(candidate=candidate)
    talk = VettingTalk.objects.create(
        record=vetting, talked_on=talked_on, with_whom=with_whom.strip(), summary=summary.strip()
    )
    record(
        _actor(actor),
        "add_talk",
        talk,
        after={"record_id": vetting.pk, "talked_on": str(talked_on)},
        summary=f"{candidate.contest.election}：登记对{candidate.member.name}考察的个别谈话",
    )
    return talk


@transaction.atomic
def delete_talk(actor: Any, talk: VettingTalk) -> None:
    candidate = talk.record.candidate
    _require_vetting_open(candidate)
    record_deletion(
        _actor(actor),
        "delete_talk",
        talk,
        before={"id": talk.pk, "record_id": talk.record_id, "talked_on": str(talk.talked_on)},
        summary=f"{candidate.contest.election}：删除对{candidate.member.name}考察的一条谈话记录",
    )
