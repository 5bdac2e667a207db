"""A re-election campaign (集中换届): an organization department re-elects many organizations
together — the villages and communities of a county in one season, a township's whole system — on
one schedule, with shared candidate conditions and structure targets that each election inherits.

One campaign row holds the schedule and the shared settings; one entry per organization links the
organization to the election the campaign started for it. Progress is read from the elections'
own records (requests, replies, meetings), never copied here.
"""

from __future__ import annotations

from django.db import models

from xuanju.organizations.models import Organization
from xuanju.vetting.models import AGE_RANGE, UNDER_AGE_PAIR, CandidateConditionFields, StructureTargetFields


class Campaign(CandidateConditionFields, StructureTargetFields):
    """换届工作安排: the schedule of a campaign and the conditions and targets its elections inherit
    (R-CAND-1; the fields of xuanju.vetting's ElectionConditions and StructureTargets)."""

    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="campaigns",
        verbose_name="组织部门所在党组织",
        help_text="安排这次集中换届的组织部门所在的党组织；只能包括其下级党组织",
    )
    name = models.CharField("名称", max_length=200, help_text="如：某某镇2026年村党组织集中换届")
    # The schedule, in the order of the steps (actions.check_schedule keeps it in order).
    requests_by = models.DateField("报送换届请示截止日期")
    candidates_by = models.DateField("报送候选人预备人选截止日期")
    meetings_from = models.DateField("召开选举大会开始日期")
    meetings_until = models.DateField("召开选举大会截止日期")
    results_by = models.DateField("报送选举结果截止日期")
    reply_days = models.PositiveSmallIntegerField(
        "上级批复时限（天）", default=10, help_text="收到请示或报告后，组织部门应在这些天内批复"
    )
    # 书记 also elected head of the village (community) committee, where the policy asks (“一肩挑”).
    secretary_heads_committee = models.BooleanField(
        "提倡书记通过法定程序担任村（居）民委员会主任",
        default=False,
        help_text="村、社区党组织书记“一肩挑”的要求；用于班子结构统计",
    )
    created_by = models.CharField("安排人", max_length=150)
    created_at = models.DateTimeField("安排时间", auto_now_add=True)
    started_at = models.DateTimeField("启动时间", null=True, blank=True)
    started_by = models.CharField("启动人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "集中换届"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=AGE_RANGE, name="campaign_age_range"),
            models.CheckConstraint(condition=UNDER_AGE_PAIR, name="campaign_under_age_pair"),
            models.CheckConstraint(
                condition=models.Q(requests_by__lte=models.F("candidates_by"))
                & models.Q(candidates_by__lte=models.F("meetings_from"))
                & models.Q(meetings_from__lte=models.F("meetings_until"))
                & models.Q(meetings_until__lte=models.F("results_by")),
                name="campaign_schedule_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def started(self) -> bool:
        return self.started_at is not None


class CampaignEntry(models.Model):
    """One organization in a campaign, and the election the campaign started for it (empty until
    the campaign starts, or when starting it was refused: ``start_problem`` says why)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="entries", verbose_name="集中换届")
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="campaign_entries", verbose_name="党组织"
    )
    # The township (or other unit directly under the department) the organization belongs to, for
    # the board's filter and the statistics' rows: stored when the entry is made, so neither reads
    # the tree per row (actions.township_of).
    township = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="所属乡镇（街道）"
    )
    election = models.ForeignKey(
        "elections.Election",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_entries",
        verbose_name="换届选举",
    )
    start_problem = models.CharField("未能发起换届的原因", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "集中换届党组织"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="one_entry_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}：{self.organization}"
