"""Every page against every persona (DESIGN "Rights", STYLE rule 12).

The pages are read from the URL resolver, so a page added without a line in `EXPECTED` fails
`test_every_page_has_an_expectation`. The rules being checked (collab/views.py):

- anonymous → redirect to the login page, with `next` pointing back;
- signed in, but no right of the page's kind on any programme → 403;
- a record outside the user's programmes → 404 (its existence is not revealed);
- a record the user may see but not change → 403 on its edit pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from collab.permissions import Action, restrict
from partners.models import Partner
from programs.models import ActionItem, Agreement, Commitment, Program
from programs.models.agreements import private_storage
from tests.conftest import PERSONAS
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import RegionFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory
from tests.posted import posted_form
from tests.rights import DETAIL, DIRECTORY, FORM, LIST, SIGNED_IN

# The personas and the records are built once for the module (tests/once.py): each test reads
# them and rolls back what it changed.
pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]

# --- the expectation table ---------------------------------------------------------------------

# The status of a GET per persona for each kind of page (SIGNED_IN, LIST, DETAIL, FORM …) is in
# tests/rights.py.
# A POST-only page answers a GET from anyone with the right to its kind with 405, before it looks
# the record up (so the 405 reveals nothing).
POST_ONLY = FORM | {"coordinator": 405, "other_coordinator": 405, "admin": 405}
# The calendar feed authenticates with the secret key in its URL, never with a session: without
# one it is a 404 for everybody (tests/programs/test_calendar.py tries each persona's own key).
TOKEN_FEED = dict.fromkeys(PERSONAS, 404)

# URL name → (statuses, record the URL is about: a key of the `records` fixture, or None).
EXPECTED: dict[str, tuple[dict[str, int], str | None]] = {
    "dashboard": (SIGNED_IN, None),
    "programs:program_list": (LIST, None),
    "programs:meeting_list": (LIST, None),
    "programs:commitment_list": (LIST, None),
    "programs:agreement_list": (LIST, None),
    "programs:actionitem_list": (LIST, None),
    "programs:site_list": (LIST, None),
    "partners:partner_list": (LIST, None),
    "programs:program_detail": (DETAIL, "program"),
    "programs:meeting_detail": (DETAIL, "meeting"),
    "programs:commitment_detail": (DETAIL, "commitment"),
    "programs:agreement_detail": (DETAIL, "agreement"),
    "programs:agreement_document": (DETAIL, "agreement"),
    "programs:agreement_print": (DETAIL, "agreement"),
    "programs:site_detail": (DETAIL, "site"),
    "partners:partner_detail": (DIRECTORY, "partner"),
    "programs:meeting_create": (FORM, "program"),
    "programs:commitment_create": (FORM, "program"),
    "programs:agreement_create": (FORM, "program"),
    "programs:site_create": (FORM, "program"),
    "programs:actionitem_create": (FORM, "program"),
    "programs:meeting_edit": (FORM, "meeting"),
    "programs:commitment_edit": (FORM, "commitment"),
    "programs:commitmentupdate_create": (FORM, "commitment"),
    "programs:agreement_edit": (FORM, "agreement"),
    "programs:actionitem_edit": (FORM, "actionitem"),
    "programs:site_edit": (FORM, "site"),
    "programs:actionitem_done": (POST_ONLY, "actionitem"),
    "programs:meeting_archive": (POST_ONLY, "meeting"),
    "programs:meeting_unarchive": (POST_ONLY, "meeting"),
    "programs:commitment_archive": (POST_ONLY, "commitment"),
    "programs:commitment_unarchive": (POST_ONLY, "commitment"),
    "programs:agreement_archive": (POST_ONLY, "agreement"),
    "programs:agreement_unarchive": (POST_ONLY, "agreement"),
    "programs:indicator_detail": (DETAIL, "indicator"),
    "programs:indicator_create": (FORM, "program"),
    "programs:indicator_edit": (FORM, "indicator"),
    "programs:measurement_create": (FORM, "indicator"),
    "programs:program_calendar": (TOKEN_FEED, "program"),
}
PAGE_NAMESPACES = ("programs", "partners")
FORM_URLS = sorted(name for name, (statuses, _) in EXPECTED.items() if statuses is FORM)
# Personas that must not be able to write to `program`, and what they get when they try.
OUTSIDERS = {name: FORM[name] for name in FORM if FORM[name] != 200}


def project_pages() -> dict[str, URLPattern]:
    """The page URLs: the dashboard and every URL of the programs and partners namespaces."""
    pages: dict[str, URLPattern] = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in PAGE_NAMESPACES:
            for pattern in entry.url_patterns:
                pages[f"{entry.namespace}:{pattern.name}"] = pattern
        elif isinstance(entry, URLPattern) and entry.name == "dashboard":
            pages["dashboard"] = entry
    return pages


PAGES = project_pages()

# A one-page PDF, small enough to read: what a scanned agreement looks like to the storage.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(scope="module")
def private_media(tmp_path_factory) -> Iterator[Path]:
    """Signed scans go to a temporary PRIVATE_MEDIA_ROOT, for the whole module (the records with
    their scan are built once).

    Django evaluates a FileField's storage callable once, when the model class is built, so the
    field gets a fresh storage from the model's own callable after the setting has changed.
    """
    root = tmp_path_factory.mktemp("matrix") / "private"
    field = Agreement._meta.get_field("document")
    storage = field.storage
    with override_settings(PRIVATE_MEDIA_ROOT=root):
        field.storage = private_storage()
        try:
            yield root
        finally:
            field.storage = storage


@pytest.fixture(scope="module")
def _records(module_db, personas_once, private_media) -> dict[str, tuple[type[Model], int]]:
    """One record of each kind in `program`, with the related rows its pages show: built once
    for the module (tests/once.py); only their primary keys are kept."""
    with module_db.unblock():
        program = Program.objects.get(pk=personas_once.program)
        partner = PartnerFactory(name="Yayasan Bina Nusantara", acronym="YBN")
        ProgramPartnerFactory(program=program, partner=partner)
        site = SiteFactory(program=program, name="Kelurahan Kalibaru")
        meeting = MeetingFactory(program=program, title="Rapat koordinasi pertama")
        AttendanceFactory(meeting=meeting, partner=partner)
        DecisionFactory(meeting=meeting, number=1)
        agreement = AgreementFactory(program=program, meeting=meeting, number="NK/01")
        SignatoryFactory(agreement=agreement, partner=partner)
        ClauseFactory(agreement=agreement)
        agreement.document.save("nota-kesepakatan.pdf", ContentFile(PDF), save=False)
        agreement.document_sha256 = hashlib.sha256(PDF).hexdigest()
        agreement.save()
        commitment = CommitmentFactory(
            program=program, partner=partner, meeting=meeting, site=site, agreement=agreement
        )
        CommitmentUpdateFactory(commitment=commitment)
        actionitem = ActionItemFactory(program=program, meeting=meeting, responsible=partner)
        indicator = IndicatorFactory(program=program, name="Luas permukiman kumuh", target_value=0)
        MeasurementFactory(indicator=indicator, value=120)
        built = {
            "program": program,
            "partner": partner,
            "site": site,
            "meeting": meeting,
            "agreement": agreement,
            "commitment": commitment,
            "actionitem": actionitem,
            "indicator": indicator,
        }
        return {key: (type(record), record.pk) for key, record in built.items()}


@pytest.fixture
def records(db, _records) -> dict[str, Model]:
    """Fresh instances of the records for each test (their changes are rolled back after it)."""
    return {key: model.objects.get(pk=pk) for key, (model, pk) in _records.items()}


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


def url_of(name: str, records: dict[str, Model]) -> str:
    _, key = EXPECTED[name]
    if key is None:
        return reverse(name)
    record = records[key]
    if "slug" in PAGES[name].pattern.converters:
        return reverse(name, kwargs={"slug": record.slug})
    return reverse(name, kwargs={"pk": record.pk})


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
