"""Export writers shared by every list (`?export=csv|xlsx|json`) and by the admin exports.

A list view declares *what* it shows and exports (a `collab.columns.ColumnSpec` of `Column`s,
kept in each app's `exports.py`); this module decides *how* the export is written: one
`.values_list()` query iterated in chunks, cells converted per format, written as it is read.
Memory stays bounded for any number of rows:

- CSV and JSON are generated while the response is sent (`StreamingHttpResponse`);
- XLSX too: `collab.xlsx` writes the sheet's XML itself into a zip whose bytes are sent as they
  are compressed (strings inline, no shared-string table), with a bold, frozen, filtered header,
  sized columns, hyperlinks, real dates and numbers (amounts in rupiah) and yes/no in the
  request's language.

Every text cell of a CSV or XLSX file that a spreadsheet could read as a formula is prefixed with
`'` (`escape_formula`, OWASP ASVS 5.0 V1.2.10). JSON is data for programs, not for spreadsheets,
and carries the text unchanged.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Coalesce
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from collab import xlsx
from collab.columns import Column, ColumnSpec, StrOrPromise

T = TypeVar("T")

EXPORT_PARAM = "export"
CHUNK_SIZE = 2000  # rows fetched per round trip (and per server-side cursor fetch on PostgreSQL)
FLUSH_BYTES = 64 * 1024  # CSV/JSON text is sent in pieces of about this size
XLSX_MAX_CELL = xlsx.MAX_CELL  # Excel refuses a workbook with a longer cell text

# A cell beginning with one of these is a formula (or becomes one) in Excel, LibreOffice or
# Google Sheets: = + - @ start formulas, tab and carriage return are stripped before parsing,
# NUL confuses parsers that stop there.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\0")


def escape_formula(value: T) -> T | str:
    """`value` with a leading `'` when it is text a spreadsheet would evaluate.

    Only text is escaped: numbers, dates, booleans and None are returned unchanged, so a
    negative amount stays a number.
    """
    if isinstance(value, str) and value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


# Query helpers for `ColumnSpec.annotate`: one correlated subquery each, constant queries.


def count_of(queryset: QuerySet, to_parent: str) -> Coalesce:
    """The number of rows of `queryset` whose `to_parent` foreign key is the outer row."""
    counted = (
        queryset.filter(**{to_parent: OuterRef("pk")})
        .order_by()
        .values(to_parent)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class JoinedText(Subquery):
    """The texts of a one-column correlated subquery joined into one cell, in its order.

    PostgreSQL: `ARRAY_TO_STRING(ARRAY(subquery), sep)`; ARRAY() keeps the subquery's ORDER BY.
    SQLite (no ORDER BY inside aggregates before 3.44): GROUP_CONCAT over the ordered subquery,
    which SQLite reads in order because it does not flatten an ordered subquery into an
    aggregate. No rows give "" on both.
    """

    def __init__(self, queryset: QuerySet, separator: str) -> None:
        super().__init__(queryset, output_field=TextField())
        self.separator = separator
        (self.part,) = queryset.query.values_select or tuple(queryset.query.annotation_select)

    def as_sql(self, compiler: Any, connection: Any, template: str | None = None, **extra: Any):
        sql, params = super().as_sql(compiler, connection, template, **extra)
        if connection.vendor == "postgresql":
            return f"COALESCE(ARRAY_TO_STRING(ARRAY{sql}, %s), '')", (*params, self.separator)
        part = connection.ops.quote_name(self.part)
        return (
            f"COALESCE((SELECT GROUP_CONCAT(parts.{part}, %s) FROM {sql} AS parts), '')",
            (self.separator, *params),
        )


# --- rows --------------------------------------------------------------------------------------

# A number no URL pattern contains; it matches both the int and the slug converters.
_URL_PLACEHOLDER = "9081726354"


def _link_builder(request: HttpRequest, column: Column) -> Callable[[Any], str | None]:
    """One reverse() for the whole export; each row only fills in its value."""
    url = request.build_absolute_uri(
        reverse(column.link, kwargs={column.link_kwarg: _URL_PLACEHOLDER})
    )
    prefix, suffix = url.split(_URL_PLACEHOLDER, 1)

    def build(value: Any) -> str | None:
        return None if value is None else f"{prefix}{value}{suffix}"

    return build


def _choice_labels(choices: Iterable[tuple[Any, StrOrPromise]]) -> Callable[[Any], Any]:
    # Labels are made text now, in the request's language: the rows are written later.
    labels = {value: str(label) for value, label in choices}

    def label(value: Any) -> Any:
        return labels.get(value, value)

    return label


class ExportRows:
    """The header and rows of one export: one query, iterated `CHUNK_SIZE` rows at a time.

    Headers and choice labels are turned into text when this is built (during the request, in
    its language), because the rows of a streamed response are produced after the view returns.
    """

    def __init__(self, spec: ColumnSpec, queryset: QuerySet, request: HttpRequest) -> None:
        self.spec = spec
        self.headers = [str(column.label) for column in spec.exported]
        self.keys = [column.key for column in spec.exported]
        self.yes, self.no = gettext("yes"), gettext("no")  # booleans in CSV
        fields = list(dict.fromkeys(column.field for column in spec.exported))
        self.queryset = spec.annotate(queryset).values_list(*fields)
        self.plan: list[tuple[int, Callable[[Any], Any] | None]] = []
        for column in spec.exported:
            convert = None
            if column.link:
                convert = _link_builder(request, column)
            elif column.choices is not None:
                convert = _choice_labels(column.choices)
            self.plan.append((fields.index(column.field), convert))

    def __iter__(self) -> Iterator[list[Any]]:
        plan = self.plan
        for row in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [row[i] if convert is None else convert(row[i]) for i, convert in plan]


# --- writers -----------------------------------------------------------------------------------


def _csv_converters(rows: ExportRows) -> dict[type, Callable[[Any], Any]]:
    yes, no = rows.yes, rows.no
    return {
        str: escape_formula,
        type(None): lambda value: "",
        bool: lambda value: yes if value else no,
        datetime.date: datetime.date.isoformat,
        datetime.datetime: lambda value: (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        ),
        Decimal: lambda value: format(value, "f"),
    }


def _streamed_csv(rows: ExportRows) -> Iterator[bytes]:
    converters = _csv_converters(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: comma, double quotes, CRLF
    # The byte-order mark makes Excel read the file as UTF-8 (names such as "Dinas PU — Bidang").
    buffer.write("\ufeff")
    writer.writerow([escape_formula(header) for header in rows.headers])
    # The header goes out at once: the download starts before the query has run.
    yield buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    find = converters.get
    for row in rows:
        writer.writerow(
            [value if (convert := find(type(value))) is None else convert(value) for value in row]
        )
        if buffer.tell() >= FLUSH_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


# The C encoder json.dumps(..., ensure_ascii=False) uses, without building an encoder per call.
_json_text: Callable[[str], str] = json.encoder.encode_basestring


_JSON_ENCODERS: dict[type, Callable[[Any], str]] = {
    str: _json_text,
    type(None): lambda value: "null",
    bool: lambda value: "true" if value else "false",
    int: str,
    float: json.dumps,
    # Amounts stay exact numbers: the decimal's own digits, never a float's approximation.
    Decimal: lambda value: format(value, "f"),
    datetime.date: lambda value: f'"{value.isoformat()}"',
    datetime.datetime: lambda value: _json_text(
        (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    ),
}


def _json_other(value: Any) -> str:
    return _json_text(str(value))


def _streamed_json(rows: ExportRows) -> Iterator[bytes]:
    """A JSON array of objects keyed by the columns' keys, one object per line."""
    prefixes = [f"{_json_text(key)}: " for key in rows.keys]
    yield b"["
    pieces: list[str] = []
    size = 0
    separator = "\n"
    find = _JSON_ENCODERS.get
    for row in rows:
        pairs = zip(prefixes, row, strict=True)
        members = [key + find(type(value), _json_other)(value) for key, value in pairs]
        line = separator + "{" + ", ".join(members) + "}"
        separator = ",\n"
        pieces.append(line)
        size += len(line)
        if size >= FLUSH_BYTES:
            yield "".join(pieces).encode("utf-8")
            pieces.clear()
            size = 0
    pieces.append("\n]\n")
    yield "".join(pieces).encode("utf-8")


def _naive_local(value: datetime.datetime) -> datetime.datetime:
    # Excel has no time zones: local wall-clock time.
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _streamed_xlsx(rows: ExportRows) -> Iterator[bytes]:
    """The workbook's bytes as they are compressed; dates in the request's short date format."""
    return xlsx.stream_workbook(
        rows.spec.filename,
        rows.headers,
        [column.cell_kind for column in rows.spec.exported],
        rows,
        yes=rows.yes,
        no=rows.no,
        escape=escape_formula,
        local_time=_naive_local,
        date_format=xlsx.excel_date_format(formats.get_format("SHORT_DATE_FORMAT")),
    )


CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Exports hold records limited to one user's rights: never kept by a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def csv_response(rows: ExportRows, filename: str) -> HttpResponseBase:
    response = StreamingHttpResponse(_streamed_csv(rows), content_type=CSV_TYPE)
    return _attachment(response, filename)


def json_response(rows: ExportRows, filename: str) -> HttpResponseBase:
    response = StreamingHttpResponse(_streamed_json(rows), content_type=JSON_TYPE)
    return _attachment(response, filename)


def xlsx_response(rows: ExportRows, filename: str) -> HttpResponseBase:
    response = StreamingHttpResponse(_streamed_xlsx(rows), content_type=XLSX_TYPE)
    return _attachment(response, filename)


WRITERS: Mapping[str, Callable[[ExportRows, str], HttpResponseBase]] = {
    "csv": csv_response,
    "xlsx": xlsx_response,
    "json": json_response,
}
FORMATS: Sequence[str] = tuple(WRITERS)


def export_response(
    spec: ColumnSpec, queryset: QuerySet, request: HttpRequest, export_format: str
) -> HttpResponseBase:
    """`queryset` (already restricted and filtered) written as `export_format` (one of FORMATS)."""
    rows = ExportRows(spec, queryset, request)
    return WRITERS[export_format](rows, spec.file_name(export_format))


# --- admin exports (django-import-export) --------------------------------------------------------


class FormulaEscapingResourceMixin:
    """Put first in a django-import-export resource's bases: exported text cells (CSV, XLSX…)
    get the same `'` prefix as the list exports; numbers stay numbers.

        class PartnerResource(FormulaEscapingResourceMixin, resources.ModelResource): ...
    """

    def export_field(self, field: Any, instance: Model, **kwargs: Any) -> Any:
        from import_export.widgets import NumberWidget

        value = super().export_field(field, instance, **kwargs)  # type: ignore[misc]
        # Number widgets render "-5" as text; it is a number, not a formula.
        if isinstance(getattr(field, "widget", None), NumberWidget):
            return value
        return escape_formula(value)

    def get_export_headers(self, *args: Any, **kwargs: Any) -> list[str]:
        headers = super().get_export_headers(*args, **kwargs)  # type: ignore[misc]
        return [escape_formula(header) for header in headers]
