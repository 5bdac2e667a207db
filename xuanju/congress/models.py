"""A delegates' congress (党员代表大会): its quota and allocation, the units' elections of delegates,
the credentials review and the preparatory meeting (R-DEL-1..6).

The dependency runs congress → elections: a ``Congress`` belongs to the committee election held at
the congress, and ``UnitElection`` maps each electoral unit to the delegates election it holds.
Elections know nothing of congresses (they ask through ``xuanju.elections.hooks``).
"""

from __future__ import annotations

from django.db import models

from xuanju.organizations.models import Member, Organization


class Grounds(models.TextChoices):
    """Why the organization holds a congress instead of a members' meeting (R-DEL-1)."""

    MEMBERS_500 = "members_500", "党员人数 500 人以上"
    SCATTERED = "scattered", "所属党组织驻地分散"


class Congress(models.Model):
    """The congress at which the committee election (``election``, form congress) is held."""

    election = models.OneToOneField(
        "elections.Election", models.CASCADE, related_name="congress", verbose_name="换届选举"
    )
    delegates_total = models.PositiveSmallIntegerField(
        "代表名额", help_text="一般为 100 至 200 名，最多不超过 300 名（R-DEL-2）"
    )
    quota_reason = models.TextField(
        "代表名额超出 100 至 200 名的理由",
        blank=True,
        help_text="名额不在 100 至 200 名之间时须写明（R-DEL-2）",
    )
    base_per_unit = models.PositiveSmallIntegerField(
        "每个选举单位的基础名额",
        default=1,
        help_text="先给每个选举单位的名额，其余按正式党员人数分配（R-DEL-3）",
    )
    grounds = models.CharField("召开党员代表大会的理由", max_length=20, choices=Grounds.choices)
    grounds_note = models.TextField("具体情况", blank=True, help_text="如：所属党组织分布情况（R-DEL-1）")
    # Composition targets (R-DEL-3); a blank one is not checked.
    front_line_percent = models.PositiveSmallIntegerField(
        "生产和工作一线代表不少于（%）", null=True, blank=True
    )
    women_percent = models.PositiveSmallIntegerField("女性代表不少于（%）", null=True, blank=True)
    min_minorities = models.PositiveSmallIntegerField("少数民族代表至少（名）", null=True, blank=True)
    max_over_55_percent = models.PositiveSmallIntegerField("55 岁以上代表不超过（%）", null=True, blank=True)
    min_under_35 = models.PositiveSmallIntegerField("35 岁及以下代表至少（名）", null=True, blank=True)
    sectors = models.TextField(
        "各方面代表的构成", blank=True, help_text="如：机关、企业、农村、社区、学校各方面代表"
    )
    allocated_on = models.DateField("名额分配日期", null=True, blank=True)
    opening_decision = models.TextField(
        "以已确认的正式代表开会的决定",
        blank=True,
        help_text="个别选举单位来不及补选时，经组织者决定以已确认的正式代表召开大会（R-DEL-6）",
    )
    opening_decided_by = models.CharField("决定记录人", max_length=150, blank=True)
    proposed_by = models.CharField("提出人", max_length=150)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "党员代表大会"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delegates_total__lte=300), name="congress_quota_at_most_300"
            )
        ]

    def __str__(self) -> str:
        return f"{self.election.organization}党员代表大会"

    @property
    def organization(self) -> Organization:
        return self.election.organization


class ElectoralUnit(models.Model):
    """An electoral unit (选举单位): one subordinate organization or a group of them (R-DEL-3)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="units", verbose_name="党员代表大会")
    name = models.CharField("名称", max_length=200)
    position = models.PositiveSmallIntegerField("排列", default=0)
    organizations: models.ManyToManyField[Organization, models.Model] = models.ManyToManyField(
        Organization, related_name="+", verbose_name="所含党组织"
    )
    full_members = models.PositiveIntegerField("分配时的正式党员数", default=0)
    quota = models.DecimalField("按比例计算的名额（取整前）", max_digits=8, decimal_places=2, default=0)
    allocated = models.PositiveSmallIntegerField("分配名额", default=0)
    adjustment = models.SmallIntegerField("调整（±）", default=0)
    adjustment_reason = models.CharField("调整理由", max_length=300, blank=True)
    needs_reelection = models.BooleanField(
        "须重新选举", default=False, help_text="代表资格审查发现选举程序不符合规定（R-DEL-6）"
    )

    class Meta:
        verbose_name = verbose_name_plural = "选举单位"
        ordering = ["congress", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def seats(self) -> int:
        """The final seats: allocated plus the recorded adjustment."""
        return self.allocated + self.adjustment


class UnitElection(models.Model):
    """The delegates election a unit holds (R-DEL-4/5), or its re-election or by-election (R-DEL-6)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "选举代表"
        REELECTION = "reelection", "重新选举（程序不符合规定）"
        BY_ELECTION = "by_election", "补选（代表资格未通过）"

    unit = models.ForeignKey(ElectoralUnit, models.CASCADE, related_name="elections", verbose_name="选举单位")
    election = models.OneToOneField(
        "elections.Election", models.PROTECT, related_name="congress_unit", verbose_name="代表选举"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    seats = models.PositiveSmallIntegerField("应选代表名额")
    replaces: models.ManyToManyField[Delegate, models.Model] = models.ManyToManyField(
        "Delegate", blank=True, related_name="replaced_by", verbose_name="所替换的代表"
    )

    class Meta:
        verbose_name = verbose_name_plural = "选举单位的代表选举"
        ordering = ["unit", "pk"]


class DelegateStatus(models.TextChoices):
    ELECTED = "elected", "已当选，待资格审查"
    FORMAL = "formal", "正式代表"
    PROCEDURE_DEFECT = "procedure_defect", "选举程序不符合规定，须重新选举"
    INELIGIBLE = "ineligible", "不具备代表资格，须另行补选"
    REPLACED = "replaced", "已由重新选举或补选的代表替换"


#: Delegates who hold (or may still come to hold) a seat.
HOLDING = (DelegateStatus.ELECTED, DelegateStatus.FORMAL)


class Delegate(models.Model):
    """A delegate elected by a unit, and the credentials group's review (R-DEL-6)."""

    congress = models.ForeignKey(
        Congress, models.CASCADE, related_name="delegates", verbose_name="党员代表大会"
    )
    unit = models.ForeignKey(ElectoralUnit, models.PROTECT, related_name="delegates", verbose_name="选举单位")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+", verbose_name="党员")
    election = models.ForeignKey(
        "elections.Election", models.PROTECT, related_name="+", verbose_name="当选的代表选举"
    )
    round = models.ForeignKey(
        "elections.Round", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="当选轮次"
    )
    votes = models.PositiveIntegerField("得票", default=0)
    status = models.CharField(
        "资格", max_length=20, choices=DelegateStatus.choices, default=DelegateStatus.ELECTED
    )
    procedure_review = models.TextField("选举程序审查", blank=True)
    eligibility_review = models.TextField("代表资格审查", blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    reviewed_by = models.CharField("审查记录人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表"
        ordering = ["unit__position", "unit", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "member"], name="one_delegate_per_member_and_election"
            )
        ]

    def __str__(self) -> str:
        return self.member.name


class CredentialsGroupMember(models.Model):
    """A member of the credentials group (代表资格审查小组) named by the outgoing committee (R-DEL-6)."""

    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"
        MEMBER = "member", "成员"

    congress = models.ForeignKey(
        Congress, models.CASCADE, related_name="credentials_group", verbose_name="党员代表大会"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=10, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField("工作单位及职务", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表资格审查小组成员"
        ordering = ["congress", "pk"]


class PreparatoryMeeting(models.Model):
    """The preparatory meeting (预备会议) of the formal delegates before the congress opens."""

    congress = models.OneToOneField(
        Congress, models.CASCADE, related_name="preparatory_meeting", verbose_name="党员代表大会"
    )
    held_on = models.DateField("召开日期")
    agenda = models.TextField("大会议程")
    credentials_report_adopted = models.BooleanField("通过代表资格审查报告", default=False)
    presidium: models.ManyToManyField[Delegate, models.Model] = models.ManyToManyField(
        "Delegate", blank=True, related_name="+", verbose_name="主席团成员"
    )
    presidium_for = models.PositiveIntegerField("举手表决赞成", null=True, blank=True)
    presidium_against = models.PositiveIntegerField("举手表决反对", null=True, blank=True)
    presidium_abstain = models.PositiveIntegerField("举手表决弃权", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预备会议"


class Delegation(models.Model):
    """A delegation (代表团/代表组): a named group of units with a head."""

    congress = models.ForeignKey(
        Congress, models.CASCADE, related_name="delegations", verbose_name="党员代表大会"
    )
    name = models.CharField("名称", max_length=100)
    units = models.ManyToManyField(ElectoralUnit, related_name="delegations", verbose_name="所含选举单位")
    head = models.ForeignKey(
        Delegate, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="团（组）长"
    )

    class Meta:
        verbose_name = verbose_name_plural = "代表团（组）"
        ordering = ["congress", "pk"]
