"""Counts of requests per address and window, kept without the address (see xuanju/limits/rate.py)."""

from __future__ import annotations

from django.db import models


class WindowCount(models.Model):
    """How many requests one (unknown) address made to one route in one window of time.

    ``key`` is an HMAC of the route and the address under a secret that belongs to the window alone,
    so the address cannot be read back, and the same address gets unrelated keys in two windows.
    Rows of past windows are deleted at the next counted request: nothing outlives its window.
    """

    key = models.CharField(max_length=64, unique=True)
    window = models.BigIntegerField(db_index=True)  # unix time // window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "请求计数"
        verbose_name_plural = "请求计数"
