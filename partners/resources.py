"""Spreadsheet import of the partner directory (django-import-export): partners and contacts.

Lists arrive from secretariats as CSV or XLSX with Indonesian or English headers, pillars and
kinds written as codes or as labels in either language, and names typed with stray capitals and
spaces. The resources accept all of that, match existing rows by name case- and
whitespace-insensitively (a re-import updates, never duplicates), and turn every problem into a
validation error of its row, so the preview lists each bad row with its reason and nothing is
written until the whole file is clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import resources
from import_export.fields import Field
from import_export.widgets import Widget
from tablib import Dataset

from collab.exports import FormulaEscapingResourceMixin
from collab.models import Region

from .models import Contact, Partner, PartnerKind, Pillar

# ---------------------------------------------------------------------------------------------
# Normalisation


def normalize_name(value: object) -> str:
    """The matching key of a name: spaces collapsed, case folded (" yayasan  X" ~ "Yayasan X")."""
    if value is None:
        return ""
    return " ".join(str(value).split()).casefold()


def header_key(value: object) -> str:
    """A column header reduced to lowercase words joined by "_" ("Kode Wilayah" → kode_wilayah)."""
    return re.sub(r"[^0-9a-z]+", "_", str(value or "").casefold()).strip("_")


def choice_key(value: object) -> str:
    """A choice spelled any way ("Filantropi & Bisnis", "filantropi dan bisnis") → one key."""
    words = re.findall(r"[0-9a-z]+", str(value).casefold().replace("&", " and "))
    return " ".join("and" if word == "dan" else word for word in words)


def _text(value: object) -> str:
    """A cell as text; spreadsheets hand numbers over as int or float (phone 812345.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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
PHONE_HEADERS = ("phone", "telepon", "telp", "no_telepon", "nomor_telepon", "no_hp", "hp")


# ---------------------------------------------------------------------------------------------
# Widgets: each raises ValueError with a reason a person can act on (import-export turns it into
# a validation error of the row and the field).


class TextWidget(Widget):
    """Trimmed text; an empty cell is an empty string (text fields are never NULL)."""

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        return _text(value)

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class NameWidget(TextWidget):
    """A name with its inner runs of spaces collapsed, as it will be matched later."""

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        return " ".join(_text(value).split())


class WebsiteWidget(TextWidget):
    """`www.example.org` is how people write addresses; store it as a URL that validates."""

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        text = _text(value)
        if text and "://" not in text:
            text = f"https://{text}"
        return text


class ChoiceWidget(Widget):
    """A choice given as its code or its label in any site language, case-insensitively."""

    def __init__(
        self,
        choices: type[TextChoices],
        synonyms: Mapping[str, Iterable[str]],
        noun: Promise,
    ) -> None:
        super().__init__()
        self.choices = choices
        self.synonyms = synonyms
        self.noun = noun
        self._lookup: dict[str, str] | None = None

    def lookup(self) -> dict[str, str]:
        if self._lookup is None:
            lookup: dict[str, str] = {}
            for value, label in self.choices.choices:
                spellings = [value, *self.synonyms.get(value, ())]
                for language, _name in settings.LANGUAGES:
                    with override(language):
                        spellings.append(str(label))
                for spelling in spellings:
                    lookup.setdefault(choice_key(spelling), value)
            self._lookup = lookup
        return self._lookup

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        text = _text(value)
        if not text:
            return ""  # the model says whether the field may be empty
        found = self.lookup().get(choice_key(text))
        if found is None:
            raise ValueError(
                _("Unknown %(noun)s “%(value)s”. Use one of: %(choices)s.")
                % {"noun": self.noun, "value": text, "choices": self.help_text()}
            )
        return found

    def help_text(self) -> str:
        return "; ".join(f"{value} ({label})" for value, label in self.choices.choices)

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        if not value:
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)


class RegionCodeWidget(Widget):
    """A Kemendagri code, with dots (35.77.03.1009) or without (3577031009)."""

    # Digits per level: province, regency, district, village.
    GROUPS = (2, 2, 2, 4)

    def __init__(self) -> None:
        super().__init__()
        self._regions: dict[str, Region | None] = {}

    @classmethod
    def dotted(cls, text: str) -> str:
        if "." in text or not text.isdigit():
            return text
        parts, start = [], 0
        for size in cls.GROUPS:
            if start >= len(text):
                break
            parts.append(text[start : start + size])
            start += size
        return ".".join(parts) if start == len(text) else text

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Region | None:
        text = _text(value)
        if not text:
            return None
        code = self.dotted(text)
        if code not in self._regions:  # many rows share a city: one query per code
            self._regions[code] = Region.objects.filter(code=code).first()
        region = self._regions[code]
        if region is None:
            raise ValueError(
                _("No region has the code “%(code)s” (a Kemendagri code such as 35.77.03.1009).")
                % {"code": text}
            )
        return region

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return value.code if isinstance(value, Region) else ""


class PartnerNameWidget(Widget):
    """A contact's organisation, named as in the directory (case and spacing do not matter)."""

    def __init__(self) -> None:
        super().__init__()
        self.index: NameIndex | None = None
        self._partners: dict[int, Partner | None] = {}

    def clean(
        self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Partner | None:
        text = " ".join(_text(value).split())
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


class NameIndex:
    """Primary keys by normalised name, loaded once per import and kept current while it runs.

    Matching in Python rather than with `iexact` because stored names may hold double spaces
    that SQL cannot fold portably (SQLite has no regexp_replace).
    """

    def __init__(self, pairs: Iterable[tuple[Any, int]]) -> None:
        self._pks: dict[Any, list[int]] = {}
        for key, pk in pairs:
            self.add(key, pk)

    @staticmethod
    def _key(key: Any) -> Any:
        if isinstance(key, tuple):
            return tuple(normalize_name(part) if isinstance(part, str) else part for part in key)
        return normalize_name(key)

    def get(self, key: Any) -> list[int]:
        return self._pks.get(self._key(key), [])

    def add(self, key: Any, pk: int) -> None:
        pks = self._pks.setdefault(self._key(key), [])
        if pk not in pks:
            pks.append(pk)


class DirectoryResource(FormulaEscapingResourceMixin, resources.ModelResource):
    """What both directory imports share: header aliases, blank lines, all-or-nothing writes."""

    # canonical column name → accepted header spellings (compared through `header_key`)
    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {}
    # columns a file must have
    required_columns: ClassVar[tuple[str, ...]] = ()

    def import_data(self, dataset: Dataset, *args: Any, **kwargs: Any) -> Any:
        # A row that fails validation must roll back the rows before it too: the admin's confirm
        # step runs without this flag, and a file may have changed since its preview.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, *args, **kwargs)

    @classmethod
    def accepted_headers(cls) -> list[tuple[str, tuple[str, ...]]]:
        """(column, other spellings) for the import page."""
        return [
            (column, tuple(alias for alias in aliases if alias != column))
            for column, aliases in cls.header_aliases.items()
        ]

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        self._drop_blank_rows(dataset)
        self._rename_headers(dataset)

    @staticmethod
    def _drop_blank_rows(dataset: Dataset) -> None:
        # Spreadsheets keep formatted but empty rows below the data; they are not partners.
        for index in range(len(dataset) - 1, -1, -1):
            if all(_text(cell) == "" for cell in dataset[index]):
                del dataset[index]

    def _rename_headers(self, dataset: Dataset) -> None:
        by_alias = {
            header_key(alias): column
            for column, aliases in self.header_aliases.items()
            for alias in (column, *aliases)
        }
        headers: list[str] = []
        seen: dict[str, str] = {}
        problems: list[str] = []
        for header in dataset.headers or []:
            column = by_alias.get(header_key(header))
            if column is None:
                headers.append(str(header or ""))  # unknown columns are ignored by the import
                continue
            if column in seen:
                problems.append(
                    _("The columns “%(first)s” and “%(second)s” both give %(column)s.")
                    % {"first": seen[column], "second": header, "column": column}
                )
            seen[column] = str(header)
            headers.append(column)
        missing = [column for column in self.required_columns if column not in seen]
        if missing:
            problems.append(
                _("Missing column(s): %(missing)s. Accepted headers: %(accepted)s.")
                % {
                    "missing": ", ".join(missing),
                    "accepted": "; ".join(
                        " / ".join((column, *aliases))
                        for column, aliases in self.accepted_headers()
                    ),
                }
            )
        if problems:
            # Without usable headers every row would fail for the same reason; report it once.
            del dataset[0 : len(dataset)]
            raise ValueError(" ".join(str(problem) for problem in problems))
        dataset.headers = headers


class PartnerResource(DirectoryResource):
    """Partners, matched on their name; the registered spelling of a matched name is kept."""

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
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.names: NameIndex | None = None

    @classmethod
    def choice_help(cls) -> list[tuple[str, str]]:
        fields = cls.fields
        return [
            (str(_("pillar")), fields["pillar"].widget.help_text()),
            (str(_("kind")), fields["kind"].widget.help_text()),
        ]

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.names = NameIndex(Partner.objects.values_list("name", "pk"))

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Partner | None:
        assert self.names is not None
        pks = self.names.get(row.get("name"))
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

    def import_field(
        self, field: Field, instance: Partner, row: Any, *args: Any, **kw: Any
    ) -> None:
        # A match by name keeps the directory's spelling: "yayasan  x" must not rename "Yayasan X".
        if field.attribute == "name" and instance.pk is not None:
            return
        super().import_field(field, instance, row, *args, **kw)

    def after_save_instance(self, instance: Partner, row: Any, **kwargs: Any) -> None:
        # Later rows of the same file naming this partner update it instead of adding a twin.
        assert self.names is not None
        self.names.add(instance.name, instance.pk)


class ContactResource(DirectoryResource):
    """Contact persons, attached to a partner named in the file and matched on (partner, name)."""

    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "partner": (
            "partner_name",
            "mitra",
            "nama_mitra",
            "organisasi",
            "nama_organisasi",
            "organisation",
            "lembaga",
            "instansi",
        ),
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
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.contacts: NameIndex | None = None

    @classmethod
    def choice_help(cls) -> list[tuple[str, str]]:
        return []

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["partner"].widget.index = NameIndex(Partner.objects.values_list("name", "pk"))
        self.contacts = NameIndex(
            ((partner_id, name), pk)
            for partner_id, name, pk in Contact.objects.values_list("partner_id", "name", "pk")
        )

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Contact | None:
        assert self.contacts is not None
        partner_pks = self.fields["partner"].widget.index.get(row.get("partner"))
        if len(partner_pks) != 1:
            return None  # the partner column reports the problem as a validation error
        pks = self.contacts.get((partner_pks[0], _text(row.get("name"))))
        return Contact.objects.filter(pk=pks[0]).select_related("partner").first() if pks else None

    def import_field(
        self, field: Field, instance: Contact, row: Any, *args: Any, **kw: Any
    ) -> None:
        if field.attribute == "name" and instance.pk is not None:
            return
        super().import_field(field, instance, row, *args, **kw)

    def after_save_instance(self, instance: Contact, row: Any, **kwargs: Any) -> None:
        assert self.contacts is not None
        self.contacts.add((instance.partner_id, instance.name), instance.pk)
