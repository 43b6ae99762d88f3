"""Importing commitments from spreadsheets in the admin: preview, confirm, all or none."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from collab.imports import AmountWidget
from programs.models import Commitment
from programs.resources import CommitmentResource
from tests.factories import PartnerFactory, UserFactory
from tests.i18n import in_indonesian
from tests.imports import assert_unknown_partner_refused, confirm, preview, refused_rows, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_storage")]

IMPORT = reverse("admin:programs_commitment_import")
CONFIRM = reverse("admin:programs_commitment_process_import")


@pytest.fixture
def partners(db):
    return (
        PartnerFactory(name="Yayasan Bina  Warga"),
        PartnerFactory(name="Dinas Kesehatan Kota Madiun"),
    )


GOOD_COMMITMENTS = (
    "Program,Mitra,Judul,Deskripsi,Jenis,Nilai,Mulai,Jatuh Tempo,Status\n"
    'program-ini,  yayasan BINA warga ,Beasiswa kader,Dua angkatan,Pendanaan,"1.500.000",'
    "2025-01-15,31-12-2025,Dijanjikan\n"
    "PROGRAM-INI,Dinas Kesehatan Kota Madiun,Posyandu keliling,,technical,2500000,"
    "01-02-2025,,in_progress\n"
)


def test_good_rows_are_previewed_then_imported(admin_client, users, program, partners):
    response = preview(admin_client, IMPORT, upload(GOOD_COMMITMENTS))

    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert not Commitment.objects.exists()  # the preview is a dry run

    confirm(admin_client, CONFIRM, response)

    yayasan, dinas = partners
    beasiswa = Commitment.objects.get(title="Beasiswa kader")
    assert (beasiswa.program, beasiswa.partner, beasiswa.description) == (
        program,
        yayasan,
        "Dua angkatan",
    )
    assert (beasiswa.kind, beasiswa.amount, beasiswa.status) == (
        Commitment.Kind.FUNDING,
        Decimal("1500000"),
        Commitment.Status.PLEDGED,
    )
    assert (beasiswa.starts_on, beasiswa.due_on) == (
        datetime.date(2025, 1, 15),
        datetime.date(2025, 12, 31),
    )
    posyandu = Commitment.objects.get(title="Posyandu keliling")
    assert (posyandu.partner, posyandu.kind, posyandu.amount, posyandu.status) == (
        dinas,
        Commitment.Kind.TECHNICAL,
        Decimal("2500000"),
        Commitment.Status.IN_PROGRESS,
    )
    assert (posyandu.starts_on, posyandu.due_on) == (datetime.date(2025, 2, 1), None)
    # The audit history names the admin who imported.
    history = Commitment.history.filter(id__in=[beasiswa.pk, posyandu.pk])
    assert [row.history_user for row in history.select_related("history_user")] == [
        users["admin"]
    ] * 2


def test_the_same_file_twice_adds_the_commitments_twice(admin_client, program, partners):
    for _run in range(2):
        confirm(admin_client, CONFIRM, preview(admin_client, IMPORT, upload(GOOD_COMMITMENTS)))

    assert Commitment.objects.filter(title="Beasiswa kader").count() == 2


def test_xlsx_upload_imports(admin_client, program, partners):
    workbook = upload(
        [
            ["program_slug", "Partner", "Title", "Kind", "Amount", "Starts on", "Due on"],
            [
                "program-ini",
                "Dinas Kesehatan Kota Madiun",
                "Ruang laktasi",
                "In kind",
                1500000.0,
                datetime.datetime(2025, 3, 1),
                "2025-06-30",
            ],
            [None] * 7,  # a formatted but empty line below the data
        ]
    )

    response = preview(admin_client, IMPORT, workbook)
    assert not response.context["result"].has_validation_errors()
    confirm(admin_client, CONFIRM, response)

    commitment = Commitment.objects.get()
    assert (commitment.title, commitment.kind, commitment.amount) == (
        "Ruang laktasi",
        Commitment.Kind.IN_KIND,
        Decimal("1500000"),
    )
    assert commitment.status == Commitment.Status.PLEDGED  # no status column: the default
    assert (commitment.starts_on, commitment.due_on) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 6, 30),
    )


def test_an_unknown_partner_imports_nothing_and_the_preview_names_it(
    admin_client, program, partners
):
    text = (
        "program,partner,title\n"
        "program-ini,Dinas Kesehatan Kota Madiun,Posyandu keliling\n"
        "program-ini,Dinas Yang Tidak Ada,Beasiswa\n"
    )

    assert_unknown_partner_refused(admin_client, IMPORT, text, Commitment)


def test_each_bad_row_is_reported_with_its_reason(admin_client, program, partners):
    text = (
        "program,mitra,judul,jenis,nilai,mulai,jatuh_tempo,status\n"
        "program-hilang,Dinas Kesehatan Kota Madiun,A,,,,,\n"
        "program-ini,Dinas Kesehatan Kota Madiun,B,,-1.000,,,\n"
        "program-ini,Dinas Kesehatan Kota Madiun,C,,,2025-06-01,31-05-2025,\n"
        "program-ini,Dinas Kesehatan Kota Madiun,D,Hibah Asing,,,,\n"
        "program-ini,Dinas Kesehatan Kota Madiun,E,,,31/02/2025,,selesai sebagian\n"
        "program-ini,Dinas Kesehatan Kota Madiun,F,,satu juta,,,\n"
    )

    response = preview(admin_client, IMPORT, upload(text))

    invalid = refused_rows(response)
    assert sorted(invalid) == [1, 2, 3, 4, 5, 6]
    assert set(invalid[1]) == {"program"}
    assert set(invalid[2]) == {"amount"}
    assert set(invalid[4]) == {"kind"}
    assert set(invalid[5]) == {"starts_on", "status"}
    assert set(invalid[6]) == {"amount"}
    page = response.content.decode()
    for message, values in (
        ("No programme has the slug “%(slug)s”.", {"slug": "program-hilang"}),
        ("An amount cannot be negative.", {}),
        ("A commitment cannot be due before it starts.", {}),
        (
            "“%(value)s” is not a date; write it as 2025-03-31 or 31-03-2025.",
            {"value": "31/02/2025"},
        ),
        ("“%(value)s” is not an amount; write it as 1500000 or 1.500.000.", {"value": "satu juta"}),
    ):
        assert in_indonesian(message, **values) in page
    assert "“Hibah Asing”" in page and "“selesai sebagian”" in page
    assert not Commitment.objects.exists()


def test_the_real_run_is_all_or_nothing_too(program, partners):
    # The confirm step re-reads the stored file; a row failing then must undo the rows before it.
    dataset = tablib.Dataset(headers=["program", "partner", "title", "amount"])
    dataset.append(["program-ini", "Dinas Kesehatan Kota Madiun", "Baik", "1000"])
    dataset.append(["program-ini", "Dinas Kesehatan Kota Madiun", "Negatif", "-5"])

    result = CommitmentResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1500000", "1500000"),
        ("1.500.000", "1500000"),
        ("Rp 1.500.000,-", "1500000"),
        ("1.500.000,50", "1500000.50"),
        ("1,500,000.50", "1500000.50"),
        ("2500.75", "2500.75"),
    ],
)
def test_amounts_are_read_as_people_write_them(text, amount):
    assert AmountWidget().clean(text) == Decimal(amount)


def test_importing_needs_the_right_to_add(users, program):
    reader = UserFactory(username="pembaca-komitmen", is_staff=True)
    reader.user_permissions.add(*Permission.objects.filter(codename="view_commitment"))
    client = Client()
    client.force_login(reader)
    assert client.get(reverse("admin:programs_commitment_changelist")).status_code == 200
    assert client.get(IMPORT).status_code == 403

    reader.user_permissions.add(*Permission.objects.filter(codename="add_commitment"))
    assert client.get(IMPORT).status_code == 200


def test_the_import_page_lists_the_accepted_headers_and_values(admin_client):
    changelist = admin_client.get(reverse("admin:programs_commitment_changelist")).content.decode()
    assert IMPORT in changelist  # the Import button
    assert reverse("admin:programs_commitment_deleted") in changelist  # still there

    page = admin_client.get(IMPORT).content.decode()

    assert "jatuh_tempo" in page and "nilai" in page
    assert "in_progress" in page and "technical" in page
    assert (
        in_indonesian(
            "Each row adds a new commitment; existing commitments are never changed. "
            "If any row has a problem, nothing is imported."
        )
        in page
    )
