"""Spreadsheet import of the partner directory (django-import-export): partners and contacts.

Lists arrive from secretariats as CSV or XLSX with Indonesian or English headers, pillars and
kinds written as codes or as labels in either language, and names typed with stray capitals and
spaces. The resources accept all of that (widgets and the all-or-nothing base in
`collab.imports`), match existing rows by name case- and whitespace-insensitively (a re-import
updates, never duplicates), and turn every problem into a validation error of its row, so the
preview lists each bad row with its reason and nothing is written until the whole file is clean.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import Widget
from tablib import Dataset

from collab.imports import (
    ChoiceWidget,
    NameIndex,
    NameWidget,
    RegionCodeWidget,
    SpreadsheetResource,
    TextWidget,
    WebsiteWidget,
    cell_text,
)

from .models import Contact, Partner, PartnerKind, Pillar

# ---------------------------------------------------------------------------------------------
# Accepted spellings (data, not interface text: they are what people type in spreadsheets)

PILLAR_SYNONYMS: dict[str, tuple[str, ...]] = {
    Pillar.GOVERNMENT: ("Pemerintah", "Pemerintahan"),
    Pillar.PHILANTHROPY_BUSINESS: (
        "Filantropi & Bisnis",
        "Filantropi & Pelaku Usaha",
        "Filantropi dan Pelaku Usaha",
        "Pelaku Usaha",
    ),
    Pillar.ACADEMIA_EXPERTS: ("Akademisi & Pakar", "Akademisi", "Pakar"),
    Pillar.CIVIL_SOCIETY_MEDIA: (
        "Organisasi Masyarakat Sipil & Media",
        "Ormas & Media",
        "OMS & Media",
        "Masyarakat Sipil & Media",
        "Civil Society & Media",
    ),
}

KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    PartnerKind.MINISTRY_AGENCY: ("Kementerian/Lembaga", "Kementerian", "Lembaga", "K/L"),
    PartnerKind.LOCAL_GOVERNMENT: (
        "Pemerintah Daerah",
        "Pemerintah Daerah atau OPD",
        "Pemda",
        "OPD",
        "Perangkat Daerah",
    ),
    PartnerKind.STATE_ENTERPRISE: ("BUMN", "BUMD", "Badan Usaha Milik Negara"),
    PartnerKind.COMPANY: ("Perusahaan", "Perusahaan/CSR", "CSR", "Swasta"),
    PartnerKind.FOUNDATION: ("Yayasan", "Yayasan/Zakat/Filantropi", "Zakat", "Filantropi"),
    PartnerKind.UNIVERSITY: (
        "Perguruan Tinggi",
        "Perguruan Tinggi/Pusat Penelitian",
        "Universitas",
        "Pusat Penelitian",
        "Lembaga Penelitian",
    ),
    PartnerKind.CSO: ("LSM", "OMS", "Organisasi Masyarakat Sipil", "NGO", "CSO"),
    PartnerKind.COMMUNITY: (
        "Kelompok Masyarakat",
        "Lembaga Kemasyarakatan",
        "Komunitas",
        "Badan Keswadayaan Masyarakat",
        "BKM",
    ),
    PartnerKind.MEDIA: ("Media Massa",),
    PartnerKind.INTERNATIONAL: (
        "Mitra Pembangunan Internasional",
        "Lembaga Internasional",
        "Donor Internasional",
    ),
    PartnerKind.NETWORK: ("Jaringan/Forum", "Jaringan", "Forum"),
}

EMAIL_HEADERS = ("email", "e_mail", "surel", "alamat_email", "alamat_surel")
# A partner named in another record's file (a contact's, a commitment's).
PARTNER_HEADERS = (
    "partner_name",
    "mitra",
    "nama_mitra",
    "organisasi",
    "nama_organisasi",
    "organisation",
    "lembaga",
    "instansi",
)
PHONE_HEADERS = ("phone", "telepon", "telp", "no_telepon", "nomor_telepon", "no_hp", "hp")


# ---------------------------------------------------------------------------------------------
# Widgets


class PartnerNameWidget(Widget):
    """A contact's organisation, named as in the directory (case and spacing do not matter)."""

    def __init__(self) -> None:
        super().__init__()
        self.index: NameIndex | None = None
        self._partners: dict[int, Partner | None] = {}

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Partner | None:
        text = " ".join(cell_text(value).split())
        if not text:
            raise ValueError(_("Give the name of the contact's partner organisation."))
        assert self.index is not None, "the resource sets the index before the rows"
        pks = self.index.get(text)
        if not pks:
            raise ValueError(
                _("No partner is called “%(name)s”. Import or add the partner first.")
                % {"name": text}
            )
        if len(pks) > 1:
            raise ValueError(
                _("Several partners are called “%(name)s”; tell them apart in the directory first.")
                % {"name": text}
            )
        if pks[0] not in self._partners:  # a partner's contacts come in runs: fetch it once
            self._partners[pks[0]] = Partner.objects.filter(pk=pks[0]).first()
        return self._partners[pks[0]]

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return value.name if isinstance(value, Partner) else ""


# ---------------------------------------------------------------------------------------------
# Resources


class NameMatchedResource(SpreadsheetResource):
    """Rows matched to the records already there by name, through `self.index` (a NameIndex that
    `before_import` builds): a matched record keeps the registered spelling of its name, and a
    record a row adds is matched, not added again, by the file's later rows."""

    class Meta:
        # A row that matches and changes nothing is reported as skipped; all or nothing.
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index: NameIndex | None = None

    def index_key(self, instance: Model) -> Any:
        """What `self.index` finds `instance` by."""
        raise NotImplementedError

    def import_field(self, field: Field, instance: Model, row: Any, *args: Any, **kw: Any) -> None:
        # A match by name keeps the directory's spelling: "yayasan  x" must not rename "Yayasan X".
        if field.attribute == "name" and instance.pk is not None:
            return
        super().import_field(field, instance, row, *args, **kw)

    def after_save_instance(self, instance: Model, row: Any, **kwargs: Any) -> None:
        # Later rows of the same file naming this record update it instead of adding a twin.
        assert self.index is not None
        self.index.add(self.index_key(instance), instance.pk)


class PartnerResource(NameMatchedResource):
    """Partners, matched on their name; the registered spelling of a matched name is kept."""

    choice_columns = ("pillar", "kind")
    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "name": ("nama", "nama_mitra", "nama_organisasi", "nama_lembaga", "organisation"),
        "acronym": ("singkatan", "akronim"),
        "pillar": ("pilar",),
        "kind": ("jenis", "jenis_mitra", "type", "tipe"),
        "email": EMAIL_HEADERS,
        "phone": PHONE_HEADERS,
        "website": ("situs", "situs_web", "laman", "web"),
        "address": ("alamat",),
        "description": ("deskripsi", "keterangan"),
        "region_code": ("region", "kode_wilayah", "kode_region", "kode_daerah", "wilayah"),
    }
    required_columns = ("name",)

    name = Field(attribute="name", column_name="name", widget=NameWidget())
    acronym = Field(attribute="acronym", column_name="acronym", widget=TextWidget())
    pillar = Field(
        attribute="pillar",
        column_name="pillar",
        widget=ChoiceWidget(Pillar, PILLAR_SYNONYMS, _("pillar")),
    )
    kind = Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget(PartnerKind, KIND_SYNONYMS, _("kind")),
    )
    email = Field(attribute="email", column_name="email", widget=TextWidget())
    phone = Field(attribute="phone", column_name="phone", widget=TextWidget())
    website = Field(attribute="website", column_name="website", widget=WebsiteWidget())
    address = Field(attribute="address", column_name="address", widget=TextWidget())
    description = Field(attribute="description", column_name="description", widget=TextWidget())
    region_code = Field(attribute="region", column_name="region_code", widget=RegionCodeWidget())

    class Meta:
        model = Partner
        fields = (
            "name",
            "acronym",
            "pillar",
            "kind",
            "email",
            "phone",
            "website",
            "address",
            "description",
            "region_code",
        )
        import_id_fields = ("name",)

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.index = NameIndex(Partner.objects.values_list("name", "pk"))

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Partner | None:
        assert self.index is not None
        pks = self.index.get(row.get("name"))
        if len(pks) > 1:
            raise ValidationError(
                {
                    "name": _(
                        "Several partners are already called “%(name)s”; "
                        "tell them apart in the directory first."
                    )
                    % {"name": row.get("name")}
                }
            )
        return Partner.objects.filter(pk=pks[0]).select_related("region").first() if pks else None

    def index_key(self, instance: Partner) -> str:
        return instance.name


class ContactResource(NameMatchedResource):
    """Contact persons, attached to a partner named in the file and matched on (partner, name)."""

    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "partner": PARTNER_HEADERS,
        "name": ("nama", "nama_kontak", "contact", "contact_name", "kontak"),
        "position": ("jabatan", "posisi"),
        "email": EMAIL_HEADERS,
        "phone": PHONE_HEADERS,
    }
    required_columns = ("partner", "name")

    partner = Field(attribute="partner", column_name="partner", widget=PartnerNameWidget())
    name = Field(attribute="name", column_name="name", widget=NameWidget())
    position = Field(attribute="position", column_name="position", widget=TextWidget())
    email = Field(attribute="email", column_name="email", widget=TextWidget())
    phone = Field(attribute="phone", column_name="phone", widget=TextWidget())

    class Meta:
        model = Contact
        fields = ("partner", "name", "position", "email", "phone")
        import_id_fields = ("partner", "name")

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["partner"].widget.index = NameIndex(Partner.objects.values_list("name", "pk"))
        self.index = NameIndex(
            ((partner_id, name), pk)
            for partner_id, name, pk in Contact.objects.values_list("partner_id", "name", "pk")
        )

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Contact | None:
        assert self.index is not None
        partner_pks = self.fields["partner"].widget.index.get(row.get("partner"))
        if len(partner_pks) != 1:
            return None  # the partner column reports the problem as a validation error
        pks = self.index.get((partner_pks[0], cell_text(row.get("name"))))
        return Contact.objects.filter(pk=pks[0]).select_related("partner").first() if pks else None

    def index_key(self, instance: Contact) -> tuple[int, str]:
        return (instance.partner_id, instance.name)
