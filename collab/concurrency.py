"""No lost updates: an edit saved over somebody else's newer save is refused, not applied.

An edit form carries a hidden `version`: a digest of the record's state when the form was opened
(its stored values and those of the child rows the form edits, so a decision changed by someone
else also counts) and the time it was opened. Saving locks the record, computes the digest
afresh inside the transaction and compares. On a mismatch nothing is written; the page shows what
changed since the form was opened (from the record's history: who, when, which value) and keeps
the user's input. Pages (collab.views.ObjectEditView) and the admin
(`VersionCheckAdminMixin`) use the same check.

The digest covers stored values only, not timestamps: a save that changed nothing cannot hide
anybody's work, so it is no conflict.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from collab.history import HistoryEntry, record_history

VERSION_FIELD = "version"


def state_digest(obj: models.Model, children: Iterable[str] = ()) -> str:
    """A digest of `obj`'s stored values and those of its rows in the reverse relations
    `children`, read from the database (one query per relation)."""
    digest = hashlib.sha256()
    _feed(digest, obj)
    for name in children:
        relation = obj._meta.get_field(name)
        rows = relation.related_model._default_manager.filter(
            **{relation.field.attname: obj.pk}
        ).order_by("pk")
        digest.update(f"|{name}".encode())
        for row in rows:
            _feed(digest, row)
    return digest.hexdigest()[:40]


def _feed(digest: Any, obj: models.Model) -> None:
    digest.update(f"[{obj._meta.label_lower}:{obj.pk}".encode())
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        digest.update(f";{field.attname}=".encode())
        digest.update(field.value_to_string(obj).encode())
    digest.update(b"]")


def make_version(obj: models.Model, children: Iterable[str] = ()) -> str:
    """The hidden field's value: the state's digest and when the form was opened."""
    opened = timezone.now().timestamp()
    return f"{state_digest(obj, children)}.{opened:.6f}"


def opened_at(version: str) -> datetime.datetime | None:
    """When the form carrying `version` was opened, if it says so legibly."""
    try:
        stamp = float(version.split(".", 1)[1])
        return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
    except (IndexError, ValueError, OverflowError, OSError):
        return None


CONFLICT_MESSAGE = _(
    "Someone else saved this record after you opened the form. Nothing was saved. "
    "Their changes are listed below and your input is still in the form: check it, then save "
    "again to apply your values, or cancel to keep theirs."
)


@dataclass(frozen=True)
class Conflict:
    """Somebody saved the record after the form was opened: what they changed, newest first."""

    entries: list[HistoryEntry]
    current_version: str

    def message(self) -> str:
        """The conflict as text, one line per save (the admin shows errors as text)."""
        lines = [str(CONFLICT_MESSAGE)]
        for entry in self.entries:
            when = formats.date_format(timezone.localtime(entry.when), "DATETIME_FORMAT")
            what = f"{entry.subject} — {entry.action}" if entry.subject else entry.action
            changes = "; ".join(f"{c.field}: {c.old} → {c.new}" for c in entry.changes)
            lines.append(f"{entry.user}, {when}: {what}" + (f" ({changes})" if changes else ""))
        return "\n".join(lines)


def check_version(
    locked: models.Model,
    submitted: str | None,
    children: Iterable[str] = (),
    *,
    hidden: Iterable[str] = (),
) -> Conflict | None:
    """Compare the submitted version with `locked` (the record, fetched with
    select_for_update inside the saving transaction). None when the form was current.

    A form without a version (a client that never loaded the form) is not checked; a version
    that cannot be read counts as out of date.
    """
    if not submitted:
        return None
    children = tuple(children)
    digest = state_digest(locked, children)
    if submitted.split(".", 1)[0] == digest:
        return None
    since = opened_at(submitted)
    entries = record_history(locked, children=children, since=since, limit=20, hidden=hidden)
    if not entries:
        # Saved between the page's read and its timestamp, or by a path without history:
        # still show the latest saves, so the message is never empty.
        entries = record_history(locked, children=children, limit=3, hidden=hidden)
    return Conflict(entries=entries, current_version=make_version(locked, children))


class VersionField(forms.CharField):
    """The hidden version of an edit form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("label", _("version"))
        super().__init__(**kwargs)
