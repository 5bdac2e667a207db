"""Misconduct reports (举报, R-SUP-2) and the upper level's decisions that an election is void (R-SUP-3).

A report and its notes carry a random UUID as key and a date, never a time: neither the order of
the keys nor a timestamp may be matched to a reporter's session or to other records (R-SUP-1/2).
An anonymous report keeps no account, no address and only a slow hash of its follow-up code.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from xuanju.elections.models import Election
from xuanju.organizations.models import Committee, Organization


class ReportCategory(models.TextChoices):
    CANVASSING = "canvassing", "拉票"
    VOTE_BUYING = "vote_buying", "贿选"
    COERCION = "coercion", "胁迫或干扰选举"
    OTHER = "other", "其他违反换届纪律"


class ReportStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    INVESTIGATING = "investigating", "核查中"
    CONCLUDED = "concluded", "已办结"


# Reports still being dealt with (the compliance view counts them per election).
OPEN_REPORT_STATUSES = [ReportStatus.RECEIVED, ReportStatus.INVESTIGATING]


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", "属实"
    PARTLY_SUBSTANTIATED = "partly_substantiated", "部分属实"
    UNSUBSTANTIATED = "unsubstantiated", "不属实"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    REFERRED = "referred", "移交有关部门处理"


class Report(models.Model):
    """A report of canvassing, vote buying or other breaches of election discipline (R-SUP-2).

    ``handled_by`` is the upper level of the reported organization, whose discipline inspectors
    deal with it. A report about the root of the tree (the county committee) has no upper level
    in the system: it goes to the root's own inspectors (its discipline commission), and they
    alone of the root's accounts see it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="被举报党组织"
    )
    election = models.ForeignKey(
        Election,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="涉及的换届选举",
        help_text="举报一般违纪行为的留空",
    )
    handled_by = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="受理的上级党组织"
    )
    category = models.CharField("类别", max_length=20, choices=ReportCategory.choices)
    content = models.TextField("举报内容")
    status = models.CharField(
        "办理情况", max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    received_on = models.DateField("收到日期")  # a date only: never a time (R-SUP-1/2)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="实名举报人",
        help_text="匿名举报的留空",
    )
    # Anonymous only: a public lookup key and a slow, salted hash of the secret part of the
    # follow-up code (see actions.follow_up_code). The code itself is shown once and not kept.
    follow_up_locator = models.CharField(max_length=8, null=True, blank=True, unique=True)
    follow_up_hash = models.CharField(max_length=200, blank=True)
    handled_by_name = models.CharField("承办人", max_length=150, blank=True)
    findings = models.TextField("核查情况", blank=True)
    conclusion = models.CharField("结论", max_length=30, choices=Conclusion.choices, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "举报"
        ordering = ["-received_on", "id"]
        indexes = [
            models.Index(fields=["handled_by", "status"]),
            models.Index(fields=["election", "status"]),
        ]
        constraints = [
            # Named: an account and no code. Anonymous: a code and no account.
            models.CheckConstraint(
                condition=(models.Q(reporter__isnull=False) & models.Q(follow_up_hash=""))
                | (models.Q(reporter__isnull=True) & ~models.Q(follow_up_hash="")),
                name="report_named_or_anonymous",
            ),
            models.CheckConstraint(
                condition=models.Q(status="concluded", concluded_on__isnull=False)
                | (~models.Q(status="concluded") & models.Q(concluded_on__isnull=True)),
                name="report_concluded_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"举报 {self.reference}（{self.get_category_display()}）"

    @property
    def anonymous(self) -> bool:
        return self.reporter_id is None

    @property
    def reference(self) -> str:
        """A short number to name the report by in speech and documents."""
        return self.id.hex[:8].upper()


class ReportNote(models.Model):
    """A note on a report: an inspector's investigation note, or the reporter's follow-up."""

    REPORTER = "举报人"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, models.CASCADE, related_name="notes", verbose_name="举报")
    number = models.PositiveIntegerField("序号")
    written_on = models.DateField("日期")  # a date only, as for the report
    author = models.CharField("记录人", max_length=150, help_text="举报人补充的记为“举报人”")
    by_reporter = models.BooleanField("举报人补充", default=False)
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "举报办理记录"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_note_number_per_report")
        ]


class Voiding(models.Model):
    """The upper level's decision that an election is void, and what followed (R-SUP-3).

    The voided election keeps every record it had; ``reopened_as`` is the new election for the same
    organization. When the voided election had installed a committee, ``committee_voided`` is that
    committee (no longer current) and ``committee_restored`` the one that is current again.
    """

    election = models.OneToOneField(
        Election, models.PROTECT, related_name="voiding", verbose_name="被宣布无效的选举"
    )
    reopened_as = models.OneToOneField(
        Election, models.PROTECT, related_name="+", verbose_name="重新进行的选举"
    )
    reason = models.TextField("理由和核查情况")
    decision_document = models.CharField("决定文号", max_length=100)
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="作出决定的上级党组织"
    )
    decided_by_name = models.CharField("经办人", max_length=150)
    report = models.ForeignKey(
        Report, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="依据的举报"
    )
    committee_voided = models.ForeignKey(
        Committee, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="撤销的委员会"
    )
    committee_restored = models.ForeignKey(
        Committee, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="恢复的上一届委员会"
    )

    class Meta:
        verbose_name = verbose_name_plural = "宣布选举无效"

    def __str__(self) -> str:
        return f"{self.election}：宣布无效（{self.decision_document}）"
