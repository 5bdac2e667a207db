"""R-CNT-5: the consent that reduces the seats, under both readings of "半数以上"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.reduction import ConsentReading, least_consenting, reduction_consented

AT_LEAST, MORE_THAN = ConsentReading.AT_LEAST_HALF, ConsentReading.MORE_THAN_HALF


@pytest.mark.parametrize(
    ("voters", "at_least_half", "more_than_half"),
    [(50, 25, 26), (51, 26, 26), (9, 5, 5), (8, 4, 5), (1, 1, 1), (2, 1, 2), (0, 0, 1)],
)
def test_R_CNT_5_least_consenting_under_each_reading(voters, at_least_half, more_than_half):
    assert least_consenting(voters) == at_least_half  # the default reading: half itself counts
    assert least_consenting(voters, AT_LEAST) == at_least_half
    assert least_consenting(voters, MORE_THAN) == more_than_half


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=2000))
def test_R_CNT_5_the_readings_differ_only_at_exactly_half(voters, consenting):
    # counted independently: 2c >= n (half included) and 2c > n (more than half)
    assert reduction_consented(consenting, voters, AT_LEAST) == (consenting * 2 >= voters)
    assert reduction_consented(consenting, voters, MORE_THAN) == (consenting * 2 > voters)
    if consenting * 2 != voters:
        assert reduction_consented(consenting, voters, AT_LEAST) == reduction_consented(
            consenting, voters, MORE_THAN
        )


def test_R_CNT_5_a_negative_number_of_voters_is_refused():
    with pytest.raises(ValueError):
        least_consenting(-1)
