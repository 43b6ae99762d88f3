"""Every endpoint of /api/v1/ against every persona, for reading and for writing (DESIGN
"Rights"): anonymous → 401; no right of the kind anywhere → 403; a record outside the user's
programmes → 404 and never listed; a record the user may see but not change → 403 on a change.
"""

from __future__ import annotations

import pytest

from collab.api.preconditions import etag
from programs.models import ActionItem, Commitment
from tests.conftest import PERSONAS
from tests.rights import FORM

pytestmark = pytest.mark.django_db

# The endpoints of programme records: (URL segment, key of the record in World.mine).
PROGRAM_ENDPOINTS = [
    ("programs", "program"),
    ("sites", "site"),
    ("meetings", "meeting"),
    ("action-items", "action_item"),
    ("commitments", "commitment"),
    ("agreements", "agreement"),
    ("indicators", "indicator"),
]

# Which programmes' records each persona reads: "mine" is the personas' programme, "theirs"
# the other coordinator's.
SEES = {
    "viewer": {"mine"},
    "coordinator": {"mine"},
    "other_coordinator": {"theirs"},
    "staff": {"mine", "theirs"},
    "admin": {"mine", "theirs"},
}


def detail_url(segment: str, record) -> str:
    key = record.slug if segment == "programs" else record.pk
    return f"/api/v1/{segment}/{key}/"


def listed_ids(response) -> set:
    return {row.get("slug") or row["id"] for row in response.json()["results"]}


def record_key(segment: str, record):
    return record.slug if segment == "programs" else record.pk


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("segment", "key"), PROGRAM_ENDPOINTS)
def test_each_persona_lists_exactly_the_records_of_its_programmes(
    segment, key, persona, api_for, world
):
    response = api_for(persona).get(f"/api/v1/{segment}/")

    if persona == "anonymous":
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        return
    if persona == "no_rights":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    expected = {record_key(segment, getattr(world, side)[key]) for side in SEES[persona]}
    assert listed_ids(response) == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("segment", "key"), PROGRAM_ENDPOINTS)
@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_a_record_outside_the_rights_is_not_found(segment, key, side, persona, api_for, world):
    record = getattr(world, side)[key]

    response = api_for(persona).get(detail_url(segment, record))

    expected = {"anonymous": 401, "no_rights": 403}.get(persona)
    if expected is None:
        expected = 200 if side in SEES[persona] else 404
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["id"] == record.pk


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_partner_directory_is_shared_by_everybody_with_a_right(persona, api_for, world):
    api = api_for(persona)
    listing = api.get("/api/v1/partners/")
    theirs = api.get(f"/api/v1/partners/{world.theirs['partner'].pk}/")

    expected = {"anonymous": 401, "no_rights": 403}.get(persona, 200)
    assert (listing.status_code, theirs.status_code) == (expected, expected)
    if expected == 200:
        assert listed_ids(listing) == {world.mine["partner"].pk, world.theirs["partner"].pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    ["/api/v1/regions/", "/api/v1/regions/17.71/", "/api/v1/sdg/goals/", "/api/v1/sdg/goals/11/"],
)
def test_reference_data_is_read_by_every_signed_in_user(url, persona, api_for, world):
    response = api_for(persona).get(url)

    assert response.status_code == (401 if persona == "anonymous" else 200)


# --- writes ----------------------------------------------------------------------------------

# Status of each write per persona, on the personas' programme: the rights of the edit pages
# (tests/rights.py), but a call without a token is a 401, not a redirect to the login page.
CHANGE = FORM | {"anonymous": 401}
CREATE = CHANGE | {"coordinator": 201, "admin": 201, "other_coordinator": 400}
ADD = CHANGE | {"coordinator": 201, "admin": 201}


def new_commitment(world) -> dict:
    return {
        "program": world.mine["program"].slug,
        "partner": world.mine["partner"].pk,
        "title": "Dana hibah pelatihan kader",
        "kind": "funding",
        "amount": 150_000_000,
        "due_on": "2026-12-31",
    }


def new_meeting(world) -> dict:
    partner = world.mine["partner"].pk
    return {
        "program": world.mine["program"].slug,
        "kind": "coordination",
        "title": "Rapat koordinasi triwulan",
        "starts_on": "2026-03-10",
        "attendances": [{"partner": partner, "role": "Tuan rumah"}],
        "decisions": [{"text": "Menyepakati jadwal pelatihan"}],
        "action_items": [{"title": "Menyusun modul", "responsible": partner}],
        "commitments": [
            {"partner": partner, "title": "Fasilitator pelatihan", "kind": "technical"}
        ],
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_a_commitment_needs_the_coordinate_right(persona, api_for, world):
    commitment = Commitment.objects.get(pk=world.mine["commitment"].pk)

    response = api_for(persona).patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"title": "Judul baru"},
        **{"If-Match": etag(commitment)},
    )

    assert response.status_code == CHANGE[persona]
    commitment.refresh_from_db()
    assert (commitment.title == "Judul baru") is (CHANGE[persona] == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_an_action_items_status_needs_the_coordinate_right(persona, api_for, world):
    item = ActionItem.objects.get(pk=world.mine["action_item"].pk)

    response = api_for(persona).patch(
        f"/api/v1/action-items/{item.pk}/", {"status": "done"}, **{"If-Match": etag(item)}
    )

    assert response.status_code == CHANGE[persona]
    item.refresh_from_db()
    assert (item.status == "done") is (CHANGE[persona] == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_progress_needs_the_coordinate_right(persona, api_for, world):
    commitment = world.mine["commitment"]
    before = commitment.updates.count()

    response = api_for(persona).post(
        f"/api/v1/commitments/{commitment.pk}/updates/",
        {"status": "in_progress", "progress": 70, "note": "Dana tahap 1 cair"},
    )

    assert response.status_code == ADD[persona]
    assert commitment.updates.count() == before + (1 if ADD[persona] == 201 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_a_commitment_needs_the_coordinate_right_on_its_programme(persona, api_for, world):
    program = world.mine["program"]
    before = program.commitments.count()

    response = api_for(persona).post("/api/v1/commitments/", new_commitment(world))

    assert response.status_code == CREATE[persona]
    assert program.commitments.count() == before + (1 if CREATE[persona] == 201 else 0)
    if CREATE[persona] == 400:  # another coordinator: the programme does not exist for them
        assert set(response.json()["errors"]) == {"program"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_recording_a_meeting_needs_the_coordinate_right_on_its_programme(persona, api_for, world):
    program = world.mine["program"]
    before = (program.meetings.count(), program.commitments.count(), program.action_items.count())

    response = api_for(persona).post("/api/v1/meetings/", new_meeting(world))

    assert response.status_code == CREATE[persona]
    added = 1 if CREATE[persona] == 201 else 0
    after = (program.meetings.count(), program.commitments.count(), program.action_items.count())
    assert after == tuple(count + added for count in before)


@pytest.mark.parametrize("persona", ["viewer", "coordinator", "admin"])
def test_a_read_only_token_never_writes(persona, world, api_for):
    from collab.api.tokens import create_token

    from .conftest import ApiClient

    _token, key = create_token(user=world.users[persona], name="baca", read_only=True)
    api = ApiClient(key)
    commitment = Commitment.objects.get(pk=world.mine["commitment"].pk)

    read = api.get(f"/api/v1/commitments/{commitment.pk}/")
    write = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"title": "X"}, **{"If-Match": etag(commitment)}
    )

    assert read.status_code == 200
    assert write.status_code == 403
