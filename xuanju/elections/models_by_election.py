"""A by-election (补选): the election of the vacant seats of a sitting committee (issue 22)."""

from __future__ import annotations

from django.db import models


class ByElection(models.Model):
    """What a by-election fills and by which slate rule; the election itself (request, nomination,
    meeting, rounds, report) is an ordinary :class:`~xuanju.elections.models.Election` of kind
    ``by_election``."""

    election = models.OneToOneField(
        "elections.Election", models.CASCADE, related_name="by_election", verbose_name="补选"
    )
    committee = models.ForeignKey(
        "organizations.Committee", models.PROTECT, related_name="by_elections", verbose_name="本届委员会"
    )
    vacancies = models.ManyToManyField(
        "organizations.Vacancy", related_name="by_elections", verbose_name="所补缺额"
    )
    equal_members_approved = models.BooleanField(
        "委员等额补选",
        default=False,
        help_text="上级批准委员等额补选的；默认委员差额补选，书记、副书记可等额",
    )

    class Meta:
        verbose_name = verbose_name_plural = "补选"
