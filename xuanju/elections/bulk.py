"""Bulk changes to a candidate list: "make these five provisional" in one step.

One transaction for the whole selection: each person goes through :func:`actions.set_candidate`
(so every rule it checks — eligibility, the upper level's conditions, R-CAND-1/6 — applies to each,
and each change has its audit record); if any one is refused, none is changed and the message
names who and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from xuanju.audit.trail import record
from xuanju.elections import actions
from xuanju.elections.models import Candidate, Contest
from xuanju.organizations.actions import ActionError

BULK_STAGES = (Candidate.Stage.PRELIMINARY, Candidate.Stage.PROVISIONAL, Candidate.Stage.DROPPED)


@transaction.atomic
def set_stage_of(actor: Any, contest: Contest, candidate_ids: Sequence[int | str], stage: str) -> int:
    """Put the chosen people of ``contest`` at ``stage``; all of them or none. Returns how many."""
    if stage not in BULK_STAGES:
        raise ActionError("请选择要设为的类别（初步人选、预备人选或未列入）", "stage")
    ids = {int(i) for i in candidate_ids if str(i).isdigit()}
    if not ids:
        raise ActionError("请先勾选要修改的人", "pick")
    chosen = list(Candidate.objects.filter(contest=contest, pk__in=ids).select_related("member"))
    if len(chosen) != len(ids):
        raise ActionError("勾选的人中有不在这份名单上的，请刷新页面后重新勾选", "pick")
    for candidate in chosen:
        try:
            actions.set_candidate(
                actor, contest, candidate.member, stage, candidate.vetting, candidate.profile, candidate.order
            )
        except ActionError as error:
            raise ActionError(f"没有修改任何人：{candidate.member.name}——{error.message}", "pick") from None
    record(
        getattr(actor, "username", None) or str(actor),
        "set_candidates_stage",
        contest,
        after={"stage": stage, "candidates": sorted(ids)},
        summary=f"{contest}：{len(chosen)} 人列为{Candidate.Stage(stage).label}",
    )
    return len(chosen)
