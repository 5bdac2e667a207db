"""The progress board of a campaign: one row per organization, one cell per step.

Loaded in three queries whatever the campaign's size — the entries with their organizations and
elections, the requests and reports of those elections, and their electing meetings — and computed
in Python by :mod:`xuanju.campaigns.progress`; filtering, sorting and paging happen on the rows
(a campaign holds at most :data:`xuanju.campaigns.actions.MAX_ORGANIZATIONS`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from xuanju.campaigns.models import Campaign, CampaignEntry
from xuanju.campaigns.progress import (
    ROW_STATUS_TEXT,
    STEPS,
    Blocker,
    Cell,
    Decision,
    Facts,
    Request,
    RowStatus,
    Schedule,
    State,
    blocker,
    row_cells,
    row_status,
    steps_done,
    stopped_cells,
)
from xuanju.elections.models import Approval, ElectionStatus, Meeting

STOPPED = {ElectionStatus.REFUSED.value, ElectionStatus.VOIDED.value}
ELECTING_MEETINGS = (Meeting.Kind.MEMBERS, Meeting.Kind.CONGRESS)


@dataclass(frozen=True)
class Row:
    entry_id: int
    organization_id: int
    organization: str
    path: str
    township_id: int
    township: str
    election_id: int | None
    election_status: str
    start_problem: str
    cells: tuple[Cell, ...]
    status: RowStatus
    blocker: Blocker | None
    done: int
    late_days: int  # how long the first late step is overdue (0: not late)

    @property
    def status_text(self) -> str:
        return ROW_STATUS_TEXT[self.status]


def schedule_of(campaign: Campaign) -> Schedule:
    return Schedule(
        requests_by=campaign.requests_by,
        candidates_by=campaign.candidates_by,
        meetings_from=campaign.meetings_from,
        meetings_until=campaign.meetings_until,
        results_by=campaign.results_by,
        reply_days=campaign.reply_days,
    )


def _facts(campaign: Campaign) -> dict[int, Facts]:
    """The facts of every election of ``campaign``: one query for requests, one for meetings."""
    elections = CampaignEntry.objects.filter(campaign=campaign, election__isnull=False).values("election_id")
    latest: dict[tuple[int, str], Request] = {}
    approvals = (
        Approval.objects.filter(election__in=elections)
        .order_by("submitted_on", "id")
        .values_list("election_id", "kind", "submitted_on", "decision", "decided_on")
    )
    for election_id, kind, submitted_on, decision, decided_on in approvals:
        latest[(election_id, kind)] = Request(submitted_on, Decision(decision), decided_on)  # last wins
    meetings = dict(
        Meeting.objects.filter(election__in=elections, kind__in=ELECTING_MEETINGS).values_list(
            "election_id", "held_on"
        )
    )
    ids = {election_id for election_id, _ in latest} | set(meetings)
    return {
        election_id: Facts(
            plan=latest.get((election_id, Approval.Kind.PLAN)),
            candidates=latest.get((election_id, Approval.Kind.CANDIDATES)),
            meeting_on=meetings.get(election_id),
            results=latest.get((election_id, Approval.Kind.RESULTS)),
        )
        for election_id in ids
    }


def rows(campaign: Campaign, today: date) -> list[Row]:
    """Every organization of ``campaign`` with its cells, in the order of the tree."""
    schedule = schedule_of(campaign)
    facts = _facts(campaign)
    entries = (
        CampaignEntry.objects.filter(campaign=campaign)
        .order_by("organization__path")
        .values_list(
            "id",
            "organization_id",
            "organization__name",
            "organization__path",
            "township_id",
            "township__name",
            "election_id",
            "election__status",
            "start_problem",
        )
    )
    out = []
    for entry_id, org_id, name, path, township_id, township, election_id, status, problem in entries:
        started = election_id is not None
        cells = row_cells(schedule, facts.get(election_id, Facts()) if started else None, today)
        stopped = status in STOPPED
        if stopped:
            cells = stopped_cells(cells)
        row_state = row_status(cells, started, stopped)
        late = blocker(cells) if row_state in (RowStatus.LATE_US, RowStatus.LATE_THEM) else None
        out.append(
            Row(
                entry_id=entry_id,
                organization_id=org_id,
                organization=name,
                path=path,
                township_id=township_id,
                township=township,
                election_id=election_id,
                election_status=status or "",
                start_problem=problem,
                cells=cells,
                status=row_state,
                blocker=late,
                done=steps_done(cells),
                late_days=late.cell.days_late(today) if late else 0,
            )
        )
    return out


# --- what the board shows above the rows --------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    label: str
    done: int
    due: int
    late: int


def step_counts(board: Sequence[Row]) -> list[StepCount]:
    """Per step: how many organizations have done it, have it due, are late with it."""
    counts = []
    for index, step in enumerate(STEPS):
        states = [row.cells[index].state for row in board]
        counts.append(
            StepCount(step.label, states.count(State.DONE), states.count(State.DUE), states.count(State.LATE))
        )
    return counts


def status_counts(board: Iterable[Row]) -> dict[RowStatus, int]:
    counts: dict[RowStatus, int] = defaultdict(int)
    for row in board:
        counts[row.status] += 1
    return counts


def townships(board: Iterable[Row]) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for row in board:
        seen.setdefault(row.township_id, row.township)
    return sorted(seen.items(), key=lambda item: item[1])


# Filters and sorts the page accepts: status filter value → the row statuses it keeps.
STATUS_FILTERS: dict[str, tuple[str, tuple[RowStatus, ...]]] = {
    "late": ("逾期", (RowStatus.LATE_US, RowStatus.LATE_THEM)),
    "late_us": ("逾期：等待我方批复", (RowStatus.LATE_US,)),
    "late_them": ("逾期：等待该组织", (RowStatus.LATE_THEM,)),
    "on_track": ("按期推进", (RowStatus.ON_TRACK,)),
    "completed": ("已完成", (RowStatus.COMPLETED,)),
    "not_started": ("未发起", (RowStatus.NOT_STARTED,)),
    "stopped": ("已终止", (RowStatus.STOPPED,)),
}
SORTS = {
    "organization": "党组织",
    "township": "所属乡镇",
    "progress": "进度",
    "late": "逾期天数",
}


def filtered(board: Sequence[Row], township: int | None, status: str | None) -> list[Row]:
    keep = STATUS_FILTERS[status][1] if status in STATUS_FILTERS else None
    return [
        row
        for row in board
        if (township is None or row.township_id == township) and (keep is None or row.status in keep)
    ]


def sorted_rows(board: Sequence[Row], sort: str, descending: bool) -> list[Row]:
    """Rows by ``sort`` (a key of :data:`SORTS`; the tree's order breaks ties and serves unknown keys)."""
    by_path = sorted(board, key=lambda row: row.path)
    if sort == "township":
        ordered = sorted(by_path, key=lambda row: row.township, reverse=descending)
    elif sort == "progress":
        ordered = sorted(by_path, key=lambda row: row.done, reverse=descending)
    elif sort == "late":
        ordered = sorted(by_path, key=lambda row: row.late_days, reverse=descending)
    elif sort == "organization":
        ordered = sorted(by_path, key=lambda row: row.organization, reverse=descending)
    else:
        ordered = by_path
    return ordered
