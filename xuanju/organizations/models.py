"""Organizations, members, committees and terms (党组织、党员、委员会与任期)."""

from __future__ import annotations

from django.db import models
from treebeard.mp_tree import MP_Node

from xuanju.rules.terms import OrganizationKind, Sector
from xuanju.rules.voting import MembershipStatus, RestrictionKind

KIND_CHOICES = [
    (OrganizationKind.PARTY_COMMITTEE.value, "党委"),
    (OrganizationKind.GENERAL_BRANCH.value, "党总支"),
    (OrganizationKind.BRANCH.value, "党支部"),
]
SECTOR_CHOICES = [
    (Sector.VILLAGE.value, "村"),
    (Sector.COMMUNITY.value, "社区"),
    (Sector.TOWNSHIP.value, "乡镇"),
    (Sector.STATE_ORGAN.value, "机关"),
    (Sector.ENTERPRISE.value, "企业"),
    (Sector.SCHOOL.value, "学校"),
    (Sector.INSTITUTION.value, "事业单位"),
    (Sector.OTHER.value, "其他"),
]


class Organization(MP_Node):
    """A grassroots organization (党的基层组织) in the tree: party committee, general branch or branch."""

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=KIND_CHOICES)
    sector = models.CharField("领域", max_length=20, choices=SECTOR_CHOICES, default=Sector.OTHER.value)
    approved_committee_size = models.PositiveSmallIntegerField(
        "批准的委员会职数", null=True, blank=True, help_text="上级批准的下届委员会委员名额（R-ORG-4）"
    )
    has_standing_committee = models.BooleanField(
        "设常务委员会", default=False, help_text="设常委会的党委，委员会一般 15 至 21 人（R-ORG-4）"
    )
    kind_approval = models.CharField(
        "设置批准文号",
        max_length=100,
        blank=True,
        help_text="经上级批准按例外设置的（如党员不足 50 人的机关党总支），登记批准文号（R-ORG-4）",
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    # Denormalized counts kept by the actions that move members (actions.recount_members) and
    # organizations (actions.move_organization), so that the tree and the monitor show R-ORG
    # findings for thousands of organizations without counting rows on every page.
    full_member_count = models.PositiveIntegerField("本组织正式党员数", default=0)
    member_count = models.PositiveIntegerField("本组织党员数", default=0)
    subtree_full_member_count = models.PositiveIntegerField("正式党员数（含下级）", default=0)
    subtree_member_count = models.PositiveIntegerField("党员数（含下级）", default=0)

    node_order_by = ["name"]

    class Meta:
        verbose_name = verbose_name_plural = "党组织"
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_enum(self) -> OrganizationKind:
        return OrganizationKind(self.kind)

    @property
    def sector_enum(self) -> Sector:
        return Sector(self.sector)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def ancestor_paths(self) -> list[str]:
        """Materialized paths of every organization above this one, root first."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth)]


GENDER_CHOICES = [("男", "男"), ("女", "女")]
STATUS_CHOICES = [
    (MembershipStatus.FULL.value, "正式党员"),
    (MembershipStatus.PROBATIONARY.value, "预备党员"),
]


class MemberQuerySet(models.QuerySet["Member"]):
    def on_roll(self) -> MemberQuerySet:
        """Members still on the roll (in册): not transferred out, not deceased."""
        return self.filter(left_on__isnull=True)

    def within(self, *organizations: Organization) -> MemberQuerySet:
        """Members of ``organizations`` and of the organizations beneath them."""
        subtrees = models.Q(pk__in=[])
        for org in organizations:
            subtrees |= models.Q(organization__path__startswith=org.path)
        return self.filter(subtrees)


class Member(models.Model):
    """A Party member on an organization's roster (党员)."""

    objects = MemberQuerySet.as_manager()

    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="members", verbose_name="所在党组织"
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=2, choices=GENDER_CHOICES)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    joined_on = models.DateField("入党日期")
    full_member_on = models.DateField("转正日期", null=True, blank=True)
    status = models.CharField("党员类别", max_length=20, choices=STATUS_CHOICES)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    left_on = models.DateField("离开日期", null=True, blank=True, help_text="转出本系统或去世等，不再在册")
    # Profile columns kept by the national Party-member information system (全国党员管理信息系统);
    # free text as the county's files write them, shown on the roster and used for the structure of
    # candidate lists (education, front line, post).
    education = models.CharField("学历", max_length=30, blank=True)
    occupation = models.CharField("职业", max_length=50, blank=True)
    front_line = models.CharField("一线情况", max_length=50, blank=True)
    job_title = models.CharField("工作单位及职务", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        ordering = ["organization", "name"]
        indexes = [models.Index(fields=["organization", "status"]), models.Index(fields=["name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="member_id_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="probationary") | models.Q(full_member_on__isnull=False),
                name="full_member_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_full(self) -> bool:
        return self.status == MembershipStatus.FULL.value


RESTRICTION_CHOICES = [
    (RestrictionKind.PROBATION_WITHIN_PARTY.value, "留党察看"),
    (RestrictionKind.DETENTION.value, "留置"),
    (RestrictionKind.ARREST.value, "被逮捕"),
]


class Restriction(models.Model):
    """A period in which a member's rights are removed or suspended (R-VOTE-3/4)."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="restrictions", verbose_name="党员")
    kind = models.CharField("类型", max_length=30, choices=RESTRICTION_CHOICES)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="未结束的留空")
    document = models.CharField("决定文号", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "权利限制"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="restriction_order",
            )
        ]


class Transfer(models.Model):
    """A member moving from one organization to another (组织关系转接)."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="transfers", verbose_name="党员")
    from_organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="转出组织"
    )
    to_organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="转入组织"
    )
    on = models.DateField("转接日期")

    class Meta:
        verbose_name = verbose_name_plural = "组织关系转接"
        ordering = ["-on", "-id"]


class Committee(models.Model):
    """An organization's elected committee for one term (委员会, 届), or its secretary alone.

    ``term_end``, ``reelection_due`` and ``remind_from`` are stored from the rules (R-TERM-1/2/3,
    :func:`xuanju.rules.terms.term_dates`) whenever the committee or its adjustment changes, so the
    re-election monitor compares stored dates with today in the database.
    """

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="committees", verbose_name="党组织"
    )
    elected_on = models.DateField("选举日期")
    term_years = models.PositiveSmallIntegerField("任期（年）")
    term_end = models.DateField("届满日期")
    reelection_due = models.DateField("应换届日期", db_index=True)
    remind_from = models.DateField("提醒起始日期", help_text="应换届日期前 6 个月（R-TERM-3）")
    is_current = models.BooleanField("本届", default=True)
    has_committee = models.BooleanField("设委员会", default=True, help_text="不设委员会的只设书记（R-ORG-2）")

    class Meta:
        verbose_name = verbose_name_plural = "委员会"
        ordering = ["-elected_on"]
        indexes = [
            # The re-election monitor reads current committees by due date; benchmarks/monitor.py
            # measured its list query at 100,000 organizations going from 19 ms to 0.2 ms with this
            # partial index (INCLUDE is PostgreSQL's; SQLite keeps the plain partial index).
            models.Index(
                fields=["reelection_due"],
                include=["term_end", "remind_from", "organization"],
                condition=models.Q(is_current=True),
                name="committee_current_due_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(is_current=True), name="one_current_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.elected_on:%Y年%m月}选举）"

    def size(self) -> int:
        return self.seats.count()


POST_CHOICES = [
    ("secretary", "书记"),
    ("deputy_secretary", "副书记"),
    ("organization", "组织委员"),
    ("propaganda", "宣传委员"),
    ("discipline", "纪检委员"),
    ("youth", "青年委员"),
    ("women", "妇女委员"),
    ("united_front", "统战委员"),
    ("member", "委员"),
]


SEAT_SOURCE_CHOICES = [("elected", "选举产生"), ("by_elected", "补选产生"), ("appointed", "上级指派")]


class CommitteeSeat(models.Model):
    """One member of a committee and their post."""

    committee = models.ForeignKey(Committee, models.CASCADE, related_name="seats", verbose_name="委员会")
    member = models.ForeignKey(Member, models.PROTECT, related_name="committee_seats", verbose_name="党员")
    post = models.CharField("职务", max_length=20, choices=POST_CHOICES)
    # How the seat was filled between elections (xuanju.organizations.vacancies): elected with the
    # committee, by-elected (补选) or appointed (指派) by the upper level, and since when.
    source = models.CharField("产生方式", max_length=20, choices=SEAT_SOURCE_CHOICES, default="elected")
    since = models.DateField(
        "任职日期", null=True, blank=True, help_text="补选或指派的日期；空：随委员会选举"
    )
    decision = models.CharField("决定文号", max_length=100, blank=True, help_text="指派的上级决定文号")

    class Meta:
        verbose_name = verbose_name_plural = "委员会成员"
        constraints = [models.UniqueConstraint(fields=["committee", "member"], name="one_seat_per_member")]


ADJUSTMENT_CHOICES = [("delay", "延期换届"), ("advance", "提前换届")]


class TermAdjustment(models.Model):
    """The upper level's approval to delay or advance a re-election (R-TERM-2)."""

    committee = models.ForeignKey(
        Committee, models.CASCADE, related_name="adjustments", verbose_name="委员会"
    )
    kind = models.CharField("类型", max_length=10, choices=ADJUSTMENT_CHOICES)
    new_date = models.DateField("批准的换届日期")
    approved_on = models.DateField("批准日期")
    approved_by = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="批准机关")
    document = models.CharField("批复文号", max_length=100)
    document_file = models.FileField(
        "批复文件",
        upload_to="term_adjustments/%Y/",
        blank=True,
        help_text="批复的扫描件或电子文件（PDF、图片）",
    )
    reason = models.TextField("理由")
    exceptional = models.BooleanField("特殊批准（超过一年）", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "延期或提前换届批复"
        ordering = ["-approved_on", "-id"]


class Reminder(models.Model):
    """A reminder from the upper level that a re-election is due (R-TERM-3)."""

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="reminders", verbose_name="被提醒组织"
    )
    sent_by = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="发出组织")
    sent_at = models.DateTimeField("发出时间")
    sender_name = models.CharField("发出人", max_length=150)
    due = models.DateField("应换届日期")
    message = models.TextField("内容")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "换届提醒"
        ordering = ["-sent_at"]


# Vacancies and the history of changes to a sitting committee (issue 22) live in their own module.
from xuanju.organizations.models_between import CommitteeChange, Vacancy  # noqa: E402, F401
