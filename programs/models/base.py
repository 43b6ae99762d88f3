"""Shared pieces of the programme models."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Created/updated timestamps for records that people edit."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ArchivableQuerySet(models.QuerySet):
    """Reads shared by records that are archived rather than deleted."""

    def active(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=False)


class ArchivableModel(models.Model):
    """A record that coordinators archive instead of deleting: it leaves the lists but keeps its
    page and its history; only admins delete, in the admin.

    Not editable through forms: archiving is its own action (collab.views.ObjectArchiveView), so
    an edit form can never archive or unarchive by accident.
    """

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("archived by"),
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def set_archived(self, archived: bool, *, user: Any) -> bool:
        """Archive (or restore) this record; False when it already was. One history entry."""
        if archived == self.is_archived:
            return False
        self.archived_at = timezone.now() if archived else None
        self.archived_by = user if archived else None
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])
        return True


def count_of(model: type[models.Model], field: str) -> Coalesce:
    """The number of `model` rows whose `field` points at the outer row, as an annotation."""
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def end_not_before_start(start: str, end: str, name: str, message: str) -> models.CheckConstraint:
    """A named database constraint: `end` is empty, `start` is empty, or end >= start."""
    return models.CheckConstraint(
        condition=(
            models.Q(**{f"{end}__isnull": True})
            | models.Q(**{f"{start}__isnull": True})
            | models.Q(**{f"{end}__gte": models.F(start)})
        ),
        name=name,
        violation_error_message=message,
    )
