"""The cells of the board, from plain facts: done, due, late, waiting; who is blocking."""

from __future__ import annotations

from datetime import date, timedelta

from xuanju.campaigns.progress import (
    Decision,
    Facts,
    Request,
    RowStatus,
    Schedule,
    Side,
    State,
    StepKey,
    blocker,
    row_cells,
    row_status,
    steps_done,
    stopped_cells,
)

TODAY = date(2026, 5, 20)
SCHEDULE = Schedule(
    requests_by=date(2026, 5, 10),
    candidates_by=date(2026, 6, 1),
    meetings_from=date(2026, 6, 10),
    meetings_until=date(2026, 6, 30),
    results_by=date(2026, 7, 10),
    reply_days=7,
)
INDEX = {key: number for number, key in enumerate(StepKey)}


def states(cells):
    return [cell.state for cell in cells]


def test_without_an_election_every_cell_is_none_and_the_row_not_started():
    cells = row_cells(SCHEDULE, None, TODAY)
    assert set(states(cells)) == {State.NONE}
    assert row_status(cells, started=False, stopped=False) is RowStatus.NOT_STARTED


def test_a_request_not_sent_by_its_deadline_is_late_and_the_organization_blocks():
    cells = row_cells(SCHEDULE, Facts(), TODAY)
    assert cells[INDEX[StepKey.PLAN_REQUEST]].state is State.LATE
    assert cells[INDEX[StepKey.PLAN_REQUEST]].days_late(TODAY) == 10
    assert cells[INDEX[StepKey.PLAN_REPLY]].state is State.WAITING  # nothing to reply to yet
    assert cells[INDEX[StepKey.CANDIDATES_REQUEST]].state is State.DUE
    late = blocker(cells)
    assert late is not None and late.step.key is StepKey.PLAN_REQUEST and late.step.side is Side.THEM
    assert row_status(cells, True, False) is RowStatus.LATE_THEM


def test_a_reply_owed_past_the_reply_days_is_late_and_we_block():
    facts = Facts(plan=Request(TODAY - timedelta(days=8), Decision.PENDING))
    cells = row_cells(SCHEDULE, facts, TODAY)
    request, reply = cells[INDEX[StepKey.PLAN_REQUEST]], cells[INDEX[StepKey.PLAN_REPLY]]
    assert request.state is State.DONE and request.on == TODAY - timedelta(days=8)
    assert reply.state is State.LATE and reply.deadline == TODAY - timedelta(days=1)
    assert row_status(cells, True, False) is RowStatus.LATE_US


def test_a_reply_within_its_days_is_due_and_the_row_on_track():
    facts = Facts(plan=Request(TODAY - timedelta(days=3), Decision.PENDING))
    cells = row_cells(SCHEDULE, facts, TODAY)
    assert cells[INDEX[StepKey.PLAN_REPLY]].state is State.DUE
    assert row_status(cells, True, False) is RowStatus.ON_TRACK


def test_a_returned_request_is_not_sent_and_says_so():
    facts = Facts(plan=Request(date(2026, 5, 1), Decision.RETURNED, date(2026, 5, 4)))
    cells = row_cells(SCHEDULE, facts, TODAY)
    request = cells[INDEX[StepKey.PLAN_REQUEST]]
    assert (request.state, request.note) == (State.LATE, "退回修改")
    assert cells[INDEX[StepKey.PLAN_REPLY]].state is State.WAITING


def test_a_step_done_after_its_deadline_is_done_and_marked_late():
    facts = Facts(plan=Request(date(2026, 5, 12), Decision.APPROVED, date(2026, 5, 15)))
    cells = row_cells(SCHEDULE, facts, TODAY)
    assert cells[INDEX[StepKey.PLAN_REQUEST]].done_late
    assert not cells[INDEX[StepKey.PLAN_REPLY]].done_late  # replied within 7 days
    assert steps_done(cells) == 2


def test_every_step_done_completes_the_row():
    facts = Facts(
        plan=Request(date(2026, 5, 1), Decision.APPROVED, date(2026, 5, 3)),
        candidates=Request(date(2026, 5, 25), Decision.APPROVED, date(2026, 5, 28)),
        meeting_on=date(2026, 6, 12),
        results=Request(date(2026, 6, 20), Decision.APPROVED, date(2026, 6, 22)),
    )
    cells = row_cells(SCHEDULE, facts, date(2026, 7, 1))
    assert set(states(cells)) == {State.DONE}
    assert row_status(cells, True, False) is RowStatus.COMPLETED


def test_the_meeting_is_late_only_after_the_window_closes():
    facts = Facts(
        plan=Request(date(2026, 5, 1), Decision.APPROVED, date(2026, 5, 3)),
        candidates=Request(date(2026, 5, 25), Decision.APPROVED, date(2026, 5, 28)),
    )
    assert row_cells(SCHEDULE, facts, date(2026, 6, 30))[INDEX[StepKey.MEETING]].state is State.DUE
    assert row_cells(SCHEDULE, facts, date(2026, 7, 1))[INDEX[StepKey.MEETING]].state is State.LATE


def test_a_stopped_election_owes_nothing_more():
    facts = Facts(plan=Request(date(2026, 5, 1), Decision.REFUSED, date(2026, 5, 3)))
    cells = stopped_cells(row_cells(SCHEDULE, facts, TODAY))
    assert states(cells)[:2] == [State.DONE, State.DONE] and cells[1].note == "不同意"
    assert set(states(cells)[2:]) == {State.NONE}
    assert row_status(cells, True, True) is RowStatus.STOPPED
