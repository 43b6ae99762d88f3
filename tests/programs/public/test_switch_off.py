"""A programme switched off disappears from the pages, the sitemap and the data at once (the
cached pages included), and coming back is as immediate. Only its coordinators and admins may
switch it, and the programme's history records who did."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, PartnerFactory, ProgramPartnerFactory

from .conftest import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(program):
    program.is_public = True
    program.description = "Program yang dipublikasikan."
    program.save()
    partner = PartnerFactory(name="Yayasan Publik Uji")
    ProgramPartnerFactory(program=program, partner=partner, role="convenor")
    meeting = MeetingFactory(program=program, title="Rapat Publik Uji")
    return {"program": program, "partner": partner, "meeting": meeting}


def surfaces(client, published) -> dict[str, bool]:
    """Where the programme shows, each answered (and cached) by the same client."""
    program, meeting = published["program"], published["meeting"]
    return {
        "list": program.name in body(client.get("/public/")),
        "page": client.get(f"/public/programs/{program.slug}/").status_code == 200,
        "meeting": client.get(f"/public/meetings/{meeting.pk}/").status_code == 200,
        "partner": client.get(f"/public/partners/{published['partner'].pk}/").status_code == 200,
        "sitemap": f"/public/programs/{program.slug}/" in body(client.get("/sitemap.xml")),
        "csv": program.name in body(client.get("/public/data/programmes.csv")),
        "json": meeting.title in body(client.get("/public/data/meetings.json")),
        "iati": program.slug in body(client.get("/public/data/iati.xml")),
        "data": client.get(f"/public/data/{program.slug}/").status_code == 200,
    }


def test_switching_a_programme_off_removes_it_everywhere_at_once(
    published, client, django_capture_on_commit_callbacks
):
    assert all(surfaces(client, published).values()), surfaces(client, published)
    with django_capture_on_commit_callbacks(execute=True):
        program = published["program"]
        program.is_public = False
        program.save()
    assert not any(surfaces(client, published).values()), surfaces(client, published)
    with django_capture_on_commit_callbacks(execute=True):
        program.is_public = True
        program.save()
    assert all(surfaces(client, published).values())


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("no_rights", 403),
        ("viewer", 403),
        ("other_coordinator", 404),
        ("staff", 403),
        ("coordinator", 302),
        ("admin", 302),
    ],
)
def test_only_coordinators_and_admins_switch_it(
    program, client_for, persona, status, django_capture_on_commit_callbacks
):
    url = reverse("public:program_publish", args=[program.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(persona).post(url, {"publish": "1"})
    assert response.status_code == status
    program.refresh_from_db()
    assert program.is_public is (persona in ("coordinator", "admin"))
    if persona == "coordinator":
        assert response["Location"] == program.get_absolute_url()


def test_the_switch_is_recorded_in_history_with_who_made_it(program, users, client_for):
    url = reverse("public:program_publish", args=[program.slug])
    client_for("coordinator").post(url, {"publish": "1"})
    client_for("coordinator").post(url, {"publish": "0"})
    rows = list(program.history.order_by("history_date").values_list("is_public", "history_user"))
    assert rows[-2:] == [(True, users["coordinator"].pk), (False, users["coordinator"].pk)]


def test_the_switch_answers_post_only(program, client_for):
    url = reverse("public:program_publish", args=[program.slug])
    assert client_for("coordinator").get(url).status_code == 405
