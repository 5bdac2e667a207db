"""Between elections: vacancy reasons, the 补选不及时 flag, appointment limits and by-election terms
(《中国共产党支部工作条例（试行）》; RULES.md has no IDs for these yet, see xuanju/rules/vacancies.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.candidates import Post
from xuanju.rules.vacancies import (
    APPOINTABLE_POSTS,
    AppointmentProblem,
    ElectingBody,
    SlateMode,
    VacancyProblem,
    VacancyReason,
    appointment_problems,
    by_elected_term_end,
    by_election_minimum_candidates,
    by_election_slate,
    electing_body,
    overdue_from,
    reason_for_restriction,
    vacancy_age,
    vacancy_problems,
)
from xuanju.rules.voting import RestrictionKind

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.rule("R-VOTE-3")
def test_probation_within_party_takes_the_seat_as_lost_rights():
    assert reason_for_restriction(RestrictionKind.PROBATION_WITHIN_PARTY) is VacancyReason.LOST_RIGHTS


@pytest.mark.rule("R-VOTE-4")
@pytest.mark.parametrize("kind", [RestrictionKind.DETENTION, RestrictionKind.ARREST])
def test_detention_and_arrest_suspend_the_rights_and_open_the_seat(kind):
    assert reason_for_restriction(kind) is VacancyReason.RIGHTS_SUSPENDED


@pytest.mark.parametrize("reason", [VacancyReason.REMOVAL, VacancyReason.RESIGNATION])
def test_removal_and_resignation_need_a_recorded_decision(reason):
    elected, end = date(2024, 3, 1), date(2027, 3, 1)
    assert vacancy_problems(reason, "  ", date(2025, 1, 1), elected, end) == (VacancyProblem.NO_DECISION,)
    assert vacancy_problems(reason, "县委组字〔2025〕3号", date(2025, 1, 1), elected, end) == ()


@pytest.mark.parametrize(
    "reason",
    [
        VacancyReason.DEATH,
        VacancyReason.TRANSFERRED_OUT,
        VacancyReason.LOST_RIGHTS,
        VacancyReason.RIGHTS_SUSPENDED,
    ],
)
def test_facts_open_a_vacancy_without_a_decision(reason):
    assert vacancy_problems(reason, "", date(2025, 1, 1), date(2024, 3, 1), date(2027, 3, 1)) == ()


def test_a_vacancy_cannot_predate_the_committee():
    problems = vacancy_problems(VacancyReason.DEATH, "", date(2024, 2, 1), date(2024, 3, 1), date(2027, 3, 1))
    assert problems == (VacancyProblem.BEFORE_TERM,)


def test_overdue_after_three_months_by_default():
    opened = date(2026, 1, 31)
    assert overdue_from(opened) == date(2026, 4, 30)  # clamped to the month's end
    assert not vacancy_age(opened, date(2026, 4, 29)).overdue
    assert vacancy_age(opened, date(2026, 4, 30)).overdue
    assert vacancy_age(opened, date(2026, 4, 30)).days_open == 89


def test_the_threshold_is_a_setting():
    opened = date(2026, 1, 10)
    assert not vacancy_age(opened, date(2026, 5, 1), months=6).overdue
    assert vacancy_age(opened, date(2026, 7, 10), months=6).overdue


def test_a_vacancy_filled_in_time_stays_in_time():
    age = vacancy_age(date(2026, 1, 10), date(2027, 1, 1), filled_on=date(2026, 2, 10))
    assert age == type(age)(days_open=31, overdue=False)


@given(days, st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=24))
def test_overdue_exactly_from_the_threshold(opened, elapsed, months):
    today = opened + timedelta(days=elapsed)
    age = vacancy_age(opened, today, months=months)
    assert age.days_open == elapsed
    assert age.overdue == (today >= overdue_from(opened, months))
    assert overdue_from(opened, months) > opened


@pytest.mark.parametrize("post", [Post.SECRETARY, Post.DEPUTY_SECRETARY])
def test_the_upper_level_may_appoint_a_secretary_or_deputy(post):
    assert appointment_problems(post, True, "县委组〔2026〕5号", "村党组织软弱涣散，需加强", True) == ()


@pytest.mark.parametrize("post", [Post.COMMITTEE_MEMBER, Post.DELEGATE, Post.DISCIPLINE_MEMBER])
def test_an_ordinary_member_is_never_appointed(post):
    problems = appointment_problems(post, True, "县委组〔2026〕5号", "需要", True)
    assert problems == (AppointmentProblem.POST_NOT_APPOINTABLE,)


def test_appointment_needs_upper_level_decision_reason_and_eligibility():
    problems = appointment_problems(Post.SECRETARY, False, "", " ", False)
    assert set(problems) == {
        AppointmentProblem.NOT_UPPER_LEVEL,
        AppointmentProblem.NO_DECISION,
        AppointmentProblem.NO_REASON,
        AppointmentProblem.NO_RIGHT_TO_STAND,
    }


@given(st.sampled_from(list(Post)), st.booleans(), st.text(max_size=5), st.text(max_size=5), st.booleans())
def test_appointment_is_lawful_only_for_leading_posts(post, upper, decision, reason, may_stand):
    lawful = appointment_problems(post, upper, decision, reason, may_stand) == ()
    if lawful:
        assert post in APPOINTABLE_POSTS and upper and may_stand
        assert decision.strip() and reason.strip()


@given(days, st.integers(min_value=0, max_value=5 * 366))
def test_a_by_elected_member_serves_until_the_committee_term_ends(term_end, before):
    elected_on = term_end - timedelta(days=before)
    assert by_elected_term_end(term_end, elected_on) == term_end


def test_no_by_election_after_the_term_ends():
    with pytest.raises(ValueError):
        by_elected_term_end(date(2026, 1, 1), date(2026, 1, 2))


@pytest.mark.rule("R-CAND-2")
@pytest.mark.parametrize(("seats", "least"), [(1, 2), (2, 3), (3, 4), (5, 6)])
def test_member_seats_are_by_elected_competitively_by_default(seats, least):
    assert by_election_slate(Post.COMMITTEE_MEMBER) is SlateMode.COMPETITIVE
    assert by_election_minimum_candidates(Post.COMMITTEE_MEMBER, seats) == least


def test_equal_by_election_of_members_only_where_the_upper_level_approved_it():
    assert by_election_slate(Post.COMMITTEE_MEMBER, equal_approved=True) is SlateMode.EQUAL
    assert by_election_minimum_candidates(Post.COMMITTEE_MEMBER, 2, equal_approved=True) == 2


@pytest.mark.rule("R-CAND-3")
@pytest.mark.parametrize("post", [Post.SECRETARY, Post.DEPUTY_SECRETARY])
def test_a_secretary_or_deputy_may_be_by_elected_equal(post):
    assert by_election_slate(post) is SlateMode.EQUAL
    assert by_election_minimum_candidates(post, 1) == 1


@pytest.mark.rule("R-CAND-5")
def test_who_fills_a_vacant_post():
    assert electing_body(Post.SECRETARY, has_committee=True) is ElectingBody.PLENARY
    assert electing_body(Post.DEPUTY_SECRETARY, has_committee=True) is ElectingBody.PLENARY
    assert electing_body(Post.SECRETARY, has_committee=False) is ElectingBody.MEMBERS_MEETING
    assert electing_body(Post.COMMITTEE_MEMBER, has_committee=True) is ElectingBody.MEMBERS_MEETING
    assert electing_body(Post.COMMITTEE_MEMBER, True, at_congress=True) is ElectingBody.CONGRESS
