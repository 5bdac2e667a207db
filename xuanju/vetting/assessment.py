"""Vetting (考察) read back: the democratic assessment's rows and concern, a record's summary, and
the candidates who have a record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanju.elections.models import Candidate, Election, Post
from xuanju.vetting.models import Verdict, VettingRecord

#: The democratic assessment raises a concern when more than a third of the participants rated the
#: person 不称职 (the usual line in cadre selection: 不称职票超过三分之一的不得列为人选).
INCOMPETENT_CONCERN_NUMERATOR, INCOMPETENT_CONCERN_DENOMINATOR = 1, 3
CHECKS = (
    ("political", "政治关"),
    ("ability", "能力关"),
    ("conduct", "作风关"),
    ("integrity", "廉政关"),
)
RATINGS = (
    ("rated_excellent", "优秀"),
    ("rated_competent", "称职"),
    ("rated_basically_competent", "基本称职"),
    ("rated_incompetent", "不称职"),
)


def assessment_problem(participants: int, counts: Iterable[int]) -> str | None:
    """Why counts of a democratic assessment cannot be right, or None."""
    values = list(counts)
    if participants < 0 or any(v < 0 for v in values):
        return "人数不能为负数"
    if sum(values) > participants:
        return f"各档票数合计 {sum(values)}，超过参加测评的 {participants} 人"
    return None


def incompetent_concern(record: VettingRecord) -> bool:
    """More than a third of the participants rated 不称职 (see INCOMPETENT_CONCERN_*)."""
    participants = record.assessment_participants
    return (
        participants > 0
        and record.rated_incompetent * INCOMPETENT_CONCERN_DENOMINATOR
        > participants * INCOMPETENT_CONCERN_NUMERATOR
    )


def assessment_rows(record: VettingRecord) -> list[dict[str, Any]]:
    """Each rating with its count and its share of the participants (one decimal)."""
    participants = record.assessment_participants
    rows = []
    for field, label in RATINGS:
        count = getattr(record, field)
        share = round(count * 100 / participants, 1) if participants else None
        rows.append({"label": label, "count": count, "percent": share})
    blank = participants - sum(getattr(record, f) for f, _ in RATINGS)
    rows.append(
        {
            "label": "未表态",
            "count": blank,
            "percent": round(blank * 100 / participants, 1) if participants else None,
        }
    )
    return rows


def vetting_summary(record: VettingRecord | None) -> str:
    """One line for lists and the export: the conclusion, or the state of the four checks."""
    if record is None:
        return "未考察"
    concerns = [label for key, label in CHECKS if getattr(record, f"{key}_verdict") == Verdict.CONCERN]
    if incompetent_concern(record):
        concerns.append("民主测评不称职票超过三分之一")
    pending = [label for key, label in CHECKS if not getattr(record, f"{key}_verdict")]
    parts = []
    if record.conclusion.strip():
        parts.append(record.conclusion.strip())
    elif pending:
        parts.append("考察中（" + "、".join(pending) + "未作结论）")
    else:
        parts.append("四关均已作结论")
    if concerns:
        parts.append("需关注：" + "、".join(concerns))
    return "；".join(parts)


def record_of(candidate: Candidate) -> VettingRecord | None:
    try:
        return candidate.vetting_record
    except VettingRecord.DoesNotExist:
        return None


def vetting_candidates(election: Election) -> list[Candidate]:
    """The people whose vetting is kept: everyone listed and not dropped, committee first."""
    order = {Post.COMMITTEE_MEMBER: 0, Post.SECRETARY: 1, Post.DEPUTY_SECRETARY: 2}
    candidates = (
        Candidate.objects.filter(contest__election=election)
        .exclude(stage=Candidate.Stage.DROPPED)
        .select_related("contest", "member", "vetting_record")
    )
    return sorted(candidates, key=lambda c: (order.get(Post(c.contest.post), 9), c.member.name))
