"""A sitting committee between elections (issue 22): its vacant seats (出缺) and every change to it —
a seat vacated, by-elected (补选), appointed (指派), a resignation accepted, a removal decided, a
division of work — with the date, reason and document, for the organization's history."""

from __future__ import annotations

from django.db import models

from xuanju.rules.vacancies import VacancyReason

VACANCY_REASON_CHOICES = [
    (VacancyReason.TRANSFERRED_OUT.value, "组织关系转出"),
    (VacancyReason.LOST_RIGHTS.value, "受留党察看处分"),
    (VacancyReason.RIGHTS_SUSPENDED.value, "被留置或逮捕，权利中止"),
    (VacancyReason.DEATH.value, "去世"),
    (VacancyReason.RESIGNATION.value, "辞职"),
    (VacancyReason.REMOVAL.value, "撤换或罢免"),
]


class Vacancy(models.Model):
    """A seat of a sitting committee that fell vacant, until a by-election or an appointment fills it."""

    committee = models.ForeignKey(
        "organizations.Committee", models.CASCADE, related_name="vacancies", verbose_name="委员会"
    )
    post = models.CharField("职务", max_length=20)
    former_member = models.ForeignKey(
        "organizations.Member",
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="原任职人",
    )
    opened_on = models.DateField("出缺日期")
    reason = models.CharField("出缺原因", max_length=30, choices=VACANCY_REASON_CHOICES)
    document = models.CharField("决定或文件", max_length=200, blank=True)
    filled_on = models.DateField("补缺日期", null=True, blank=True)
    filled_by = models.ForeignKey(
        "organizations.Member", models.PROTECT, related_name="+", null=True, blank=True, verbose_name="补缺人"
    )
    filled_how = models.CharField(
        "补缺方式", max_length=20, blank=True, choices=[("by_elected", "补选"), ("appointed", "上级指派")]
    )

    class Meta:
        verbose_name = verbose_name_plural = "委员会缺额"
        ordering = ["opened_on", "id"]
        indexes = [
            models.Index(
                fields=["opened_on"], condition=models.Q(filled_on__isnull=True), name="vacancy_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee.organization}{self.get_post_display()}缺额（{self.opened_on:%Y年%m月%d日}）"

    def get_post_display(self) -> str:
        from xuanju.organizations.models import POST_CHOICES

        return dict(POST_CHOICES).get(self.post, self.post)

    @property
    def is_open(self) -> bool:
        return self.filled_on is None


CHANGE_CHOICES = [
    ("vacated", "出缺"),
    ("by_elected", "补选"),
    ("appointed", "上级指派"),
    ("resigned", "辞职"),
    ("removed", "撤换或罢免"),
    ("division", "调整分工"),
]


class CommitteeChange(models.Model):
    """One change to a sitting committee, for the organization's history (换届及调整情况)."""

    committee = models.ForeignKey(
        "organizations.Committee", models.CASCADE, related_name="changes", verbose_name="委员会"
    )
    on = models.DateField("日期")
    kind = models.CharField("变动", max_length=20, choices=CHANGE_CHOICES)
    member = models.ForeignKey(
        "organizations.Member", models.PROTECT, related_name="+", null=True, blank=True, verbose_name="党员"
    )
    post = models.CharField("职务", max_length=20, blank=True)
    reason = models.TextField("原因", blank=True)
    document = models.CharField("文件", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "委员会调整"
        ordering = ["on", "id"]

    def get_post_display(self) -> str:
        from xuanju.organizations.models import POST_CHOICES

        return dict(POST_CHOICES).get(self.post, self.post)
