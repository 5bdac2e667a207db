"""Which body an organization has and the size of its committee: R-ORG-1..4."""

from __future__ import annotations

import pytest

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


def facts(full, members=None, committee=None, kind=BRANCH, sector=Sector.ENTERPRISE, approved=None):
    return OrganizationFacts(kind, sector, full, full if members is None else members, committee, approved)


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
