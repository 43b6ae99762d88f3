"""The readable history of a record: who changed what, when, from which value to which.

django-simple-history keeps a full copy of a row for every save and delete (deleted rows stay).
`record_history` turns those copies into entries for people: field verbose names, choice labels,
names of related records instead of their keys, dates in the interface language. A record that
is edited together with its child rows (a meeting with its attendance and decisions, an
agreement with its signatories and clauses) shows the rows' changes in the same list.

It is bounded (the latest `limit` entries) and costs the same number of queries whatever the
history holds: two per history table (the latest versions, then the versions they replaced),
names of related records joined into them.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F
from django.db.models.functions import Lag
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

# The latest changes shown on a record page (folded); admins see the rest in the admin.
HISTORY_LIMIT = 20

# Never-editable fields worth showing: archiving is an action of its own, not a form field.
SHOWN_NON_EDITABLE = frozenset({"archived_at", "archived_by"})

# A child row is named in "Decision 2" or "Attendance: Bappeda" by the field its model names in
# `history_label_field` (declared on the model, as `program_path` is); else by its number.
HISTORY_LABEL_ATTRIBUTE = "history_label_field"

TEXT_LIMIT = 300  # characters of a long text shown in a change


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    user: str
    kind: str  # simple-history's type: "+" created, "~" changed, "-" deleted
    action: str  # the kind in words, in the interface language
    subject: str  # "" for the record itself, "Decision 2" for one of its rows
    changes: tuple[FieldChange, ...]


@dataclass
class _Source:
    """One history table read for the record: the record's own, or one child relation's."""

    model: type[models.Model]
    lookup: dict[str, Any]
    link_field: str | None  # the child's key to the record: not shown as a change
    hidden: frozenset[str]


def record_history(
    obj: models.Model,
    *,
    children: Iterable[str] = (),
    since: datetime.datetime | None = None,
    limit: int = HISTORY_LIMIT,
    hidden: Collection[str] = (),
) -> list[HistoryEntry]:
    """The latest `limit` changes of `obj` and of its rows in the reverse relations `children`
    (e.g. ("attendances", "decisions")), newest first; only those after `since` if given.

    `hidden` names fields never shown, as "<app>.<model>.<field>" (personal data the reader
    may not see, e.g. the contact person of an attendance row).
    """
    sources = [_Source(type(obj), {"id": obj.pk}, None, _hidden_for(type(obj), hidden))]
    for name in children:
        relation = obj._meta.get_field(name)
        child = relation.related_model
        sources.append(
            _Source(
                child,
                {relation.field.attname: obj.pk},
                relation.field.name,
                _hidden_for(child, hidden),
            )
        )
    latest: list[tuple[_Source, Any, Any]] = []
    for source in sources:
        latest.extend(_read(source, limit, since))
    # Stable: each table's own order survives equal timestamps.
    latest.sort(key=lambda item: item[1].history_date, reverse=True)
    entries = [_entry(source, row, before) for source, row, before in latest[:limit]]
    # A save that changed nothing a reader sees (only the timestamp) is not news.
    return [entry for entry in entries if entry.kind != "~" or entry.changes]


def _hidden_for(model: type[models.Model], hidden: Collection[str]) -> frozenset[str]:
    prefix = f"{model._meta.label_lower}."
    return frozenset(name.removeprefix(prefix) for name in hidden if name.startswith(prefix))


def _read(
    source: _Source, limit: int, since: datetime.datetime | None
) -> list[tuple[_Source, Any, Any]]:
    """The latest `limit` versions in one history table, each with the version it replaced.

    Two queries, whatever the history holds: the ids of the latest versions, each told the id
    of its predecessor by a window over the row's whole history (no joins: the window sees
    every version of every row, hundreds for a programme's memberships); then those versions
    and their predecessors, with the records they name and their users joined.
    """
    history = history_model(source.model)
    joined = [
        field.name
        for field in _shown_fields(source, source.model)
        if isinstance(field, models.ForeignKey)
    ]
    latest = list(
        history.objects.filter(**source.lookup)
        .annotate(
            previous_id=models.Window(
                Lag("history_id"),
                partition_by=[F("id")],
                order_by=[F("history_date").asc(), F("history_id").asc()],
            )
        )
        .order_by("-history_date", "-history_id")
        .values_list("history_id", "previous_id", "history_date")[:limit]
    )
    if since is not None:
        # Filtered here, not in SQL: the window must see the versions before `since` too.
        latest = [version for version in latest if version[2] > since]
    wanted = {history_id for history_id, _, _ in latest}
    wanted.update(previous for _, previous, _ in latest if previous is not None)
    # The 0 (never an id) keeps the query when there is no history, so a page costs the same
    # number of queries whatever its history holds.
    fetched = {
        row.history_id: row
        for row in history.objects.filter(history_id__in=[*wanted, 0]).select_related(
            "history_user", *joined
        )
    }
    return [
        (source, fetched[history_id], fetched.get(previous) if previous is not None else None)
        for history_id, previous, _ in latest
    ]


def _shown_fields(source: _Source, model: Any) -> list[models.Field]:
    """The fields an entry shows: what people edit, and archiving."""
    return [
        field
        for field in _tracked_fields(model)
        if (field.editable or field.name in SHOWN_NON_EDITABLE)
        and not field.primary_key
        and field.name != source.link_field
        and field.name not in source.hidden
    ]


@functools.cache
def history_model(model: type[models.Model]) -> Any:
    """The historical model of `model`. Cached: simple-history's `Model.history` builds a new
    manager class on every access, a few milliseconds per page."""
    return model.history.model  # type: ignore[attr-defined]


def _tracked_fields(model: Any) -> list[models.Field]:
    return list(history_model(model).tracked_fields)


def _label(obj: models.Model) -> str:
    get_username = getattr(obj, "get_username", None)
    if callable(get_username):
        return obj.get_full_name() or get_username()  # type: ignore[attr-defined]
    return str(obj)


def _entry(source: _Source, row: Any, before: Any) -> HistoryEntry:
    fields = _shown_fields(source, source.model)
    changes: list[FieldChange] = []
    if row.history_type == "~" and before is not None:
        editable = [field.name for field in fields if field.editable]
        changed = set(row.diff_against(before, included_fields=editable).changed_fields)
        # diff_against compares editable fields only; archiving is not edited through forms.
        changed.update(
            field.name
            for field in fields
            if not field.editable and getattr(row, field.attname) != getattr(before, field.attname)
        )
        changes = [
            FieldChange(
                capfirst(str(field.verbose_name)),
                shown_value(field, before),
                shown_value(field, row),
            )
            for field in fields
            if field.name in changed
        ]
    elif row.history_type == "+" and source.link_field is not None:
        # A row added to the record: what it says, as the record's page would show it.
        changes = [
            FieldChange(capfirst(str(field.verbose_name)), "—", shown)
            for field in fields
            if (shown := shown_value(field, row)) != "—"
        ]
    return HistoryEntry(
        when=row.history_date,
        user=_user(row),
        kind=row.history_type,
        action={"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(
            row.history_type, row.history_type
        ),
        subject="" if source.link_field is None else _subject(source.model, row),
        changes=tuple(changes),
    )


def _user(row: Any) -> str:
    if row.history_user is not None:
        return _label(row.history_user)
    if row.history_user_id is not None:
        return f"#{row.history_user_id}"
    return _("system")


def _subject(model: type[models.Model], row: Any) -> str:
    name = capfirst(str(model._meta.verbose_name))
    field_name = getattr(model, HISTORY_LABEL_ATTRIBUTE, None)
    if field_name is not None:
        shown = shown_value(model._meta.get_field(field_name), row)
        if shown != "—":
            return f"{name} {shown}" if field_name == "number" else f"{name}: {shown}"
    return f"{name} #{row.id}"


def shown_value(field: models.Field, version: Any) -> str:
    """A field of a stored version as the record's page shows it: labels, names of related
    records (joined by the query), local dates and numbers."""
    value = getattr(version, field.attname)
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ForeignKey):
        try:
            related = getattr(version, field.name)
        except ObjectDoesNotExist:
            related = None
        # A related record deleted since is named by its number.
        return _label(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.FileField):
        # The stored name is generated and means nothing to a reader.
        return _("a file")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize(), use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return Truncator(str(value)).chars(TEXT_LIMIT)
