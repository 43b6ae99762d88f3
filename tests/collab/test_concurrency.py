"""No lost updates: two people edit the same record from the same starting version; the second
save is refused with what the first changed, nothing is overwritten, the second's input stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from collab.concurrency import VERSION_FIELD, check_version, state_digest
from programs.models import ActionItem, Agreement, Commitment, Meeting, Site
from programs.services.program import grant_coordinator
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.lookups import RegionFactory, UserFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import SiteFactory
from tests.posted import posted_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(program) -> Client:
    """Another coordinator of the same programme, signed in."""
    user = UserFactory(username="koordinator-dua")
    grant_coordinator(program=program, user=user)
    client = Client()
    client.force_login(user)
    return client


def open_form(client: Client, url: str) -> dict[str, Any]:
    """Open the edit page and return what its form would post unchanged (with its version)."""
    response = client.get(url)
    assert response.status_code == 200
    data = posted_form(response)
    assert data[VERSION_FIELD], "the edit form carries a version"
    return data


# --- single-record pages: commitment, action item, site -----------------------------------------


def commitment_case(program) -> tuple[Any, str, str]:
    record = CommitmentFactory(program=program, title="Pelatihan kader", amount=1000)
    return record, reverse("programs:commitment_edit", args=[record.pk]), "title"


def actionitem_case(program) -> tuple[Any, str, str]:
    record = ActionItemFactory(program=program, title="Menyusun rencana aksi")
    return record, reverse("programs:actionitem_edit", args=[record.pk]), "title"


def site_case(program) -> tuple[Any, str, str]:
    record = SiteFactory(program=program, region=RegionFactory(code="17"), name="Kota Bengkulu")
    return record, reverse("programs:site_edit", args=[record.pk]), "name"


CASES: dict[str, Callable[[Any], tuple[Any, str, str]]] = {
    "commitment": commitment_case,
    "action item": actionitem_case,
    "site": site_case,
}


@pytest.mark.parametrize("case", CASES)
def test_the_second_of_two_edits_from_one_version_is_refused_and_the_first_is_kept(
    client_for, second, program, case
):
    record, url, field = CASES[case](program)
    first = client_for("coordinator")
    first_data, second_data = open_form(first, url), open_form(second, url)

    saved = first.post(url, {**first_data, field: "Versi koordinator pertama"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_data, field: "Versi koordinator kedua"})

    assert refused.status_code == 409
    page = refused.content.decode()
    # What changed, the other person's value, who saved it.
    assert 'id="conflict"' in page
    assert "Versi koordinator pertama" in page
    assert "koordinator-ini" in page
    assert refused.context["conflict"].entries[0].user == "koordinator-ini"
    # Nothing overwritten; the second person's input is still in the form.
    record.refresh_from_db()
    assert getattr(record, field) == "Versi koordinator pertama"
    assert refused.context["form"][field].value() == "Versi koordinator kedua"


def test_saving_again_after_reading_the_conflict_applies_ones_own_values(
    client_for, second, program
):
    commitment, url, _ = commitment_case(program)
    first = client_for("coordinator")
    first_data, second_data = open_form(first, url), open_form(second, url)
    first.post(url, {**first_data, "title": "Judul pertama"})
    refused = second.post(url, {**second_data, "title": "Judul kedua"})

    # The page carries the version that includes the first save: a second click is deliberate.
    again = second.post(url, posted_form(refused))

    assert again.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title == "Judul kedua"


def test_a_save_that_changed_nothing_is_no_conflict(client_for, second, program):
    commitment, url, _ = commitment_case(program)
    first = client_for("coordinator")
    first_data, second_data = open_form(first, url), open_form(second, url)
    assert first.post(url, first_data).status_code == 302  # saved unchanged

    assert second.post(url, {**second_data, "title": "Judul baru"}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.title == "Judul baru"


def test_a_garbled_version_counts_as_out_of_date(client_for, program):
    commitment, url, _ = commitment_case(program)
    client = client_for("coordinator")
    data = {**open_form(client, url), VERSION_FIELD: "bukan-versi", "title": "Judul baru"}

    assert client.post(url, data).status_code == 409
    commitment.refresh_from_db()
    assert commitment.title == "Pelatihan kader"


def test_an_archived_record_changes_the_version(users, program):
    commitment = CommitmentFactory(program=program)
    before = state_digest(commitment)
    commitment.set_archived(True, user=users["coordinator"])
    assert state_digest(commitment) != before


# --- a meeting with its outcomes ---------------------------------------------------------------


@pytest.fixture
def meeting(program):
    meeting = MeetingFactory(program=program, title="Rapat koordinasi triwulan")
    AttendanceFactory(meeting=meeting, partner=PartnerFactory(name="Bappeda Kota Bengkulu"))
    DecisionFactory(meeting=meeting, number=1, text="Menyepakati rencana aksi daerah")
    DecisionFactory(meeting=meeting, number=2, text="Membentuk sekretariat bersama")
    return meeting


def decision_field(data: dict[str, Any], text: str) -> str:
    """The name of the decision row field holding `text` in posted meeting data."""
    return next(name for name, value in data.items() if value == text)


def test_a_meeting_edit_over_a_newer_save_of_its_decisions_is_refused(
    client_for, second, program, meeting
):
    url = reverse("programs:meeting_edit", args=[meeting.pk])
    first = client_for("coordinator")
    first_data, second_data = open_form(first, url), open_form(second, url)

    # The first changes only a decision: the meeting's own row does not change.
    field = decision_field(first_data, "Membentuk sekretariat bersama")
    saved = first.post(url, {**first_data, field: "Membentuk sekretariat dan tim teknis"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_data, "title": "Rapat koordinasi triwulan II"})

    assert refused.status_code == 409
    entries = refused.context["conflict"].entries
    assert [(entry.subject, entry.user) for entry in entries] == [
        (entries[0].subject, "koordinator-ini")
    ]
    assert entries[0].subject.endswith(" 2")  # "Keputusan 2": decision number 2
    assert [(c.old, c.new) for c in entries[0].changes] == [
        ("Membentuk sekretariat bersama", "Membentuk sekretariat dan tim teknis")
    ]
    meeting.refresh_from_db()
    assert meeting.title == "Rapat koordinasi triwulan"
    assert set(meeting.decisions.values_list("text", flat=True)) == {
        "Menyepakati rencana aksi daerah",
        "Membentuk sekretariat dan tim teknis",
    }
    assert refused.context["form"]["title"].value() == "Rapat koordinasi triwulan II"
    # The rows as the second person left them are still on the page.
    assert "Membentuk sekretariat bersama" in refused.content.decode()


def test_a_meeting_edit_over_a_commitment_edited_on_its_own_page_is_refused(
    client_for, second, program, meeting
):
    commitment = CommitmentFactory(program=program, meeting=meeting, title="Dana pelatihan")
    url = reverse("programs:meeting_edit", args=[meeting.pk])
    second_data = open_form(second, url)
    first = client_for("coordinator")
    commitment_url = reverse("programs:commitment_edit", args=[commitment.pk])
    edit = open_form(first, commitment_url)
    assert first.post(commitment_url, {**edit, "status": "fulfilled"}).status_code == 302

    # The meeting form holds the commitment as a row: saving it would undo "fulfilled".
    refused = second.post(url, {**second_data, "venue": "Balai Kota"})

    assert refused.status_code == 409
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.FULFILLED
    assert Meeting.objects.get(pk=meeting.pk).venue == ""


# --- an agreement with its signatories and clauses ---------------------------------------------


def test_an_agreement_edit_over_a_newer_save_of_its_clauses_is_refused(client_for, second, program):
    agreement = AgreementFactory(program=program, number="01/NK/2024", title="Nota Kesepakatan")
    SignatoryFactory(agreement=agreement, signer_name="Helmi Hasan", order=1)
    ClauseFactory(agreement=agreement, order=1, number="1", text="Para pihak bekerja sama.")
    url = reverse("programs:agreement_edit", args=[agreement.pk])
    first = client_for("coordinator")
    first_data, second_data = open_form(first, url), open_form(second, url)

    field = decision_field(first_data, "Para pihak bekerja sama.")
    saved = first.post(url, {**first_data, field: "Para pihak bekerja sama selama lima tahun."})
    assert saved.status_code == 302
    refused = second.post(url, {**second_data, "title": "Nota Kesepakatan Kota SDGs"})

    assert refused.status_code == 409
    assert "Para pihak bekerja sama selama lima tahun." in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Nota Kesepakatan"
    assert agreement.clauses.get().text == "Para pihak bekerja sama selama lima tahun."
    assert refused.context["form"]["title"].value() == "Nota Kesepakatan Kota SDGs"


# --- the admin obeys the same rule -------------------------------------------------------------


def admin_change_data(response) -> dict[str, Any]:
    """What the admin's change form posts unchanged, inline management forms included."""
    data = posted_form(response)
    data["_save"] = "Save"
    return data


def test_an_admin_edit_over_a_newer_page_edit_is_refused_and_the_page_edit_kept(
    client_for, program
):
    item = ActionItemFactory(program=program, title="Menyusun draf RAD")
    admin_url = reverse("admin:programs_actionitem_change", args=[item.pk])
    admin = client_for("admin")
    admin_data = admin_change_data(admin.get(admin_url))
    assert admin_data[VERSION_FIELD]

    page_url = reverse("programs:actionitem_edit", args=[item.pk])
    coordinator = client_for("coordinator")
    page_data = open_form(coordinator, page_url)
    assert coordinator.post(page_url, {**page_data, "title": "Draf RAD final"}).status_code == 302

    refused = admin.post(admin_url, {**admin_data, "title": "Draf RAD versi admin"})

    assert refused.status_code == 200  # the admin shows its form again with the error
    errors = refused.context["adminform"].form.non_field_errors()
    assert any("Draf RAD final" in str(error) for error in errors)
    assert any("koordinator-ini" in str(error) for error in errors)
    item.refresh_from_db()
    assert item.title == "Draf RAD final"
    assert refused.context["adminform"].form["title"].value() == "Draf RAD versi admin"


def test_an_admin_meeting_edit_over_a_changed_decision_is_refused(client_for, program):
    # One row per inline: the admin's own inline formsets look each posted row up with a query
    # of its own, which django-zeal would report as an N+1 of the admin, not of this check.
    meeting = MeetingFactory(program=program, title="Rapat koordinasi triwulan")
    decision = DecisionFactory(meeting=meeting, number=1, text="Menyepakati rencana aksi")
    admin_url = reverse("admin:programs_meeting_change", args=[meeting.pk])
    admin = client_for("admin")
    admin_data = admin_change_data(admin.get(admin_url))
    decision.text = "Diubah di tempat lain"
    decision.save()

    refused = admin.post(admin_url, {**admin_data, "title": "Judul dari admin"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.non_field_errors()
    meeting.refresh_from_db()
    assert meeting.title == "Rapat koordinasi triwulan"


def test_an_admin_edit_from_the_current_version_saves(client_for, program):
    item = ActionItemFactory(program=program, title="Menyusun draf RAD")
    admin_url = reverse("admin:programs_actionitem_change", args=[item.pk])
    admin = client_for("admin")
    data = admin_change_data(admin.get(admin_url))

    response = admin.post(admin_url, {**data, "title": "Draf dari admin"})

    assert response.status_code == 302
    assert ActionItem.objects.get(pk=item.pk).title == "Draf dari admin"


def test_a_form_without_a_version_is_not_checked(users, program):
    # A client that never loaded the form (a script) has nothing to compare; browsers always
    # send the version the page gave them.
    site = SiteFactory(program=program, region=RegionFactory(code="18"))
    assert check_version(site, "", ()) is None
    assert check_version(site, None, ()) is None
    assert Site.objects.count() == 1
    assert Agreement.objects.count() == 0
