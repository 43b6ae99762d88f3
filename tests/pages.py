"""The project's pages and one record of each kind they are about, shared by the rights matrix
(tests/collab/test_rights_matrix.py) and the browser walk (tests/browser/test_every_page.py).

`EXPECTED` names, for every page of the programs and partners namespaces and the dashboard, the
status each persona gets (kinds of page from tests/rights.py) and the record its URL is about;
`url_of` fills its URL in from `records`. A page added without a line in `EXPECTED` fails the
matrix. The fixtures are imported by the modules that use them (module-scoped, built once per
module, tests/once.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db.models import Model
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programs.models import Agreement, Program
from programs.models.agreements import private_storage
from tests.conftest import PERSONAS
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory
from tests.rights import DETAIL, DIRECTORY, FORM, LIST, SIGNED_IN

# The personas and the records are built once for the module (tests/once.py): each test reads
# them and rolls back what it changed.


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


def url_of(name: str, records: dict[str, Model]) -> str:
    _, key = EXPECTED[name]
    if key is None:
        return reverse(name)
    record = records[key]
    if "slug" in PAGES[name].pattern.converters:
        return reverse(name, kwargs={"slug": record.slug})
    return reverse(name, kwargs={"pk": record.pk})
