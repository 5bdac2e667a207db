"""The demo data that ``xuanju serve`` loads into an empty database (and ``xuanju demo`` on request).

A fictional county, 中共示范县委员会, with township, state-organ, school, enterprise, hospital,
community and "two new" party committees, general branches and branches: about a hundred
organizations and three thousand members with realistic (generated) names, dates, phones and ID
numbers. Every organization has a current committee whose seats are its own full members; the
election dates are chosen relative to ``today`` so that the re-election monitor shows every term
state (R-TERM-1/2/3). A few organizations are deliberately out of line with R-ORG so that the
findings have something to show.

Everything is generated from a fixed seed, so two loads on the same day give the same data. The load
writes rows in bulk and appends one audit record for the whole load (R-SUP-4), not thousands.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.accounts.models import Role, User
from xuanju.audit.trail import record
from xuanju.organizations.actions import recount_members, set_term_dates
from xuanju.organizations.models import (
    Committee,
    CommitteeSeat,
    Member,
    Organization,
    Reminder,
    Restriction,
    TermAdjustment,
)
from xuanju.organizations.personal_data import id_check_digit
from xuanju.rules.organizations import MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE
from xuanju.rules.terms import (
    OrganizationKind,
    Sector,
    TermState,
    add_months,
    adjustment_problem,
    term_end,
    term_status,
    term_years,
)
from xuanju.rules.voting import MembershipStatus, RestrictionKind

SEED = 20260701
PASSWORD = "xuanju-demo-2026"
COUNTY = "示范县"

PC = OrganizationKind.PARTY_COMMITTEE.value
GB = OrganizationKind.GENERAL_BRANCH.value
BR = OrganizationKind.BRANCH.value


@dataclass(frozen=True)
class DemoSummary:
    organizations: int
    members: int
    password: str
    accounts: list[tuple[str, str]]  # (username, Chinese description)


def demo_is_loaded() -> bool:
    """True when the database already holds organizations (the demo loads only into an empty one)."""
    return Organization.objects.exists()


# --- the shape of the county -------------------------------------------------------------


@dataclass
class _Spec:
    """One organization to create: ``size`` members directly on its own roster."""

    name: str
    kind: str
    sector: str
    size: int
    children: list[_Spec] = field(default_factory=list)
    probationary: int | None = None  # an exact number, else about 6% of larger rosters
    secretary_only: bool = False  # deliberately no committee although 7+ full members (R-ORG-2)
    committee_size: int | None = None  # for party committees and general branches (R-ORG-3/4)
    state: TermState | None = None  # a term state forced on this organization
    ages: tuple[int, int, int] = (24, 60, 42)  # low, high, mode of members' ages
    female: float = 0.35


VILLAGES = {
    "城关镇": ["东关村", "西关村", "南街村", "北街村", "河口村"],
    "青山镇": ["青山村", "石门村", "桃园村", "杨柳村", "上坪村", "下坪村", "龙泉村"],
    "柳河乡": ["柳河村", "马家村", "王庄村", "高岭村", "双井村", "红星村"],
    "石桥镇": ["石桥村", "张湾村", "李家坪村", "三合村", "五里村", "长岭村", "新民村"],
    "白沙镇": ["白沙村", "沙坪村", "黄土村", "大塘村", "金竹村", "清水村"],
}
STATE_ORGANS = [
    ("中共示范县委办公室支部委员会", 24),
    ("中共示范县人大常委会机关支部委员会", 19),
    ("中共示范县人民政府办公室支部委员会", 27),
    ("中共示范县政协机关支部委员会", 16),
    ("中共示范县纪委监委机关支部委员会", 31),
    ("中共示范县委组织部支部委员会", 21),
    ("中共示范县委宣传部支部委员会", 14),
    ("中共示范县发展和改革局支部委员会", 18),
    ("中共示范县财政局支部委员会", 26),
    ("中共示范县农业农村局支部委员会", 33),
    ("中共示范县市场监督管理局支部委员会", 29),
    ("中共示范县统计局支部", 6),
]


def _county_tree(rng: random.Random) -> _Spec:
    """The organizations of the demo county; member numbers are drawn from ``rng``."""
    village_ages, retired_ages = (22, 86, 55), (60, 90, 72)
    townships = []
    for index, (town, villages) in enumerate(VILLAGES.items()):
        children = [
            _Spec(f"中共{town}机关支部委员会", BR, Sector.TOWNSHIP.value, rng.randint(22, 34), female=0.4),
        ]
        for village in villages:
            children.append(
                _Spec(
                    f"中共{town}{village}支部委员会",
                    BR,
                    Sector.VILLAGE.value,
                    rng.randint(24, 48),
                    ages=village_ages,
                    female=0.22,
                )
            )
        if town == "城关镇":
            # A large village with a general branch over three branches.
            children.append(
                _Spec(
                    "中共城关镇新华村总支部委员会",
                    GB,
                    Sector.VILLAGE.value,
                    7,
                    committee_size=5,
                    ages=village_ages,
                    children=[
                        _Spec(
                            f"中共城关镇新华村{group}支部委员会",
                            BR,
                            Sector.VILLAGE.value,
                            rng.randint(28, 44),
                            ages=village_ages,
                            female=0.25,
                        )
                        for group in ("第一", "第二", "第三")
                    ],
                )
            )
        if town == "柳河乡":
            # A small, remote village: five members, a secretary and a deputy only (R-ORG-2).
            children.append(
                _Spec(
                    "中共柳河乡岩头村支部委员会",
                    BR,
                    Sector.VILLAGE.value,
                    6,
                    probationary=1,
                    ages=village_ages,
                )
            )
        townships.append(
            _Spec(
                f"中共{town}委员会",
                PC,
                Sector.TOWNSHIP.value,
                11 + index % 3,
                committee_size=9 if index % 2 == 0 else 7,
                children=children,
                female=0.3,
            )
        )

    organs = [
        _Spec(name, BR, Sector.STATE_ORGAN.value, size, female=0.42, probationary=0 if size < 8 else None)
        for name, size in STATE_ORGANS
    ]
    # Deliberately out of line (R-ORG): nine full members and no branch committee ...
    organs.append(
        _Spec(
            "中共示范县自然资源局支部委员会",
            BR,
            Sector.STATE_ORGAN.value,
            10,
            probationary=1,
            secretary_only=True,
            female=0.3,
        )
    )
    # ... and a branch with only two full members (R-ORG-1).
    organs.append(_Spec("中共示范县档案馆支部", BR, Sector.STATE_ORGAN.value, 3, probationary=1, female=0.6))
    # The working committee of county organs leads the organs' branches; its own roster is small,
    # so it is recorded in the "other" sector (R-ORG-3 sizes apply to the organs themselves).
    organs_committee = _Spec(
        "中共示范县直属机关工作委员会", PC, Sector.OTHER.value, 9, committee_size=7, children=organs
    )

    school = _Spec(
        "中共示范县第一中学委员会",
        PC,
        Sector.SCHOOL.value,
        8,
        committee_size=5,
        female=0.5,
        children=[
            _Spec(f"中共示范县第一中学{name}支部委员会", BR, Sector.SCHOOL.value, size, female=0.5)
            for name, size in (
                ("高一年级", rng.randint(16, 24)),
                ("高二年级", rng.randint(16, 24)),
                ("高三年级", rng.randint(18, 26)),
                ("行政后勤", rng.randint(10, 16)),
            )
        ]
        + [
            _Spec(
                "中共示范县第一中学离退休教师支部委员会",
                BR,
                Sector.SCHOOL.value,
                rng.randint(20, 30),
                ages=retired_ages,
                probationary=0,
                female=0.45,
            )
        ],
    )
    primary = _Spec(
        "中共示范县实验小学总支部委员会",
        GB,
        Sector.SCHOOL.value,
        6,
        committee_size=5,
        female=0.65,
        children=[
            _Spec(
                f"中共示范县实验小学{name}支部委员会",
                BR,
                Sector.SCHOOL.value,
                rng.randint(11, 19),
                female=0.7,
            )
            for name in ("第一", "第二")
        ],
    )
    enterprise = _Spec(
        "中共示范县城市建设投资集团有限公司委员会",
        PC,
        Sector.ENTERPRISE.value,
        9,
        committee_size=7,
        female=0.25,
        children=[
            _Spec("中共示范县城投集团机关支部委员会", BR, Sector.ENTERPRISE.value, rng.randint(20, 28)),
            _Spec(
                "中共示范县城投集团建设工程公司支部委员会", BR, Sector.ENTERPRISE.value, rng.randint(25, 40)
            ),
            _Spec("中共示范县城投集团水务公司支部委员会", BR, Sector.ENTERPRISE.value, rng.randint(15, 25)),
            _Spec(
                "中共示范县城投集团物业服务公司支部委员会", BR, Sector.ENTERPRISE.value, rng.randint(9, 14)
            ),
            # Deliberately out of line (R-ORG-1): a branch that has grown past 50 members.
            _Spec("中共示范县城投集团生产车间支部委员会", BR, Sector.ENTERPRISE.value, 58, female=0.2),
        ],
    )
    hospital = _Spec(
        "中共示范县人民医院委员会",
        PC,
        Sector.INSTITUTION.value,
        8,
        committee_size=7,
        female=0.55,
        children=[
            _Spec(f"中共示范县人民医院{name}支部委员会", BR, Sector.INSTITUTION.value, size, female=f)
            for name, size, f in (
                ("内科", rng.randint(22, 32), 0.5),
                ("外科", rng.randint(22, 32), 0.35),
                ("医技", rng.randint(14, 22), 0.5),
                ("护理", rng.randint(26, 40), 0.95),
                ("行政后勤", rng.randint(12, 18), 0.45),
            )
        ],
    )
    communities = []
    for community, grids in (("城东社区", 4), ("城西社区", 3)):
        children = [
            _Spec(
                f"中共{COUNTY}{community}第{'一二三四'[g]}网格支部委员会",
                BR,
                Sector.COMMUNITY.value,
                rng.randint(15, 30),
                ages=(25, 85, 50),
                female=0.45,
            )
            for g in range(grids)
        ]
        children.append(
            _Spec(
                f"中共{COUNTY}{community}离退休党员支部委员会",
                BR,
                Sector.COMMUNITY.value,
                rng.randint(25, 45),
                ages=retired_ages,
                probationary=0,
                female=0.4,
            )
        )
        children.append(
            _Spec(
                f"中共{COUNTY}{community}物业企业联合支部委员会",
                BR,
                Sector.COMMUNITY.value,
                rng.randint(8, 13),
                female=0.4,
            )
        )
        communities.append(
            _Spec(
                f"中共{COUNTY}{community}委员会",
                PC,
                Sector.COMMUNITY.value,
                9,
                committee_size=7,
                female=0.5,
                children=children,
            )
        )
    two_new = _Spec(
        "中共示范县非公有制经济组织和社会组织综合委员会",
        PC,
        Sector.OTHER.value,
        7,
        committee_size=5,
        children=[
            _Spec("中共示范县恒通物流有限公司支部委员会", BR, Sector.ENTERPRISE.value, rng.randint(9, 15)),
            _Spec("中共示范县绿源农业科技有限公司支部", BR, Sector.ENTERPRISE.value, 5, probationary=0),
            _Spec("中共示范县律师行业支部委员会", BR, Sector.OTHER.value, rng.randint(10, 16), female=0.45),
            _Spec("中共示范县个体私营企业协会支部委员会", BR, Sector.OTHER.value, rng.randint(12, 20)),
        ],
    )
    return _Spec(
        f"中共{COUNTY}委员会",
        PC,
        Sector.OTHER.value,
        13,
        committee_size=9,
        state=TermState.IN_TERM,  # the root has no upper level to approve a delay
        children=[*townships, organs_committee, school, primary, enterprise, hospital, *communities, two_new],
    )


# Term states forced on named organizations so that each appears whatever the random draw.
FORCED_STATES = {
    "中共城关镇东关村支部委员会": TermState.DUE_SOON,
    "中共青山镇委员会": TermState.DUE_SOON,
    "中共柳河乡委员会": TermState.OVERDUE,
    "中共示范县统计局支部": TermState.OVERDUE,
    "中共石桥镇石桥村支部委员会": TermState.DELAYED,
    "中共示范县人民医院外科支部委员会": TermState.DELAYED,
    "中共白沙镇沙坪村支部委员会": TermState.DELAY_LIMIT_NEAR,
    "中共示范县城投集团水务公司支部委员会": TermState.DELAY_LIMIT_NEAR,
    "中共示范县城西社区委员会": TermState.ADVANCED,
    "中共示范县第一中学高三年级支部委员会": TermState.ADVANCED,
    "中共城关镇委员会": TermState.IN_TERM,
    "中共示范县直属机关工作委员会": TermState.IN_TERM,
}
STATE_WEIGHTS = {
    TermState.IN_TERM: 62,
    TermState.DUE_SOON: 12,
    TermState.OVERDUE: 9,
    TermState.DELAYED: 7,
    TermState.DELAY_LIMIT_NEAR: 3,
    TermState.ADVANCED: 7,
}

# --- people --------------------------------------------------------------------------------

# Common surnames, roughly by frequency (the first ones are drawn more often).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = [max(1.0, 80.0 / (1 + i * 0.35)) for i in range(len(SURNAMES))]
MALE_GIVEN = (
    "伟强军勇磊涛斌杰明刚平辉鹏华飞鑫波超宇浩凯建国志峰亮林海东文德忠福生春成荣兵新俊龙江山金贵祥光永武"
)
FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀英华玉兰萍红梅琳婷雪慧燕洁玲桂莉倩佳颖凤琴云珍月芬淑惠晶丹"
OLD_MALE_NAMES = [
    "建国",
    "国庆",
    "建华",
    "卫国",
    "国强",
    "振华",
    "德明",
    "文华",
    "志刚",
    "永福",
    "长林",
    "新民",
]
OLD_FEMALE_NAMES = [
    "秀英",
    "桂英",
    "玉兰",
    "秀兰",
    "凤英",
    "桂兰",
    "淑珍",
    "玉珍",
    "秀珍",
    "桂芳",
    "素芬",
    "春梅",
]
ETHNICITIES = ["回族", "壮族", "满族", "土家族", "苗族", "蒙古族", "彝族", "瑶族", "侗族"]
# Administrative division codes for ID numbers: mostly the county itself, some members born elsewhere.
HOME_AREA = "362321"
OTHER_AREAS = ["362302", "362322", "362323", "360102", "360111", "430104", "440304", "330106", "350203"]


class _People:
    """Draws names, dates, phones and unique ID numbers from one seeded generator."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def name(self, gender: str, birth_year: int) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        if birth_year < 1965 and rng.random() < 0.35:
            return surname + rng.choice(OLD_MALE_NAMES if gender == "男" else OLD_FEMALE_NAMES)
        chars = MALE_GIVEN if gender == "男" else FEMALE_GIVEN
        if rng.random() < 0.3:
            return surname + rng.choice(chars)
        return surname + rng.choice(chars) + rng.choice(chars)

    def id_number(self, birth: date, gender: str) -> str:
        rng = self.rng
        area = HOME_AREA if rng.random() < 0.85 else rng.choice(OTHER_AREAS)
        while True:
            # The 17th digit is odd for men and even for women.
            sequence = f"{rng.randint(0, 99):02d}{rng.choice('13579' if gender == '男' else '02468')}"
            first17 = f"{area}{birth:%Y%m%d}{sequence}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        rng = self.rng
        while True:
            number = rng.choice(["13", "15", "17", "18", "19"]) + f"{rng.randint(0, 999_999_999):09d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def member(self, org: Organization, spec: _Spec, probationary: bool) -> Member:
        rng, today = self.rng, self.today
        gender = "女" if rng.random() < spec.female else "男"
        low, high, mode = spec.ages
        # Newly admitted (probationary) members are mostly young.
        age = rng.uniform(20, 40) if probationary else rng.triangular(low, high, mode)
        birth = today - timedelta(days=int(age * 365.25) + rng.randint(0, 364))
        eighteen = add_months(birth, 12 * 18)
        if probationary:
            joined = today - timedelta(days=rng.randint(20, 350))
            full_on = None
        else:
            # Joined between 18 and 45 (and at least a year ago); full membership a year later.
            latest = min(add_months(birth, 12 * 45), add_months(today, -13))
            span = max(0, (latest - eighteen).days)
            joined = eighteen + timedelta(days=int(span * rng.random() ** 1.3))
            full_on = add_months(joined, 12)
        ethnicity = "汉族" if rng.random() < 0.9 else rng.choice(ETHNICITIES)
        return Member(
            organization=org,
            name=self.name(gender, birth.year),
            gender=gender,
            ethnicity=ethnicity,
            birth_date=birth,
            joined_on=joined,
            full_member_on=full_on,
            status=MembershipStatus.PROBATIONARY.value if probationary else MembershipStatus.FULL.value,
            phone=self.phone(),
            id_number=self.id_number(birth, gender),
        )


# --- committees and terms -----------------------------------------------------------------

BRANCH_POSTS = ["secretary", "organization", "propaganda", "discipline", "youth"]
BRANCH_POSTS_5 = ["secretary", "deputy_secretary", "organization", "propaganda", "discipline"]
PARTY_POSTS = [
    "secretary",
    "deputy_secretary",
    "deputy_secretary",
    "organization",
    "propaganda",
    "discipline",
    "united_front",
    "women",
    "member",
]
GENERAL_BRANCH_POSTS = [
    "secretary",
    "deputy_secretary",
    "organization",
    "propaganda",
    "discipline",
    "youth",
    "women",
]


def _posts(spec: _Spec, full_members: int) -> tuple[list[str], bool]:
    """The posts of the organization's current body and whether it is a committee (R-ORG-2/3)."""
    if spec.kind == PC:
        size = spec.committee_size or 7
        posts = PARTY_POSTS[:size] if size > 5 else ["secretary", "deputy_secretary", *PARTY_POSTS[3:6]]
        return posts, True
    if spec.kind == GB:
        return GENERAL_BRANCH_POSTS[: spec.committee_size or 5], True
    if spec.secretary_only or full_members < MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE:
        # A secretary and, where there are enough members, one deputy (R-ORG-2).
        return (["secretary", "deputy_secretary"] if full_members >= 5 else ["secretary"]), False
    return (BRANCH_POSTS_5 if full_members >= 20 else BRANCH_POSTS[:3]), True


def _elected_on(state: TermState, years: int, today: date, rng: random.Random) -> tuple[date, date | None]:
    """An election date (and an approved re-election date) that puts a term in ``state`` on ``today``.

    The term end is computed by the rules exactly as ``actions.record_committee`` does (R-TERM-1);
    approved dates stay within one year of it (R-TERM-2).
    """

    def elected_for_end(end: date) -> date:
        return add_months(end, -12 * years)

    for _ in range(20):
        approved: date | None = None
        if state is TermState.IN_TERM:
            elected = add_months(today, -rng.randint(2, 12 * years - 8)) - timedelta(days=rng.randint(0, 25))
        elif state is TermState.DUE_SOON:
            elected = elected_for_end(today + timedelta(days=rng.randint(8, 170)))
        elif state is TermState.OVERDUE:
            elected = elected_for_end(today - timedelta(days=rng.randint(10, 330)))
        elif state is TermState.DELAYED:
            end = today - timedelta(days=rng.randint(5, 120))
            elected = elected_for_end(end)
            approved = add_months(term_end(elected, years), 12) - timedelta(days=rng.randint(0, 20))
        elif state is TermState.DELAY_LIMIT_NEAR:
            # Delayed by the full year the rules allow, and that year is running out.
            end = today - timedelta(days=rng.randint(200, 320))
            elected = elected_for_end(end)
            approved = add_months(term_end(elected, years), 12)
        else:  # ADVANCED
            end = today + timedelta(days=rng.randint(150, 320))
            elected = elected_for_end(end)
            approved = today + timedelta(days=rng.randint(20, 110))
        if term_status(elected, years, today, approved).state is state and elected <= today:
            return elected, approved
    raise AssertionError(f"no election date gives {state}")  # pragma: no cover


DELAY_REASONS = [
    "按照县委统一部署，与村（社区）“两委”换届同步进行，经批准延期换届",
    "单位机构改革尚未完成，班子人选待定，经批准延期换届",
    "防汛救灾任务繁重，经批准延期换届",
]
ADVANCE_REASONS = [
    "班子成员调整较多，为配合县乡换届统一部署，经批准提前换届",
    "所在单位合并重组，经批准提前换届",
]


DOCUMENT_PREFIXES = {
    "中共示范县直属机关工作委员会": "示直机党字",
    "中共示范县第一中学委员会": "示一中党字",
    "中共示范县实验小学总支部委员会": "示实小党字",
    "中共示范县城市建设投资集团有限公司委员会": "示城投党字",
    "中共示范县人民医院委员会": "示医院党字",
    "中共示范县非公有制经济组织和社会组织综合委员会": "示非公党字",
}


def _document(approver: Organization, year: int, number: int) -> str:
    """A reply's document number, e.g. 示组字〔2026〕3号 from the county, 城关党字〔2026〕4号 below."""
    if approver.depth == 1:
        prefix = "示组字"
    else:
        short = approver.name.removeprefix("中共").removeprefix(COUNTY)[:2]
        prefix = DOCUMENT_PREFIXES.get(approver.name, f"{short}党字")
    return f"{prefix}〔{year}〕{number}号"


# --- the load ------------------------------------------------------------------------------

ACCOUNTS = [
    # username, role, where (organization name), description
    ("county_org", Role.ORGANIZATION_DEPARTMENT, "中共示范县委员会", "县委组织部（组织部门）"),
    ("town_org", Role.ORGANIZATION_DEPARTMENT, "中共城关镇委员会", "城关镇党委组织委员（组织部门）"),
    ("branch_sec", Role.SECRETARY, "中共城关镇东关村支部委员会", "城关镇东关村党支部书记"),
    ("inspector", Role.INSPECTOR, "中共示范县委员会", "县纪委监委（纪检监督）"),
    ("member", Role.MEMBER, "中共城关镇东关村支部委员会", "东关村党支部党员"),
    ("counter", Role.COUNTER, "中共城关镇东关村支部委员会", "东关村党支部计票人"),
    ("scrutineer", Role.SCRUTINEER, "中共城关镇东关村支部委员会", "东关村党支部监票人"),
]


def _create_tree(root_spec: _Spec) -> dict[str, Organization]:
    """Create the organizations with treebeard's own add_root/add_child (about a hundred nodes).

    Siblings are added in name order so that each new node goes last among them (the model keeps
    children sorted by name); the nodes are read back afterwards, so the paths are treebeard's.
    """
    root = Organization.objects.add_root(
        create_kwargs={"name": root_spec.name, "kind": root_spec.kind, "sector": root_spec.sector}
    )
    pending: list[tuple[int, _Spec]] = [(root.pk, root_spec)]
    while pending:
        parent_pk, spec = pending.pop(0)
        parent = Organization.objects.get(pk=parent_pk)
        for child in sorted(spec.children, key=lambda s: s.name):
            node = Organization.objects.add_child(
                parent, create_kwargs={"name": child.name, "kind": child.kind, "sector": child.sector}
            )
            parent.refresh_from_db()
            pending.append((node.pk, child))
    return {org.name: org for org in Organization.objects.all()}


def _walk(spec: _Spec) -> list[_Spec]:
    out = [spec]
    for child in spec.children:
        out.extend(_walk(child))
    return out


def _parent_name(specs: Sequence[_Spec]) -> dict[str, str]:
    return {child.name: spec.name for spec in specs for child in spec.children}


@transaction.atomic
def load_demo(today: date | None = None) -> DemoSummary:
    """Load the demo county into an empty database and return what to print for the user."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    root_spec = _county_tree(rng)
    specs = _walk(root_spec)
    parents = _parent_name(specs)
    orgs = _create_tree(root_spec)

    # Approved committee sizes for party committees and general branches (R-ORG-4).
    for spec in specs:
        if spec.committee_size is not None:
            orgs[spec.name].approved_committee_size = spec.committee_size
    Organization.objects.bulk_update(list(orgs.values()), ["approved_committee_size"])

    # Members, in bulk.
    people = _People(rng, today)
    rosters: dict[str, list[Member]] = {}
    for spec in specs:
        org = orgs[spec.name]
        if spec.probationary is not None:
            probationary = spec.probationary
        elif spec.kind == BR and spec.size >= 8:
            probationary = sum(1 for _ in range(spec.size) if rng.random() < 0.065)
        else:  # the rosters of party committees and general branches are their committee members
            probationary = 0
        flags = [True] * probationary + [False] * (spec.size - probationary)
        rng.shuffle(flags)
        rosters[spec.name] = [people.member(org, spec, flag) for flag in flags]
    Member.objects.bulk_create([m for roster in rosters.values() for m in roster], batch_size=1000)
    recount_members(orgs.values())
    orgs = {org.name: org for org in Organization.objects.all()}

    # Restrictions (R-VOTE-3/4): a few members under 留党察看, one held under 留置. None of them
    # holds a seat.
    restricted: set[int] = set()
    restrictions: list[Restriction] = []
    for org_name, kind, days_ago, years, document in (
        ("中共青山镇桃园村支部委员会", RestrictionKind.PROBATION_WITHIN_PARTY, 120, 1, "示纪发〔{y}〕7号"),
        (
            "中共示范县城投集团建设工程公司支部委员会",
            RestrictionKind.PROBATION_WITHIN_PARTY,
            300,
            2,
            "示纪发〔{y}〕12号",
        ),
        ("中共石桥镇张湾村支部委员会", RestrictionKind.PROBATION_WITHIN_PARTY, 40, 1, "示纪发〔{y}〕21号"),
        ("中共示范县财政局支部委员会", RestrictionKind.DETENTION, 35, 0, "示监留〔{y}〕2号"),
    ):
        member = next(m for m in reversed(rosters[org_name]) if m.is_full)
        start = today - timedelta(days=days_ago)
        end = add_months(start, 12 * years) if years else None
        restrictions.append(
            Restriction(
                member=member, kind=kind.value, start=start, end=end, document=document.format(y=start.year)
            )
        )
        restricted.add(member.pk)
    Restriction.objects.bulk_create(restrictions)

    # Current committees with their seats, and the approved adjustments (R-TERM-1/2).
    committees: list[Committee] = []
    seat_posts: list[tuple[Committee, list[tuple[Member, str]]]] = []
    approvals: list[tuple[Committee, date, str]] = []
    for spec in specs:
        org = orgs[spec.name]
        eligible = [m for m in rosters[spec.name] if m.is_full and m.pk not in restricted]
        posts, has_committee = _posts(spec, org.full_member_count)
        state = spec.state or FORCED_STATES.get(spec.name)
        if state is None:
            state = rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]
        years = term_years(org.kind_enum, org.sector_enum)  # R-TERM-1
        elected, approved = _elected_on(state, years, today, rng)
        committee = Committee(
            organization=org,
            elected_on=elected,
            term_years=years,
            is_current=True,
            has_committee=has_committee,
        )
        set_term_dates(committee, approved)  # as actions.record_committee/record_term_adjustment do
        if approved is not None:
            assert adjustment_problem(committee.term_end, approved) is None  # R-TERM-2: within one year
            approvals.append((committee, approved, parents[spec.name]))
        committees.append(committee)
        # Older members more often hold the chair; pick seat holders from the eligible members.
        chosen = rng.sample(eligible, len(posts))
        chosen.sort(key=lambda m: m.birth_date)
        seat_posts.append((committee, list(zip(chosen, posts, strict=True))))
    Committee.objects.bulk_create(committees)
    CommitteeSeat.objects.bulk_create(
        [
            CommitteeSeat(committee=committee, member=member, post=post)
            for committee, seats in seat_posts
            for member, post in seats
        ]
    )
    adjustments = []
    for number, (committee, approved, approver_name) in enumerate(approvals, start=3):
        approver = orgs[approver_name]
        delay = approved > committee.term_end
        approved_on = min(
            today - timedelta(days=rng.randint(10, 40)), committee.term_end - timedelta(days=20)
        )
        if not delay:
            approved_on = today - timedelta(days=rng.randint(5, 40))
        adjustments.append(
            TermAdjustment(
                committee=committee,
                kind="delay" if delay else "advance",
                new_date=approved,
                approved_on=approved_on,
                approved_by=approver,
                document=_document(approver, approved_on.year, number),
                reason=rng.choice(DELAY_REASONS if delay else ADVANCE_REASONS),
            )
        )
    TermAdjustment.objects.bulk_create(adjustments)

    # A few reminders already sent by the upper level (R-TERM-3), some of them read.
    reminders = []
    by_org = {c.organization_id: c for c in committees}
    for index, name in enumerate(
        [
            "中共城关镇东关村支部委员会",
            "中共青山镇委员会",
            "中共柳河乡委员会",
            "中共城关镇南街村支部委员会",
            "中共示范县城西社区委员会",
        ]
    ):
        org, sender = orgs[name], orgs[parents[name]]
        committee = by_org[org.pk]
        sent_on = today - timedelta(days=7 + 11 * index)
        sent_at = timezone.make_aware(datetime.combine(sent_on, time(9, 30)))
        reminders.append(
            Reminder(
                organization=org,
                sent_by=sender,
                sent_at=sent_at,
                sender_name="county_org" if sender.depth == 1 else "town_org",  # their accounts
                due=committee.reelection_due,
                message=f"你单位本届委员会应于{committee.reelection_due:%Y年%m月%d日}前换届，请提前做好换届选举准备工作，按期向上级请示。",
                read_at=sent_at + timedelta(days=1, hours=3) if index % 2 == 0 else None,
            )
        )
    Reminder.objects.bulk_create(reminders)

    # Demo accounts, one shared password.
    secretaries = {
        c.organization_id: m.name for c, seats in seat_posts for m, post in seats if post == "secretary"
    }
    accounts: list[tuple[str, str]] = []
    for username, role, org_name, description in ACCOUNTS:
        org = orgs[org_name]
        if role == Role.SECRETARY:
            display = secretaries[org.pk]
        elif role in (Role.MEMBER, Role.COUNTER, Role.SCRUTINEER):
            display = rosters[org_name][len(accounts)].name  # a different member for each
        else:
            display = description.split("（")[0]
        User.objects.create_user(
            username, password=PASSWORD, organization=org, role=role.value, display_name=display
        )
        accounts.append((username, description))

    members = sum(len(r) for r in rosters.values())
    after: dict[str, Any] = {
        "today": today.isoformat(),
        "seed": SEED,
        "organizations": len(orgs),
        "members": members,
        "committees": len(committees),
        "seats": sum(len(s) for _, s in seat_posts),
        "adjustments": len(adjustments),
        "restrictions": len(restrictions),
        "reminders": len(reminders),
        "accounts": [username for username, _ in accounts],
    }
    root = orgs[root_spec.name]
    record(
        "system",
        "load_demo",
        root,
        after=after,
        summary=f"载入演示数据：{len(orgs)} 个党组织，{members} 名党员，{len(accounts)} 个演示账号",
    )
    return DemoSummary(organizations=len(orgs), members=members, password=PASSWORD, accounts=accounts)
