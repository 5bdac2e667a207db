"""Public notices (公示) of the candidates and of the results, objections and their answers
(R-RPT-2, R-RPT-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.display import cn_date
from xuanju.elections.actions.base import _require_status, contest_done
from xuanju.elections.models import (
    Election,
    ElectionStatus,
    Objection,
    PublicNotice,
)
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor

# --- public notices (公示) ------------------------------------------------------------------
# A notice of the candidates goes out before the provisional candidates are sent up (R-RPT-2); a
# notice of the results goes out once every post is filled and before the results are reported
# (R-RPT-3). Problems raised during a notice must be answered before that next step, so the upper
# level reviews the candidates or the results together with the objections and their answers.

NOTICE_STEP = {  # the step a notice must be settled before, and the statuses it may be answered in
    PublicNotice.Kind.CANDIDATES: ("报送预备人选", (ElectionStatus.PLAN_APPROVED,)),
    PublicNotice.Kind.RESULTS: ("报送选举结果", (ElectionStatus.MEETING, ElectionStatus.PLENARY)),
}


def all_posts_filled(election: Election) -> bool:
    """Every contest filled (or its seats reduced with consent): the results can be published."""
    return all(contest_done(c) for c in election.contests.all())


@transaction.atomic
def publish_notice(
    actor: Any,
    election: Election,
    body: str,
    starts_on: date,
    ends_on: date,
    kind: str = PublicNotice.Kind.CANDIDATES,
) -> PublicNotice:
    """Publish a notice for members to read and object to (公示).

    Candidates: after the plan is approved, before the provisional candidates are sent up (R-RPT-2).
    Results: once every post is filled, before the results are reported (R-RPT-3).
    """
    if kind == PublicNotice.Kind.RESULTS:
        _require_status(
            election,
            ElectionStatus.MEETING,
            ElectionStatus.PLENARY,
            why="选举结果公示须在报送选举结果之前进行",
        )
        if not all_posts_filled(election):
            raise ActionError("各职务选满（另选他人当选者已确认）后才能公示选举结果")
    elif kind == PublicNotice.Kind.CANDIDATES:
        _require_status(election, ElectionStatus.PLAN_APPROVED, why="公示须在确定预备人选、报送上级之前进行")
    else:
        raise ActionError("请选择公示类型", "kind")
    if not body.strip():
        raise ActionError("请填写公示内容", "body")
    if ends_on < starts_on:
        raise ActionError("公示结束日期不能早于开始日期", "ends_on")
    notice = PublicNotice.objects.create(
        election=election,
        kind=kind,
        body=body.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        published_by=_actor(actor),
    )
    record(
        _actor(actor),
        "publish_notice",
        notice,
        after=snapshot(notice),
        summary=f"{election}：{notice.get_kind_display()}{cn_date(starts_on)}至{cn_date(ends_on)}",
    )
    return notice


@transaction.atomic
def lodge_objection(actor: Any, notice: PublicNotice, content: str, anonymous: bool) -> Objection:
    """A member raises a problem during the notice period, named or anonymously.

    An anonymous objection keeps only its content and the date: no account, no address, and no
    audit record yet — an audit record's time of day could be matched to the member's visit
    (R-SUP-1). It enters the chain, content and date, when it is answered, which every objection
    must be before the step that follows (R-SUP-4); the misconduct reports do the same.
    """
    today = timezone.localdate()
    if not notice.starts_on <= today <= notice.ends_on:
        raise ActionError(f"只能在公示期内（{cn_date(notice.starts_on)}至{cn_date(notice.ends_on)}）反映问题")
    if not content.strip():
        raise ActionError("请写明反映的问题", "content")
    objection = Objection.objects.create(
        notice=notice, content=content.strip(), lodged_on=today, lodged_by="" if anonymous else _actor(actor)
    )
    if not anonymous:
        record(
            _actor(actor),
            "lodge_objection",
            objection,
            after={"notice": notice.pk},
            summary=f"{notice.election}：{notice.get_kind_display()}期间反映问题",
        )
    return objection


@transaction.atomic
def answer_objection(actor: Any, objection: Objection, answer: str) -> Objection:
    """The organizers answer a problem raised during a notice, before the step the notice precedes."""
    if not answer.strip():
        raise ActionError("请填写答复", "answer")
    if objection.answered_on is not None:
        raise ActionError("这个问题已经答复过了")
    notice = objection.notice
    step, statuses = NOTICE_STEP[PublicNotice.Kind(notice.kind)]
    if notice.election.status not in statuses:
        raise ActionError(f"已经{step}，答复须在{step}之前作出")
    objection.answer, objection.answered_on, objection.answered_by = (
        answer.strip(),
        timezone.localdate(),
        _actor(actor),
    )
    objection.save()
    record(
        _actor(actor),
        "answer_objection",
        objection,
        after=snapshot(objection),
        summary=f"{notice.election}：答复{notice.get_kind_display()}期间反映的问题",
    )
    return objection


def notice_problem(election: Election, kind: str = PublicNotice.Kind.CANDIDATES) -> str | None:
    """Why the step after a notice of ``kind`` cannot be taken yet: a period still running, or a
    problem raised and not answered (R-RPT-2 for the candidates, R-RPT-3 for the results)."""
    today = timezone.localdate()
    step, _ = NOTICE_STEP[PublicNotice.Kind(kind)]
    for notice in election.notices.filter(kind=kind):
        if notice.ends_on >= today:
            return f"{notice.get_kind_display()}到 {cn_date(notice.ends_on)} 结束，公示期满后才能{step}"
        if notice.objections.filter(answered_on__isnull=True).exists():
            return f"{notice.get_kind_display()}期间反映的问题还没有全部答复，答复后才能{step}"
    return None


def notice_report(election: Election, kind: str) -> list[dict[str, Any]]:
    """The notices of ``kind`` with their objections and answers, for the report to the upper level.
    Named objections keep their author; anonymous ones say so."""
    return [
        {
            "period": f"{cn_date(n.starts_on)}至{cn_date(n.ends_on)}",
            "objections": [
                {
                    "lodged_on": str(o.lodged_on),
                    "lodged_by": o.lodged_by or "匿名",
                    "content": o.content,
                    "answered_on": str(o.answered_on),
                    "answer": o.answer,
                }
                for o in n.objections.all()
            ],
        }
        for n in election.notices.filter(kind=kind).prefetch_related("objections")
    ]
