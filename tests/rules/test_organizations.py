"""Which body an organization has and the size of its committee: R-ORG-1..4."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.organizations import (
    Body,
    Finding,
    OrganizationFacts,
    committee_size_range,
    organization_findings,
    required_body,
    state_organ_kind,
)
from xuanju.rules.terms import OrganizationKind, Sector

BRANCH = OrganizationKind.BRANCH


def facts(
    full,
    members=None,
    committee=None,
    kind=BRANCH,
    sector=Sector.ENTERPRISE,
    approved=None,
    standing=False,
    kind_approved=False,
):
    return OrganizationFacts(
        kind, sector, full, full if members is None else members, committee, approved, standing, kind_approved
    )


def test_R_ORG_1_fewer_than_three_full_members_cannot_form_a_branch():
    assert Finding.TOO_FEW_FULL_MEMBERS in organization_findings(facts(2, members=4))
    assert Finding.TOO_FEW_FULL_MEMBERS not in organization_findings(facts(3))


def test_R_ORG_1_a_branch_over_fifty_members_is_flagged():
    assert Finding.BRANCH_TOO_LARGE in organization_findings(facts(45, members=51, committee=5))
    assert Finding.BRANCH_TOO_LARGE not in organization_findings(facts(45, members=50, committee=5))


@pytest.mark.parametrize(
    ("full", "body"), [(3, Body.SECRETARY_ONLY), (6, Body.SECRETARY_ONLY), (7, Body.COMMITTEE)]
)
def test_R_ORG_2_seven_full_members_make_a_branch_committee(full, body):
    assert required_body(BRANCH, full) is body


def test_R_ORG_2_only_full_members_count_toward_seven():
    assert organization_findings(facts(6, members=9)) == []
    assert organization_findings(facts(9)) == [Finding.COMMITTEE_MISSING]


def test_R_ORG_2_a_small_branch_with_a_committee_is_flagged():
    assert organization_findings(facts(5, committee=3)) == [Finding.COMMITTEE_NOT_EXPECTED]


@pytest.mark.parametrize(
    ("size", "finding"),
    [
        (2, Finding.COMMITTEE_TOO_SMALL),
        (3, None),
        (5, None),
        (7, Finding.COMMITTEE_ABOVE_NORMAL),
        (8, Finding.COMMITTEE_TOO_LARGE),
    ],
)
def test_R_ORG_2_branch_committees_have_three_to_five_members_at_most_seven(size, finding):
    assert organization_findings(facts(20, committee=size)) == ([] if finding is None else [finding])


def test_R_ORG_3_state_organs_by_member_count():
    assert state_organ_kind(100) is OrganizationKind.PARTY_COMMITTEE
    assert state_organ_kind(99) is OrganizationKind.GENERAL_BRANCH
    assert state_organ_kind(50) is OrganizationKind.GENERAL_BRANCH
    assert state_organ_kind(49) is None
    wrong = facts(
        90, members=120, committee=5, sector=Sector.STATE_ORGAN, kind=OrganizationKind.GENERAL_BRANCH
    )
    assert Finding.WRONG_KIND_FOR_STATE_ORGAN in organization_findings(wrong)


def test_R_ORG_3_township_party_committees_have_seven_to_nine():
    sizes = committee_size_range(OrganizationKind.PARTY_COMMITTEE, Sector.TOWNSHIP)
    assert (sizes.minimum, sizes.hard_max) == (7, 9)
    township = facts(300, committee=6, kind=OrganizationKind.PARTY_COMMITTEE, sector=Sector.TOWNSHIP)
    assert organization_findings(township) == [Finding.COMMITTEE_TOO_SMALL]


def test_R_ORG_4_the_approved_size_is_checked():
    committee = facts(300, committee=7, kind=OrganizationKind.PARTY_COMMITTEE, approved=7)
    assert organization_findings(committee) == []
    committee = facts(300, committee=9, kind=OrganizationKind.PARTY_COMMITTEE, approved=7)
    assert organization_findings(committee) == [Finding.SIZE_DIFFERS_FROM_APPROVED]


GENERAL_BRANCH = OrganizationKind.GENERAL_BRANCH
PARTY_COMMITTEE = OrganizationKind.PARTY_COMMITTEE


@pytest.mark.parametrize(
    ("size", "findings"),
    [
        (4, [Finding.COMMITTEE_TOO_SMALL]),
        (5, []),
        (7, []),
        (8, [Finding.COMMITTEE_ABOVE_NORMAL]),  # 手册: generally 5-7 ...
        (9, [Finding.COMMITTEE_ABOVE_NORMAL]),
        (10, [Finding.COMMITTEE_TOO_LARGE]),  # ... at most 9
    ],
)
def test_R_ORG_4_general_branch_committees_are_generally_five_to_seven_at_most_nine(size, findings):
    assert organization_findings(facts(60, committee=size, kind=GENERAL_BRANCH)) == findings


def test_R_ORG_4_a_party_committee_with_a_standing_committee_may_have_fifteen_to_twenty_one():
    sizes = committee_size_range(PARTY_COMMITTEE, Sector.ENTERPRISE, standing_committee=True)
    assert (sizes.minimum, sizes.hard_max) == (15, 21)
    big = facts(3000, committee=19, kind=PARTY_COMMITTEE, standing=True)
    assert organization_findings(big) == []
    assert organization_findings(facts(3000, committee=19, kind=PARTY_COMMITTEE)) == [
        Finding.COMMITTEE_TOO_LARGE
    ]


@given(
    kind=st.sampled_from([GENERAL_BRANCH, PARTY_COMMITTEE]),
    sector=st.sampled_from([s for s in Sector if s is not Sector.TOWNSHIP]),
    size=st.integers(min_value=1, max_value=40),
    standing=st.booleans(),
)
def test_R_ORG_4_an_approved_size_is_never_a_finding(kind, sector, size, standing):
    # Where the upper level approved a size, that is the size: no finding about its size.
    org = facts(
        5000, members=5000, committee=size, kind=kind, sector=sector, approved=size, standing=standing
    )
    assert not set(organization_findings(org)) & {
        Finding.COMMITTEE_TOO_SMALL,
        Finding.COMMITTEE_TOO_LARGE,
        Finding.COMMITTEE_ABOVE_NORMAL,
        Finding.SIZE_DIFFERS_FROM_APPROVED,
    }
    other = facts(5000, members=5000, committee=size + 1, kind=kind, sector=sector, approved=size)
    assert Finding.SIZE_DIFFERS_FROM_APPROVED in organization_findings(other)


def test_R_ORG_4_an_approved_branch_size_still_keeps_within_the_branch_regulations():
    assert organization_findings(facts(30, committee=7, approved=7)) == []  # 7 is lawful, approved
    assert organization_findings(facts(30, committee=8, approved=8)) == [Finding.COMMITTEE_TOO_LARGE]


def test_R_ORG_4_an_organization_set_up_by_approved_exception_is_not_the_wrong_kind():
    # A state organ with 40 members would have a branch (R-ORG-3); the upper level approved a
    # general branch instead and the approval is recorded.
    exception = dict(members=40, committee=5, kind=GENERAL_BRANCH, sector=Sector.STATE_ORGAN)
    assert Finding.WRONG_KIND_FOR_STATE_ORGAN in organization_findings(facts(38, **exception))
    assert organization_findings(facts(38, kind_approved=True, **exception)) == []
