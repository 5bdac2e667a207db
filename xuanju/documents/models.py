"""An organization's own wording of a document (文书模板), used by it and the organizations beneath."""

from __future__ import annotations

from django.db import models

from xuanju.documents.kinds import Kind
from xuanju.organizations.models import Organization


class DocumentTemplate(models.Model):
    """The template of one kind of document as an organization set it, replacing the repository's
    default for its own elections and those of every organization beneath it that has none."""

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="document_templates", verbose_name="党组织"
    )
    kind = models.CharField("文书", max_length=30, choices=Kind.choices)
    body = models.TextField("模板")
    updated_by = models.CharField("修改人", max_length=150)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "文书模板"
        constraints = [models.UniqueConstraint(fields=["organization", "kind"], name="one_template_per_kind")]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()}"
