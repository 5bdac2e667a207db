"""The structure of a campaign's new teams (R-CAND-1: 结构合理; R-DEL-3: targets checked against
the candidates and those elected), over the hand-counted world of tests/campaigns/structure_world.py."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.campaigns.structure_world import Person, _member, build_structure_world
from tests.worlds import built_once
from xuanju.campaigns.models import CampaignEntry
from xuanju.campaigns.structure import SECRETARY_HEADING_MISSED, Stage, campaign_structure
from xuanju.elections.models import Election, ElectionStatus
from xuanju.rules.conditions import EducationLevel
from xuanju.rules.structure import Gap

pytestmark = pytest.mark.django_db


@built_once
def world():
    return build_structure_world()


def test_R_CAND_1_the_elected_teams_are_counted_person_by_person(world):
    elected = campaign_structure(world.campaign).elected
    assert (elected.teams, elected.people) == (3, 9)
    assert (elected.women, elected.minorities, elected.young) == (3, 1, 2)
    assert elected.age_bands == (2, 2, 2, 3)
    assert elected.average_age == Fraction(30 + 50 + 40 + 60 + 58 + 45 + 34 + 47 + 56, 9)
    assert elected.college_or_above == 4
    assert elected.education_count(EducationLevel.HIGH_SCHOOL) == 3
    assert elected.education_count(EducationLevel.PRIMARY) == 1
    assert elected.education_unknown == 1
    assert (elected.front_line, elected.returning, elected.new) == (4, 5, 4)
    assert (elected.secretaries, elected.secretaries_heading) == (3, 2)


def test_R_CAND_1_open_slates_are_counted_apart_from_the_elected(world):
    structure = campaign_structure(world.campaign)
    slates = structure.slates
    assert (slates.teams, slates.people, slates.women, slates.young) == (1, 4, 0, 2)
    stages = {team.organization: team.stage for team in structure.teams}
    assert stages == {
        "中共A1村支部委员会": Stage.ELECTED,
        "中共A2村支部委员会": Stage.ELECTED,
        "中共A3村支部委员会": Stage.SLATE,
        "中共B1村支部委员会": Stage.ELECTED,
        "中共B2村支部委员会": Stage.NONE,
    }
    assert structure.not_started == 1
    assert [t.completed for t in structure.teams] == [True, False, False, False, False]


def test_R_CAND_1_townships_add_up_to_the_total(world):
    structure = campaign_structure(world.campaign)
    east, west = structure.townships
    assert (east.name, east.entries, east.elected.teams, east.elected.people) == ("中共东乡镇委员会", 3, 2, 6)
    assert (west.name, west.entries, west.elected.teams, west.elected.women) == ("中共西乡镇委员会", 2, 1, 2)
    assert east.elected + west.elected == structure.elected
    assert east.slates + west.slates == structure.slates


def test_R_DEL_3_the_organizations_missing_a_target_are_listed_with_what_they_miss(world):
    structure = campaign_structure(world.campaign)
    missing = {team.organization: team.misses for team in structure.missing}
    assert set(missing) == {"中共A2村支部委员会", "中共A3村支部委员会"}
    a2 = missing["中共A2村支部委员会"]
    assert any("女性至少 1 名" in text for text in a2)
    assert any("35 岁及以下至少 1 名" in text for text in a2)
    assert SECRETARY_HEADING_MISSED in a2
    (a3,) = missing["中共A3村支部委员会"]
    assert "无论选举结果如何都达不到" in a3 and "女性" in a3
    found = {a.gap: (a.judged, a.met, a.missed) for a in structure.attainment}
    assert found == {Gap.MIN_WOMEN: (3, 2, 1), Gap.MIN_UNDER_AGE: (3, 2, 1)}
    assert (structure.heading_judged, structure.heading_missed) == (3, 1)


def test_R_CAND_1_the_one_shoulder_requirement_applies_only_when_the_campaign_asks(world):
    world.campaign.secretary_heads_committee = False
    world.campaign.save()
    structure = campaign_structure(world.campaign)
    assert structure.heading_judged == 0
    assert all(SECRETARY_HEADING_MISSED not in team.misses for team in structure.teams)
    assert structure.elected.secretaries_heading == 2  # still counted for the statistics


def test_R_CAND_1_returning_members_are_those_of_the_committee_before_the_election(world):
    """The approved election installed nothing here (rows only); a committee elected after the
    meeting is not the outgoing one, so returning members stay those of 2021."""
    structure = campaign_structure(world.campaign)
    a1 = next(team for team in structure.teams if team.organization == "中共A1村支部委员会")
    assert (a1.figures.returning, a1.figures.new) == (1, 2)


def test_R_CAND_1_the_structure_takes_a_fixed_number_of_queries_whatever_the_campaign_size(world):
    with CaptureQueriesContext(connection) as small:
        campaign_structure(world.campaign)
    # Ten more villages, each with an election and a slate of two.
    for n in range(10):
        village = f.org(world.towns["east"], f"村{n}", "branch", "village")
        election = Election.objects.create(
            organization=village,
            status=ElectionStatus.PLANNING,
            has_committee=True,
            committee_seats=3,
            term_years=5,
            planned_on=world.elections["a1"].planned_on,
        )
        _member(village, Person(f"某{n}", 40))
        CampaignEntry.objects.create(
            campaign=world.campaign, organization=village, township=world.towns["east"], election=election
        )
    with CaptureQueriesContext(connection) as large:
        structure = campaign_structure(world.campaign)
    assert structure.entries == 15
    assert len(large.captured_queries) == len(small.captured_queries) <= 10
