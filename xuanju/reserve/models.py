"""The reserve talent pool (后备人才库): members an organization grooms for its committee, their
assessments over time and their training (R-CAND-1: 德才兼备、以德为先, a well-structured team).

The pool holds assessments: only the organization's organizers and the upper level see it.
"""

from __future__ import annotations

from django.db import models

from xuanju.organizations.models import Member, Organization


class ReserveStatus(models.TextChoices):
    IN_POOL = "in_pool", "在库"
    NOMINATED = "nominated", "已提名"
    ELECTED = "elected", "已当选"
    LEFT = "left", "已出库"


# Entries that count as "in the pool" for uniqueness and for the upper level's pool depth.
ACTIVE_STATUSES = [ReserveStatus.IN_POOL, ReserveStatus.NOMINATED]


class ReservePerson(models.Model):
    """A member put forward into an organization's reserve talent pool."""

    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="reserve_people", verbose_name="后备人才库所属党组织"
    )
    member = models.ForeignKey(Member, models.PROTECT, related_name="reserve_entries", verbose_name="党员")
    put_forward_on = models.DateField("入库日期")
    reason = models.TextField("推荐理由")
    put_forward_by = models.CharField("推荐人（经办人）", max_length=150)
    status = models.CharField(
        "状态", max_length=20, choices=ReserveStatus.choices, default=ReserveStatus.IN_POOL
    )
    left_on = models.DateField("出库日期", null=True, blank=True)
    left_reason = models.CharField("出库原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后备人才"
        ordering = ["organization", "-put_forward_on", "pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            # Once out of the pool, the member may be put forward again later.
            models.UniqueConstraint(
                fields=["organization", "member"],
                condition=~models.Q(status="left"),
                name="one_reserve_entry_while_in_pool",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="left") | models.Q(left_on__isnull=False),
                name="reserve_left_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}（{self.organization}后备人才库）"


class ReserveStatusChange(models.Model):
    """One change of a reserve person's status, for the person's history."""

    person = models.ForeignKey(
        ReservePerson, models.CASCADE, related_name="status_changes", verbose_name="后备人才"
    )
    on = models.DateField("日期")
    from_status = models.CharField("原状态", max_length=20, choices=ReserveStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=ReserveStatus.choices)
    reason = models.CharField("说明", max_length=200, blank=True)
    changed_by = models.CharField("经办人", max_length=150)

    class Meta:
        verbose_name = verbose_name_plural = "后备人才状态变化"
        ordering = ["on", "pk"]


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


class ReserveAssessment(models.Model):
    """An assessment (考察评价) of a reserve person at one time."""

    person = models.ForeignKey(
        ReservePerson, models.CASCADE, related_name="assessments", verbose_name="后备人才"
    )
    assessed_on = models.DateField("考察日期")
    assessed_by = models.CharField("考察人", max_length=150)
    rating = models.CharField("评价等次", max_length=20, choices=Rating.choices)
    notes = models.TextField("考察意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后备人才考察"
        ordering = ["-assessed_on", "-pk"]


class ReserveTraining(models.Model):
    """A course or placement a reserve person took part in (培养锻炼)."""

    person = models.ForeignKey(
        ReservePerson, models.CASCADE, related_name="trainings", verbose_name="后备人才"
    )
    course = models.CharField("培训或锻炼内容", max_length=200)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, default=0)
    provider = models.CharField("举办单位", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后备人才培训"
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="reserve_training_order",
            ),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="reserve_training_hours"),
        ]
