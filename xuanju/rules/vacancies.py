"""A sitting committee between elections: vacancies (出缺), by-elections (补选) and appointments (指派).

RULES.md has no rule IDs for this part yet; each rule below names its source instead:
- 支部条例 — 《中国共产党支部工作条例（试行）》 (2018): a secretary's, deputy's or member's seat that
  falls vacant is filled promptly by a by-election; where really necessary the upper level may
  appoint (指派) a secretary or deputy secretary — never an ordinary member. The same practice holds
  for party committees and general branches (手册).
- 手册 (《党支部工作手册》): a vacancy (出缺) is a committee with fewer members than its number: a member
  died, was removed, resigned, or left the organization's jurisdiction (transfer). A by-elected
  member is elected by the members' meeting and filed with the upper level.
- 党章 第十一条 / R-VOTE-3/4: a member under 留党察看 has no right to vote or stand; under 留置 or
  arrest the rights are suspended — a seat-holder losing them cannot hold the seat.

Returns codes and dates, never words; the shell words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xuanju.rules.candidates import Post, minimum_candidates
from xuanju.rules.terms import add_months
from xuanju.rules.voting import RestrictionKind


class VacancyReason(StrEnum):
    """Why a seat fell vacant (手册: 出缺)."""

    TRANSFERRED_OUT = "transferred_out"  # the Party relationship left the organization's jurisdiction
    LOST_RIGHTS = "lost_rights"  # 留党察看 (R-VOTE-3)
    RIGHTS_SUSPENDED = "rights_suspended"  # 留置 or arrest (R-VOTE-4)
    DEATH = "death"
    RESIGNATION = "resignation"  # accepted by the committee and reported up
    REMOVAL = "removal"  # 撤换/罢免 by the competent body's recorded decision


#: Reasons that are only valid with the document of a decision (a number or title): the system
#: records and checks, it does not decide (removal needs the competent body's decision; a resignation
#: the committee's acceptance, reported up).
NEEDS_DECISION = frozenset({VacancyReason.REMOVAL, VacancyReason.RESIGNATION})


def reason_for_restriction(kind: RestrictionKind) -> VacancyReason:
    """The vacancy a restriction of rights opens (R-VOTE-3: 留党察看 takes the rights away; R-VOTE-4:
    留置 or arrest suspends them)."""
    if kind is RestrictionKind.PROBATION_WITHIN_PARTY:
        return VacancyReason.LOST_RIGHTS
    return VacancyReason.RIGHTS_SUSPENDED


class VacancyProblem(StrEnum):
    NO_DECISION = "no_decision"  # removal or resignation without its document
    BEFORE_TERM = "before_term"  # the date lies before the committee was elected


def vacancy_problems(
    reason: VacancyReason, decision: str, on: date, elected_on: date, term_end: date
) -> tuple[VacancyProblem, ...]:
    """What is wrong with recording a vacancy for ``reason`` on ``on`` in a committee elected on
    ``elected_on`` whose term ends ``term_end``; empty when it may be recorded."""
    problems: list[VacancyProblem] = []
    if reason in NEEDS_DECISION and not decision.strip():
        problems.append(VacancyProblem.NO_DECISION)
    if on < elected_on:
        problems.append(VacancyProblem.BEFORE_TERM)
    return tuple(problems)


#: 支部条例: vacancies are filled promptly (及时补选). The regulations give no period; three months is
#: this system's default, a setting (XUANJU_BY_ELECTION_OVERDUE_MONTHS) the upper level may change.
DEFAULT_OVERDUE_MONTHS = 3


def overdue_from(opened_on: date, months: int = DEFAULT_OVERDUE_MONTHS) -> date:
    """The first day a vacancy open since ``opened_on`` counts as 补选不及时."""
    if months < 1:
        raise ValueError("months must be at least 1")
    return add_months(opened_on, months)


@dataclass(frozen=True)
class VacancyAge:
    days_open: int
    overdue: bool


def vacancy_age(
    opened_on: date, today: date, filled_on: date | None = None, months: int = DEFAULT_OVERDUE_MONTHS
) -> VacancyAge:
    """How long a vacancy has been (or was) open, and whether it is 补选不及时: still open on or after
    :func:`overdue_from`, or filled only then."""
    end = filled_on if filled_on is not None else today
    days = max(0, (end - opened_on).days)
    return VacancyAge(days_open=days, overdue=end >= overdue_from(opened_on, months))


# --- appointment (指派) ----------------------------------------------------------------------

#: 支部条例: only a secretary or a deputy secretary may be appointed by the upper level.
APPOINTABLE_POSTS = frozenset({Post.SECRETARY, Post.DEPUTY_SECRETARY})


class AppointmentProblem(StrEnum):
    POST_NOT_APPOINTABLE = "post_not_appointable"  # an ordinary member is always elected
    NOT_UPPER_LEVEL = "not_upper_level"  # only the upper level appoints
    NO_DECISION = "no_decision"  # the decision's number
    NO_REASON = "no_reason"  # 确有必要: why it is necessary
    NO_RIGHT_TO_STAND = "no_right_to_stand"  # R-VOTE, R-CAND-6: the same eligibility as the elected


def appointment_problems(
    post: Post, by_upper_level: bool, decision: str, reason: str, may_stand: bool
) -> tuple[AppointmentProblem, ...]:
    """What stops the upper level's appointment (指派) of a member to ``post``; empty when lawful."""
    problems: list[AppointmentProblem] = []
    if post not in APPOINTABLE_POSTS:
        problems.append(AppointmentProblem.POST_NOT_APPOINTABLE)
    if not by_upper_level:
        problems.append(AppointmentProblem.NOT_UPPER_LEVEL)
    if not decision.strip():
        problems.append(AppointmentProblem.NO_DECISION)
    if not reason.strip():
        problems.append(AppointmentProblem.NO_REASON)
    if not may_stand:
        problems.append(AppointmentProblem.NO_RIGHT_TO_STAND)
    return tuple(problems)


# --- by-election (补选) ------------------------------------------------------------------------


def by_elected_term_end(committee_term_end: date, elected_on: date) -> date:
    """A by-elected (or appointed) member serves until the committee's term ends (届满), whatever
    the day of the by-election: the term is the committee's, not the person's (R-TERM-1)."""
    if elected_on > committee_term_end:
        raise ValueError("a by-election after the term's end is a re-election")
    return committee_term_end


class ElectingBody(StrEnum):
    MEMBERS_MEETING = "members_meeting"  # 党员大会
    CONGRESS = "congress"  # 党员代表大会 (where the committee was elected by one)
    PLENARY = "plenary"  # 委员会全体会议


def electing_body(post: Post, has_committee: bool, at_congress: bool = False) -> ElectingBody:
    """Who fills a vacant ``post``: committee members by the members' meeting (or the congress that
    elects the committee); a secretary or deputy by the committee's plenary from its members
    (R-CAND-5), or by the members' meeting where there is no committee (R-CAND-5, R-ORG-2)."""
    if post in (Post.SECRETARY, Post.DEPUTY_SECRETARY) and has_committee:
        return ElectingBody.PLENARY
    return ElectingBody.CONGRESS if at_congress else ElectingBody.MEMBERS_MEETING


class SlateMode(StrEnum):
    COMPETITIVE = "competitive"  # 差额
    EQUAL = "equal"  # 等额


#: Where the by-election's slate rule comes from, printed with the procedure. The 2020 election
#: regulations and the branch work regulations say nothing particular of a by-election's slate; the
#: handbooks say the by-election is held by the members' meeting like an election. So by default a
#: member seat is filled 差额 as at a regular election (R-CAND-2) and a secretary or deputy may be
#: filled 等额 (R-CAND-3); an upper level that approves 等额 for member seats records it in the plan.
SLATE_SOURCE = "competitive_default"


def by_election_slate(post: Post, equal_approved: bool = False) -> SlateMode:
    """The slate a by-election of ``post`` must have: 等额 for a secretary or deputy (R-CAND-3), or
    for member seats where the upper level approved it in the plan; else 差额 (R-CAND-2)."""
    if post in (Post.SECRETARY, Post.DEPUTY_SECRETARY) or equal_approved:
        return SlateMode.EQUAL
    return SlateMode.COMPETITIVE


def by_election_minimum_candidates(post: Post, seats: int, equal_approved: bool = False) -> int:
    """The fewest candidates a by-election of ``seats`` seats of ``post`` may have."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    if by_election_slate(post, equal_approved) is SlateMode.EQUAL:
        return seats
    return minimum_candidates(seats)
