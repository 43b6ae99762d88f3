"""Recording a meeting with its attendance, decisions, action items and commitments."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, UniqueConstraint
from django.utils.translation import gettext as _

from collab.permissions import Action, can
from partners.models import Contact, Partner

from ..models import ActionItem, Attendance, Commitment, Decision, Meeting, Program, Site


@dataclass(frozen=True)
class AttendanceRow:
    """An organisation at the meeting as submitted: `id` is the row it updates, None for a new
    one (so for every row below)."""

    id: int | None
    partner: Partner
    contact: Contact | None = None
    role: str = ""


@dataclass(frozen=True)
class DecisionRow:
    id: int | None
    number: int
    text: str


@dataclass(frozen=True)
class ActionItemRow:
    id: int | None
    title: str
    responsible: Partner | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    status: str = ActionItem.Status.PLANNED


@dataclass(frozen=True)
class CommitmentRow:
    id: int | None
    partner: Partner
    title: str
    kind: str
    status: str
    amount: Decimal | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    site: Site | None = None


Row = AttendanceRow | DecisionRow | ActionItemRow | CommitmentRow


class _Write(NamedTuple):
    """A write still to do: row `index` of its list, the record it goes to, the new values."""

    index: int
    record: Model
    values: dict[str, Any]


class MeetingInvalid(Exception):
    """A record failed validation. `part` is "meeting", "attendances", "decisions",
    "action_items" or "commitments" and `index` the row's position in the submitted list (None
    for the meeting), so the caller can show the error beside it."""

    def __init__(self, part: str, index: int | None, error: ValidationError) -> None:
        super().__init__(error)
        self.part = part
        self.index = index
        self.error = error


@transaction.atomic
def record_meeting(
    *,
    user: AbstractBaseUser,
    program: Program,
    meeting: Meeting | None,
    fields: Mapping[str, Any],
    attendances: Sequence[AttendanceRow],
    decisions: Sequence[DecisionRow],
    action_items: Sequence[ActionItemRow],
    commitments: Sequence[CommitmentRow],
) -> Meeting:
    """Record a new meeting of `program` (`meeting` None) or edit `meeting`, with its
    attendance, decisions, action items and commitments: all of it or nothing.

    The row lists are the complete new state: existing rows missing from them are deleted,
    unchanged rows are not written (no empty history entry). Action items and commitments get
    the meeting's programme. `meeting` itself is not changed; the saved record is returned.
    Refuses with `MeetingInvalid` when a record fails validation and with `PermissionDenied`
    when the result is not in a programme the user coordinates.
    """
    if meeting is None:
        record = Meeting(program=program)
    elif meeting.program_id != program.pk:
        raise ValueError("record_meeting: the meeting belongs to another programme")
    else:
        # Locking the meeting serialises concurrent edits of its rows.
        record = Meeting.objects.select_for_update().get(pk=meeting.pk)
        record.program = program
    if record.pk is None or _differs(record, fields):
        _write(record, fields, "meeting", None)
    _save_rows(record, "attendances", Attendance, attendances, key="partner")
    _save_rows(record, "decisions", Decision, decisions, key="number")
    _save_rows(record, "action_items", ActionItem, action_items)
    _save_rows(record, "commitments", Commitment, commitments)
    # STYLE rule 4: whatever was submitted, the result must lie in a programme the user
    # coordinates.
    if not can(user, Action.COORDINATE, record.program):
        raise PermissionDenied(_("You may only record data in programmes you coordinate."))
    return record


def _values(row: Row) -> dict[str, Any]:
    """The row's fields to write, by model field name (all but `id`)."""
    return {
        field.name: getattr(row, field.name)
        for field in dataclasses.fields(row)
        if field.name != "id"
    }


def _stored(record: Model, name: str) -> Any:
    """The value of field `name` held by `record`; a relation's key, never a query."""
    return getattr(record, record._meta.get_field(name).attname)


def _as_stored(record: Model, name: str, value: Any) -> Any:
    """`value` of field `name` as `_stored` returns it (an object's key for a relation)."""
    if record._meta.get_field(name).is_relation:
        return value.pk if value is not None else None
    return value


def _differs(record: Model, values: Mapping[str, Any]) -> bool:
    return any(_stored(record, name) != _as_stored(record, name, v) for name, v in values.items())


def _write(record: Model, values: Mapping[str, Any], part: str, index: int | None) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    try:
        record.full_clean()
    except ValidationError as error:
        raise MeetingInvalid(part, index, error) from error
    record.save()


def _save_rows(
    meeting: Meeting,
    part: str,
    model: type[Model],
    rows: Sequence[Row],
    key: str | None = None,
) -> None:
    """Bring the meeting's rows of `model` to `rows`: delete the missing, write the changed.

    `key` names the field that must differ between the meeting's rows (`_write_keyed`).
    """
    current = {row.pk: row for row in model._default_manager.filter(meeting=meeting)}
    for index, row in enumerate(rows):
        if row.id is not None and row.id not in current:
            raise MeetingInvalid(
                part, index, ValidationError(_("This record was deleted meanwhile."))
            )
    kept = {row.id for row in rows if row.id is not None}
    for pk, record in current.items():
        if pk not in kept:
            record.delete()
    scoped = any(field.name == "program" for field in model._meta.concrete_fields)
    waiting: list[_Write] = []
    for index, row in enumerate(rows):
        values = _values(row)
        if row.id is not None and not _differs(current[row.id], values):
            continue  # unchanged: no write, no empty history entry
        if scoped:
            values["program"] = meeting.program
        record = current[row.id] if row.id is not None else model(meeting=meeting)
        waiting.append(_Write(index, record, values))
    if key is None:
        for pending in waiting:
            _write(pending.record, pending.values, part, pending.index)
    else:
        kept_records = [current[pk] for pk in current if pk in kept]
        _write_keyed(part, key, kept_records, waiting)


def _write_keyed(part: str, key: str, kept: Sequence[Model], waiting: list[_Write]) -> None:
    """Write rows whose `key` differs between the meeting's rows.

    The rows as submitted may differ from each other, but the database checks every single
    write: a row may only take a value that no other row still holds. Rows that swap values
    (decisions 1 and 2 renumbered 2 and 1) would wait for each other forever, so one of them is
    deleted and added again, which frees its value.
    """
    holders = {_stored(record, key): record for record in kept}

    def wanted(pending: _Write) -> Any:
        return _as_stored(pending.record, key, pending.values[key])

    def is_free(pending: _Write) -> bool:
        return holders.get(wanted(pending), pending.record) is pending.record

    while waiting:
        ready = next((pending for pending in waiting if is_free(pending)), None)
        if ready is None:
            first = waiting[0]
            blocker = holders[wanted(first)]
            if all(pending.record is not blocker for pending in waiting):
                # Held by a row that stays as it is: the rows as submitted share the value.
                message = _duplicate(first.record, key)
                raise MeetingInvalid(part, first.index, ValidationError({key: message}))
            del holders[_stored(blocker, key)]
            blocker.delete()
            blocker._state.adding = True
            continue
        waiting = [pending for pending in waiting if pending is not ready]
        record = ready.record
        if record.pk is not None and holders.get(_stored(record, key)) is record:
            del holders[_stored(record, key)]
        _write(record, ready.values, part, ready.index)
        holders[_stored(record, key)] = record


def _duplicate(record: Model, key: str) -> str:
    """The message of the unique constraint that `key` is part of."""
    for constraint in record._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and key in constraint.fields:
            return constraint.violation_error_message
    raise LookupError(f"{record._meta.label} has no unique constraint on {key}")
