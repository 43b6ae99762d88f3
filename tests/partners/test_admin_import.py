"""Importing partners and contacts from spreadsheets in the admin: preview, confirm, all or none."""

from __future__ import annotations

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from collab.imports import RegionCodeWidget
from partners.models import Contact, Partner, PartnerKind, Pillar
from partners.resources import ContactResource, PartnerResource
from tests.factories import PartnerFactory, RegionFactory, UserFactory
from tests.i18n import in_indonesian
from tests.imports import assert_unknown_partner_refused, confirm, preview, refused_rows, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_storage")]

PARTNER_IMPORT = reverse("admin:partners_partner_import")
PARTNER_CONFIRM = reverse("admin:partners_partner_process_import")
CONTACT_IMPORT = reverse("admin:partners_contact_import")
CONTACT_CONFIRM = reverse("admin:partners_contact_process_import")


@pytest.fixture
def kota_madiun(db):
    return RegionFactory(code="35.77", name="Kota Madiun", level="regency", kind="kota")


GOOD_PARTNERS = (
    "Nama,Singkatan,Pilar,Jenis,Email,Telepon,Website,Alamat,Deskripsi,Kode Wilayah\n"
    "Pemerintah Kota Madiun,Pemkot Madiun,Pemerintah,Pemerintah Daerah,"
    "pemkot@madiunkota.go.id,0351 467327,www.madiunkota.go.id,Jl. Pahlawan 37,,35.77\n"
    "Yayasan Bina Warga,YBW,filantropi dan bisnis,Yayasan,,,,,Mitra pendanaan,\n"
    "Universitas Uji,UU,academia_experts,University/research centre,,,,,,3577\n"
)


def test_good_rows_are_previewed_then_imported(admin_client, kota_madiun):
    response = preview(admin_client, PARTNER_IMPORT, upload(GOOD_PARTNERS))

    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "new", "new"]
    assert "confirm_form" in response.context
    assert not Partner.objects.exists()  # the preview is a dry run

    confirm(admin_client, PARTNER_CONFIRM, response)

    pemkot = Partner.objects.get(name="Pemerintah Kota Madiun")
    assert (pemkot.pillar, pemkot.kind) == (Pillar.GOVERNMENT, PartnerKind.LOCAL_GOVERNMENT)
    assert pemkot.region == kota_madiun
    assert pemkot.website == "https://www.madiunkota.go.id"
    yayasan = Partner.objects.get(name="Yayasan Bina Warga")
    assert (yayasan.pillar, yayasan.kind) == (Pillar.PHILANTHROPY_BUSINESS, PartnerKind.FOUNDATION)
    assert yayasan.region is None
    universitas = Partner.objects.get(name="Universitas Uji")
    assert (universitas.pillar, universitas.kind) == (
        Pillar.ACADEMIA_EXPERTS,
        PartnerKind.UNIVERSITY,
    )
    assert universitas.region == kota_madiun  # code given without dots
    assert universitas.history.count() == 1  # audit history recorded


def test_a_bad_row_imports_nothing_and_the_preview_names_it(admin_client, kota_madiun):
    text = (
        "name,pillar,kind,region code\n"
        "Mitra Satu,Pemerintah,OPD,\n"
        "Mitra Dua,Swasta Asing,Yayasan,\n"
        "Mitra Tiga,Akademisi,Perguruan Tinggi,99.99\n"
    )

    response = preview(admin_client, PARTNER_IMPORT, upload(text))

    invalid = refused_rows(response)
    assert sorted(invalid) == [2, 3]
    assert "Swasta Asing" in " ".join(invalid[2]["pillar"])
    assert "99.99" in " ".join(invalid[3]["region"])
    page = response.content.decode()
    unknown = in_indonesian("Unknown %(noun)s “%(value)s”. Use one of: %(choices)s.")
    assert unknown.split("%(value)s")[1].split("%(choices)s")[0] in page  # "… tidak dikenal. …"
    assert "“Swasta Asing”" in page
    assert (
        in_indonesian(
            "No region has the code “%(code)s” (a Kemendagri code such as 35.77.03.1009).",
            code="99.99",
        )
        in page
    )
    assert not Partner.objects.exists()


def test_the_real_run_is_all_or_nothing_too(kota_madiun):
    # The confirm step re-reads the stored file; a row failing then must undo the rows before it.
    dataset = tablib.Dataset(headers=["name", "pillar", "kind"])
    dataset.append(["Mitra Satu", "government", "local_government"])
    dataset.append(["Mitra Dua", "nonsense", "local_government"])

    result = PartnerResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not Partner.objects.exists()


def test_an_existing_partner_is_updated_whatever_the_case_and_spacing(admin_client):
    existing = PartnerFactory(
        name="Yayasan Bina  Kota", pillar=Pillar.CIVIL_SOCIETY_MEDIA, kind=PartnerKind.CSO
    )
    text = "nama,pilar,jenis,email\n  yayasan BINA kota ,Ormas & Media,LSM,info@binakota.or.id\n"

    response = preview(admin_client, PARTNER_IMPORT, upload(text))
    assert [row.import_type for row in response.context["result"].rows] == ["update"]
    confirm(admin_client, PARTNER_CONFIRM, response)

    assert Partner.objects.count() == 1
    existing.refresh_from_db()
    assert existing.email == "info@binakota.or.id"
    assert existing.name == "Yayasan Bina  Kota"  # the directory's spelling is kept

    again = preview(admin_client, PARTNER_IMPORT, upload(text))
    assert [row.import_type for row in again.context["result"].rows] == ["skip"]


def test_a_name_repeated_in_one_file_is_one_partner(kota_madiun):
    dataset = tablib.Dataset(headers=["nama", "pilar", "jenis", "telepon"])
    dataset.append(["Forum Kota Sehat", "Organisasi Masyarakat Sipil & Media", "Forum", "1"])
    dataset.append(["FORUM  kota sehat", "civil_society_media", "network", "2"])

    result = PartnerResource().import_data(dataset, dry_run=False)

    assert not result.has_validation_errors()
    assert list(Partner.objects.values_list("name", "phone")) == [("Forum Kota Sehat", "2")]


def test_semicolon_separated_csv_from_indonesian_excel_imports(admin_client):
    text = "\ufeffNama;Pilar;Jenis\nDinas Kesehatan Kota Madiun;Pemerintah;OPD\n"

    response = preview(admin_client, PARTNER_IMPORT, upload(text))
    confirm(admin_client, PARTNER_CONFIRM, response)

    partner = Partner.objects.get()
    assert (partner.name, partner.pillar) == ("Dinas Kesehatan Kota Madiun", Pillar.GOVERNMENT)


def test_xlsx_upload_imports(admin_client, kota_madiun):
    workbook = upload(
        [
            ["Nama", "Pilar", "Jenis", "Telepon", "Kode_Wilayah"],
            ["Badan Keswadayaan Masyarakat Taman", "OMS & Media", "BKM", 351467327, "35.77"],
            [None, None, None, None, None],  # a formatted but empty line below the data
        ]
    )

    response = preview(admin_client, PARTNER_IMPORT, workbook)
    assert not response.context["result"].has_validation_errors()
    confirm(admin_client, PARTNER_CONFIRM, response)

    partner = Partner.objects.get()
    assert partner.name == "Badan Keswadayaan Masyarakat Taman"
    assert (partner.pillar, partner.kind) == (Pillar.CIVIL_SOCIETY_MEDIA, PartnerKind.COMMUNITY)
    assert partner.phone == "351467327"
    assert partner.region == kota_madiun


def test_a_file_without_a_name_column_says_which_headers_are_accepted(admin_client):
    response = preview(admin_client, PARTNER_IMPORT, upload("organisasi,pilar\nX,Pemerintah\n"))

    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert (
        in_indonesian("Missing column(s): %(missing)s. Accepted headers: %(accepted)s.").split(
            "%(missing)s"
        )[0]
        in page
    )
    assert "nama" in page
    assert "Traceback" not in page
    assert not Partner.objects.exists()


def test_contacts_import_under_their_partner(admin_client):
    partner = PartnerFactory(name="Bappeda Kota Bengkulu")
    text = (
        "Mitra,Nama,Jabatan,Email,Telepon\n"
        "bappeda kota  bengkulu,Rina Susanti,Kepala Bidang,rina@bengkulukota.go.id,0736 21011\n"
    )

    response = preview(admin_client, CONTACT_IMPORT, upload(text))
    confirm(admin_client, CONTACT_CONFIRM, response)

    contact = Contact.objects.get()
    assert (contact.partner, contact.name, contact.position) == (
        partner,
        "Rina Susanti",
        "Kepala Bidang",
    )

    moved = text.replace("Kepala Bidang", "Sekretaris").replace("Rina Susanti", "RINA  SUSANTI")
    response = preview(admin_client, CONTACT_IMPORT, upload(moved))
    assert [row.import_type for row in response.context["result"].rows] == ["update"]
    confirm(admin_client, CONTACT_CONFIRM, response)
    contact.refresh_from_db()
    assert (Contact.objects.count(), contact.position) == (1, "Sekretaris")


def test_a_contact_of_an_unknown_partner_imports_nothing(admin_client):
    PartnerFactory(name="Bappeda Kota Bengkulu")
    text = (
        "partner name,name,position\n"
        "Bappeda Kota Bengkulu,Rina Susanti,Kepala Bidang\n"
        "Dinas Yang Tidak Ada,Budi,Staf\n"
    )

    assert_unknown_partner_refused(admin_client, CONTACT_IMPORT, text, Contact)


def test_importing_needs_the_right_to_add_and_change(db):
    # A reader of the directory may not rewrite it from a spreadsheet.
    reader = UserFactory(username="pembaca", is_staff=True)
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_partner", "view_contact"])
    )
    client = Client()
    client.force_login(reader)

    assert client.get(reverse("admin:partners_partner_changelist")).status_code == 200
    assert client.get(PARTNER_IMPORT).status_code == 403
    assert client.get(CONTACT_IMPORT).status_code == 403


def test_region_codes_are_accepted_with_or_without_dots():
    assert RegionCodeWidget.dotted("3577031009") == "35.77.03.1009"
    assert RegionCodeWidget.dotted("3577") == "35.77"
    assert RegionCodeWidget.dotted("35.77") == "35.77"
    assert RegionCodeWidget.dotted("357") == "357"  # not a code: reported as unknown


def test_the_import_page_lists_the_accepted_headers_and_values(admin_client):
    changelist = admin_client.get(reverse("admin:partners_partner_changelist")).content.decode()
    assert PARTNER_IMPORT in changelist  # the Import button

    page = admin_client.get(PARTNER_IMPORT).content.decode()

    assert "kode_wilayah" in page and "singkatan" in page
    assert "philanthropy_business" in page
    assert "jabatan" in admin_client.get(CONTACT_IMPORT).content.decode()
    assert ContactResource.accepted_headers()[0][0] == "partner"
