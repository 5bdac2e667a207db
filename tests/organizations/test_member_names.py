"""Looking members up by name compares names as people, not spellings (R-NAME-5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.organizations.models import Member
from xuanju.organizations.services import members_named, members_whose_name_contains

pytestmark = pytest.mark.django_db


@built_once
def village():
    tree = f.county_tree()
    people = {name: f.member(tree.village, name) for name in ("王芳", "王芳芳", "阿依古丽·买买提", "李强")}
    f.member(tree.school_branch, "王芳")  # another branch's 王芳
    return tree, people


def test_R_NAME_5_members_named_finds_the_person_under_any_spelling(village):
    tree, people = village
    roster = Member.objects.filter(organization=tree.village)
    for spelling in ("王芳", "王 芳", "王\u3000芳", "\u200b王芳\ufeff"):
        assert list(members_named(roster, spelling)) == [people["王芳"]], spelling
    for spelling in ("阿依古丽•买买提", "阿依古丽 ・ 买买提", "阿依古丽‧买买提"):
        assert list(members_named(roster, spelling)) == [people["阿依古丽·买买提"]], spelling
    assert not members_named(roster, "王").exists() and not members_named(roster, " \u200b").exists()


def test_R_NAME_5_the_roster_search_ignores_spaces_and_dot_variants(village):
    tree, people = village
    client = client_for(f.account("village", tree.village, "secretary"))
    url = reverse("member_list", args=[tree.village.pk])
    found = client.get(url, {"q": "王 芳"}).content.decode()
    assert "王芳芳" in found and "李强" not in found  # a search finds names containing the text
    found = client.get(url, {"q": "古丽•买买"}).content.decode()
    assert "阿依古丽·买买提" in found and "王芳" not in found
    roster = Member.objects.filter(organization=tree.village)
    assert set(members_whose_name_contains(roster, "王\u3000芳")) == {people["王芳"].pk, people["王芳芳"].pk}
    assert members_whose_name_contains(roster, "\u3000") == []
