"""The database filters of the services agree with the rules they pre-select for."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from xuanju.organizations.models import Organization
from xuanju.organizations.services import branches_out_of_line, findings_for

pytestmark = pytest.mark.django_db

BRANCH_RULES = ("R-ORG-1", "R-ORG-2")


def test_R_ORG_1_R_ORG_2_the_out_of_line_filter_matches_the_rules_verdicts():
    county = f.org(None, "中共示范县委员会", "party_committee")
    cases = {
        "two full members": (2, 0, None),
        "nine full members, no committee": (9, 0, None),
        "nine full members with a committee": (9, 0, 5),
        "five full members with a committee": (5, 0, 3),
        "five full members, secretary only": (5, 1, 0),
        "fifty-one members": (45, 6, 5),
        "fine small branch": (4, 0, 0),
    }
    for name, (full, probationary, committee_size) in cases.items():
        branch = f.org(county, name)
        people = [f.member(branch) for _ in range(full)] + [
            f.member(branch, full=False) for _ in range(probationary)
        ]
        if committee_size is not None:
            size = max(committee_size, 1)
            f.committee_of(branch, people[:size], date(2025, 1, 1), has_committee=committee_size > 0)
    flagged = set(branches_out_of_line(Organization.objects.all()).values_list("name", flat=True))
    by_rules = set()
    for branch in Organization.objects.filter(kind="branch"):
        committee = branch.committees.filter(is_current=True).first()
        if any(rule in text for text in findings_for(branch, committee) for rule in BRANCH_RULES):
            by_rules.add(branch.name)
    assert flagged == by_rules
    assert flagged == {
        "two full members",
        "nine full members, no committee",
        "five full members with a committee",
        "fifty-one members",
    }
