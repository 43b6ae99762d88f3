"""A streaming XLSX writer: one sheet, written as its rows are read, sent as it is written.

An .xlsx file is a zip of a few small XML parts and the sheet. This module writes the sheet's
XML itself, row by row, into a deflated zip member whose bytes are handed out as they are
produced (a zip with data descriptors: nothing is seeked back, nothing is kept whole), so the
first bytes leave before the query has finished and memory does not grow with the rows.
openpyxl's write-only mode, which it replaces for the list exports, builds a cell object per
value and the whole file before the first byte: about 7 % of PostgreSQL COPY's rows per second
against 30 % and more here (bench/README.md has the figures).

What the sheet looks like:

- the header row bold, frozen (the pane below row 1) and filtered (an autofilter over the
  whole used range);
- column widths from the header and the first `SAMPLE_ROWS` rows, capped at `MAX_WIDTH`;
- text as inline strings (no shared-string table: nothing to keep for the end), XML-escaped,
  the characters XML 1.0 forbids removed, at most `MAX_CELL` characters;
- integers and decimals as numbers, amounts (`AMOUNT` columns) with a rupiah format, dates and
  date-times as Excel dates with the user's short date format, booleans as 1/0 shown as the
  user's yes/no (a number format: the cell still sums and filters);
- `URL` columns as hyperlinks (Excel keeps at most `MAX_LINKS` per sheet: later rows keep the
  address as text).

The caller decides the text (formula escaping, labels, local times); this module only knows
cells. It needs nothing of Django.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

AMOUNT = "amount"  # a number shown with the rupiah format
URL = "url"  # an absolute address, written as a hyperlink

MAX_CELL = 32_767  # Excel refuses a workbook with a longer cell text
MAX_ROWS = 1_048_576  # Excel's rows per sheet, header included
MAX_LINKS = 65_530  # Excel's hyperlinks per sheet; it drops or repairs beyond
MAX_LINK_LENGTH = 2_079  # Excel's longest hyperlink address
SAMPLE_ROWS = 200  # rows read before writing, to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60  # column widths, in characters
FLUSH_CHARS = 256 * 1024  # sheet XML handed to the compressor in pieces of about this size
FLUSH_BYTES = 64 * 1024  # compressed bytes handed out in pieces of about this size
COMPRESS_LEVEL = 1  # zlib's fastest: a file about 20 % larger, written 1.5 times faster than at 6

# Characters XML 1.0 cannot hold (C0 controls except tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF).
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Anything that needs more than copying: illegal characters, markup, carriage returns (which an
# XML parser would read as newlines) and the `_xHHHH_` escapes Excel would decode.
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f&<>\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")

# Excel's day 0 is 1899-12-30 for every date from 1900-03-01 (it believes 1900 was a leap year);
# earlier dates are written as text.
_EPOCH = datetime.date(1899, 12, 30).toordinal()
_FIRST_SERIAL = datetime.date(1900, 3, 1).toordinal() - _EPOCH

# Cell styles (indexes into cellXfs of styles.xml).
_HEADER, _DATE, _DATETIME, _AMOUNT, _BOOLEAN, _LINK = 1, 2, 3, 4, 5, 6

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def xml_text(value: str) -> str:
    """`value` ready to sit between tags: legal characters only, markup escaped, carriage
    returns kept as character references, literal `_xHHHH_` protected from Excel's decoding."""
    value = ILLEGAL_XML.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\r", "&#13;")
    return _EXCEL_ESCAPE.sub(r"_x005F_\1", value)


def _attribute(value: str, excel_text: bool = True) -> str:
    """`value` as an attribute; `excel_text` False for a relationship's address, which Excel
    reads as it is (no `_xHHHH_` decoding)."""
    if excel_text:
        value = xml_text(value)
    else:
        value = ILLEGAL_XML.sub("", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        value.replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
        .replace("\r", "&#13;")
    )


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def excel_date_format(django_format: str) -> str:
    """Django's date format letters (`d-m-Y`) as an Excel number format (`dd-mm-yyyy`); ISO
    when it holds a letter with no simple Excel equivalent."""
    letters = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy"}
    parts = []
    for char in django_format:
        if char in letters:
            parts.append(letters[char])
        elif char in " -/.,":
            parts.append(char if char in "-/" else "\\" + char)
        else:
            return "yyyy-mm-dd"
    return "".join(parts)


def _quoted(text: str) -> str:
    """Text as a literal of an Excel number format."""
    return '"' + text.replace('"', "") + '"'


class _Sink:
    """The zip's output: keeps what was written until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


# --- cells -------------------------------------------------------------------------------------
# A cell writer turns (reference, value) into the cell's XML. Each column has a table of writers
# by the value's exact type (bool is looked up before it could pass for an int).


def _markup(value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _EXCEL_ESCAPE.sub(r"_x005F_\1", value.replace("\r", "&#13;"))


def _cell_writers(
    escape: Callable[[str], str],
    local_time: Callable[[datetime.datetime], datetime.datetime],
    links: list[tuple[str, str]],
) -> dict[str, dict[type, Callable[[str, Any], str]]]:
    """The writers by type for each kind of column ("" , AMOUNT, URL)."""

    def text(ref: str, value: str, style: str = "") -> str:
        special = _SPECIAL.search(value) is not None
        if special:
            # Removed before the caller's escape sees the text: "\x01=1" must not become "=1".
            value = ILLEGAL_XML.sub("", value)
        value = escape(value)
        if not value:
            return f'<c r="{ref}"/>'
        if len(value) > MAX_CELL:
            value = value[: MAX_CELL - 1] + "…"
        if special:
            value = _markup(value)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'

    def number(ref: str, value: int) -> str:
        return f'<c r="{ref}"><v>{value}</v></c>'

    def real(ref: str, value: float) -> str:
        if not math.isfinite(value):  # Excel has no NaN nor infinity
            return text(ref, str(value))
        return f'<c r="{ref}"><v>{value!r}</v></c>'

    def decimal(ref: str, value: Decimal) -> str:
        if not value.is_finite():
            return text(ref, str(value))
        return f'<c r="{ref}"><v>{value:f}</v></c>'

    def amount(ref: str, value: Decimal | int | float) -> str:
        if isinstance(value, Decimal):
            if value.is_finite():
                return f'<c r="{ref}" s="{_AMOUNT}"><v>{value:f}</v></c>'
        elif not isinstance(value, float) or math.isfinite(value):
            return f'<c r="{ref}" s="{_AMOUNT}"><v>{value!r}</v></c>'
        return text(ref, str(value))

    def boolean(ref: str, value: bool) -> str:
        return f'<c r="{ref}" s="{_BOOLEAN}"><v>{1 if value else 0}</v></c>'

    def date(ref: str, value: datetime.date) -> str:
        serial = value.toordinal() - _EPOCH
        if serial < _FIRST_SERIAL:
            return text(ref, value.isoformat())
        return f'<c r="{ref}" s="{_DATE}"><v>{serial}</v></c>'

    def date_time(ref: str, value: datetime.datetime) -> str:
        value = local_time(value)
        serial = value.toordinal() - _EPOCH
        if serial < _FIRST_SERIAL:
            return text(ref, value.isoformat())
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial + seconds / 86400!r}</v></c>'

    def other(ref: str, value: Any) -> str:
        return text(ref, str(value))

    def link(ref: str, value: str) -> str:
        if (
            len(links) >= MAX_LINKS
            or len(value) > MAX_LINK_LENGTH
            or not value.startswith(("https://", "http://"))
            or ILLEGAL_XML.search(value) is not None
        ):
            return text(ref, value)
        links.append((ref, value))
        return text(ref, value, f' s="{_LINK}"')

    by_type: dict[type, Callable[[str, Any], str]] = {
        str: text,
        bool: boolean,
        int: number,
        float: real,
        Decimal: decimal,
        datetime.date: date,
        datetime.datetime: date_time,
        object: other,  # any other type
    }
    return {
        "": by_type,
        AMOUNT: {**by_type, Decimal: amount, int: amount, float: amount},
        URL: {**by_type, str: link},
        "header": {str: lambda ref, value: text(ref, value, f' s="{_HEADER}"')},
    }


# --- widths ------------------------------------------------------------------------------------


def _shown_length(value: Any, kind: str, labels: tuple[str, str]) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return max(len(labels[0]), len(labels[1]))
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if kind == AMOUNT and isinstance(value, int | float | Decimal):
        try:
            return len(f"Rp {value:,.0f}")
        except ValueError:
            return len(str(value))
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(
    headers: Sequence[str], kinds: Sequence[str], sample: Sequence[Sequence[Any]], labels
) -> list[float]:
    """Characters per column: the longest of the header (bold, with the filter's button) and the
    sampled values, between MIN_WIDTH and MAX_WIDTH."""
    widths = []
    for index, (header, kind) in enumerate(zip(headers, kinds, strict=True)):
        longest = max((_shown_length(row[index], kind, labels) for row in sample), default=0)
        width = max(len(header) * 1.1 + 3, longest + 2)
        widths.append(round(min(max(width, MIN_WIDTH), MAX_WIDTH), 1))
    return widths


# --- the parts ---------------------------------------------------------------------------------


def _content_types() -> str:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return (
        f"{_DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{main}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.extended-properties+xml"/>'
        "</Types>"
    )


_ROOT_RELS = (
    f"{_DECLARATION}"
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_WORKBOOK_RELS = (
    f"{_DECLARATION}"
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)

_APP = (
    f"{_DECLARATION}"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>Collab Registry</Application></Properties>'
)


def _core(created: datetime.datetime) -> str:
    stamp = created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_DECLARATION}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>Collab Registry</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        "</cp:coreProperties>"
    )


def _styles(date_format: str, yes: str, no: str) -> str:
    formats = (
        (164, date_format),
        (165, f"{date_format} hh:mm"),
        (166, '"Rp "#,##0;-"Rp "#,##0'),
        (167, f"{_quoted(yes)};{_quoted(yes)};{_quoted(no)}"),
    )
    num_fmts = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{_attribute(code)}"/>' for number, code in formats
    )
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'

    def xf(number_format: int = 0, font: int = 0, applied: str = "", children: str = "") -> str:
        attributes = f'numFmtId="{number_format}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
        for name in applied.split():
            attributes += f' {name}="1"'
        return f"<xf {attributes}>{children}</xf>" if children else f"<xf {attributes}/>"

    by_index = {
        0: xf(),
        _HEADER: xf(font=1, applied="applyFont"),
        _DATE: xf(164, applied="applyNumberFormat"),
        _DATETIME: xf(165, applied="applyNumberFormat"),
        _AMOUNT: xf(166, applied="applyNumberFormat"),
        # yes/no read as words: centred, not right-aligned like the number they are.
        _BOOLEAN: xf(
            167,
            applied="applyNumberFormat applyAlignment",
            children='<alignment horizontal="center"/>',
        ),
        _LINK: xf(font=2, applied="applyFont"),
    }
    cell_xfs = [by_index[index] for index in range(len(by_index))]
    cell_xfs_xml = "".join(cell_xfs)
    return (
        f"{_DECLARATION}<styleSheet {_NS}>"
        f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>'
        f'<fonts count="3"><font>{font}</font><font><b/>{font}</font>'
        f'<font><u/><color rgb="FF0563C1"/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(cell_xfs)}">{cell_xfs_xml}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, not empty, at most 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", "-", ILLEGAL_XML.sub("", name)).strip("'")[:31]
    return name or "Sheet1"


def _workbook(sheet_name: str, filter_range: str) -> str:
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    return (
        f"{_DECLARATION}<workbook {_NS} {_NS_R}>"
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{_attribute(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{xml_text(quoted)}!{filter_range}</definedName></definedNames>"
        "</workbook>"
    )


def _sheet_start(widths: Sequence[float]) -> str:
    cols = "".join(
        f'<col min="{number}" max="{number}" width="{width}" customWidth="1"/>'
        for number, width in enumerate(widths, start=1)
    )
    return (
        f"{_DECLARATION}<worksheet {_NS} {_NS_R}>"
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
    )


def _sheet_end(filter_range: str, links: list[tuple[str, str]]) -> str:
    hyperlinks = ""
    if links:
        items = "".join(
            f'<hyperlink ref="{ref}" r:id="rId{number}"/>'
            for number, (ref, _) in enumerate(links, start=1)
        )
        hyperlinks = f"<hyperlinks>{items}</hyperlinks>"
    return (
        f'</sheetData><autoFilter ref="{filter_range}"/>{hyperlinks}'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _sheet_rels(links: list[tuple[str, str]]) -> str:
    kind = f"{_REL}/hyperlink"
    items = "".join(
        f'<Relationship Id="rId{number}" Type="{kind}" '
        f'Target="{_attribute(url, excel_text=False)}" TargetMode="External"/>'
        for number, (_, url) in enumerate(links, start=1)
    )
    return f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">{items}</Relationships>'


# --- the workbook ------------------------------------------------------------------------------


def stream_workbook(
    sheet_name: str,
    headers: Sequence[str],
    kinds: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    yes: str,
    no: str,
    escape: Callable[[str], str] = lambda text: text,
    local_time: Callable[[datetime.datetime], datetime.datetime] = lambda moment: moment,
    date_format: str = "yyyy-mm-dd",
    created: datetime.datetime | None = None,
) -> Iterator[bytes]:
    """The bytes of an .xlsx file of one sheet: `headers`, then `rows`, in pieces.

    `kinds[i]` is AMOUNT, URL or "" (the value's type decides) for column i. Every text cell
    (headers included) goes through `escape` once the characters XML forbids are removed: the
    caller's formula escaping sees the text a spreadsheet will see. `yes` and `no` are how
    booleans read; `local_time` makes a date-time the naive wall-clock time a spreadsheet shows
    (Excel has no time zones). Rows past Excel's limit of a sheet are not written.
    """
    letters = [column_letters(index) for index in range(len(headers))]
    last = letters[-1]
    links: list[tuple[str, str]] = []
    by_kind = _cell_writers(escape, local_time, links)
    other = by_kind[""][object]
    columns = [
        (letter, by_kind.get(kind, by_kind[""]))
        for letter, kind in zip(letters, kinds, strict=True)
    ]

    rows = iter(rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    widths = column_widths(headers, kinds, sample, (yes, no))

    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
    archive.writestr("[Content_Types].xml", _content_types())
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr("docProps/app.xml", _APP)
    archive.writestr("docProps/core.xml", _core(created or datetime.datetime.now(datetime.UTC)))
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    archive.writestr("xl/styles.xml", _styles(date_format, yes, no))

    # No zip64: Excel refuses a zip64 member in a file that does not need it.
    sheet = archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=False)
    header_cell = by_kind["header"][str]
    header = "".join(
        header_cell(f"{letter}1", text) for letter, text in zip(letters, headers, strict=True)
    )
    parts = [_sheet_start(widths), f'<row r="1">{header}</row>']
    size = 0
    number = 1
    for row in _chain(sample, rows):
        if number == MAX_ROWS:
            break
        number += 1
        r = str(number)
        cells = [f'<row r="{r}">']
        for (letter, writers), value in zip(columns, row, strict=True):
            if value is not None:
                cells.append((writers.get(type(value)) or other)(letter + r, value))
        if row[-1] is None:  # readers size a row by its last cell
            cells.append(f'<c r="{last}{r}"/>')
        cells.append("</row>")
        line = "".join(cells)
        parts.append(line)
        size += len(line)
        if size >= FLUSH_CHARS:
            sheet.write("".join(parts).encode("utf-8"))
            parts.clear()
            size = 0
            if sink.size >= FLUSH_BYTES:
                yield sink.take()
    filter_range = f"A1:{last}{number}"
    parts.append(_sheet_end(filter_range, links))
    sheet.write("".join(parts).encode("utf-8"))
    sheet.close()
    if links:
        archive.writestr("xl/worksheets/_rels/sheet1.xml.rels", _sheet_rels(links))
    name = _sheet_name(sheet_name)
    archive.writestr("xl/workbook.xml", _workbook(name, _absolute(filter_range)))
    archive.close()
    yield sink.take()


def _chain(sample: list, rows: Iterator) -> Iterator:
    yield from sample
    sample.clear()  # the sampled rows are not kept while the others are written
    yield from rows


def _absolute(cell_range: str) -> str:
    """A1:P9 → $A$1:$P$9."""
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", cell_range)
