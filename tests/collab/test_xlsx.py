"""The XLSX exports (`collab.xlsx`): the cells openpyxl's writer gave, typed, in a sheet that reads
well (bold frozen filtered header, widths, hyperlinks, dates, rupiah, yes/no in the user's
language), a valid zip of valid XML, streamed."""

from __future__ import annotations

import datetime
import io
import math
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl.styles.numbers import is_date_format

from collab import exports, xlsx
from collab.exports import escape_formula
from partners.models import Partner
from programs.models import Commitment
from tests.factories.agreements import AgreementFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory

pytestmark = pytest.mark.django_db

LISTS = (
    "programs:agreement_list",
    "programs:commitment_list",
    "partners:partner_list",
    "programs:meeting_list",
    "programs:actionitem_list",
    "programs:site_list",
    "programs:program_list",
)


@pytest.fixture(autouse=True)
def _english_source_labels(settings):
    settings.LANGUAGE_CODE = "en"


def xlsx_bytes(client, url_name: str, **params: Any) -> bytes:
    response = client.get(reverse(url_name), {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def values(data: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


# --- the writer it replaces, as it was -----------------------------------------------------------


def openpyxl_xlsx(rows: exports.ExportRows) -> Iterator[bytes]:
    """The XLSX writer before collab.xlsx (openpyxl's write-only mode), for comparison."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def text(value: str) -> str:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > 32_767:
            value = value[:32_766] + "…"
        return escape_formula(value)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=rows.spec.filename[:31])
    sheet.append([WriteOnlyCell(sheet, value=text(label)) for label in rows.headers])
    for row in rows:
        sheet.append([text(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    yield buffer.getvalue()


@pytest.fixture
def every_kind_of_record(program):
    """Rows for every list, with empty fields, formula text, control characters and Unicode."""
    partner = PartnerFactory(
        name="=Dinas PU — Bidang\x01 Cipta Karya",
        acronym="",
        website="https://pu.example.go.id/?a=1&b=<2>",
        is_active=False,
    )
    PartnerFactory(name="Yayasan Tanpa Situs", website="", email="info@example.org")
    agreement = AgreementFactory(program=program, title="+Perjanjian & <kerja sama>", document="")
    SignatoryFactory(agreement=agreement, partner=partner, signer_name="@Budi\x0b")
    meeting = MeetingFactory(program=program, title="Rapat\u00a0koordinasi 😀")
    CommitmentFactory(
        program=program, agreement=agreement, meeting=meeting, amount=Decimal("1250000.75")
    )
    CommitmentFactory(program=program, amount=None, starts_on=None, due_on=None)
    ActionItemFactory(program=program, meeting=meeting, description="baris satu\nbaris dua")
    SiteFactory(program=program, rationale="-menurut data BPS")
    ProgramPartnerFactory(program=program, partner=partner)


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_has_the_cells_the_openpyxl_writer_gave(
    client_for, every_kind_of_record, monkeypatch, url_name
):
    client = client_for("admin")
    new = values(xlsx_bytes(client, url_name))
    monkeypatch.setattr(exports, "_streamed_xlsx", openpyxl_xlsx)
    old = values(xlsx_bytes(client, url_name))
    assert len(new) == len(old) > 1
    for new_row, old_row in zip(new, old, strict=True):
        # Booleans are now 1/0 shown as yes/no; openpyxl gave True/False (== 1/0 in Python).
        assert new_row == old_row
        assert [type(value) for value in new_row] == [
            int if isinstance(value, bool) else type(value) for value in old_row
        ]


# --- types ---------------------------------------------------------------------------------------


def test_amounts_are_rupiah_numbers_dates_are_dates_counts_are_numbers(client_for, program):
    agreement = AgreementFactory(program=program, signed_on=datetime.date(2017, 2, 9))
    CommitmentFactory(
        program=program,
        agreement=agreement,
        amount=Decimal("1500000.50"),
        starts_on=datetime.date(2024, 3, 1),
        due_on=datetime.date(2024, 12, 31),
        kind=Commitment.Kind.FUNDING,
    )
    sheet = load(xlsx_bytes(client_for("staff"), "programs:commitment_list")).active
    header = [cell.value for cell in sheet[1]]
    amount = sheet.cell(2, header.index("Amount (Rp)") + 1)
    assert (amount.value, amount.data_type) == (1500000.5, "n")
    assert amount.number_format == '"Rp "#,##0;-"Rp "#,##0'
    due = sheet.cell(2, header.index("Due on") + 1)
    assert due.value == datetime.datetime(2024, 12, 31)
    assert due.is_date and is_date_format(due.number_format)
    assert due.number_format == "yyyy-mm-dd"  # the project's English short date (Y-m-d)

    sheet = load(xlsx_bytes(client_for("staff"), "programs:agreement_list")).active
    header = [cell.value for cell in sheet[1]]
    clauses = sheet.cell(2, header.index("Number of clauses") + 1)
    assert (clauses.value, clauses.data_type, clauses.number_format) == (0, "n", "General")


def test_dates_follow_the_indonesian_short_format(client_for, program):
    CommitmentFactory(program=program, due_on=datetime.date(2024, 12, 31))
    client = client_for("staff")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    sheet = load(xlsx_bytes(client, "programs:commitment_list")).active
    dates = [cell for cell in sheet[2] if cell.is_date]
    assert dates and {cell.number_format for cell in dates} == {"dd-mm-yyyy"}


@pytest.mark.parametrize(
    ("language", "yes", "no", "header"),
    [("id", "ya", "tidak", "Aktif"), ("en", "yes", "no", "Active")],
)
def test_booleans_read_yes_or_no_in_the_users_language(client_for, language, yes, no, header):
    PartnerFactory(name="Aktif", is_active=True)
    PartnerFactory(name="Nonaktif", is_active=False)
    client = client_for("staff")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sheet = load(xlsx_bytes(client, "partners:partner_list")).active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index(header) + 1
    cells = {sheet.cell(row, 1).value: sheet.cell(row, column) for row in (2, 3)}
    assert (cells["Aktif"].value, cells["Nonaktif"].value) == (1, 0)
    # One number format: positive and zero sections, the labels as literals.
    assert {cell.number_format for cell in cells.values()} == {f'"{yes}";"{yes}";"{no}"'}


# --- how the sheet reads -------------------------------------------------------------------------


def test_the_header_is_bold_frozen_and_filtered_over_the_used_range(client_for, program):
    for _ in range(3):
        AgreementFactory(program=program)
    workbook = load(xlsx_bytes(client_for("staff"), "programs:agreement_list"))
    sheet = workbook.active
    assert sheet.title == "perjanjian"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{xlsx.column_letters(sheet.max_column - 1)}4"
    assert sheet.max_column == 16
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])


def test_columns_are_as_wide_as_their_header_and_values_within_a_cap(client_for, program):
    AgreementFactory(program=program, title="Nota Kesepakatan " * 20, signed_at="Solo")
    sheet = load(xlsx_bytes(client_for("staff"), "programs:agreement_list")).active
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert widths["Title"] == xlsx.MAX_WIDTH  # a long title, capped
    assert widths["Signed at"] < widths["Signatories"]
    # A header wider than its values: the header and its filter button fit.
    assert widths["Number of linked commitments"] >= len("Number of linked commitments")
    assert all(xlsx.MIN_WIDTH <= width <= xlsx.MAX_WIDTH for width in widths.values())


def test_record_urls_and_websites_are_hyperlinks(client_for, program):
    agreement = AgreementFactory(program=program)
    partner = PartnerFactory(name="Mitra A", website="https://mitra.example.org/a?b=1&c=2")
    PartnerFactory(name="Mitra B", website="")
    client = client_for("staff")
    sheet = load(xlsx_bytes(client, "programs:agreement_list")).active
    url = sheet.cell(2, sheet.max_column)
    assert url.value == url.hyperlink.target == f"http://testserver/agreements/{agreement.pk}/"
    assert url.font.u == "single"

    sheet = load(xlsx_bytes(client, "partners:partner_list")).active
    headers = [cell.value for cell in sheet[1]]
    rows = {sheet.cell(row, 1).value: row for row in (2, 3)}
    website = sheet.cell(rows["Mitra A"], headers.index("Website") + 1)
    assert website.value == website.hyperlink.target == partner.website
    assert sheet.cell(rows["Mitra B"], headers.index("Website") + 1).hyperlink is None
    assert Partner.objects.count() == 2


# --- text ----------------------------------------------------------------------------------------


def test_formulas_are_escaped_after_control_characters_are_removed(client_for, program):
    AgreementFactory(program=program, title="\x01=1+1", signed_at="\ufffe@SUM(A1)", number="-5")
    sheet = load(xlsx_bytes(client_for("staff"), "programs:agreement_list")).active
    headers = [cell.value for cell in sheet[1]]
    row = {header: sheet.cell(2, index + 1) for index, header in enumerate(headers)}
    assert row["Title"].value == "'=1+1"
    assert row["Signed at"].value == "'@SUM(A1)"
    assert (row["Number"].value, row["Number"].data_type) == ("'-5", "s")


def rows_of(cells: list[tuple[Any, ...]], kinds: list[str] | None = None) -> bytes:
    headers = [f"Column {index}" for index in range(len(cells[0]))]
    return b"".join(
        xlsx.stream_workbook(
            "uji",
            headers,
            kinds or [""] * len(headers),
            cells,
            yes="ya",
            no="tidak",
            escape=escape_formula,
        )
    )


def test_text_survives_markup_carriage_returns_excel_escapes_and_length():
    long = "x" * (xlsx.MAX_CELL + 10)
    texts = ("a & b <c> \"d\" 'e'", "satu\r\ndua\rtiga", "_x0041_ stays", "  spaces  ", long, "")
    data = rows_of([texts])
    (row,) = values(data)[1:]
    assert (row[0], row[1], row[3]) == (texts[0], texts[1], texts[3])
    # Excel decodes _xHHHH_ in cell text ("_x0041_" would read "A"): its own escape of "_" keeps
    # the text. openpyxl does not decode, so it shows the escape.
    assert row[2] == "_x005F_x0041_ stays"
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve">_x005F_x0041_ stays</t>' in sheet_xml
    assert row[4] == "x" * (xlsx.MAX_CELL - 1) + "…"
    assert row[5] is None  # an empty text is an empty cell, as openpyxl wrote it


def test_values_excel_cannot_hold_as_numbers_become_text():
    cells = (
        datetime.date(1899, 1, 1),
        datetime.datetime(2024, 5, 6, 7, 8, 9),
        math.nan,
        Decimal("Infinity"),
        1.25,
        Decimal("-0.10"),
        datetime.timedelta(days=-1),
    )
    (row,) = values(rows_of([cells]))[1:]
    assert row == (
        "1899-01-01",
        datetime.datetime(2024, 5, 6, 7, 8, 9),
        "nan",
        "Infinity",
        1.25,
        -0.1,
        "'-1 day, 0:00:00",  # text from another type is escaped like any text
    )


def test_hyperlinks_stop_at_excels_limit_and_rows_at_its_last_row(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_LINKS", 3)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 6)  # header + 5 rows
    cells = [(f"https://example.org/{index}", index) for index in range(8)]
    sheet = load(rows_of(cells, [xlsx.URL, ""])).active
    assert sheet.max_row == 6
    assert [sheet.cell(row, 2).value for row in range(2, 7)] == [0, 1, 2, 3, 4]
    links = [sheet.cell(row, 1).hyperlink for row in range(2, 7)]
    assert [link.target if link else None for link in links] == [
        "https://example.org/0",
        "https://example.org/1",
        "https://example.org/2",
        None,
        None,
    ]
    assert sheet.auto_filter.ref == "A1:B6"


# --- the file ------------------------------------------------------------------------------------


def test_the_file_is_a_zip_of_well_formed_parts_that_reference_each_other(client_for, program):
    AgreementFactory(program=program)
    data = xlsx_bytes(client_for("staff"), "programs:agreement_list")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = set(archive.namelist())
    parts = {name: ET.fromstring(archive.read(name)) for name in names}
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/_rels/sheet1.xml.rels",
    } <= names
    overrides = {
        element.get("PartName").lstrip("/")
        for element in parts["[Content_Types].xml"]
        if element.tag.endswith("Override")
    }
    assert overrides <= names
    for rels, base in (("_rels/.rels", ""), ("xl/_rels/workbook.xml.rels", "xl/")):
        for relationship in parts[rels]:
            assert base + relationship.get("Target") in names
    # No zip64 (Excel refuses it where it is not needed): version 2.0 to extract, no extras.
    for info in archive.infolist():
        assert info.extract_version <= 20 and not info.extra
    local_headers = [match.start() for match in re.finditer(rb"PK\x03\x04", data)]
    assert len(local_headers) >= len(names)
    for offset in local_headers[: len(names)]:
        (version,) = struct.unpack_from("<H", data, offset + 4)
        assert version <= 20


def test_the_file_is_streamed_while_rows_are_read():
    read = 0

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal read
        for index in range(30_000):
            read += 1
            yield (f"Judul {index} " * 4, index, datetime.date(2024, 1, 1), index % 2 == 0)

    stream = xlsx.stream_workbook("uji", ["a", "b", "c", "d"], [""] * 4, rows(), yes="y", no="n")
    first = next(stream)
    assert first.startswith(b"PK\x03\x04")
    assert read < 30_000, "the first bytes leave before the last row is read"
    chunks = [first, *stream]
    assert len(chunks) > 2
    assert len(values(b"".join(chunks))) == 30_001


def test_a_hyperlinks_address_is_kept_as_it_is():
    url = 'https://example.org/cari?q=a&b=<c>"d"&e=_x0041_'
    sheet = load(rows_of([(url,), ("ftp://example.org/",)], [xlsx.URL])).active
    assert sheet.cell(2, 1).hyperlink.target == url
    assert sheet.cell(3, 1).value == "ftp://example.org/"  # only web addresses are links
    assert sheet.cell(3, 1).hyperlink is None
