"""Spreadsheet import machinery shared by the apps' django-import-export resources.

Lists arrive as CSV or XLSX with Indonesian or English headers, choices written as codes or as
labels in either language, names typed with stray capitals and spaces, amounts and dates in the
local ways of writing them. The widgets here accept all of that and raise a reason a person can
act on; `SpreadsheetResource` renames the headers, drops blank lines and writes all or nothing,
so the preview lists each bad row with its reason and nothing is written until the file is clean.
The resources themselves (which model, which columns, how a row finds its record) live in the
apps.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Model, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import resources
from import_export.widgets import Widget
from tablib import Dataset

from collab.exports import FormulaEscapingResourceMixin
from collab.models import Region

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


def cell_text(value: object) -> str:
    """A cell as text; spreadsheets hand numbers over as int or float (phone 812345.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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


# ---------------------------------------------------------------------------------------------
# Widgets: each raises ValueError with a reason a person can act on (import-export turns it into
# a validation error of the row and the field).


class TextWidget(Widget):
    """Trimmed text; an empty cell is an empty string (text fields are never NULL)."""

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        return cell_text(value)

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class NameWidget(TextWidget):
    """A name with its inner runs of spaces collapsed, as it will be matched later."""

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        return " ".join(cell_text(value).split())


class WebsiteWidget(TextWidget):
    """`www.example.org` is how people write addresses; store it as a URL that validates."""

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        text = cell_text(value)
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
        text = cell_text(value)
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
        text = cell_text(value)
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
        text = cell_text(value)
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
        text = cell_text(value)
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


# ---------------------------------------------------------------------------------------------
# Resources


class SpreadsheetResource(FormulaEscapingResourceMixin, resources.ModelResource):
    """What every spreadsheet import shares: header aliases, blank lines, all-or-nothing writes."""

    # canonical column name → accepted header spellings (compared through `header_key`)
    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {}
    # columns a file must have
    required_columns: ClassVar[tuple[str, ...]] = ()
    # choice columns whose accepted values the import page lists
    choice_columns: ClassVar[tuple[str, ...]] = ()

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

    @classmethod
    def choice_help(cls) -> list[tuple[str, str]]:
        """(the field's name, its accepted values) of each of `choice_columns`, for the page."""
        model = cls._meta.model
        return [
            (str(model._meta.get_field(name).verbose_name), cls.fields[name].widget.help_text())
            for name in cls.choice_columns
        ]

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        self._drop_blank_rows(dataset)
        self._rename_headers(dataset)

    @staticmethod
    def _drop_blank_rows(dataset: Dataset) -> None:
        # Spreadsheets keep formatted but empty rows below the data; they are not records.
        for index in range(len(dataset) - 1, -1, -1):
            if all(cell_text(cell) == "" for cell in dataset[index]):
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
