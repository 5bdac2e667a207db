"""Terms of office and on-time re-election (任期与按期换届, R-TERM)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class OrganizationKind(StrEnum):
    PARTY_COMMITTEE = "party_committee"  # 党的基层委员会
    GENERAL_BRANCH = "general_branch"  # 党总支部
    BRANCH = "branch"  # 党支部


class Sector(StrEnum):
    """Where an organization is: some sectors have their own term and size rules."""

    VILLAGE = "village"  # 村
    COMMUNITY = "community"  # 社区
    TOWNSHIP = "township"  # 乡镇
    STATE_ORGAN = "state_organ"  # 机关
    ENTERPRISE = "enterprise"  # 企业
    SCHOOL = "school"  # 学校
    INSTITUTION = "institution"  # 事业单位
    OTHER = "other"


REMINDER_MONTHS = 6  # R-TERM-3
MAX_ADJUSTMENT_YEARS = 1  # R-TERM-2


PARTY_COMMITTEE_TERM_YEARS = 5  # R-TERM-1: 党章 第三十一条; 任期意见
BRANCH_TERM_YEARS = 3  # R-TERM-1: general branches and branches; 任期意见
FIVE_YEAR_SECTORS = frozenset({Sector.VILLAGE, Sector.COMMUNITY})  # R-TERM-1: 任期意见


def term_years(kind: OrganizationKind, sector: Sector) -> int:
    """R-TERM-1 (党章 第三十一条; 《关于党的基层组织任期的意见》, 2018): every basic-level party
    committee serves 5 years, a township's (乡镇党委) included; general branches and branches serve
    3, except those of villages (村) and communities (社区), which serve 5 like their party
    committees. A township's own general branches and branches (乡镇机关) serve 3 like all others."""
    if kind is OrganizationKind.PARTY_COMMITTEE:
        return PARTY_COMMITTEE_TERM_YEARS
    if sector in FIVE_YEAR_SECTORS:
        return PARTY_COMMITTEE_TERM_YEARS
    return BRANCH_TERM_YEARS


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    year, month_zero = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_zero + 1)[1]
    return date(year, month_zero + 1, min(day.day, last_day))


def term_end(elected_on: date, years: int) -> date:
    """R-TERM-1: the term runs from the election date for ``years`` years."""
    return add_months(elected_on, 12 * years)


class AdjustmentProblem(StrEnum):
    NO_CHANGE = "no_change"
    EXCEEDS_ONE_YEAR = "exceeds_one_year"


def adjustment_problem(
    scheduled_end: date, new_date: date, exceptional_approval: bool = False
) -> AdjustmentProblem | None:
    """R-TERM-2: delaying or advancing re-election is at most one year either way, unless an
    exceptional approval is on record."""
    if new_date == scheduled_end:
        return AdjustmentProblem.NO_CHANGE
    earliest = add_months(scheduled_end, -12 * MAX_ADJUSTMENT_YEARS)
    latest = add_months(scheduled_end, 12 * MAX_ADJUSTMENT_YEARS)
    if not earliest <= new_date <= latest and not exceptional_approval:
        return AdjustmentProblem.EXCEEDS_ONE_YEAR
    return None


class TermState(StrEnum):
    IN_TERM = "in_term"  # 任期内
    DUE_SOON = "due_soon"  # 6 个月内届满
    OVERDUE = "overdue"  # 逾期未换届
    DELAYED = "delayed"  # 经批准延期，尚未到期
    DELAY_LIMIT_NEAR = "delay_limit_near"  # 延期后 6 个月内到期
    ADVANCED = "advanced"  # 经批准提前换届，尚未到期


@dataclass(frozen=True)
class TermDates:
    """The dates a committee's term fixes: stored so that the monitor can compare them in a query."""

    years: int
    term_end: date
    due: date  # the date the re-election must be held by (term end, or the approved date)
    remind_from: date  # R-TERM-3


def term_dates(elected_on: date, years: int, approved_date: date | None = None) -> TermDates:
    """R-TERM-1: the term ends ``years`` after the election; R-TERM-2: an approved delay or advance
    moves the due date; R-TERM-3: the reminder starts six months before the due date."""
    end = term_end(elected_on, years)
    due = approved_date if approved_date is not None else end
    return TermDates(years=years, term_end=end, due=due, remind_from=add_months(due, -REMINDER_MONTHS))


@dataclass(frozen=True)
class TermStatus:
    state: TermState
    term_end: date
    due: date  # the date the re-election must be held by (term end, or the approved date)
    remind_from: date  # R-TERM-3
    days_left: int  # negative when overdue


def term_status(elected_on: date, years: int, today: date, approved_date: date | None = None) -> TermStatus:
    """Where a committee stands on ``today`` (R-TERM-1/2/3).

    ``approved_date`` is the re-election date the upper level approved when it delayed or advanced
    the re-election (R-TERM-2); without one the re-election is due at term end.
    """
    dates = term_dates(elected_on, years, approved_date)
    end, due, remind_from = dates.term_end, dates.due, dates.remind_from
    days_left = (due - today).days
    if today > due:
        state = TermState.OVERDUE
    elif approved_date is not None and approved_date > end:
        state = TermState.DELAY_LIMIT_NEAR if today >= remind_from else TermState.DELAYED
    elif approved_date is not None and approved_date < end:
        state = TermState.ADVANCED
    elif today >= remind_from:
        state = TermState.DUE_SOON
    else:
        state = TermState.IN_TERM
    return TermStatus(state=state, term_end=end, due=due, remind_from=remind_from, days_left=days_left)
