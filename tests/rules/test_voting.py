"""Who may vote and stand: R-VOTE-1..5 and R-CAND-6."""

from __future__ import annotations

from datetime import date

from xuanju.rules.voting import (
    MembershipStatus,
    MemberStanding,
    NoRightReason,
    Restriction,
    RestrictionKind,
    completed_years,
    may_fill_in_ballot_for,
    party_age,
    rights_on,
    voters_on,
)

DAY = date(2026, 11, 28)
FULL = MemberStanding(MembershipStatus.FULL)


def test_R_VOTE_1_full_members_vote_and_stand():
    rights = rights_on(FULL, DAY)
    assert rights.can_vote and rights.can_stand and rights.reasons == ()


def test_R_VOTE_2_probationary_members_neither_vote_nor_stand():
    rights = rights_on(MemberStanding(MembershipStatus.PROBATIONARY), DAY)
    assert not rights.can_vote and not rights.can_stand
    assert rights.reasons == (NoRightReason.PROBATIONARY,)


def test_R_VOTE_3_no_rights_during_probation_within_the_party_and_back_after_it():
    period = Restriction(RestrictionKind.PROBATION_WITHIN_PARTY, date(2025, 1, 1), date(2026, 12, 31))
    member = MemberStanding(MembershipStatus.FULL, (period,))
    assert rights_on(member, DAY).reasons == (NoRightReason.PROBATION_WITHIN_PARTY,)
    assert rights_on(member, date(2026, 12, 31)).can_vote is False  # the last day still counts
    assert rights_on(member, date(2027, 1, 1)).can_vote is True
    assert rights_on(member, date(2024, 12, 31)).can_vote is True


def test_R_VOTE_4_detention_or_arrest_suspends_rights_until_lifted():
    held = MemberStanding(MembershipStatus.FULL, (Restriction(RestrictionKind.DETENTION, date(2026, 10, 1)),))
    assert rights_on(held, DAY).reasons == (NoRightReason.SUSPENDED,)
    arrested = MemberStanding(
        MembershipStatus.FULL, (Restriction(RestrictionKind.ARREST, date(2026, 1, 1), date(2026, 3, 1)),)
    )
    assert rights_on(arrested, DAY).can_vote


def test_R_CAND_6_the_right_to_stand_is_judged_on_the_day_of_the_election():
    period = Restriction(RestrictionKind.PROBATION_WITHIN_PARTY, date(2026, 12, 1), date(2027, 12, 1))
    member = MemberStanding(MembershipStatus.FULL, (period,))
    assert rights_on(member, DAY).can_stand
    assert not rights_on(member, date(2026, 12, 1)).can_stand


def test_R_VOTE_1_the_roll_holds_only_members_with_a_vote():
    members = [("a", FULL), ("b", MemberStanding(MembershipStatus.PROBATIONARY)), ("c", FULL)]
    assert voters_on(members, DAY) == ["a", "c"]


def test_R_VOTE_5_no_proxy_only_a_non_candidate_writing_at_the_voters_wish():
    assert may_fill_in_ballot_for(helper_is_candidate=False, voter_asked=True)
    assert not may_fill_in_ballot_for(helper_is_candidate=True, voter_asked=True)
    assert not may_fill_in_ballot_for(helper_is_candidate=False, voter_asked=False)


def test_R_CAND_1_party_age_counts_whole_years_from_full_membership():
    assert party_age(date(2006, 7, 1), date(2026, 6, 30)) == 19
    assert party_age(date(2006, 7, 1), date(2026, 7, 1)) == 20
    assert party_age(None, date(2026, 7, 1)) is None
    assert completed_years(date(2004, 2, 29), date(2026, 2, 28)) == 21
    assert completed_years(date(2026, 3, 1), date(2026, 2, 1)) == 0
