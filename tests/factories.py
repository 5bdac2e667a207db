"""Plain builders for database tests: a small county tree, members, committees and accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xuanju.accounts.models import User
from xuanju.organizations import actions
from xuanju.organizations.actions import SeatInput
from xuanju.organizations.models import Member, Organization

PASSWORD = "correct-horse-battery-9"
_serial = iter(range(1, 10**9))


def org(parent: Organization | None, name: str, kind: str = "branch", sector: str = "other") -> Organization:
    return actions.create_organization("test", parent, name, kind, sector)


def member(organization: Organization, name: str | None = None, full: bool = True, **extra: object) -> Member:
    n = next(_serial)
    data: dict[str, object] = {
        "name": name or f"党员{n}",
        "gender": "男" if n % 2 else "女",
        "ethnicity": "汉族",
        "birth_date": date(1980, 1, 1),
        "joined_on": date(2005, 7, 1),
        "full_member_on": date(2006, 7, 1) if full else None,
        "status": "full" if full else "probationary",
        "phone": f"139{n:08d}",
        "id_number": "",
    }
    data.update(extra)
    return actions.add_member("test", organization, **data)


def committee(organization: Organization, elected_on: date, size: int = 3, has_committee: bool = True):
    """A committee of ``size`` new members, the first of them secretary."""
    return committee_of(organization, [member(organization) for _ in range(size)], elected_on, has_committee)


def committee_of(
    organization: Organization, people: list[Member], elected_on: date, has_committee: bool = True
):
    posts = ["secretary"] + ["member"] * (len(people) - 1)
    return actions.record_committee(
        "test",
        organization,
        elected_on,
        [SeatInput(p, post) for p, post in zip(people, posts, strict=True)],
        has_committee=has_committee,
    )


def account(username: str, organization: Organization | None, role: str) -> User:
    return User.objects.create_user(username, password=PASSWORD, organization=organization, role=role)


@dataclass
class County:
    county: Organization
    town: Organization
    village: Organization
    school: Organization
    school_branch: Organization


def county_tree() -> County:
    """中共示范县委 → 乡镇党委 → 村党支部; 县委 → 学校党委 → 支部."""
    county = org(None, "中共示范县委员会", "party_committee")
    town = org(county, "中共东乡镇委员会", "party_committee", "township")
    village = org(town, "中共东村支部委员会", "branch", "village")
    school = org(county, "中共示范县第一中学委员会", "party_committee", "school")
    school_branch = org(school, "中共示范县第一中学语文组支部委员会", "branch", "school")
    return County(county, town, village, school, school_branch)


def client_for(user: User):
    """A test client signed in as ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


VILLAGE_NAMES = [
    "王芳",
    "李强",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴军",
    "徐丽",
    "孙涛",
    "马超",
    "朱红",
    "胡斌",
    "郭靖",
    "何平",
    "高明",
    "林峰",
    "罗兰",
]


def village_due_for_reelection(today: date) -> tuple[County, list[Member]]:
    """The county tree with a village branch of 20 full members whose committee's term is over."""
    tree = county_tree()
    people = [member(tree.village, name) for name in VILLAGE_NAMES]
    committee_of(tree.village, people[:3], today - timedelta(days=5 * 365 + 30))
    tree.village.refresh_from_db()
    return tree, people
