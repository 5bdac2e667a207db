"""The shape of the demo county: its organizations, their kinds, sectors and roster sizes, and the
term states forced on some of them so that the re-election monitor shows every state (R-TERM-1/2/3)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from xuanju.rules.terms import OrganizationKind, Sector, TermState

COUNTY = "示范县"

PC = OrganizationKind.PARTY_COMMITTEE.value
GB = OrganizationKind.GENERAL_BRANCH.value
BR = OrganizationKind.BRANCH.value


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
