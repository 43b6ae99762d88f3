"""History of every change: who changed what, when, from which value to which — on every record
page (with the rows edited with the record), in the admin, and for deleted records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from collab.history import HISTORY_LIMIT, record_history
from partners.models import Partner
from programs.models import Commitment, Meeting
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory
from tests.factories.lookups import RegionFactory
from tests.factories.meetings import AttendanceFactory, DecisionFactory, MeetingFactory
from tests.factories.partners import ContactFactory, PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory
from tests.posted import posted_form

pytestmark = pytest.mark.django_db


def edit_through_page(client, url: str, **changes: str):
    data = {**posted_form(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None)
    return response


# --- the entries -------------------------------------------------------------------------------


def test_an_entry_names_the_field_and_both_values_in_the_interface_language(client_for, program):
    commitment = CommitmentFactory(program=program, title="Dana pelatihan", amount=1_500_000)
    edit_through_page(
        client_for("coordinator"),
        reverse("programs:commitment_edit", args=[commitment.pk]),
        status=Commitment.Status.FULFILLED,
        amount="2500000",
    )

    with translation.override("id"):
        entry = record_history(commitment)[0]
        labels = {
            name: capfirst(str(Commitment._meta.get_field(name).verbose_name))
            for name in ("status", "amount")
        }
        fulfilled = str(Commitment.Status.FULFILLED.label)
        pledged = str(Commitment.Status.PLEDGED.label)

    assert (entry.user, entry.kind) == ("koordinator-ini", "~")
    changes = {change.field: (change.old, change.new) for change in entry.changes}
    assert changes == {
        labels["status"]: (pledged, fulfilled),
        labels["amount"]: ("1.500.000", "2.500.000"),
    }
    assert fulfilled == "Terpenuhi"  # choice labels, not stored values


def test_a_related_record_is_named_not_numbered(users, program):
    old_partner = PartnerFactory(name="Bappeda Kota Bengkulu")
    new_partner = PartnerFactory(name="Yayasan Bina Warga")
    commitment = CommitmentFactory(program=program, partner=old_partner)
    commitment.partner = new_partner
    commitment.save()

    changes = record_history(commitment)[0].changes
    assert [(c.old, c.new) for c in changes] == [("Bappeda Kota Bengkulu", "Yayasan Bina Warga")]


def test_a_meeting_lists_the_changes_of_its_attendance_and_decisions(client_for, program):
    meeting = MeetingFactory(program=program, title="Rapat perdana")
    DecisionFactory(meeting=meeting, number=1, text="Menyepakati rencana aksi")
    AttendanceFactory(meeting=meeting, partner=PartnerFactory(name="Bappeda"))
    url = reverse("programs:meeting_edit", args=[meeting.pk])
    client = client_for("coordinator")
    data = posted_form(client.get(url))
    text_field = next(name for name, value in data.items() if value == "Menyepakati rencana aksi")
    data[text_field] = "Menyepakati rencana aksi daerah"
    data["attendances-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302

    with translation.override("en"):
        entries = record_history(meeting, children=("attendances", "decisions"))

    recent = {(entry.subject, entry.action, entry.user) for entry in entries[:2]}
    assert recent == {
        ("Attendance: Bappeda", "deleted", "koordinator-ini"),
        ("Decision 1", "changed", "koordinator-ini"),
    }
    changed = next(entry for entry in entries if entry.kind == "~")
    assert [(c.old, c.new) for c in changed.changes] == [
        ("Menyepakati rencana aksi", "Menyepakati rencana aksi daerah")
    ]


def test_a_save_that_changed_nothing_adds_no_entry(program):
    commitment = CommitmentFactory(program=program)
    commitment.save()
    assert [entry.kind for entry in record_history(commitment)] == ["+"]


def test_the_history_is_bounded_to_the_latest_entries(program):
    commitment = CommitmentFactory(program=program, title="Versi 0")
    for number in range(1, HISTORY_LIMIT + 11):
        commitment.title = f"Versi {number}"
        commitment.save()

    entries = record_history(commitment)

    assert len(entries) == HISTORY_LIMIT
    assert entries[0].changes[0].new == f"Versi {HISTORY_LIMIT + 10}"
    # Even the oldest entry shown knows the value it replaced (from outside the window).
    assert (entries[-1].changes[0].old, entries[-1].changes[0].new) == ("Versi 10", "Versi 11")


def history_queries(obj, children) -> int:
    with CaptureQueriesContext(connection) as queries:
        record_history(obj, children=children)
    return len(queries)


def test_the_history_costs_the_same_queries_for_2_rows_as_for_20(program):
    def meeting_with(rows: int) -> Meeting:
        meeting = MeetingFactory(program=program)
        for number in range(1, rows + 1):
            decision = DecisionFactory(meeting=meeting, number=number)
            decision.text = f"Diubah {number}"
            decision.save()
            AttendanceFactory(meeting=meeting, contact=ContactFactory())
        meeting.title = "Diubah"
        meeting.save()
        return meeting

    children = ("attendances", "decisions")
    small, large = meeting_with(2), meeting_with(20)

    # Per history table: the latest versions (related names joined), the versions they replaced.
    assert history_queries(small, children) == history_queries(large, children) == 6


def test_personal_data_can_be_left_out(program):
    meeting = MeetingFactory(program=program)
    AttendanceFactory(meeting=meeting, contact=ContactFactory(name="Ibu Sri Wahyuni"))

    shown = record_history(meeting, children=("attendances",))
    hidden = record_history(
        meeting, children=("attendances",), hidden=("programs.attendance.contact",)
    )

    assert "Ibu Sri Wahyuni" in str(shown)
    assert "Ibu Sri Wahyuni" not in str(hidden)


# --- the record pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["meeting", "commitment", "agreement", "site", "program", "partner", "indicator"],
)
def test_every_record_page_shows_its_history(client_for, program, page):
    records = {
        "meeting": lambda: DecisionFactory(meeting=MeetingFactory(program=program)).meeting,
        "commitment": lambda: (
            CommitmentUpdateFactory(commitment=CommitmentFactory(program=program)).commitment
        ),
        "agreement": lambda: (
            ClauseFactory(
                agreement=SignatoryFactory(agreement=AgreementFactory(program=program)).agreement
            ).agreement
        ),
        "site": lambda: SiteFactory(program=program, region=RegionFactory(code="17")),
        "program": lambda: ProgramPartnerFactory(program=program).program,
        "partner": lambda: PartnerFactory(),
        "indicator": lambda: IndicatorFactory(program=program),
    }
    record = records[page]()
    url = (
        reverse("programs:program_detail", args=[record.slug])
        if page == "program"
        else reverse(
            f"{'partners' if page == 'partner' else 'programs'}:{page}_detail", args=[record.pk]
        )
    )

    response = client_for("viewer").get(url)

    assert response.status_code == 200
    assert response.context["history"], "the page lists its history"
    assert 'id="history"' in response.content.decode()


def test_a_viewer_does_not_see_representatives_in_a_meetings_history(client_for, program):
    meeting = MeetingFactory(program=program)
    AttendanceFactory(meeting=meeting, contact=ContactFactory(name="Ibu Sri Wahyuni"))
    url = reverse("programs:meeting_detail", args=[meeting.pk])

    assert "Ibu Sri Wahyuni" in client_for("coordinator").get(url).content.decode()
    assert "Ibu Sri Wahyuni" not in client_for("viewer").get(url).content.decode()


# --- who: page edits, admin edits, imports -----------------------------------------------------


def test_a_page_edit_records_the_coordinator(client_for, users, program):
    commitment = CommitmentFactory(program=program)
    edit_through_page(
        client_for("coordinator"),
        reverse("programs:commitment_edit", args=[commitment.pk]),
        title="Judul baru",
    )
    assert commitment.history.latest().history_user == users["coordinator"]


def test_a_recorded_meeting_records_the_coordinator_on_every_row(client_for, users, program):
    partner = PartnerFactory()
    url = reverse("programs:meeting_create", args=[program.slug])
    data = {
        **posted_form(client_for("coordinator").get(url)),
        "title": "Rapat perdana",
        "starts_on": "2024-05-14",
        "attendances-TOTAL_FORMS": "1",
        "attendances-0-partner": str(partner.pk),
        "decisions-TOTAL_FORMS": "1",
        "decisions-0-text": "Menyepakati rencana aksi",
    }
    assert client_for("coordinator").post(url, data).status_code == 302

    meeting = Meeting.objects.get()
    rows = [meeting, meeting.attendances.get(), meeting.decisions.get()]
    assert [row.history.latest().history_user for row in rows] == [users["coordinator"]] * 3


def test_an_admin_edit_records_the_admin(client_for, users, program):
    commitment = CommitmentFactory(program=program, title="Judul lama")
    url = reverse("admin:programs_commitment_change", args=[commitment.pk])
    admin = client_for("admin")
    data = {**posted_form(admin.get(url)), "title": "Judul dari admin", "_save": "Save"}

    assert admin.post(url, data).status_code == 302
    latest = commitment.history.latest()
    assert (latest.title, latest.history_user) == ("Judul dari admin", users["admin"])


def test_an_archive_records_who_archived(client_for, users, program):
    commitment = CommitmentFactory(program=program)
    client_for("coordinator").post(reverse("programs:commitment_archive", args=[commitment.pk]))

    entry = record_history(commitment)[0]
    assert entry.user == "koordinator-ini"
    assert {change.new for change in entry.changes} >= {"koordinator-ini"}


def test_an_import_in_the_admin_records_the_admin(client_for, users, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path  # the upload waits there between preview and confirm
    admin = client_for("admin")
    upload = SimpleUploadedFile(
        "mitra.csv", b"name,pillar,kind\nYayasan Uji Impor,philanthropy_business,foundation\n"
    )
    preview = admin.post(
        reverse("admin:partners_partner_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    form = preview.context["confirm_form"]
    confirmed = admin.post(
        reverse("admin:partners_partner_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
    )

    assert confirmed.status_code == 302
    partner = Partner.objects.get(name="Yayasan Uji Impor")
    assert partner.history.get().history_user == users["admin"]


# --- admin: the history view and deleted records -----------------------------------------------


def test_the_history_of_a_record_deleted_in_the_admin_stays_readable(client_for, program):
    meeting = MeetingFactory(program=program, title="Rapat yang dihapus")
    meeting.title = "Rapat yang dihapus (diubah)"
    meeting.save()
    admin = client_for("admin")
    delete_url = reverse("admin:programs_meeting_delete", args=[meeting.pk])
    assert admin.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()

    listed = admin.get(reverse("admin:programs_meeting_deleted"))
    history_url = reverse("admin:programs_meeting_history", args=[meeting.pk])
    history = admin.get(history_url)

    assert listed.status_code == 200
    assert "Rapat yang dihapus (diubah)" in listed.content.decode()
    assert history_url in listed.content.decode()
    assert history.status_code == 200
    assert [record.history_type for record in history.context["page_obj"].object_list] == [
        "-",
        "~",
        "+",
    ]


def test_the_changelist_links_the_deleted_records(client_for):
    response = client_for("admin").get(reverse("admin:programs_meeting_changelist"))
    assert reverse("admin:programs_meeting_deleted") in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_only_admins_delete(client_for, program, persona):
    commitment = CommitmentFactory(program=program)
    url = reverse("admin:programs_commitment_delete", args=[commitment.pk])

    response = client_for(persona).post(url, {"post": "yes"})

    assert response.status_code in (302, 403)  # the admin's login page, or refused
    assert Commitment.objects.filter(pk=commitment.pk).exists()


@pytest.mark.django_db
def test_a_record_page_shows_the_latest_changes_and_says_so(client_for, program):
    commitment = CommitmentFactory(program=program, title="Versi 0")
    for number in range(1, HISTORY_LIMIT + 3):
        commitment.title = f"Versi {number}"
        commitment.save()

    response = client_for("viewer").get(commitment.get_absolute_url())

    assert len(response.context["history"]) == HISTORY_LIMIT
    note = f"Hanya {HISTORY_LIMIT} perubahan terakhir yang ditampilkan."
    assert note in response.content.decode()
