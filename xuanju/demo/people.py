"""The demo county's people: realistic (generated) names, dates, phones and unique ID numbers drawn
from one seeded generator."""

from __future__ import annotations

import random
from datetime import date, timedelta

from xuanju.demo.county_tree import _Spec
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.personal_data import id_check_digit
from xuanju.rules.terms import add_months
from xuanju.rules.voting import MembershipStatus

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
