"""换届工作进展情况统计表: the campaign's progress by township and in total, from the board's rows
(so the table and the board never disagree). The .xlsx and PDF layouts are in :mod:`exports`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xuanju.campaigns.board import Row
from xuanju.campaigns.progress import STEPS, RowStatus, State, StepKey

STEP_INDEX = {step.key: index for index, step in enumerate(STEPS)}


@dataclass(frozen=True)
class Column:
    group: str  # the merged header above, or "" for a column alone
    label: str


COLUMNS: tuple[Column, ...] = (
    Column("", "应换届党组织数"),
    Column("", "已启动换届"),
    Column("换届请示", "已报送"),
    Column("换届请示", "已批复"),
    Column("候选人预备人选", "已报审"),
    Column("候选人预备人选", "已批复"),
    Column("选举大会", "已召开"),
    Column("选举结果", "已报告"),
    Column("选举结果", "已批复"),
    Column("", "已完成换届"),
    Column("逾期党组织", "合计"),
    Column("逾期党组织", "其中待上级批复"),
)


@dataclass(frozen=True)
class TableRow:
    label: str
    counts: tuple[int, ...]  # in the order of COLUMNS

    @property
    def completion(self) -> str:
        """完成率: the share of organizations whose re-election is complete, in per cent."""
        total, completed = self.counts[0], self.counts[9]
        return f"{100 * completed / total:.1f}%" if total else "—"


def _done(row: Row, key: StepKey) -> bool:
    return row.cells[STEP_INDEX[key]].state is State.DONE


def _counts(rows: Sequence[Row]) -> tuple[int, ...]:
    late = [row for row in rows if row.status in (RowStatus.LATE_US, RowStatus.LATE_THEM)]
    return (
        len(rows),
        sum(1 for row in rows if row.election_id is not None),
        *(
            sum(1 for row in rows if _done(row, key))
            for key in (
                StepKey.PLAN_REQUEST,
                StepKey.PLAN_REPLY,
                StepKey.CANDIDATES_REQUEST,
                StepKey.CANDIDATES_REPLY,
                StepKey.MEETING,
                StepKey.RESULTS_REPORT,
                StepKey.RESULTS_REPLY,
            )
        ),
        sum(1 for row in rows if row.status is RowStatus.COMPLETED),
        len(late),
        sum(1 for row in late if row.status is RowStatus.LATE_US),
    )


def township_label(name: str) -> str:
    """A township as statistics name it: 中共东乡镇委员会 → 东乡镇."""
    short = name.removeprefix("中共").removesuffix("委员会")
    return short or name


def progress_table(rows: Sequence[Row]) -> tuple[list[TableRow], TableRow]:
    """One row per township (by name) and the total (合计), which is the sum of the townships'."""
    by_township: dict[tuple[str, int], list[Row]] = {}
    for row in rows:
        by_township.setdefault((row.township, row.township_id), []).append(row)
    townships = [
        TableRow(township_label(name), _counts(group)) for (name, _), group in sorted(by_township.items())
    ]
    total = TableRow(
        "合计", tuple(sum(column) for column in zip(*(t.counts for t in townships), strict=True))
    )
    if not townships:
        total = TableRow("合计", tuple(0 for _ in COLUMNS))
    return townships, total
