"""Where each organization of a campaign stands, step by step: pure functions over plain values.

A step is one thing the campaign's schedule dates: a request or report the organization sends up
(its side), or a reply the organization department owes (our side). Each cell of the board is
``done`` (with the day), ``due`` (with the deadline), ``late`` (past the deadline), ``waiting``
(a reply before anything was sent up) or ``none`` (no election to follow). The shell
(:mod:`xuanju.campaigns.board`) loads the facts in a few queries and calls :func:`row_cells`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple


class Side(StrEnum):
    """Who must act for a step: the organization department (us) or the organization (them)."""

    US = "us"
    THEM = "them"


class State(StrEnum):
    DONE = "done"
    DUE = "due"
    LATE = "late"
    WAITING = "waiting"
    NONE = "none"


class StepKey(StrEnum):
    PLAN_REQUEST = "plan_request"
    PLAN_REPLY = "plan_reply"
    CANDIDATES_REQUEST = "candidates_request"
    CANDIDATES_REPLY = "candidates_reply"
    MEETING = "meeting"
    RESULTS_REPORT = "results_report"
    RESULTS_REPLY = "results_reply"


@dataclass(frozen=True)
class Step:
    key: StepKey
    label: str
    side: Side


STEPS: tuple[Step, ...] = (
    Step(StepKey.PLAN_REQUEST, "报送换届请示", Side.THEM),
    Step(StepKey.PLAN_REPLY, "批复换届请示", Side.US),
    Step(StepKey.CANDIDATES_REQUEST, "报审候选人预备人选", Side.THEM),
    Step(StepKey.CANDIDATES_REPLY, "批复候选人预备人选", Side.US),
    Step(StepKey.MEETING, "召开选举大会", Side.THEM),
    Step(StepKey.RESULTS_REPORT, "报告选举结果", Side.THEM),
    Step(StepKey.RESULTS_REPLY, "批复选举结果", Side.US),
)


@dataclass(frozen=True)
class Schedule:
    """A campaign's dates (Campaign's fields of the same names)."""

    requests_by: date
    candidates_by: date
    meetings_from: date
    meetings_until: date
    results_by: date
    reply_days: int


class Decision(StrEnum):
    """A request's reply, as elections.Approval.Decision stores it."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    REFUSED = "refused"


@dataclass(frozen=True)
class Request:
    """The latest request (or report) of one kind an election sent up, and its reply."""

    submitted_on: date
    decision: Decision
    decided_on: date | None = None


@dataclass(frozen=True)
class Facts:
    """What the records say of one organization's election."""

    plan: Request | None = None
    candidates: Request | None = None
    meeting_on: date | None = None  # the members' meeting or congress that elects the committee
    results: Request | None = None


class Cell(NamedTuple):
    """One step of one organization. A named tuple rather than a dataclass: the board makes seven
    per organization, and building 14,000 frozen dataclasses took a third of a 2,000-row board
    (benchmarks/campaign_board.py)."""

    state: State
    on: date | None = None  # the day it was done
    deadline: date | None = None
    note: str = ""  # e.g. 退回修改, 不同意

    @property
    def done_late(self) -> bool:
        return (
            self.state is _DONE
            and self.on is not None
            and self.deadline is not None
            and self.on > self.deadline
        )

    def days_late(self, today: date) -> int:
        if self.state is _LATE and self.deadline is not None:
            return (today - self.deadline).days
        return 0


# Enum members looked up once: attribute access on an Enum class costs a descriptor call each time.
_DONE, _DUE, _LATE, _WAITING, _NONE = State.DONE, State.DUE, State.LATE, State.WAITING, State.NONE
_RETURNED, _PENDING, _REFUSED = Decision.RETURNED, Decision.PENDING, Decision.REFUSED
_NONE_CELL = Cell(_NONE)
_WAITING_CELL = Cell(_WAITING)


def _pending(deadline: date | None, today: date) -> State:
    return _LATE if deadline is not None and today > deadline else _DUE


def _request_cell(request: Request | None, deadline: date, today: date) -> Cell:
    """A request is sent when one is on record that was not returned for changes."""
    if request is not None and request.decision is not _RETURNED:
        return Cell(_DONE, request.submitted_on, deadline)
    note = "退回修改" if request is not None else ""
    return Cell(_pending(deadline, today), None, deadline, note)


def _reply_cell(request: Request | None, reply_days: timedelta, today: date) -> Cell:
    """Our reply is due ``reply_days`` after the request came in; nothing is due before it did."""
    if request is None or request.decision is _RETURNED:
        return _WAITING_CELL
    deadline = request.submitted_on + reply_days
    if request.decision is _PENDING:
        return Cell(_pending(deadline, today), None, deadline)
    note = "不同意" if request.decision is _REFUSED else ""
    return Cell(_DONE, request.decided_on, deadline, note)


def row_cells(schedule: Schedule, facts: Facts | None, today: date) -> tuple[Cell, ...]:
    """The cells of one organization, in the order of :data:`STEPS`; all ``none`` without an election."""
    if facts is None:
        return (_NONE_CELL,) * len(STEPS)
    if facts.meeting_on is not None:
        meeting = Cell(_DONE, facts.meeting_on, schedule.meetings_until)
    else:
        meeting = Cell(_pending(schedule.meetings_until, today), None, schedule.meetings_until)
    reply_days = timedelta(days=schedule.reply_days)
    return (
        _request_cell(facts.plan, schedule.requests_by, today),
        _reply_cell(facts.plan, reply_days, today),
        _request_cell(facts.candidates, schedule.candidates_by, today),
        _reply_cell(facts.candidates, reply_days, today),
        meeting,
        _request_cell(facts.results, schedule.results_by, today),
        _reply_cell(facts.results, reply_days, today),
    )


class RowStatus(StrEnum):
    NOT_STARTED = "not_started"
    STOPPED = "stopped"  # the upper level refused the re-election, or declared it void
    COMPLETED = "completed"
    LATE_US = "late_us"
    LATE_THEM = "late_them"
    ON_TRACK = "on_track"


ROW_STATUS_TEXT = {
    RowStatus.NOT_STARTED: "未发起",
    RowStatus.STOPPED: "已终止",
    RowStatus.COMPLETED: "已完成",
    RowStatus.LATE_US: "逾期：等待我方批复",
    RowStatus.LATE_THEM: "逾期：等待该组织",
    RowStatus.ON_TRACK: "按期推进",
}


@dataclass(frozen=True)
class Blocker:
    """The step a late row is stuck at, and who must act."""

    step: Step
    cell: Cell


def blocker(cells: tuple[Cell, ...]) -> Blocker | None:
    """The first late step: a reply we owe, or a step the organization owes."""
    for step, cell in zip(STEPS, cells, strict=True):
        if cell.state is _LATE:
            return Blocker(step, cell)
    return None


def row_status(cells: tuple[Cell, ...], started: bool, stopped: bool) -> RowStatus:
    if not started:
        return RowStatus.NOT_STARTED
    if stopped:
        return RowStatus.STOPPED
    if all(cell.state is _DONE for cell in cells):
        return RowStatus.COMPLETED
    late = blocker(cells)
    if late is None:
        return RowStatus.ON_TRACK
    return RowStatus.LATE_US if late.step.side is Side.US else RowStatus.LATE_THEM


def steps_done(cells: tuple[Cell, ...]) -> int:
    return sum(1 for cell in cells if cell.state is _DONE)


def stopped_cells(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """An election the upper level stopped owes nothing more: what is not done is ``none``."""
    return tuple(cell if cell.state is _DONE else _NONE_CELL for cell in cells)
