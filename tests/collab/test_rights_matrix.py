"""Every page against every persona (DESIGN "Rights", STYLE rule 12).

The pages are read from the URL resolver, so a page added without a line in `EXPECTED`
(tests/pages.py) fails `test_every_page_has_an_expectation`. The rules being checked
(collab/views.py):

- anonymous → redirect to the login page, with `next` pointing back;
- signed in, but no right of the page's kind on any programme → 403;
- a record outside the user's programmes → 404 (its existence is not revealed);
- a record the user may see but not change → 403 on its edit pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from collab.permissions import Action, restrict
from partners.models import Partner
from programs.models import ActionItem, Commitment
from tests import pages
from tests.conftest import PERSONAS
from tests.factories.agreements import AgreementFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.lookups import RegionFactory
from tests.factories.meetings import (
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory
from tests.pages import EXPECTED, FORM_URLS, OUTSIDERS, PAGES, PDF, url_of
from tests.posted import posted_form

# The personas and the records are built once for the module (tests/once.py): each test reads
# them and rolls back what it changed.
pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]

# The records of tests/pages.py, built once for this module.
private_media, _records, records = pages.private_media, pages._records, pages.records


@pytest.fixture
def browser(client_for):
    """`browser("viewer")`: that persona's client, arriving from the dashboard as a browser
    following a link does (with a Referer). Pages opened without one: see
    `test_a_form_page_opens_without_a_referer`."""

    def make(persona: str) -> Client:
        client = client_for(persona)
        client.defaults["HTTP_REFERER"] = "http://testserver/"
        return client

    return make


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]


def database_state() -> dict[str, Any]:
    """Every row of the domain tables (history and object permissions included); reference data
    by count only (the regions are 91,599 rows once loaded)."""
    state: dict[str, Any] = {}
    for label in ("partners", "programs"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            state[model._meta.label] = list(model._default_manager.order_by("pk").values())
    for model in apps.get_app_config("collab").get_models(include_auto_created=True):
        state[model._meta.label] = model._default_manager.count()
    return state


# --- what a browser would post -----------------------------------------------------------------


def scan() -> SimpleUploadedFile:
    """The file a coordinator chooses for a signed-scan input."""
    return SimpleUploadedFile("scan.pdf", PDF, "application/pdf")


def changes(name: str, records: dict[str, Model]) -> dict[str, str]:
    """What the coordinator types into each form: a new record, or a changed title."""
    new_region = RegionFactory(code="99", name="Provinsi Uji Baru")
    return {
        "programs:meeting_create": {
            "title": "Rapat koordinasi triwulan",
            "starts_on": "2024-03-12",
            "kind": "coordination",
        },
        "programs:meeting_edit": {"title": "Rapat koordinasi pertama (revisi)"},
        "programs:commitment_create": {
            "partner": str(records["partner"].pk),
            "title": "Pendanaan pelatihan kader",
            "kind": "funding",
            "status": "pledged",
        },
        "programs:commitment_edit": {"title": "Komitmen (revisi)"},
        "programs:commitmentupdate_create": {
            "status": "in_progress",
            "progress": "60",
            "note": "Pelatihan tahap pertama selesai.",
        },
        "programs:agreement_create": {
            "title": "Nota Kesepakatan Kota SDGs",
            "number": "NK/02",
            "kind": "mou",
            "status": "signed",
            "signed_on": "2024-02-06",
        },
        "programs:agreement_edit": {"title": "Nota Kesepakatan (revisi)"},
        "programs:site_create": {"region": new_region.code, "name": "Lokasi baru"},
        "programs:site_edit": {"name": "Kelurahan Kalibaru (revisi)"},
        "programs:actionitem_create": {"title": "Menyusun rencana kerja", "status": "planned"},
        "programs:actionitem_edit": {"title": "Tindak lanjut (revisi)"},
        "programs:indicator_create": {"name": "Jumlah UMKM binaan", "target_value": "27"},
        "programs:indicator_edit": {"name": "Luas permukiman kumuh (revisi)"},
        "programs:measurement_create": {"measured_on": "2024-06-30", "value": "12,5"},
    }[name]


def form_data(name: str, records: dict[str, Model], coordinator: Client) -> dict[str, Any]:
    """The page's form as the coordinator sees it, filled in with `changes`."""
    url = url_of(name, records)
    response = coordinator.get(url)
    assert response.status_code == 200
    data = posted_form(response, url, upload=scan)
    for field, value in changes(name, records).items():
        assert field in data, f"the form of {name} has no field {field!r}"
        data[field] = value
    return data


# --- the matrix --------------------------------------------------------------------------------


def test_every_page_has_an_expectation():
    missing = sorted(set(PAGES) - set(EXPECTED))
    assert not missing, f"add these URL names to EXPECTED: {missing}"


def test_every_expectation_is_a_page_of_the_project():
    assert sorted(set(EXPECTED) - set(PAGES)) == []


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_persona_gets_the_status_the_rights_give(name, persona, records, browser):
    assert name in EXPECTED, f"{name} has no expectation"
    statuses, _ = EXPECTED[name]
    url = url_of(name, records)

    response = browser(persona).get(url)

    if persona == "anonymous" and statuses["anonymous"] == 302:
        assert_sent_to_login(response, url)
    else:
        assert response.status_code == statuses[persona]


@pytest.mark.parametrize("persona", ["viewer", "staff", "admin"])
def test_the_signed_scan_is_the_uploaded_file(persona, records, browser):
    response = browser(persona).get(url_of("programs:agreement_document", records))

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == PDF
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("name", FORM_URLS)
def test_a_form_page_opens_without_a_referer(name, records, client_for):
    """A bookmark, a typed address or a strict Referrer-Policy sends no Referer header."""
    response = client_for("coordinator").get(url_of(name, records))

    assert response.status_code == 200


# --- marking an action item done (POST only) -----------------------------------------------------

DONE_BY_POST = {
    "anonymous": 302,
    "no_rights": 403,
    "viewer": 403,
    "coordinator": 302,
    "other_coordinator": 404,
    "staff": 403,
    "admin": 302,
}


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_a_coordinator_marks_an_action_item_done(persona, records, browser):
    item = records["actionitem"]

    response = browser(persona).post(reverse("programs:actionitem_done", args=[item.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:program_detail", args=[item.program.slug]) + (
        "#work-plan"
    )
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


@pytest.mark.parametrize(
    "persona", sorted(p for p, status in DONE_BY_POST.items() if status != 302)
)
def test_marking_done_without_the_right_changes_nothing(persona, records, browser):
    url = reverse("programs:actionitem_done", args=[records["actionitem"].pk])
    before = database_state()

    response = browser(persona).post(url)

    assert response.status_code == DONE_BY_POST[persona]
    assert database_state() == before


def test_marking_done_anonymously_asks_to_sign_in_and_changes_nothing(records, browser):
    url = reverse("programs:actionitem_done", args=[records["actionitem"].pk])
    before = database_state()

    response = browser("anonymous").post(url)

    assert_sent_to_login(response, url)
    assert database_state() == before


# --- posts to create and edit pages --------------------------------------------------------------


@pytest.mark.parametrize("name", FORM_URLS)
def test_the_coordinator_saves_what_the_form_offers(name, records, browser):
    """The control for the next test: the data posted there is what a coordinator would save."""
    coordinator = browser("coordinator")
    data = form_data(name, records, coordinator)
    before = database_state()

    response = coordinator.post(url_of(name, records), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert database_state() != before


@pytest.mark.parametrize("persona", sorted(OUTSIDERS))
@pytest.mark.parametrize("name", FORM_URLS)
def test_a_post_from_a_persona_without_the_right_changes_nothing(
    name, persona, records, private_media, browser
):
    data = form_data(name, records, browser("coordinator"))
    url = url_of(name, records)
    files_before = sorted(private_media.rglob("*"))
    before = database_state()

    response = browser(persona).post(url, data)

    if persona == "anonymous":
        assert_sent_to_login(response, url)
    else:
        assert response.status_code == OUTSIDERS[persona]
    assert database_state() == before
    assert sorted(private_media.rglob("*")) == files_before


# --- a coordinator stays inside the programme ---------------------------------------------------


@pytest.fixture
def elsewhere(other_program) -> dict[str, Model]:
    """Records of `other_program`, including a partner that works only there."""
    partner = PartnerFactory(name="Perkumpulan Lain")
    ProgramPartnerFactory(program=other_program, partner=partner)
    meeting = MeetingFactory(program=other_program)
    site = SiteFactory(program=other_program)
    agreement = AgreementFactory(program=other_program)
    commitment = CommitmentFactory(program=other_program, partner=partner, meeting=meeting)
    return {
        "partner": partner,
        "meeting": meeting,
        "site": site,
        "agreement": agreement,
        "commitment": commitment,
    }


def test_a_coordinator_cannot_move_a_commitment_into_another_programme(
    records, elsewhere, other_program, browser
):
    coordinator = browser("coordinator")
    data = form_data("programs:commitment_edit", records, coordinator)
    data["program"] = str(other_program.pk)
    before = database_state()

    response = coordinator.post(url_of("programs:commitment_edit", records), data)

    assert response.status_code == 200
    assert "program" in response.context["form"].errors
    assert database_state() == before
    assert Commitment.objects.get(pk=records["commitment"].pk).program_id == records["program"].pk


@pytest.mark.parametrize("name", ["programs:commitment_create", "programs:commitment_edit"])
def test_commitment_forms_offer_nothing_of_another_programme(
    name, records, elsewhere, users, browser
):
    response = browser("coordinator").get(url_of(name, records))

    fields = response.context["form"].fields
    assert set(fields["meeting"].queryset) == {records["meeting"]}
    assert set(fields["site"].queryset) == {records["site"]}
    assert set(fields["agreement"].queryset) == {records["agreement"]}
    if "program" in fields:
        assert set(fields["program"].queryset) == {records["program"]}
    # Partners are one directory shared by every programme (collab.permissions.restrict): the
    # choice is the directory as the coordinator may read it, whoever the partner works with.
    visible = restrict(Partner.objects.all(), users["coordinator"], Action.VIEW)
    assert set(fields["partner"].queryset) == set(visible)
