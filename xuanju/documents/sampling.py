"""The sampling audit report (抽样复核报告) of a scanned round: the seed, the sheets drawn, what the
paper said where it differed from the machine, and the verdict (docs/sampling-audit.md)."""

from __future__ import annotations

import re
from typing import Any

from xuanju.counting.models import SamplingAudit
from xuanju.documents.kinds import Kind
from xuanju.elections.models import Election

CONCLUDED = (SamplingAudit.Verdict.CONFIRMED, SamplingAudit.Verdict.HAND_COUNTED)


def concluded_audits(election: Election) -> list[SamplingAudit]:
    return list(
        SamplingAudit.objects.filter(round__contest__election=election, verdict__in=CONCLUDED)
        .select_related("round__contest", "round__meeting")
        .order_by("round__meeting__held_on", "round__contest__position", "round__number")
    )


def audit_label(audit: SamplingAudit) -> str:
    round_ = audit.round
    return f"{Kind.SAMPLING_AUDIT.label}：{round_.contest.get_post_display()}第{round_.number}轮"


def audit_context(audit: SamplingAudit) -> dict[str, Any]:
    draws = list(audit.draws.order_by("number"))
    numbered = audit.round.numbered_sheets
    keys = sorted({d.key for d in draws}, key=lambda key: [int(x) for x in re.findall(r"\d+", key)])
    pulled = keys if numbered else ["第{}批第{}张".format(*key.split("-")) for key in keys]
    return {
        "post": audit.round.contest.get_post_display(),
        "number": audit.round.number,
        "seed": audit.seed,
        "risk_limit": audit.risk_limit,
        "stages": audit.stages,
        "draws": len(draws),
        "sheets": len(pulled),
        "serials": "、".join(pulled),
        "where": "编号" if numbered else "批次和张次",
        "full_count": audit.verdict == SamplingAudit.Verdict.HAND_COUNTED,
        "verdict": audit.get_verdict_display(),
        "risk": f"{(audit.measured_risk or 0):.4f}",
        "measures": [
            {"claim": m["claim"], "margin": f"{m['margin']:.3f}", "risk": f"{m['risk']:.4f}"}
            for m in audit.measures
        ],
        "started_by": audit.started_by,
    }
