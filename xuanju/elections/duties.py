"""Separation of duties at the count (R-MEET-4: counters work under the scrutineers).

Every action that enters, confirms, decides, voids, deletes or closes a round's ballots asks here
first, whatever route called it:

- the path must be one the round's counting method allows (:func:`require_path`);
- a web account (a ``User``) must hold the duty: counters enter (``can_count``), scrutineers and
  organizers confirm, decide, void, delete and close (``can_scrutinize``);
- nobody does both in one round: an account that entered a ballot in the round cannot confirm,
  decide, delete or close in it, and one that did any of these cannot enter in it.

A plain string actor is a loader run by the operator (the demo, the command line, tests): it has no
role to check, but the separation by name holds for it as for anyone.
"""

from __future__ import annotations

from typing import Any

from xuanju.accounts.models import User
from xuanju.elections import hooks
from xuanju.elections.models import BallotEntry, CountingMethod, Round
from xuanju.organizations.scope import can_count, can_scrutinize
from xuanju.rules.counting import Duty, Method, Path, duty_conflict, path_allowed
from xuanju.shell import ActionError, actor_name

PATH_NAMES = {
    Path.DESK: "计票台双人录入",
    Path.SINGLE: "单人录入",
    Path.SCAN: "扫描计票",
}


def require_path(round_: Round, path: Path) -> None:
    """Refuse a way into the count the round's method does not allow (R-MEET-3/4)."""
    method = Method(round_.counting_method)
    if not path_allowed(method, path):
        raise ActionError(
            f"第{round_.number}轮按选举办法采用“{CountingMethod(method).label}”计票，"
            f"不能用{PATH_NAMES[path]}计入选票（R-MEET-4）"
        )


def duties(round_: Round) -> tuple[frozenset[str], frozenset[str]]:
    """(counters, scrutineers) of ``round_`` by account name."""
    counting = hooks.counting()
    if counting is not None:
        return counting.duties(round_)
    ballots = BallotEntry.objects.filter(round=round_)
    counters = set(ballots.values_list("entered_by", flat=True)) - {""}
    scrutineers = set(ballots.values_list("confirmed_by", flat=True)) - {""}
    return frozenset(counters), frozenset(scrutineers)


def require_meeting(actor: Any, round_: Round) -> None:
    """A meeting's own counting account (xuanju.accounts: issued from the meeting's appointment of
    counters and scrutineers, R-MEET-4) counts in that meeting's rounds only, while it lasts."""
    if isinstance(actor, User) and actor.meeting_id is not None:
        if actor.meeting_id != round_.meeting_id:
            raise ActionError("您的账号只用于另一次会议的计票、监票，不能在这一轮录入或监票")
        if actor.meeting_expired:
            raise ActionError("会议已结束，本次会议的计票、监票账号已失效")


def require_counter(actor: Any, round_: Round) -> None:
    """``actor`` may enter ballots in ``round_``: a counter's duty (R-MEET-4)."""
    org = round_.contest.election.organization
    require_meeting(actor, round_)
    if isinstance(actor, User) and not can_count(actor, org):
        raise ActionError("只有本党组织的计票人、监票人和组织者可以录入选票")
    counters, scrutineers = duties(round_)
    if duty_conflict(Duty.COUNTER, actor_name(actor), counters, scrutineers):
        raise ActionError(
            f"您在第{round_.number}轮已担任监票人（确认、裁定或作废过选票），不能再录入本轮选票；"
            "计票人和监票人须由不同的人担任（R-MEET-4）"
        )


def require_scrutineer(actor: Any, round_: Round, doing: str) -> None:
    """``actor`` may ``doing`` (确认、裁定、作废、删除、结束计票) in ``round_``: a scrutineer's duty,
    never by one who entered ballots in the round (R-MEET-4)."""
    org = round_.contest.election.organization
    require_meeting(actor, round_)
    if isinstance(actor, User) and not can_scrutinize(actor, org):
        raise ActionError(f"只有监票人才能{doing}；计票人在监票人监督下录入，不能{doing}（R-MEET-4）")
    counters, scrutineers = duties(round_)
    if duty_conflict(Duty.SCRUTINEER, actor_name(actor), counters, scrutineers):
        raise ActionError(
            f"您在第{round_.number}轮录入过选票，不能再{doing}；须由另一位监票人进行，"
            "计票人和监票人须由不同的人担任（R-MEET-4）"
        )


def may_enter(actor: Any, round_: Round) -> bool:
    """Whether :func:`require_counter` lets ``actor`` enter ballots in ``round_`` (for the pages)."""
    try:
        require_counter(actor, round_)
    except ActionError:
        return False
    return True


def may_scrutinize(actor: Any, round_: Round) -> bool:
    """Whether :func:`require_scrutineer` lets ``actor`` act as scrutineer in ``round_``."""
    try:
        require_scrutineer(actor, round_, "监票")
    except ActionError:
        return False
    return True
