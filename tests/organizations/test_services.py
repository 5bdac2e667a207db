"""The database filters of the services agree with the rules they pre-select for."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import factories as f
from xuanju.organizations import actions
from xuanju.organizations.models import Committee, Organization
from xuanju.organizations.services import MonitorFilters, branches_out_of_line, findings_for, status_of
from xuanju.rules.terms import TermState

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


def test_R_TERM_the_monitor_buckets_agree_with_term_status_on_every_edge():
    """Committees elected on every day around the month ends of a few years, with approved dates
    around the one-year limits, each checked on days around the edges of their states."""
    county = f.org(None, "中共示范县委员会", "party_committee")
    committees = []
    for i, elected in enumerate([date(2021, 8, 31), date(2022, 2, 28), date(2023, 2, 28), date(2023, 8, 30)]):
        for j, shift in enumerate([None, -200, -1, 1, 200, 365]):
            branch = f.org(county, f"第{i}-{j}支部")
            committee = f.committee(branch, elected)
            if shift is not None:
                new_date = committee.term_end + timedelta(days=shift)
                actions.record_term_adjustment(
                    "t",
                    committee,
                    "delay" if shift > 0 else "advance",
                    new_date,
                    elected,
                    county,
                    "文号",
                    "理由",
                )
                committee.refresh_from_db()
            committees.append(committee)
    for committee in committees:
        for offset in (-184, -183, -182, -181, -1, 0, 1):
            today = committee.reelection_due + timedelta(days=offset)
            filters = MonitorFilters(today)
            expected = status_of(committee, today).state
            found = [
                state
                for state in TermState
                if filters.bucket(Committee.objects.filter(pk=committee.pk), state).exists()
            ]
            assert found == [expected], (committee.elected_on, committee.reelection_due, today)
