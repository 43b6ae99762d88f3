"""Agreements with their signatories, clauses and signed scan, saved all or nothing."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from collab.permissions import Action, restrict
from partners.models import Partner

from ..models import Agreement, Clause, Program, Signatory

# The largest signed scan accepted. A scanned MoU of a dozen pages is a few megabytes; the limit
# leaves room for poor scans while keeping one upload from filling the disk. Tests patch it.
AGREEMENT_SCAN_MAX_BYTES = 20 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"


def check_pdf_scan(scan: File) -> None:
    """Refuse a scan that is too large or is not a PDF, judged by its bytes, never by its name."""
    if scan.size is not None and scan.size > AGREEMENT_SCAN_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a scan may be at most %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(scan.size),
                "limit": filesizeformat(AGREEMENT_SCAN_MAX_BYTES),
            },
        )
    scan.seek(0)
    head = scan.read(len(PDF_SIGNATURE))
    scan.seek(0)
    if head != PDF_SIGNATURE:
        raise ValidationError(
            _("This file is not a PDF document. Upload the signed scan as a PDF."),
            code="not_pdf",
        )


def file_sha256(file: File) -> str:
    """SHA-256 of a file, read in chunks so a large scan never sits in memory whole."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class SignatoryRow:
    """A signatory as submitted: `id` is the row it updates, None for a new one."""

    id: int | None
    signer_name: str
    partner: Partner | None = None
    signer_position: str = ""
    signed_on: datetime.date | None = None
    order: int = 0


@dataclass(frozen=True)
class ClauseRow:
    """A clause as submitted; `parent_number` names the section (another row) it belongs to."""

    id: int | None
    text: str
    order: int
    number: str = ""
    parent_number: str = ""


class AgreementInvalid(Exception):
    """A record failed validation. `part` is "agreement", "signatories" or "clauses" and `index`
    the row's position in the submitted list, so the caller can show the error beside it."""

    def __init__(self, part: str, index: int | None, error: ValidationError) -> None:
        super().__init__(error)
        self.part = part
        self.index = index
        self.error = error


def _number_key(number: str) -> str:
    # "Bab  I" and "BAB I" are the same section to the person typing them.
    return " ".join(number.split()).casefold()


def check_clause_rows(
    rows: Sequence[ClauseRow],
) -> tuple[list[int | None], dict[int, dict[str, ValidationError]]]:
    """Resolve each row's section and find rows that cannot be saved together.

    Returns, per row, the index of its section row (or None), and the errors by row index and
    field. Sections are one level deep: a section is a row without a section of its own, which
    also rules out cycles. Shared by the form (every error beside its row) and the service.
    """
    errors: dict[int, dict[str, ValidationError]] = defaultdict(dict)
    by_order: dict[int, list[int]] = defaultdict(list)
    by_number: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_order[row.order].append(index)
        if _number_key(row.number):
            by_number[_number_key(row.number)].append(index)
    for order, indexes in by_order.items():
        if len(indexes) > 1:
            for index in indexes:
                errors[index]["order"] = ValidationError(
                    _("Another clause is also at position %(order)s."),
                    code="duplicate_order",
                    params={"order": order},
                )
    parents: list[int | None] = [None] * len(rows)
    for index, row in enumerate(rows):
        reference = _number_key(row.parent_number)
        if not reference:
            continue
        matches = by_number.get(reference, [])
        params = {"number": row.parent_number.strip()}
        if index in matches:
            message = _("A clause cannot be its own section.")
        elif not matches:
            message = _("No clause of this agreement has the number %(number)s.")
        elif len(matches) > 1:
            message = _("Several clauses have the number %(number)s; give the section its own.")
        elif _number_key(rows[matches[0]].parent_number):
            message = _("Clause %(number)s is itself inside a section; choose a section.")
        else:
            parents[index] = matches[0]
            continue
        errors[index]["parent_number"] = ValidationError(message, code="section", params=params)
    return parents, dict(errors)


def _clean_or_raise(record: Model, part: str, index: int | None) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        raise AgreementInvalid(part, index, error) from error


@transaction.atomic
def save_agreement(
    *,
    user: AbstractBaseUser,
    agreement: Agreement,
    fields: Mapping[str, Any],
    signatories: Sequence[SignatoryRow],
    clauses: Sequence[ClauseRow],
    scan: File | None = None,
    remove_scan: bool = False,
) -> Agreement:
    """Create (`agreement` unsaved, its programme set) or edit an agreement with its
    signatories, clauses and signed scan: all of it or nothing.

    The row lists are the complete new state: existing rows missing from them are deleted.
    `agreement` itself is not changed; the saved record is returned. A new scan is stored under a
    generated name with its SHA-256. The file it replaces is deleted only after the commit, so a
    rollback never leaves the database naming a file that is gone.
    """
    storage = Agreement._meta.get_field("document").storage
    stored_name = ""
    try:
        if agreement.pk is None:
            record = Agreement(program_id=agreement.program_id)
        else:
            # Locking the agreement serialises concurrent edits of its rows and positions.
            record = Agreement.objects.select_for_update().get(pk=agreement.pk)
        old_name = record.document.name or ""
        for name, value in fields.items():
            setattr(record, name, value)
        if record.meeting_id is not None and record.meeting.program_id != record.program_id:
            raise AgreementInvalid(
                "agreement",
                None,
                ValidationError({"meeting": _("Choose a meeting of the same programme.")}),
            )
        if scan is not None:
            try:
                check_pdf_scan(scan)
            except ValidationError as error:
                raise AgreementInvalid(
                    "agreement", None, ValidationError({"scan": error})
                ) from error
            record.document_sha256 = file_sha256(scan)
            # upload_to generates the stored name; the uploaded file's name is not kept.
            record.document.save(scan.name or "scan.pdf", scan, save=False)
            stored_name = record.document.name
        elif remove_scan:
            record.document = ""
            record.document_sha256 = ""
        _clean_or_raise(record, "agreement", None)
        record.save()
        _save_signatories(record, signatories)
        _save_clauses(record, clauses)
        # STYLE rule 4: whatever was submitted, the result must lie in a programme the user
        # coordinates.
        coordinated = restrict(
            Program.objects.filter(pk=record.program_id), user, Action.COORDINATE
        )
        if not coordinated.exists():
            raise PermissionDenied(_("You may only record data in programmes you coordinate."))
    except BaseException:
        # The row naming the new file is rolled back with this exception: remove the file too.
        if stored_name:
            storage.delete(stored_name)
        raise
    if old_name and old_name != (record.document.name or ""):
        transaction.on_commit(partial(storage.delete, old_name), robust=True)
    return record


def _current_rows(
    queryset: QuerySet, rows: Sequence[SignatoryRow] | Sequence[ClauseRow], part: str, gone: str
) -> dict[int, Any]:
    """The agreement's stored rows by pk; a submitted row naming one that is no longer there
    (removed by someone else meanwhile) is refused with the message `gone`."""
    current = {record.pk: record for record in queryset}
    for index, row in enumerate(rows):
        if row.id is not None and row.id not in current:
            raise AgreementInvalid(part, index, ValidationError(gone))
    return current


def _save_signatories(agreement: Agreement, rows: Sequence[SignatoryRow]) -> None:
    current = _current_rows(
        Signatory.objects.filter(agreement=agreement),
        rows,
        "signatories",
        _("This signatory was removed meanwhile. Reload the page."),
    )
    kept = {row.id for row in rows}
    for pk, signatory in current.items():
        if pk not in kept:
            signatory.delete()
    for index, row in enumerate(rows):
        values = {
            "partner_id": row.partner.pk if row.partner else None,
            "signer_name": row.signer_name,
            "signer_position": row.signer_position,
            "signed_on": row.signed_on,
            "order": row.order,
        }
        signatory = current[row.id] if row.id is not None else Signatory(agreement=agreement)
        if signatory.pk and all(getattr(signatory, k) == v for k, v in values.items()):
            continue  # unchanged: no write, no empty history entry
        for name, value in values.items():
            setattr(signatory, name, value)
        _clean_or_raise(signatory, "signatories", index)
        signatory.save()


def _save_clauses(agreement: Agreement, rows: Sequence[ClauseRow]) -> None:
    """Bring the agreement's clauses to `rows` without ever breaking the unique position.

    A clause may only move to a position no other clause holds at that moment, so rows are saved
    in an order that frees positions first (inserting a clause shifts the later ones up). When
    clauses swap positions none can go first; one is moved to a free position past the end.
    """
    parents, errors = check_clause_rows(rows)
    if errors:
        index = min(errors)
        raise AgreementInvalid("clauses", index, ValidationError(errors[index]))
    current = _current_rows(
        Clause.objects.filter(agreement=agreement),
        rows,
        "clauses",
        _("This clause was removed meanwhile. Reload the page."),
    )
    kept = {row.id for row in rows if row.id is not None}
    removed = set(current) - kept

    def save(clause: Clause, index: int) -> None:
        _clean_or_raise(clause, "clauses", index)
        clause.save()

    # A kept clause of a removed section would go with it (the parent cascades): detach it first.
    for index, row in enumerate(rows):
        if row.id is not None and current[row.id].parent_id in removed:
            current[row.id].parent = None
            save(current[row.id], index)
    if removed:
        # One delete for all: the collector removes each row once even where a removed section
        # cascades to its removed clauses, and sends post_delete per row, so history records
        # every deletion.
        Clause.objects.filter(pk__in=removed).delete()

    holder = {clause.order: clause.pk for pk, clause in current.items() if pk in kept}
    done: dict[int, Clause] = {}
    pending: list[int] = []
    for index, row in enumerate(rows):
        if row.id is None:
            pending.append(index)
            continue
        clause = current[row.id]
        parent = rows[parents[index]] if parents[index] is not None else None
        same_parent = (parent is None and clause.parent_id is None) or (
            parent is not None and parent.id is not None and parent.id == clause.parent_id
        )
        if (clause.number, clause.text, clause.order) == (row.number, row.text, row.order) and (
            same_parent
        ):
            done[index] = clause  # unchanged: no write, no empty history entry
        else:
            pending.append(index)
    parked: set[int] = set()
    spare = max([*holder, *(row.order for row in rows)], default=0) + 1
    while pending:
        progress = False
        for index in list(pending):
            row = rows[index]
            section = parents[index]
            if section is not None and section not in done:
                continue  # the section must exist before its clause can point to it
            if holder.get(row.order, row.id) != row.id:
                continue  # the position is still taken by a clause that moves later
            if row.id is not None:
                clause = current[row.id]
                holder.pop(clause.order, None)
            else:
                clause = Clause(agreement=agreement)
            clause.number, clause.text, clause.order = row.number, row.text, row.order
            clause.parent = done[section] if section is not None else None
            save(clause, index)
            holder[clause.order] = clause.pk
            done[index] = clause
            pending.remove(index)
            progress = True
        if progress:
            continue
        # Every pending clause waits for another: a swap. Move one existing clause aside.
        movable = [i for i in pending if rows[i].id is not None and i not in parked]
        if not movable:  # cannot happen: sections never wait for a position held by a new row
            raise RuntimeError("clause positions cannot be resolved")
        index = movable[0]
        clause = current[rows[index].id]
        holder.pop(clause.order, None)
        clause.order = spare
        save(clause, index)
        holder[spare] = clause.pk
        spare += 1
        parked.add(index)
