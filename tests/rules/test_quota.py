"""Delegate quotas: R-DEL-1..3."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.quota import (
    ElectoralUnit,
    QuotaProblem,
    QuotaWarning,
    allocate_quota,
    needs_congress,
    quota_problem,
    quota_warnings,
)


def units(*members):
    return [
        ElectoralUnit(id=f"u{i}", name=f"第{i}党支部", full_members=m) for i, m in enumerate(members, start=1)
    ]


def test_R_DEL_3_base_then_largest_remainder_by_full_members():
    allocation = allocate_quota(10, units(60, 30, 10), base_per_unit=1)
    # 7 seats after the base: 4.2, 2.1, 0.7 → 4, 2, 0 and one more for the largest remainder (0.7)
    assert [a.seats for a in allocation] == [5, 3, 2]
    assert [a.quota for a in allocation] == [Fraction(26, 5), Fraction(31, 10), Fraction(17, 10)]


def test_R_DEL_3_equal_remainders_go_to_the_larger_unit():
    # 2 seats over 1 and 3 members: shares 0.5 and 1.5, equal remainders; the larger unit wins
    allocation = allocate_quota(
        2, [ElectoralUnit("a", "甲", 1), ElectoralUnit("b", "乙", 3)], base_per_unit=0
    )
    assert [a.seats for a in allocation] == [0, 2]


def test_R_DEL_3_equal_remainders_and_sizes_go_to_the_earlier_unit():
    allocation = allocate_quota(5, units(10, 20, 10), base_per_unit=1)  # shares 0.5, 1.0, 0.5
    assert [a.seats for a in allocation] == [2, 2, 1]


def test_R_DEL_2_a_quota_above_300_is_refused():
    assert quota_problem(301, 1, units(100)) is QuotaProblem.TOTAL_ABOVE_300
    assert quota_problem(300, 1, units(100)) is None
    with pytest.raises(ValueError):
        allocate_quota(301, units(100))


def test_R_DEL_2_outside_100_to_200_is_lawful_but_warned():
    assert quota_warnings(99) == [QuotaWarning.OUTSIDE_NORMAL_RANGE]
    assert quota_warnings(100) == []
    assert quota_warnings(200) == []
    assert quota_warnings(250) == [QuotaWarning.OUTSIDE_NORMAL_RANGE]


def test_R_DEL_3_a_total_too_small_for_every_units_base_is_refused():
    assert quota_problem(2, 1, units(10, 10, 10)) is QuotaProblem.TOTAL_BELOW_BASE
    assert quota_problem(3, 1, units(10, 10, 10)) is None


def test_R_DEL_3_no_members_anywhere_cannot_be_shared_in_proportion():
    assert quota_problem(5, 1, units(0, 0)) is QuotaProblem.NO_MEMBERS
    assert quota_problem(2, 1, units(0, 0)) is QuotaProblem.NO_MEMBERS  # nobody to elect a delegate


def test_R_DEL_3_a_unit_without_full_members_gets_no_base_seat():
    # 100 seats over 50/50/0: the empty unit has nobody to elect or be elected (R-VOTE-1).
    allocation = allocate_quota(100, units(50, 50, 0), base_per_unit=1)
    assert [a.seats for a in allocation] == [50, 50, 0]
    assert [a.base for a in allocation] == [1, 1, 0]
    assert allocation[2].quota == 0
    # The base the total must cover counts only units with members.
    assert quota_problem(2, 1, units(10, 10, 0)) is None
    assert quota_problem(1, 1, units(10, 10, 0)) is QuotaProblem.TOTAL_BELOW_BASE


def test_R_DEL_1_a_congress_with_500_members_or_scattered_units():
    assert needs_congress(500, scattered_units=False)
    assert not needs_congress(499, scattered_units=False)
    assert needs_congress(120, scattered_units=True)


@given(
    members=st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=40),
    base=st.integers(min_value=0, max_value=3),
    extra=st.integers(min_value=0, max_value=300),
)
def test_R_DEL_3_seats_always_add_up_and_stay_within_one_of_the_quota(members, base, extra):
    total = min(300, base * len(members) + extra)
    if quota_problem(total, base, units(*members)) is not None:
        return
    allocation = allocate_quota(total, units(*members), base_per_unit=base)
    assert sum(a.seats for a in allocation) == total
    for unit, a in zip(units(*members), allocation, strict=True):
        if unit.full_members == 0:
            assert a.seats == 0 and a.base == 0  # no members, no seat
        else:
            assert a.seats >= base
        assert a.quota - 1 < a.seats < a.quota + 1
