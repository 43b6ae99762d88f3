"""Anonymous visitors see exactly the public programmes and only their public fields.

Sentinel data, each a distinctive text that must never reach a public page or file: a contact
(name, e-mail, phone, position) recorded as a representative at a public meeting, an archived
commitment and meeting, a draft agreement, a private programme with its own meeting and
partner, a progress note, a role note, a measurement note, a partner's own e-mail and phone,
and the user who edited. Every public URL is crawled from /public/ and the sitemap (every data
file included) and no sentinel may appear; what *is* public must appear, so the crawl is not
vacuous.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from programs.models import Agreement, Commitment, Meeting
from programs.models.agreements import private_storage
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import RegionFactory, UserFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import ContactFactory, PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory

from .conftest import crawl, module_data

pytestmark = pytest.mark.django_db

SENTINELS = {
    "contact name": "Zulkarnaen Sentinelwati",
    "contact e-mail": "rahasia.sentinel@contoh.example",
    "contact phone": "+62 811 0000 4242",
    "contact position": "Jabatan Sentinel Rahasia",
    "attendance role": "PERAN-HADIR-SENTINEL",
    "archived commitment": "KOMITMEN-ARSIP-SENTINEL",
    "archived meeting": "RAPAT-ARSIP-SENTINEL",
    "archived agreement": "PERJANJIAN-ARSIP-SENTINEL",
    "draft agreement": "PERJANJIAN-DRAF-SENTINEL",
    "private programme": "PROGRAM-PRIVAT-SENTINEL",
    "private meeting": "RAPAT-PRIVAT-SENTINEL",
    "private partner": "MITRA-PRIVAT-SENTINEL",
    "private commitment": "KOMITMEN-PRIVAT-SENTINEL",
    "progress note": "CATATAN-PROGRES-SENTINEL",
    "role note": "CATATAN-PERAN-SENTINEL",
    "measurement note": "CATATAN-UKUR-SENTINEL",
    "partner e-mail": "kantor.sentinel@contoh.example",
    "partner phone": "+62 21 555 4242",
    "partner address": "Jalan Sentinel Rahasia 42",
    "editor": "penyunting-sentinel",
    "private scan checksum": hashlib.sha256(b"private-scan").hexdigest(),
}
# What the public pages must show (so a crawl that shows nothing fails).
PUBLIC = {
    "programme": "Program Terbuka Uji",
    "partner": "Yayasan Terbuka Uji",
    "meeting": "Rapat Koordinasi Terbuka",
    "chair": "Wali Kota Uji (ketua)",
    "signer": "Bapak Penanda Tangan",
    "signer position": "Kepala Dinas Uji",
    "clause": "Para pihak sepakat bekerja sama",
    "decision": "Keputusan terbuka pertama",
    "commitment": "Komitmen terbuka uji",
    "site": "Kelurahan Terbuka",
}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    private_root = tmp_path_factory.mktemp("private")
    old_root = settings.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = private_root
    field = Agreement._meta.get_field("document")
    old_storage = field.storage
    field.storage = private_storage()
    with module_data(django_db_blocker):
        editor = UserFactory(username=SENTINELS["editor"])
        region = RegionFactory(code="91", name="Provinsi Terbuka")
        public = ProgramFactory(name=PUBLIC["programme"], slug="program-terbuka", is_public=True)
        public._history_user = editor
        public.description = "Kolaborasi terbuka."
        public.save()
        partner = PartnerFactory(
            name=PUBLIC["partner"],
            email=SENTINELS["partner e-mail"],
            phone=SENTINELS["partner phone"],
            address=SENTINELS["partner address"],
        )
        ProgramPartnerFactory(
            program=public, partner=partner, role="convenor", note=SENTINELS["role note"]
        )
        contact = ContactFactory(
            partner=partner,
            name=SENTINELS["contact name"],
            email=SENTINELS["contact e-mail"],
            phone=SENTINELS["contact phone"],
            position=SENTINELS["contact position"],
        )
        site = SiteFactory(program=public, region=region, name=PUBLIC["site"])
        meeting = MeetingFactory(
            program=public,
            title=PUBLIC["meeting"],
            chair=PUBLIC["chair"],
            starts_on=datetime.date(2024, 3, 1),
        )
        AttendanceFactory(
            meeting=meeting, partner=partner, contact=contact, role=SENTINELS["attendance role"]
        )
        DecisionFactory(meeting=meeting, number=1, text=PUBLIC["decision"])
        archived_meeting = MeetingFactory(program=public, title=SENTINELS["archived meeting"])
        archived_meeting.set_archived(True, user=editor)
        agreement = AgreementFactory(
            program=public, meeting=archived_meeting, title="Nota Kesepakatan Terbuka"
        )
        SignatoryFactory(
            agreement=agreement,
            partner=partner,
            signer_name=PUBLIC["signer"],
            signer_position=PUBLIC["signer position"],
        )
        ClauseFactory(agreement=agreement, order=1, text=PUBLIC["clause"])
        # A scan that stays private: its file and checksum never appear.
        agreement.document.save("scan.pdf", ContentFile(PDF), save=False)
        agreement.document_sha256 = SENTINELS["private scan checksum"]
        agreement.save()
        AgreementFactory(program=public, title=SENTINELS["draft agreement"], status="draft")
        archived_agreement = AgreementFactory(program=public, title=SENTINELS["archived agreement"])
        archived_agreement.set_archived(True, user=editor)
        commitment = CommitmentFactory(
            program=public,
            partner=partner,
            site=site,
            title=PUBLIC["commitment"],
            meeting=archived_meeting,
            kind="funding",
            amount=Decimal("1500000"),
        )
        CommitmentUpdateFactory(
            commitment=commitment, note=SENTINELS["progress note"], created_by=editor
        )
        archived = CommitmentFactory(
            program=public, partner=partner, title=SENTINELS["archived commitment"]
        )
        archived.set_archived(True, user=editor)
        ActionItemFactory(program=public, meeting=archived_meeting, responsible=partner)
        indicator = IndicatorFactory(program=public, name="Indikator terbuka", target_value=0)
        MeasurementFactory(indicator=indicator, value=12, note=SENTINELS["measurement note"])

        private = ProgramFactory(name=SENTINELS["private programme"], slug="program-privat")
        private_partner = PartnerFactory(name=SENTINELS["private partner"])
        ProgramPartnerFactory(program=private, partner=private_partner)
        private_meeting = MeetingFactory(program=private, title=SENTINELS["private meeting"])
        AttendanceFactory(meeting=private_meeting, partner=partner, contact=contact)
        CommitmentFactory(program=private, partner=partner, title=SENTINELS["private commitment"])
        yield {
            "public": public,
            "private": private,
            "meeting": meeting,
            "private_meeting": private_meeting,
            "archived_meeting": archived_meeting,
            "agreement": agreement,
            "private_partner": private_partner,
            "partner": partner,
        }
    settings.PRIVATE_MEDIA_ROOT = old_root
    field.storage = old_storage


@pytest.fixture(scope="module")
def crawled(world, django_db_blocker) -> dict[str, tuple[int, str]]:
    with django_db_blocker.unblock():
        return crawl(Client(), ["/public/", "/public/?lang=en", "/sitemap.xml", "/public/data/"])


def test_the_crawl_reaches_every_kind_of_public_page_and_file(world, crawled):
    paths = set(crawled)
    assert f"/public/programs/{world['public'].slug}/" in paths
    assert f"/public/meetings/{world['meeting'].pk}/" in paths
    assert f"/public/agreements/{world['agreement'].pk}/" in paths
    assert f"/public/partners/{world['partner'].pk}/" in paths
    assert "/public/data/iati.xml" in paths
    for dataset in ("programmes", "partners", "meetings", "commitments", "agreements"):
        for fmt in ("csv", "json"):
            assert f"/public/data/{dataset}.{fmt}" in paths
            assert f"/public/data/{world['public'].slug}/{dataset}.{fmt}" in paths
    assert all(status == 200 for status, _ in crawled.values()), {
        path: status for path, (status, _) in crawled.items() if status != 200
    }


def test_what_is_public_is_shown(crawled):
    everything = "\n".join(text for _, text in crawled.values())
    missing = [name for name, text in PUBLIC.items() if text not in everything]
    assert not missing


@pytest.mark.parametrize("sentinel", sorted(SENTINELS))
def test_no_sentinel_appears_anywhere(crawled, sentinel):
    text = SENTINELS[sentinel]
    leaks = [path for path, (_, body) in crawled.items() if text in body]
    assert not leaks, f"{sentinel} ({text!r}) appears in {leaks}"


def test_private_and_archived_records_are_not_found(world, client):
    for path in (
        f"/public/programs/{world['private'].slug}/",
        f"/public/meetings/{world['private_meeting'].pk}/",
        f"/public/meetings/{world['archived_meeting'].pk}/",
        f"/public/partners/{world['private_partner'].pk}/",
        f"/public/agreements/{world['agreement'].pk}/document/",  # its scan is not public
        f"/public/data/{world['private'].slug}/",
        f"/public/data/{world['private'].slug}/meetings.csv",
        f"/public/data/{world['private'].slug}/iati.xml",
    ):
        assert client.get(path).status_code == 404, path
    draft = Agreement.objects.get(title=SENTINELS["draft agreement"])
    assert client.get(f"/public/agreements/{draft.pk}/").status_code == 404


def test_a_public_scan_is_served_only_once_it_is_marked_public(
    world, client, django_capture_on_commit_callbacks
):
    agreement = world["agreement"]
    url = reverse("public:agreement_document", args=[agreement.pk])
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        agreement.scan_is_public = True
        agreement.save()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    page = client.get(reverse("public:agreement_detail", args=[agreement.pk])).content.decode()
    assert url in page


def test_public_pages_set_no_cookie_and_carry_no_csrf_token(world, client):
    for path in ("/public/", f"/public/programs/{world['public'].slug}/"):
        response = client.get(path)
        assert not response.cookies, path
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "public" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")


def test_the_public_queryset_methods_decide(world):
    assert list(Meeting.objects.public().filter(program=world["public"])) == [world["meeting"]]
    titles = set(Commitment.objects.public().values_list("title", flat=True))
    assert titles == {PUBLIC["commitment"]}
