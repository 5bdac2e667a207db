"""The live board for the projector and the count report the chief scrutineer signs.

Both show counts from the rules engine over the ballot entries stored so far; the board never
names who is elected (the chair announces that once the count is closed, R-CNT-7), and neither
shows anything of the roll (R-SUP-1).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from xuanju.audit.trail import anchor_of
from xuanju.counting.board import board_data
from xuanju.counting.desk import sheet_account
from xuanju.counting.models import BallotPrint
from xuanju.counting.views_desk import counting_round
from xuanju.elections.models import MeetingRole
from xuanju.elections.views_meeting import result_view, role_rank
from xuanju.formats.wording import STATUS_NAMES


@login_required
@never_cache
def count_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Big type for a projector; the page polls :func:`count_board_data` every two seconds."""
    round_ = counting_round(request, pk)
    return render(request, "counting/board.html", {"round": round_, "board": board_data(round_)})


@login_required
@never_cache
def count_board_data(request: HttpRequest, pk: int) -> JsonResponse:
    round_ = counting_round(request, pk)
    return JsonResponse(board_data(round_), json_dumps_params={"ensure_ascii": False})


def _venue_fingerprint() -> str:
    """On a venue laptop (xuanju.venue), the fingerprint of the key that signs the results package:
    printed on every report so the central import can check the package against the paper."""
    path = Path(settings.VENUE_DIR) / "fingerprint.txt"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


@login_required
def count_report(request: HttpRequest, pk: int) -> HttpResponse:
    """计票结果报告: the count, every person's votes, the elected (once closed), the sheets, and
    lines for the chief scrutineer, the scrutineers and the counters to sign (R-MEET-4, R-CNT-7)."""
    round_ = counting_round(request, pk)
    election = round_.contest.election
    roles = sorted(round_.meeting.roles.select_related("member"), key=role_rank)
    # One line per person to sign, in the order they are announced; a role nobody holds keeps
    # an empty line so the form is never silently short of a signature.
    signers: list[dict[str, str]] = []
    for value, label in MeetingRole.Role.choices:
        names = [r.member.name for r in roles if r.role == value] or [""]
        signers.extend({"role": label, "name": name} for name in names)
    result = result_view(round_.result) if round_.closed and round_.result else None
    # The 审计校验码 of the round's closing, the event this report certifies (R-SUP-4): the same on
    # every print, and checkable later against the chain (xuanju audit verify --anchor).
    anchor = anchor_of(round_, actions=("close_round",)) if round_.closed else None
    return render(
        request,
        "counting/report.html",
        {
            "round": round_,
            "contest": round_.contest,
            "election": election,
            "org": election.organization,
            "meeting": round_.meeting,
            "board": board_data(round_),
            "result": result,
            "status_name": STATUS_NAMES.get((round_.result or {}).get("status", ""), ""),
            "account": sheet_account(round_),
            "printed": BallotPrint.objects.filter(round=round_).first(),
            "signers": signers,
            "anchor": anchor.code if anchor else "",
            "venue_fingerprint": _venue_fingerprint(),
        },
    )
