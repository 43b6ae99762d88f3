"""Spreadsheet import of commitments (django-import-export), on the partner directory's machinery.

A file lists commitments by programme slug and partner name, with Indonesian or English headers,
kinds and statuses as codes or labels, amounts written "1.500.000" or 1500000 and dates as ISO or
dd-mm-yyyy. Every row adds a commitment (none is matched or updated); every problem is an error
of its row, and nothing is written while any row has one (partners.resources.DirectoryResource).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import Widget
from tablib import Dataset

from partners.models import Partner
from partners.resources import (
    ChoiceWidget,
    DirectoryResource,
    NameIndex,
    PartnerNameWidget,
    TextWidget,
    _text,
)

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
        slug = _text(value).casefold()
        if not slug:
            raise ValueError(_("Give the slug of the programme."))
        if slug not in self._programs:  # a file's rows share a few programmes: one query each
            self._programs[slug] = Program.objects.filter(slug=slug).first()
        program = self._programs[slug]
        if program is None:
            raise ValueError(_("No programme has the slug “%(slug)s”.") % {"slug": _text(value)})
        return program

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return value.slug if isinstance(value, Program) else ""


class CommitmentPartnerWidget(PartnerNameWidget):
    """The partner making the commitment, matched as the contact import matches its partner."""

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Partner | None:
        if not _text(value):
            raise ValueError(_("Give the name of the partner making the commitment."))
        return super().clean(value, row, **kwargs)


class AmountWidget(Widget):
    """Rupiah as people write them: 1500000, "1.500.000", "Rp 1.500.000,50"; never negative."""

    GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")

    @classmethod
    def parse(cls, text: str) -> Decimal:
        text = re.sub(r"^rp\.?", "", text.replace(" ", "").casefold()).removesuffix(",-")
        if "," in text and "." in text and text.rfind(",") < text.rfind("."):
            text = text.replace(",", "")  # 1,500,000.50
        elif text.count(",") > 1:
            text = text.replace(",", "")  # 1,500,000
        elif "," in text:
            text = text.replace(".", "").replace(",", ".")  # 1.500.000,50
        elif cls.GROUPED.fullmatch(text.lstrip("-")):
            text = text.replace(".", "")  # 1.500.000
        return Decimal(text)

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Decimal | None:
        text = _text(value)
        if not text:
            return None
        try:
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                amount = Decimal(str(value))
            else:
                amount = self.parse(text)
        except (InvalidOperation, ValueError):
            amount = None
        if amount is None or not amount.is_finite():
            raise ValueError(
                _("“%(value)s” is not an amount; write it as 1500000 or 1.500.000.")
                % {"value": text}
            )
        if amount < 0:
            raise ValueError(_("An amount cannot be negative."))
        return amount

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class DateWidget(Widget):
    """A date as ISO (2025-03-31) or as dd-mm-yyyy (31-03-2025); spreadsheets may hand a date."""

    FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” is not a date; write it as 2025-03-31 or 31-03-2025.") % {"value": text}
        )

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else ""


class CommitmentResource(DirectoryResource):
    """Commitments, always added: a row names its programme (slug) and partner (name)."""

    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "program": ("program_slug", "programme", "programme_slug", "slug_program"),
        "partner": (
            "partner_name",
            "mitra",
            "nama_mitra",
            "organisasi",
            "nama_organisasi",
            "lembaga",
            "instansi",
        ),
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
        fields = (
            "program",
            "partner",
            "title",
            "description",
            "kind",
            "amount",
            "starts_on",
            "due_on",
            "status",
        )
        clean_model_instances = True  # runs the model's checks: due date not before the start
        use_transactions = True

    @classmethod
    def choice_help(cls) -> list[tuple[str, str]]:
        fields = cls.fields
        return [
            (str(_("kind")), fields["kind"].widget.help_text()),
            (str(_("status")), fields["status"].widget.help_text()),
        ]

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["partner"].widget.index = NameIndex(Partner.objects.values_list("name", "pk"))

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> None:
        return None  # every row is a new commitment
