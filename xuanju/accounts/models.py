"""Accounts: each belongs to an organization and has one role there."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ORGANIZATION_DEPARTMENT = "org_department", "组织部门"  # sees and approves everything beneath
    SECRETARY = "secretary", "书记/组织员"  # manages its own organization
    COUNTER = "counter", "计票人"
    SCRUTINEER = "scrutineer", "监票人"
    MEMBER = "member", "党员"
    INSPECTOR = "inspector", "纪检监督"  # reads everything beneath, writes only findings


class User(AbstractUser):
    organization = models.ForeignKey(
        "organizations.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="所属党组织",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.MEMBER)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    # Set when someone else chose the password (a new account, a reset): the holder changes it at
    # the next sign-in before anything else (xuanju.accounts.middleware).
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    # The roster entry the account belongs to, when it was made for a member.
    member = models.ForeignKey(
        "organizations.Member",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="对应党员",
    )
    # A counter's or scrutineer's account for one meeting only: it counts in that meeting's rounds
    # alone and stops working when the meeting ends (xuanju.elections.duties, the middleware).
    meeting = models.ForeignKey(
        "elections.Meeting",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="限于会议",
    )

    class Meta:
        verbose_name = verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def meeting_expired(self) -> bool:
        """A meeting-only account whose meeting has ended."""
        return self.meeting_id is not None and self.meeting is not None and self.meeting.closed
