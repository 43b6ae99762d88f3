"""The printable agreement record: `/agreements/<pk>/print/`."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programs.models import Agreement
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.partners import PartnerFactory

pytestmark = pytest.mark.django_db

SHA = "fedcba9876543210" * 4


@pytest.fixture
def agreement(program):
    """A signed agreement with two parties and two sections of clauses, stored out of order."""
    agreement = AgreementFactory(
        program=program,
        number="415.4/1209/B.III",
        title="Nota Kesepakatan Kota SDGs",
        kind=Agreement.Kind.NOTA_KESEPAKATAN,
        signed_on=datetime.date(2024, 2, 6),
        signed_at="Bengkulu",
        effective_from=datetime.date(2024, 2, 6),
        expires_on=datetime.date(2026, 2, 5),
        meeting=MeetingFactory(program=program, title="Rapat Penandatanganan"),
        document="agreements/scan.pdf",
        document_sha256=SHA,
    )
    SignatoryFactory(
        agreement=agreement,
        order=1,
        partner=PartnerFactory(name="Pemerintah Kota Bengkulu"),
        signer_name="Helmi Hasan",
        signer_position="Wali Kota",
        signed_on=datetime.date(2024, 2, 6),
    )
    SignatoryFactory(
        agreement=agreement,
        order=2,
        partner=PartnerFactory(name="Filantropi Indonesia"),
        signer_name="Hamid Abidin",
        signer_position="Ketua Badan Pengurus",
    )
    second = ClauseFactory(agreement=agreement, order=4, number="Pasal 2", text="Pelaksanaan")
    first = ClauseFactory(agreement=agreement, order=1, number="Pasal 1", text="Ruang lingkup")
    ClauseFactory(agreement=agreement, order=5, parent=second, number="(1)", text="Kedua-satu")
    ClauseFactory(agreement=agreement, order=3, parent=first, number="(2)", text="Pertama-dua")
    ClauseFactory(agreement=agreement, order=2, parent=first, number="(1)", text="Pertama-satu")
    return agreement


def print_url(agreement: Agreement) -> str:
    return reverse("programs:agreement_print", args=[agreement.pk])


def test_the_coordinator_prints_every_clause_in_order_with_the_checksum(client_for, agreement):
    response = client_for("coordinator").get(print_url(agreement))
    assert response.status_code == 200
    page = response.content.decode()
    positions = [
        page.index(text)
        for text in ("Ruang lingkup", "Pertama-satu", "Pertama-dua", "Pelaksanaan", "Kedua-satu")
    ]
    assert positions == sorted(positions)
    # Sections at the left margin, their clauses indented one level.
    assert re.search(r'class="clause section depth-0">.*Ruang lingkup', page)
    assert re.search(r'class="clause depth-1">.*Pertama-satu', page)
    for text in (
        SHA,
        "415.4/1209/B.III",
        "Program Ini",
        "Bengkulu",
        "Rapat Penandatanganan",
        "Pemerintah Kota Bengkulu",
        "Helmi Hasan",
        "Wali Kota",
        "Filantropi Indonesia",
        f"http://testserver/agreements/{agreement.pk}/",
    ):
        assert text in page


def test_the_print_page_is_standalone_with_a_print_stylesheet_and_no_inline_code(
    client_for, agreement
):
    page = client_for("coordinator").get(print_url(agreement)).content.decode()
    assert "collab/print.css" in page
    assert "navbar" not in page  # no site navigation on paper
    assert 'class="js-print"' in page  # the Print button, handled in app.js
    assert "<style" not in page and " style=" not in page
    assert all(' src="' in tag for tag in re.findall(r"<script[^>]*>", page))


def test_a_record_without_a_scan_says_so(client_for, program):
    agreement = AgreementFactory(program=program)
    page = client_for("viewer").get(print_url(agreement)).content.decode()
    assert label("No signed scan is attached to this record.", "id") in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("viewer", 200),
        ("staff", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("no_rights", 403),
        ("anonymous", 302),
    ],
)
def test_the_print_page_follows_the_rights_of_the_programme(client_for, agreement, persona, status):
    assert client_for(persona).get(print_url(agreement)).status_code == status


def label(text: str, language: str) -> str:
    """`text` as the catalogue of `language` has it (the source text where not yet translated)."""
    with translation.override(language):
        return translation.gettext(text)


LABELS = ("Parties and signatories", "Clauses", "Signed on", "Effective from", "Signed scan")


def test_the_print_page_is_in_indonesian_by_default(client_for, agreement):
    page = client_for("coordinator").get(print_url(agreement)).content.decode()
    assert '<html lang="id">' in page
    assert "6 Februari 2024" in page
    for text in LABELS:
        assert label(text, "id") in page


def test_the_print_page_prints_in_english_after_the_language_switch(client_for, agreement):
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(print_url(agreement)).content.decode()
    assert '<html lang="en">' in page
    assert "6 February 2024" in page
    for text in (*LABELS, "Printed on"):
        assert text in page


def test_the_print_page_runs_the_same_queries_for_2_and_20_clauses(client_for, program):
    agreement = AgreementFactory(program=program)
    client = client_for("viewer")

    def queries_for(total: int) -> int:
        for order in range(agreement.clauses.count() + 1, total + 1):
            ClauseFactory(agreement=agreement, order=order)
            SignatoryFactory(agreement=agreement, order=order)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(print_url(agreement)).status_code == 200
        return len(queries)

    # session, user, model permissions, the right to any programme, the agreement with its
    # programme and meeting, signatories with partners, clauses, commitments, the right to edit:
    # the same for any size.
    assert queries_for(2) == queries_for(20)
