"""Writing through /api/v1/: versions as ETags shared with the pages (412 stale, 428 missing),
related ids resolved through the chokepoint, validation by field in the request's language, all
or nothing, history with the API user."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from collab.api.preconditions import etag
from collab.concurrency import make_version
from programs.models import ActionItem, Commitment, Meeting
from tests.posted import posted_form

from .test_rights import new_commitment, new_meeting

pytestmark = pytest.mark.django_db


def commitment_url(world) -> str:
    return f"/api/v1/commitments/{world.mine['commitment'].pk}/"


def test_a_read_carries_the_pages_version_as_a_strong_etag(api_for, world):
    commitment = Commitment.objects.get(pk=world.mine["commitment"].pk)

    response = api_for("coordinator").get(commitment_url(world))

    digest = make_version(commitment).split(".")[0]
    assert response["ETag"] == f'"{digest}"'


def test_a_change_without_if_match_is_428_and_saves_nothing(api_for, world):
    response = api_for("coordinator").patch(commitment_url(world), {"title": "Tanpa versi"})

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert not Commitment.objects.filter(title="Tanpa versi").exists()


def test_a_stale_if_match_is_412_with_the_current_version_and_saves_nothing(api_for, world):
    api = api_for("coordinator")
    old = api.get(commitment_url(world))["ETag"]
    first = api.patch(commitment_url(world), {"title": "Pertama"}, **{"If-Match": old})

    second = api.patch(commitment_url(world), {"title": "Kedua"}, **{"If-Match": old})

    assert first.status_code == 200
    assert first["ETag"] != old
    assert second.status_code == 412
    assert second["ETag"] == first["ETag"]
    assert Commitment.objects.get(pk=world.mine["commitment"].pk).title == "Pertama"


def test_an_api_change_and_a_page_edit_conflict_in_both_directions(api_for, world):
    api = api_for("coordinator")
    page = Client()
    page.force_login(world.users["coordinator"])
    edit_url = f"/commitments/{world.mine['commitment'].pk}/edit/"

    # The page form is opened, then the API changes the record: the page's save is refused.
    form = posted_form(page.get(edit_url))
    read = api.get(commitment_url(world))["ETag"]
    assert (
        api.patch(commitment_url(world), {"title": "Lewat API"}, **{"If-Match": read}).status_code
        == 200
    )
    refused_page = page.post(edit_url, form | {"title": "Lewat halaman"})

    # The API reads, then the page saves: the API's change is refused.
    read = api.get(commitment_url(world))["ETag"]
    form = posted_form(page.get(edit_url))
    saved_page = page.post(edit_url, form | {"title": "Lewat halaman"})
    refused_api = api.patch(
        commitment_url(world), {"title": "Lewat API lagi"}, **{"If-Match": read}
    )

    assert refused_page.status_code == 409
    assert saved_page.status_code == 302
    assert refused_api.status_code == 412
    assert Commitment.objects.get(pk=world.mine["commitment"].pk).title == "Lewat halaman"


def test_a_meetings_etag_covers_its_child_rows(api_for, world):
    meeting = world.mine["meeting"]
    before = api_for("coordinator").get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
    decision = meeting.decisions.get()
    decision.text = "Diubah orang lain"
    decision.save()

    after = api_for("coordinator").get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]

    assert (
        before
        != after
        == etag(
            Meeting.objects.get(pk=meeting.pk),
            ("attendances", "decisions", "action_items", "commitments"),
        )
    )


def test_history_records_the_api_user(api_for, world):
    commitment = Commitment.objects.get(pk=world.mine["commitment"].pk)

    api_for("coordinator").patch(
        commitment_url(world), {"status": "in_progress"}, **{"If-Match": etag(commitment)}
    )

    latest = Commitment.history.filter(id=commitment.pk).latest("history_date")
    assert latest.history_user == world.users["coordinator"]
    assert latest.status == "in_progress"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("site", "site"),  # a site of the other programme
        ("meeting", "meeting"),
        ("agreement", "agreement"),
        ("partner", None),  # no such partner
    ],
)
def test_a_related_id_the_caller_cannot_use_is_refused_by_field(field, value, api_for, world):
    body = new_commitment(world)
    body[field] = world.theirs[value].pk if value else 999_999

    response = api_for("coordinator").post("/api/v1/commitments/", body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Commitment.objects.filter(title=body["title"]).exists()


def test_moving_a_commitment_to_a_programme_one_only_sees_is_403(api_for, world):
    from programs.services.program import grant_viewer

    grant_viewer(program=world.theirs["program"], user=world.users["coordinator"])
    commitment = Commitment.objects.get(pk=world.mine["commitment"].pk)

    response = api_for("coordinator").patch(
        commitment_url(world),
        {"program": world.theirs["program"].slug},
        **{"If-Match": etag(commitment)},
    )

    assert response.status_code == 403
    assert Commitment.objects.get(pk=commitment.pk).program == world.mine["program"]


def test_validation_errors_say_which_field_and_why_in_the_requests_language(api_for, world):
    body = new_commitment(world) | {"starts_on": "2027-01-01", "due_on": "2026-01-01"}

    indonesian = api_for("coordinator").post("/api/v1/commitments/", body)
    english = api_for("coordinator", language="en").post("/api/v1/commitments/", body)
    typed = api_for("coordinator", language="en").post(
        "/api/v1/commitments/", body | {"amount": "banyak", "kind": "gift"}
    )

    assert indonesian.status_code == english.status_code == typed.status_code == 400
    assert indonesian.json()["errors"] == {
        "due_on": ["Komitmen tidak dapat jatuh tempo sebelum dimulai."]
    }
    assert english.json()["errors"] == {"due_on": ["A commitment cannot be due before it starts."]}
    assert set(typed.json()["errors"]) == {"amount", "kind"}
    assert "gift" in typed.json()["errors"]["kind"][0]


def test_a_new_commitment_is_created_with_its_etag_and_location(api_for, world):
    response = api_for("coordinator").post("/api/v1/commitments/", new_commitment(world))

    assert response.status_code == 201
    created = Commitment.objects.get(pk=response.json()["id"])
    assert (created.program, created.kind, created.amount) == (
        world.mine["program"],
        "funding",
        150_000_000,
    )
    assert response["Location"] == f"/api/v1/commitments/{created.pk}/"
    assert response["ETag"] == etag(created)
    assert response.json()["status_label"] == "Dijanjikan"


def test_a_progress_update_moves_the_commitment_to_its_status(api_for, world):
    commitment = world.mine["commitment"]

    response = api_for("coordinator").post(
        f"/api/v1/commitments/{commitment.pk}/updates/", {"status": "fulfilled", "progress": 100}
    )
    refused = api_for("coordinator").post(
        f"/api/v1/commitments/{commitment.pk}/updates/", {"status": "fulfilled", "progress": 101}
    )

    assert response.status_code == 201
    assert Commitment.objects.get(pk=commitment.pk).status == "fulfilled"
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["progress"]


def test_an_action_items_status_is_changed_with_its_version(api_for, world):
    item = world.mine["action_item"]
    api = api_for("coordinator")
    version = api.get(f"/api/v1/action-items/{item.pk}/")["ETag"]

    done = api.patch(
        f"/api/v1/action-items/{item.pk}/", {"status": "done"}, **{"If-Match": version}
    )
    bad = api.patch(
        f"/api/v1/action-items/{item.pk}/", {"status": "gone"}, **{"If-Match": done["ETag"]}
    )

    assert done.status_code == 200 and done.json()["status"] == "done"
    assert ActionItem.objects.get(pk=item.pk).status == "done"
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["status"]


def test_a_meeting_is_recorded_with_all_its_rows(api_for, world):
    response = api_for("coordinator").post("/api/v1/meetings/", new_meeting(world))

    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert [d.text for d in meeting.decisions.all()] == ["Menyepakati jadwal pelatihan"]
    assert meeting.decisions.get().number == 1
    assert [a.partner for a in meeting.attendances.all()] == [world.mine["partner"]]
    assert [a.title for a in meeting.action_items.all()] == ["Menyusun modul"]
    assert [(c.title, c.kind) for c in meeting.commitments.all()] == [
        ("Fasilitator pelatihan", "technical")
    ]
    assert response.json()["attendances"][0]["role"] == "Tuan rumah"


def test_one_bad_row_saves_nothing_of_the_meeting(api_for, world):
    body = new_meeting(world)
    body["commitments"].append(
        {
            "partner": world.mine["partner"].pk,
            "title": "Salah",
            "starts_on": "2026-05-01",
            "due_on": "2026-04-01",
        }
    )
    body["attendances"].append({"partner": world.mine["partner"].pk})  # listed twice
    body["action_items"].append({"title": "Tanpa mitra", "responsible": 999_999})
    before = (Meeting.objects.count(), Commitment.objects.count(), ActionItem.objects.count())

    response = api_for("coordinator").post("/api/v1/meetings/", body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "commitments.1.due_on" in errors
    assert "action_items.1.responsible" in errors
    assert any(key.startswith("attendances") for key in errors)
    after = (Meeting.objects.count(), Commitment.objects.count(), ActionItem.objects.count())
    assert after == before


def test_a_meeting_cannot_list_a_site_of_another_programme(api_for, world):
    body = new_meeting(world)
    body["commitments"][0]["site"] = world.theirs["site"].pk

    response = api_for("coordinator").post("/api/v1/meetings/", body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["commitments.0.site"]


def test_drf_s_own_messages_follow_the_language_too(api_for, world):
    body = new_commitment(world)
    del body["title"]

    indonesian = api_for("coordinator").post("/api/v1/commitments/", body)
    english = api_for("coordinator", language="en").post("/api/v1/commitments/", body)

    assert english.json()["errors"] == {"title": ["This field is required."]}
    assert indonesian.json()["errors"]["title"][0] not in ("", "This field is required.")


def test_a_browser_session_writes_only_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    page = client.get("/accounts/preferences/")  # any page sets the CSRF cookie
    body = json.dumps(new_commitment(world))

    refused = client.post("/api/v1/commitments/", body, content_type="application/json")
    accepted = client.post(
        "/api/v1/commitments/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": page.cookies["csrftoken"].value},
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201
