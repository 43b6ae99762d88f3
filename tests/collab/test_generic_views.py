"""The generic view family (collab.views): the one 403-or-404 decision, the child-create view,
the action views, the templates found by naming, a save refused by a concurrent write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import resolve, reverse

from collab.permissions import Action
from collab.views import fetch_for
from programs.forms.indicators import MeasurementForm
from programs.models import ActionItem, Commitment, Measurement
from programs.services.program import grant_coordinator, grant_viewer
from programs.views import commitments
from programs.views.meetings import MeetingArchiveView
from tests.factories.commitments import CommitmentFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import UserFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory

# --- fetch_for: the one place that decides 403 or 404 -------------------------------------------

ALL = Commitment.objects.all()


@pytest.fixture
def commitment(program):
    return CommitmentFactory(program=program)


def test_a_coordinator_gets_the_record_of_their_programme(users, commitment):
    found = fetch_for(users["coordinator"], ALL, Action.COORDINATE, pk=commitment.pk)
    assert found == commitment


def test_a_record_visible_but_not_coordinated_is_a_403(users, commitment):
    with pytest.raises(PermissionDenied):
        fetch_for(users["viewer"], ALL, Action.COORDINATE, pk=commitment.pk)


@pytest.mark.parametrize("persona", ["other_coordinator", "no_rights"])
def test_a_record_outside_the_users_programmes_is_a_404(users, commitment, persona):
    with pytest.raises(Http404):
        fetch_for(users[persona], ALL, Action.COORDINATE, pk=commitment.pk)


def test_reading_never_says_403_and_a_missing_record_is_a_404(users, commitment):
    with pytest.raises(Http404):
        fetch_for(users["other_coordinator"], ALL, Action.VIEW, pk=commitment.pk)
    with pytest.raises(Http404):
        fetch_for(users["admin"], ALL, Action.COORDINATE, pk=commitment.pk + 99)


def test_marking_done_follows_the_same_decision(client_for, users, program, other_program):
    """Someone who sees the programme but coordinates another one: 403, not 404."""
    item = ActionItemFactory(program=program)
    both = UserFactory(username="lihat-ini-koordinasi-lain")
    grant_viewer(program=program, user=both)
    grant_coordinator(program=other_program, user=both)
    client = client_for("anonymous")
    client.force_login(both)

    response = client.post(reverse("programs:actionitem_done", args=[item.pk]))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status != ActionItem.Status.DONE


# --- child-create views: a row added to a record ------------------------------------------------


def test_a_measurement_is_added_to_the_indicator_of_the_url(client_for, program):
    indicator = IndicatorFactory(program=program)
    url = reverse("programs:measurement_create", args=[indicator.pk])

    response = client_for("coordinator").post(
        url, {"measured_on": "2024-05-01", "value": "12,5", "note": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:indicator_detail", args=[indicator.pk])
    measurement = Measurement.objects.get()
    assert measurement.indicator == indicator
    assert measurement.value == Decimal("12.5")


def test_a_child_forms_cancel_leads_back_to_the_record_else_its_programme(client_for, program):
    commitment = CommitmentFactory(program=program)
    indicator = IndicatorFactory(program=program)  # an indicator names no page of its own
    client = client_for("coordinator")

    update_page = client.get(reverse("programs:commitmentupdate_create", args=[commitment.pk]))
    measurement_page = client.get(reverse("programs:measurement_create", args=[indicator.pk]))

    assert update_page.context["cancel_url"] == commitment.get_absolute_url()
    assert measurement_page.context["cancel_url"] == program.get_absolute_url()
    assert update_page.context["program"] == program
    assert update_page.context["parent"] == commitment


def test_a_date_taken_by_a_concurrent_save_is_told_beside_the_field(
    client_for, program, monkeypatch
):
    """Another coordinator records the same date after this form's check and before its save:
    the unique constraint refuses the save, and the form, checked again, says why."""
    indicator = IndicatorFactory(program=program)
    check = MeasurementForm.clean_measured_on
    raced: list[Measurement] = []

    def check_then_lose_the_race(form):
        measured_on = check(form)
        if not raced:
            raced.append(MeasurementFactory(indicator=indicator, measured_on=measured_on))
        return measured_on

    monkeypatch.setattr(MeasurementForm, "clean_measured_on", check_then_lose_the_race)

    response = client_for("coordinator").post(
        reverse("programs:measurement_create", args=[indicator.pk]),
        {"measured_on": "2024-05-01", "value": "3", "note": "mine"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["measured_on"]
    assert list(Measurement.objects.all()) == raced  # the other one only, unchanged


# --- archive and unarchive: one class with a parameter -------------------------------------------


def test_archive_and_unarchive_are_one_class_with_a_parameter(client_for, program):
    meeting = MeetingFactory(program=program)
    archive = resolve(reverse("programs:meeting_archive", args=[meeting.pk]))
    unarchive = resolve(reverse("programs:meeting_unarchive", args=[meeting.pk]))
    assert archive.func.view_class is unarchive.func.view_class is MeetingArchiveView
    assert unarchive.func.view_initkwargs == {"archive": False}

    client = client_for("coordinator")
    client.post(reverse("programs:meeting_archive", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.archived_at is not None
    client.post(reverse("programs:meeting_unarchive", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.archived_at is None


# --- templates: the app's by Django's naming, else the generic one -------------------------------


@pytest.mark.parametrize(
    ("url_name", "record", "template"),
    [
        ("programs:commitment_create", "program", "collab/form.html"),
        ("programs:meeting_create", "program", "programs/meeting_form.html"),
        ("programs:commitment_edit", "commitment", "collab/form.html"),
        ("programs:commitment_list", None, "collab/list.html"),
        ("programs:meeting_list", None, "programs/meeting_list.html"),
        ("programs:commitment_detail", "commitment", "programs/commitment_detail.html"),
    ],
)
def test_a_page_uses_its_apps_template_when_there_is_one(
    client_for, program, commitment, url_name, record, template
):
    args = {"program": [program.slug], "commitment": [commitment.pk], None: []}[record]

    response = client_for("coordinator").get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert response.templates[0].name == template


def test_a_refusal_the_form_did_not_foresee_is_shown_above_it(client_for, program, monkeypatch):
    """A service that refuses after the form passed, naming no field: the page says it, saves
    nothing, and is no 500."""
    commitment = CommitmentFactory(program=program)

    def refuse(**kwargs):
        raise ValidationError("Komitmen ini sedang dikunci.")

    monkeypatch.setattr(commitments.services, "record_commitment_update", refuse)

    response = client_for("coordinator").post(
        reverse("programs:commitmentupdate_create", args=[commitment.pk]),
        {"status": commitment.status, "progress": "40", "note": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Komitmen ini sedang dikunci."]
    assert not commitment.updates.exists()
