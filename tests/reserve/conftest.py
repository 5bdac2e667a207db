"""A county with a village branch due for re-election, the accounts around it, and a small pool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tests import factories as f
from tests.worlds import built_once
from xuanju.accounts.models import User
from xuanju.organizations.models import Member
from xuanju.reserve import actions
from xuanju.reserve.models import ReservePerson

TODAY = timezone.localdate()


@dataclass
class World:
    tree: f.County
    people: list[Member]
    users: dict[str, User]
    person: ReservePerson  # 王芳 in the village's pool


@built_once
def world() -> World:
    return build_world()


def build_world() -> World:
    tree, people = f.village_due_for_reelection(TODAY)
    users = {
        "county": f.account("county", tree.county, "org_department"),
        "town": f.account("town", tree.town, "org_department"),
        "village": f.account("village", tree.village, "secretary"),
        "member": f.account("member", tree.village, "member"),
        "inspector": f.account("inspector", tree.county, "inspector"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
    }
    person = actions.put_forward(
        "village", tree.village, people[0], date(2024, 3, 1), "群众基础好，带富能力强"
    )
    return World(tree, people, users, person)
