"""Spreadsheet import of commitments (django-import-export), on the shared import machinery.

A file lists commitments by programme slug and partner name, with Indonesian or English headers,
kinds and statuses as codes or labels, amounts written "1.500.000" or 1500000 and dates as ISO or
dd-mm-yyyy. Every row adds a commitment (none is matched or updated); every problem is an error
of its row, and nothing is written while any row has one (collab.imports.SpreadsheetResource).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import Widget
from tablib import Dataset

from collab.imports import (
    AmountWidget,
    ChoiceWidget,
    DateWidget,
    NameIndex,
    SpreadsheetResource,
    TextWidget,
    cell_text,
)
from partners.models import Partner
from partners.resources import PARTNER_HEADERS, PartnerNameWidget

from .models import Commitment, CommitmentStatus, Program

# Data, not interface text: what people type in spreadsheets besides the codes and labels.
COMMITMENT_KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    Commitment.Kind.FUNDING: ("Dana", "Pendanaan"),
    Commitment.Kind.IN_KIND: ("Barang", "Natura"),
    Commitment.Kind.TECHNICAL: ("Bantuan Teknis", "Keahlian"),
    Commitment.Kind.PROGRAMME: ("Program", "Kegiatan"),
    Commitment.Kind.POLICY: ("Kebijakan", "Regulasi"),
}


class ProgramSlugWidget(Widget):
    """A programme named by its slug ("program-ini"), whatever the case."""

    def __init__(self) -> None:
        super().__init__()
        self._programs: dict[str, Program | None] = {}

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Program | None:
        slug = cell_text(value).casefold()
        if not slug:
            raise ValueError(_("Give the slug of the programme."))
        if slug not in self._programs:  # a file's rows share a few programmes: one query each
            self._programs[slug] = Program.objects.filter(slug=slug).first()
        program = self._programs[slug]
        if program is None:
            raise ValueError(
                _("No programme has the slug “%(slug)s”.") % {"slug": cell_text(value)}
            )
        return program

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return value.slug if isinstance(value, Program) else ""


class CommitmentPartnerWidget(PartnerNameWidget):
    """The partner making the commitment, matched as the contact import matches its partner."""

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Partner | None:
        if not cell_text(value):
            raise ValueError(_("Give the name of the partner making the commitment."))
        return super().clean(value, row, **kwargs)


class CommitmentResource(SpreadsheetResource):
    """Commitments, always added: a row names its programme (slug) and partner (name)."""

    choice_columns = ("kind", "status")
    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "program": ("program_slug", "programme", "programme_slug", "slug_program"),
        "partner": PARTNER_HEADERS,
        "title": ("judul", "judul_komitmen", "komitmen"),
        "description": ("deskripsi", "keterangan", "uraian"),
        "kind": ("jenis", "jenis_komitmen", "type", "tipe"),
        "amount": ("nilai", "nilai_rp", "amount_rp", "jumlah", "nominal"),
        "starts_on": ("mulai", "tanggal_mulai", "start", "start_date"),
        "due_on": ("jatuh_tempo", "tenggat", "batas_waktu", "due", "due_date"),
        "status": ("status_komitmen",),
    }
    required_columns = ("program", "partner", "title")

    program = Field(attribute="program", column_name="program", widget=ProgramSlugWidget())
    partner = Field(attribute="partner", column_name="partner", widget=CommitmentPartnerWidget())
    title = Field(attribute="title", column_name="title", widget=TextWidget())
    description = Field(attribute="description", column_name="description", widget=TextWidget())
    # An empty cell keeps the model's default, as a form would.
    kind = Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget(Commitment.Kind, COMMITMENT_KIND_SYNONYMS, _("kind")),
        default=Commitment.Kind.PROGRAMME,
    )
    amount = Field(attribute="amount", column_name="amount", widget=AmountWidget())
    starts_on = Field(attribute="starts_on", column_name="starts_on", widget=DateWidget())
    due_on = Field(attribute="due_on", column_name="due_on", widget=DateWidget())
    status = Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(CommitmentStatus, {}, _("status")),
        default=CommitmentStatus.PLEDGED,
    )

    class Meta:
        model = Commitment
        fields = Commitment.own_fields
        clean_model_instances = True  # runs the model's checks: due date not before the start
        use_transactions = True

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["partner"].widget.index = NameIndex(Partner.objects.values_list("name", "pk"))

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> None:
        return None  # every row is a new commitment
