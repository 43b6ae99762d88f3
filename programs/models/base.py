"""Shared pieces of the programme models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Created/updated timestamps for records that people edit."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


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
