"""What the choice of people rests on (R-CAND-1): a member's profile beyond the roster, the Party
disciplinary sanctions on record, and — per election — the upper level's conditions, the vetting of
each provisional candidate (考察) and the structure targets for the new committee."""

from __future__ import annotations

from django.db import models

from xuanju.organizations.models import Member


class Education(models.TextChoices):
    """Highest education, in the order conditions compare them (a condition "大专以上" admits the
    levels from COLLEGE upwards)."""

    PRIMARY = "primary", "初中及以下"
    HIGH_SCHOOL = "high_school", "高中、中专"
    COLLEGE = "college", "大学专科"
    BACHELOR = "bachelor", "大学本科"
    POSTGRADUATE = "postgraduate", "研究生"


class MemberProfile(models.Model):
    """The parts of a member's record that vetting and team structure need and the roster lacks."""

    member = models.OneToOneField(Member, models.CASCADE, related_name="profile", verbose_name="党员")
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(
        "职业（岗位）",
        max_length=30,
        blank=True,
        help_text="如：农民、工人、专业技术人员、企业管理人员、机关干部",
    )
    front_line = models.BooleanField("生产、工作一线", default=False)
    current_post = models.CharField("现任职务", max_length=100, blank=True)
    residence = models.CharField("居住地", max_length=100, blank=True, help_text="如：本村常住")
    resides_locally = models.BooleanField(
        "在本地居住", null=True, blank=True, help_text="上级要求“在本地居住”时据此判断；未登记的无法判断"
    )
    # 书记、主任“一肩挑”: the villagers' or residents' committee is elected by the residents, not by the
    # Party, so the system cannot know it from its own records; the campaign statistics count it.
    heads_residents_committee = models.BooleanField(
        "担任村（居）民委员会主任", default=False, help_text="经法定程序当选村民委员会或居民委员会主任"
    )

    class Meta:
        verbose_name = verbose_name_plural = "党员基本情况"


class Sanction(models.Model):
    """A Party disciplinary sanction on record (党纪处分), for conditions such as "近 N 年未受处分"."""

    class Kind(models.TextChoices):
        WARNING = "warning", "警告"
        SERIOUS_WARNING = "serious_warning", "严重警告"
        REMOVAL_FROM_POST = "removal_from_post", "撤销党内职务"
        PROBATION = "probation", "留党察看"

    member = models.ForeignKey(Member, models.CASCADE, related_name="sanctions", verbose_name="党员")
    kind = models.CharField("处分", max_length=20, choices=Kind.choices)
    decided_on = models.DateField("处分日期")
    document = models.CharField("处分决定文号", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "党纪处分"
        ordering = ["-decided_on"]


# --- per election: the upper level's conditions and structure targets ------------------------


class CandidateConditionFields(models.Model):
    """The candidates' conditions an upper level sets (R-CAND-1): the shape one election's
    conditions (ElectionConditions) and a re-election campaign's shared conditions
    (xuanju.campaigns) both have, so a campaign hands its conditions to each election field by
    field (xuanju.vetting.actions.CONDITION_FIELDS)."""

    min_party_age = models.PositiveSmallIntegerField("最低党龄（年）", default=0, help_text="0 表示不限")
    min_age = models.PositiveSmallIntegerField("最低年龄（周岁）", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(
        "最高年龄（周岁）", null=True, blank=True, help_text="选举日年龄不超过这个周岁数"
    )
    min_education = models.CharField("最低学历", max_length=20, choices=Education.choices, blank=True)
    must_reside_locally = models.BooleanField("须在本地居住", default=False)
    sanction_free_years = models.PositiveSmallIntegerField(
        "近几年内未受党纪处分（年）",
        null=True,
        blank=True,
        help_text="如 5：选举日前 5 年内受过处分的不符合条件",
    )
    other = models.TextField("其他条件", blank=True, help_text="系统无法自动判断的条件，由考察时把关")

    class Meta:
        abstract = True


class StructureTargetFields(models.Model):
    """The upper level's targets for the structure of a new committee (R-CAND-1: 结构合理), as one
    election (StructureTargets) and a re-election campaign (xuanju.campaigns) hold them.

    Every target is optional; a blank one is not checked.
    """

    min_women = models.PositiveSmallIntegerField("女性至少（名）", null=True, blank=True)
    min_minorities = models.PositiveSmallIntegerField("少数民族至少（名）", null=True, blank=True)
    max_average_age = models.PositiveSmallIntegerField("平均年龄不超过（岁）", null=True, blank=True)
    under_age = models.PositiveSmallIntegerField(
        "年轻委员的年龄线（岁）", null=True, blank=True, help_text="与下一项合用，如：35 岁以下至少 1 名"
    )
    min_under_age = models.PositiveSmallIntegerField("该年龄以下至少（名）", null=True, blank=True)
    min_college_or_above = models.PositiveSmallIntegerField("大专以上学历至少（名）", null=True, blank=True)
    min_front_line = models.PositiveSmallIntegerField("生产、工作一线至少（名）", null=True, blank=True)
    min_new = models.PositiveSmallIntegerField("新进委员至少（名）", null=True, blank=True)
    max_returning = models.PositiveSmallIntegerField("连任委员至多（名）", null=True, blank=True)

    class Meta:
        abstract = True


# The age range and the under-age pair, checked wherever the fields are stored.
AGE_RANGE = (
    models.Q(min_age__isnull=True)
    | models.Q(max_age__isnull=True)
    | models.Q(max_age__gte=models.F("min_age"))
)
UNDER_AGE_PAIR = models.Q(under_age__isnull=True, min_under_age__isnull=True) | models.Q(
    under_age__isnull=False, min_under_age__isnull=False
)


class ElectionConditions(CandidateConditionFields):
    """The conditions the upper level sets for the candidates of one election (R-CAND-1).

    Set by the upper level's organization department (never by the organization itself) until the
    provisional candidates are submitted. Without a row, the election's old ``minimum_party_age``
    is the only condition.
    """

    election = models.OneToOneField(
        "elections.Election", models.CASCADE, related_name="conditions", verbose_name="换届选举"
    )
    set_by = models.CharField("设定人", max_length=150, blank=True)
    set_at = models.DateTimeField("设定时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "候选人条件"
        constraints = [models.CheckConstraint(condition=AGE_RANGE, name="conditions_age_range")]


class StructureTargets(StructureTargetFields):
    """The upper level's targets for the structure of the new committee of one election (R-CAND-1)."""

    election = models.OneToOneField(
        "elections.Election", models.CASCADE, related_name="structure_targets", verbose_name="换届选举"
    )
    set_by = models.CharField("设定人", max_length=150, blank=True)
    set_at = models.DateTimeField("设定时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "班子结构要求"
        constraints = [models.CheckConstraint(condition=UNDER_AGE_PAIR, name="targets_under_age_pair")]


# --- per candidate: the vetting (考察) ----------------------------------------------------------


class Verdict(models.TextChoices):
    PASS = "pass", "合格"
    CONCERN = "concern", "存在问题"


class VettingRecord(models.Model):
    """The vetting (考察) of one person on the way to the ballot: the four checks, the democratic
    assessment, the individual talks and the conclusion.

    Seen and changed by the organizers and the upper level only — never by members, counters or
    scrutineers (services.sees_vetting).
    """

    candidate = models.OneToOneField(
        "elections.Candidate", models.CASCADE, related_name="vetting_record", verbose_name="人选"
    )
    political_findings = models.TextField("政治关", blank=True)
    political_verdict = models.CharField("政治关结论", max_length=10, choices=Verdict.choices, blank=True)
    ability_findings = models.TextField("能力关", blank=True)
    ability_verdict = models.CharField("能力关结论", max_length=10, choices=Verdict.choices, blank=True)
    conduct_findings = models.TextField("作风关", blank=True)
    conduct_verdict = models.CharField("作风关结论", max_length=10, choices=Verdict.choices, blank=True)
    integrity_findings = models.TextField("廉政关", blank=True)
    integrity_verdict = models.CharField("廉政关结论", max_length=10, choices=Verdict.choices, blank=True)
    assessment_participants = models.PositiveIntegerField("参加民主测评人数", default=0)
    rated_excellent = models.PositiveIntegerField("优秀", default=0)
    rated_competent = models.PositiveIntegerField("称职", default=0)
    rated_basically_competent = models.PositiveIntegerField("基本称职", default=0)
    rated_incompetent = models.PositiveIntegerField("不称职", default=0)
    conclusion = models.TextField("考察结论", blank=True)
    team = models.CharField("考察组成员", max_length=300, blank=True, help_text="姓名，用顿号分隔")
    vetted_on = models.DateField("考察日期", null=True, blank=True)
    updated_by = models.CharField("填写人", max_length=150, blank=True)
    updated_at = models.DateTimeField("填写时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "考察情况"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    assessment_participants__gte=models.F("rated_excellent")
                    + models.F("rated_competent")
                    + models.F("rated_basically_competent")
                    + models.F("rated_incompetent")
                ),
                name="assessment_counts_within_participants",
            )
        ]


class VettingTalk(models.Model):
    """One individual talk (个别谈话) held during the vetting."""

    record = models.ForeignKey(VettingRecord, models.CASCADE, related_name="talks", verbose_name="考察情况")
    talked_on = models.DateField("谈话日期")
    with_whom = models.CharField(
        "谈话对象", max_length=100, help_text="如：村民小组长、老党员代表，可不写姓名"
    )
    summary = models.TextField("谈话要点")

    class Meta:
        verbose_name = verbose_name_plural = "个别谈话"
        ordering = ["talked_on", "id"]
