"""Recording a meeting with its outcomes in one form: the service, the pages and their rights."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.forms.meetings import MEETING_FORMSETS, MeetingForm
from programs.forms.meetings import save_meeting_forms as record_meeting
from programs.models import ActionItem, Attendance, Commitment, Decision, Meeting
from tests.factories.agreements import AgreementFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import ContactFactory, PartnerFactory
from tests.factories.program import SiteFactory
from tests.formsets import formset_data
from tests.formsets import table_counts as counts_with_history

pytestmark = pytest.mark.django_db

RECORDED = (Meeting, Attendance, Decision, ActionItem, Commitment)


def table_counts() -> dict[str, int]:
    """Rows in every table a meeting writes to, history tables included."""
    return counts_with_history(*RECORDED)


def meeting_data(
    *,
    attendances: list[dict[str, Any]] = (),
    decisions: list[dict[str, Any]] = (),
    action_items: list[dict[str, Any]] = (),
    commitments: list[dict[str, Any]] = (),
    initial: dict[str, int] | None = None,
    **details: Any,
) -> dict[str, Any]:
    """POST data of the meeting page: details, then each formset's management form and rows."""
    fields = {
        "kind": Meeting.Kind.COORDINATION,
        "title": "Rapat koordinasi triwulan II",
        "starts_on": "2024-05-14",
        "ends_on": "",
        "venue": "Balai Kota Bengkulu",
        "chair": "Sekretaris Daerah",
        "moderator": "",
        "participant_count": "35",
        "summary": "Membahas rencana aksi daerah.",
        **details,
    }
    rows = {
        "attendances": attendances,
        "decisions": decisions,
        "action_items": action_items,
        "commitments": commitments,
    }
    return formset_data(fields, rows, initial)


def bound_forms(*, program, user, data, meeting=None):
    """The meeting form and its formsets bound as the page binds them."""
    form = MeetingForm(data, instance=meeting, user=user, program=program)
    formsets = {
        prefix: formset_class(
            data,
            instance=form.instance,
            prefix=prefix,
            form_kwargs={"user": user, "program": program},
        )
        for prefix, formset_class in MEETING_FORMSETS.items()
    }
    return form, formsets


def save(*, program, user, data, meeting=None):
    """The meeting recorded from `data`, through the forms bound as the page binds them."""
    form, formsets = bound_forms(program=program, user=user, data=data, meeting=meeting)
    return record_meeting(program=program, user=user, form=form, formsets=formsets)


@pytest.fixture
def partners():
    return [PartnerFactory(name=f"Mitra {letter}") for letter in "ABC"]


@pytest.fixture
def site(program):
    return SiteFactory(program=program, name="Kelurahan Sawah Lebar")


def full_meeting(partners, site) -> dict[str, Any]:
    """A realistic meeting: two organisations, two decisions, an action item, two commitments."""
    a, b, _ = partners
    return meeting_data(
        attendances=[
            {"partner": a.pk, "role": "Penyelenggara"},
            {"partner": b.pk, "role": "Narasumber"},
        ],
        decisions=[
            {"number": "", "text": "Menyepakati rencana aksi daerah."},
            {"number": "", "text": "Membentuk sekretariat bersama."},
        ],
        action_items=[
            {
                "title": "Menyusun draf rencana aksi",
                "responsible": a.pk,
                "starts_on": "2024-05-20",
                "due_on": "2024-06-30",
                "status": ActionItem.Status.PLANNED,
            }
        ],
        commitments=[
            {
                "partner": a.pk,
                "title": "Pendanaan pelatihan",
                "kind": Commitment.Kind.FUNDING,
                "amount": "150000000",
                "starts_on": "2024-06-01",
                "due_on": "2024-12-31",
                "site": site.pk,
                "status": Commitment.Status.PLEDGED,
            },
            {
                "partner": b.pk,
                "title": "Pendampingan teknis",
                "kind": Commitment.Kind.TECHNICAL,
                "amount": "",
                "starts_on": "",
                "due_on": "",
                "site": "",
                "status": Commitment.Status.PLEDGED,
            },
        ],
    )


# --- the service ---------------------------------------------------------------------------------


def test_the_service_saves_a_meeting_with_its_decisions_action_item_and_commitments(
    users, program, partners, site
):
    meeting = save(program=program, user=users["coordinator"], data=full_meeting(partners, site))

    meeting.refresh_from_db()
    assert meeting.program == program
    assert meeting.title == "Rapat koordinasi triwulan II"
    assert meeting.starts_on == datetime.date(2024, 5, 14)
    assert list(
        meeting.attendances.order_by("partner__name").values_list("partner__name", "role")
    ) == [
        ("Mitra A", "Penyelenggara"),
        ("Mitra B", "Narasumber"),
    ]
    assert [(d.number, d.text) for d in meeting.decisions.order_by("number")] == [
        (1, "Menyepakati rencana aksi daerah."),
        (2, "Membentuk sekretariat bersama."),
    ]
    item = meeting.action_items.get()
    assert (item.program_id, item.responsible_id, item.due_on) == (
        program.pk,
        partners[0].pk,
        datetime.date(2024, 6, 30),
    )
    commitments = meeting.commitments.order_by("id")
    assert list(commitments.values_list("program", "partner", "title", "amount", "site")) == [
        (program.pk, partners[0].pk, "Pendanaan pelatihan", Decimal("150000000"), site.pk),
        (program.pk, partners[1].pk, "Pendampingan teknis", None, None),
    ]


def test_decisions_left_unnumbered_take_the_next_free_number_in_row_order(users, program):
    data = meeting_data(
        decisions=[
            {"number": "", "text": "Pertama"},
            {"number": "5", "text": "Kelima"},
            {"number": "", "text": "Sesudah kelima"},
            {"number": "", "text": "Sesudahnya lagi"},
        ]
    )
    meeting = save(program=program, user=users["coordinator"], data=data)

    assert list(meeting.decisions.order_by("number").values_list("number", "text")) == [
        (1, "Pertama"),
        (5, "Kelima"),
        (6, "Sesudah kelima"),
        (7, "Sesudahnya lagi"),
    ]


def test_blank_rows_added_but_left_empty_are_ignored(users, program):
    data = meeting_data(
        decisions=[{"number": "", "text": ""}],
        action_items=[{"title": "", "status": ActionItem.Status.PLANNED}],
        commitments=[{"title": "", "kind": Commitment.Kind.PROGRAMME, "status": "pledged"}],
    )
    meeting = save(program=program, user=users["coordinator"], data=data)

    assert not meeting.decisions.exists()
    assert not ActionItem.objects.exists()
    assert not Commitment.objects.exists()


def _bad_rows(partners, site, other_site, stranger_contact):
    """(description, change to the full meeting, formset prefix, row index, field in error)."""
    a, b, _ = partners
    return {
        "action item due before it starts": (
            {"action_items-0-due_on": "2024-05-01"},
            "action_items",
            0,
            "due_on",
        ),
        "commitment due before it starts": (
            {"commitments-0-due_on": "2024-05-01"},
            "commitments",
            0,
            "due_on",
        ),
        "the same organisation twice": (
            {"attendances-1-partner": a.pk},
            "attendances",
            1,
            "partner",
        ),
        "a site of a programme the user cannot see": (
            {"commitments-0-site": other_site.pk},
            "commitments",
            0,
            "site",
        ),
        "a partner that is not in the directory": (
            {"commitments-1-partner": 999_999},
            "commitments",
            1,
            "partner",
        ),
        "a responsible partner that is not in the directory": (
            {"action_items-0-responsible": 999_999},
            "action_items",
            0,
            "responsible",
        ),
        "a representative of another organisation": (
            {"attendances-0-contact": stranger_contact.pk},
            "attendances",
            0,
            "contact",
        ),
        "two decisions with one number": (
            {"decisions-0-number": "3", "decisions-1-number": "3"},
            "decisions",
            1,
            "number",
        ),
        "a negative amount": (
            {"commitments-0-amount": "-5"},
            "commitments",
            0,
            "amount",
        ),
    }


BAD_ROWS = [
    "action item due before it starts",
    "commitment due before it starts",
    "the same organisation twice",
    "a site of a programme the user cannot see",
    "a partner that is not in the directory",
    "a responsible partner that is not in the directory",
    "a representative of another organisation",
    "two decisions with one number",
    "a negative amount",
]


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_saves_nothing_at_all(case, users, program, other_program, partners, site):
    other_site = SiteFactory(program=other_program)
    stranger_contact = ContactFactory(partner=partners[2])
    change, prefix, index, field = _bad_rows(partners, site, other_site, stranger_contact)[case]
    data = {**full_meeting(partners, site), **change}
    form, formsets = bound_forms(program=program, user=users["coordinator"], data=data)
    before = table_counts()

    with pytest.raises(ValidationError):
        record_meeting(program=program, user=users["coordinator"], form=form, formsets=formsets)

    assert table_counts() == before
    assert field in formsets[prefix].forms[index].errors
    assert form.instance.pk is None


def test_a_meeting_ending_before_it_starts_saves_nothing(users, program, partners, site):
    data = {**full_meeting(partners, site), "ends_on": "2024-05-13"}
    form, formsets = bound_forms(program=program, user=users["coordinator"], data=data)
    before = table_counts()

    with pytest.raises(ValidationError):
        record_meeting(program=program, user=users["coordinator"], form=form, formsets=formsets)

    assert table_counts() == before
    assert "ends_on" in form.errors


def test_a_user_who_does_not_coordinate_the_programme_saves_nothing(users, program, partners):
    # The viewer's forms are valid (they may see partners); the re-check after the write is what
    # refuses, and it must take back the meeting and its rows.
    data = meeting_data(
        attendances=[{"partner": partners[0].pk, "role": ""}],
        decisions=[{"number": "", "text": "Menyepakati"}],
    )
    form, formsets = bound_forms(program=program, user=users["viewer"], data=data)
    before = table_counts()

    with pytest.raises(ValidationError):
        record_meeting(program=program, user=users["viewer"], form=form, formsets=formsets)

    assert table_counts() == before
    assert form.non_field_errors()


def edit_data(
    meeting: Meeting, details: dict[str, Any] | None = None, **changes: Any
) -> dict[str, Any]:
    """The POST data of the edit page as first shown; `changes` edit a formset's list of rows."""
    attendances = [
        {"id": a.pk, "meeting": meeting.pk, "partner": a.partner_id, "contact": "", "role": a.role}
        for a in meeting.attendances.order_by("partner__name", "id")
    ]
    decisions = [
        {"id": d.pk, "meeting": meeting.pk, "number": d.number, "text": d.text}
        for d in meeting.decisions.order_by("number", "id")
    ]
    action_items = [
        {
            "id": i.pk,
            "meeting": meeting.pk,
            "title": i.title,
            "responsible": i.responsible_id or "",
            "starts_on": i.starts_on or "",
            "due_on": i.due_on or "",
            "status": i.status,
        }
        for i in meeting.action_items.order_by("id")
    ]
    commitments = [
        {
            "id": c.pk,
            "meeting": meeting.pk,
            "partner": c.partner_id,
            "title": c.title,
            "kind": c.kind,
            "amount": c.amount if c.amount is not None else "",
            "starts_on": c.starts_on or "",
            "due_on": c.due_on or "",
            "site": c.site_id or "",
            "status": c.status,
        }
        for c in meeting.commitments.order_by("id")
    ]
    rows = {
        "attendances": attendances,
        "decisions": decisions,
        "action_items": action_items,
        "commitments": commitments,
    }
    initial = {prefix: len(prefix_rows) for prefix, prefix_rows in rows.items()}
    for prefix, change in changes.items():
        change(rows[prefix])
    as_shown = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_on": meeting.starts_on.isoformat(),
        "ends_on": meeting.ends_on.isoformat() if meeting.ends_on else "",
        "venue": meeting.venue,
        "chair": meeting.chair,
        "moderator": meeting.moderator,
        "participant_count": meeting.participant_count or "",
        "summary": meeting.summary,
    }
    details = {**as_shown, **(details or {})}
    return meeting_data(initial=initial, **rows, **details)


@pytest.fixture
def recorded(program, partners):
    """A meeting already recorded with two organisations, two decisions, an item, a commitment."""
    meeting = MeetingFactory(program=program, title="Rapat perdana")
    AttendanceFactory(meeting=meeting, partner=partners[0])
    AttendanceFactory(meeting=meeting, partner=partners[1])
    DecisionFactory(meeting=meeting, number=1, text="Keputusan satu")
    DecisionFactory(meeting=meeting, number=2, text="Keputusan dua")
    ActionItemFactory(program=program, meeting=meeting, title="Tindak lanjut lama")
    CommitmentFactory(program=program, meeting=meeting, partner=partners[0], title="Komitmen lama")
    return meeting


def test_editing_removes_a_deleted_row_and_adds_a_new_one(users, program, partners, recorded):
    def remove_first_and_add(rows):
        rows[0]["DELETE"] = "on"
        rows.append({"number": "", "text": "Keputusan baru"})

    def replace_item(rows):
        rows[0]["DELETE"] = "on"
        rows.append({"title": "Tindak lanjut baru", "status": ActionItem.Status.PLANNED})

    data = edit_data(recorded, decisions=remove_first_and_add, action_items=replace_item)
    save(program=program, user=users["coordinator"], data=data, meeting=recorded)

    assert list(recorded.decisions.order_by("number").values_list("number", "text")) == [
        (2, "Keputusan dua"),
        (3, "Keputusan baru"),
    ]
    assert list(recorded.action_items.values_list("title", "program")) == [
        ("Tindak lanjut baru", program.pk)
    ]
    assert recorded.attendances.count() == 2
    assert recorded.commitments.get().title == "Komitmen lama"


def test_editing_can_swap_two_decision_numbers_and_two_organisations(
    users, program, partners, recorded
):
    def swap_numbers(rows):
        rows[0]["number"], rows[1]["number"] = rows[1]["number"], rows[0]["number"]

    def swap_partners(rows):
        rows[0]["partner"], rows[1]["partner"] = rows[1]["partner"], rows[0]["partner"]
        rows[0]["role"] = "Sekarang mitra B"

    data = edit_data(recorded, decisions=swap_numbers, attendances=swap_partners)
    save(program=program, user=users["coordinator"], data=data, meeting=recorded)

    assert list(recorded.decisions.order_by("number").values_list("number", "text")) == [
        (1, "Keputusan dua"),
        (2, "Keputusan satu"),
    ]
    assert recorded.attendances.get(partner=partners[1]).role == "Sekarang mitra B"
    assert recorded.attendances.count() == 2


def test_a_bad_edit_changes_nothing(users, program, partners, recorded):
    def break_item(rows):
        rows[0]["starts_on"] = "2024-07-01"
        rows[0]["due_on"] = "2024-06-01"

    def remove_decision(rows):
        rows[0]["DELETE"] = "on"

    data = edit_data(
        recorded,
        action_items=break_item,
        decisions=remove_decision,
        details={"title": "Judul baru"},
    )
    form, formsets = bound_forms(
        program=program, user=users["coordinator"], data=data, meeting=recorded
    )
    before = table_counts()

    with pytest.raises(ValidationError):
        record_meeting(program=program, user=users["coordinator"], form=form, formsets=formsets)

    assert table_counts() == before
    assert Meeting.objects.get(pk=recorded.pk).title == "Rapat perdana"


def test_a_row_of_another_meeting_cannot_be_edited_through_this_one(
    users, program, partners, recorded
):
    elsewhere = DecisionFactory(number=1, text="Rahasia", meeting__program=program)

    def point_at_elsewhere(rows):
        rows[0]["id"] = elsewhere.pk
        rows[0]["text"] = "Diubah"

    data = edit_data(recorded, decisions=point_at_elsewhere)
    form, formsets = bound_forms(
        program=program, user=users["coordinator"], data=data, meeting=recorded
    )

    with pytest.raises(ValidationError):
        record_meeting(program=program, user=users["coordinator"], form=form, formsets=formsets)

    elsewhere.refresh_from_db()
    assert elsewhere.text == "Rahasia"


# --- the pages -----------------------------------------------------------------------------------


def create_url(program) -> str:
    return reverse("programs:meeting_create", args=[program.slug])


def test_a_coordinator_gets_the_empty_form(client_for, program):
    response = client_for("coordinator").get(create_url(program))

    assert response.status_code == 200
    assert set(response.context["formsets"]) == {
        "attendances",
        "decisions",
        "action_items",
        "commitments",
    }
    content = response.content.decode()
    assert 'data-formset="decisions"' in content
    assert "decisions-__prefix__-text" in content  # the empty row the add button copies


def test_a_coordinator_records_a_meeting_and_is_sent_to_it(client_for, program, partners, site):
    response = client_for("coordinator").post(create_url(program), full_meeting(partners, site))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert meeting.decisions.count() == 2
    assert meeting.action_items.count() == 1
    assert meeting.commitments.count() == 2
    assert meeting.attendances.count() == 2
    page = client_for("coordinator").get(response.url)
    assert "Pendanaan pelatihan" in page.content.decode()


# persona → status of the create page (GET and POST) and of the edit page.
RIGHTS = {
    "anonymous": (302, 302),
    "no_rights": (403, 403),
    "viewer": (403, 403),
    "staff": (403, 403),
    "other_coordinator": (404, 404),
    "coordinator": (200, 200),
    "admin": (200, 200),
}


@pytest.mark.parametrize("persona", sorted(RIGHTS))
def test_the_pages_follow_the_rights_table(persona, client_for, program, recorded):
    create_status, edit_status = RIGHTS[persona]
    client = client_for(persona)
    edit_url = reverse("programs:meeting_edit", args=[recorded.pk])

    create = client.get(create_url(program))
    edit = client.get(edit_url)

    assert create.status_code == create_status
    assert edit.status_code == edit_status
    if persona == "anonymous":
        assert create.url.startswith(reverse("login"))
        assert edit.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", [p for p, (s, _) in RIGHTS.items() if s != 200])
def test_a_post_from_the_wrong_persona_changes_nothing(
    persona, client_for, program, partners, site, recorded
):
    client = client_for(persona)
    before = table_counts()

    create = client.post(create_url(program), full_meeting(partners, site))
    edit = client.post(
        reverse("programs:meeting_edit", args=[recorded.pk]),
        edit_data(recorded, details={"title": "Dibajak"}, decisions=lambda rows: rows.clear()),
    )

    assert create.status_code == RIGHTS[persona][0]
    assert edit.status_code == RIGHTS[persona][1]
    assert table_counts() == before
    assert Meeting.objects.get(pk=recorded.pk).title == "Rapat perdana"


def test_errors_are_shown_beside_their_fields_with_the_input_kept(
    client_for, program, partners, site
):
    data = {
        **full_meeting(partners, site),
        "ends_on": "2024-05-01",
        "commitments-0-due_on": "2024-05-01",
    }
    before = table_counts()

    response = client_for("coordinator").post(create_url(program), data)

    assert response.status_code == 200
    assert table_counts() == before
    form = response.context["form"]
    commitment_row = response.context["formsets"]["commitments"].forms[0]
    assert "ends_on" in form.errors
    assert "due_on" in commitment_row.errors
    content = response.content.decode()
    # Both messages are on the page (in the active language, Indonesian by default) …
    assert str(form.errors["ends_on"][0]) in content
    assert str(commitment_row.errors["due_on"][0]) in content
    # … listed at the top by section, and what was typed is still there.
    summary = response.context["error_summary"]
    assert [section["anchor"] for section in summary] == ["details", "commitments"]
    assert 'id="error-summary"' in content
    assert 'value="Pendanaan pelatihan"' in content
    assert 'value="Rapat koordinasi triwulan II"' in content


def test_the_coordinator_edits_through_the_page(client_for, recorded):
    data = edit_data(
        recorded,
        details={"title": "Rapat perdana (revisi)"},
        decisions=lambda rows: rows.append({"number": "", "text": "Keputusan tiga"}),
    )

    response = client_for("coordinator").post(
        reverse("programs:meeting_edit", args=[recorded.pk]), data
    )

    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.title == "Rapat perdana (revisi)"
    assert recorded.decisions.filter(number=3, text="Keputusan tiga").exists()


def test_the_edit_page_shows_the_recorded_rows(client_for, recorded):
    response = client_for("coordinator").get(reverse("programs:meeting_edit", args=[recorded.pk]))

    assert response.status_code == 200
    formsets = response.context["formsets"]
    assert formsets["decisions"].initial_form_count() == 2
    assert formsets["attendances"].initial_form_count() == 2
    assert "Tindak lanjut lama" in response.content.decode()


def test_the_form_page_queries_do_not_grow_with_its_rows(client_for, program, partners):
    def queries_for(rows: int) -> int:
        meeting = MeetingFactory(program=program)
        for index in range(rows):
            AttendanceFactory(meeting=meeting)
            DecisionFactory(meeting=meeting, number=index + 1)
            ActionItemFactory(program=program, meeting=meeting)
            CommitmentFactory(program=program, meeting=meeting)
        client = client_for("coordinator")
        url = reverse("programs:meeting_edit", args=[meeting.pk])
        client.get(url)  # warm the session and the content types
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(10)


# --- list and detail ---------------------------------------------------------------------------


def test_the_meeting_page_shows_everything_recorded(client_for, program, partners, recorded):
    contact = ContactFactory(partner=partners[0], name="Ibu Ratna")
    Attendance.objects.filter(meeting=recorded, partner=partners[0]).update(contact=contact)
    commitment = recorded.commitments.get()
    commitment.amount = Decimal("1500000")
    commitment.save()
    AgreementFactory(program=program, meeting=recorded, title="Nota Kesepakatan Bersama")
    recorded.starts_on = datetime.date(2018, 5, 14)
    recorded.save()

    response = client_for("coordinator").get(recorded.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Rapat perdana",
        "Mitra A",
        "Mitra B",
        "Ibu Ratna",
        "Keputusan satu",
        "Keputusan dua",
        "Tindak lanjut lama",
        "Komitmen lama",
        "Rp 1.500.000",
        "Nota Kesepakatan Bersama",
        "14 Mei 2018",
    ):
        assert text in content, text
    assert content.index("Keputusan satu") < content.index("Keputusan dua")
    assert reverse("programs:meeting_edit", args=[recorded.pk]) in content


def test_a_viewer_sees_the_meeting_without_edit_button_or_representatives(
    client_for, partners, recorded
):
    contact = ContactFactory(partner=partners[0], name="Ibu Ratna")
    Attendance.objects.filter(meeting=recorded, partner=partners[0]).update(contact=contact)

    response = client_for("viewer").get(recorded.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Keputusan satu" in content
    assert reverse("programs:meeting_edit", args=[recorded.pk]) not in content
    assert "Ibu Ratna" not in content


def test_the_meeting_page_runs_as_many_queries_for_2_rows_as_for_20(client_for, program):
    def queries_for(rows: int) -> int:
        meeting = MeetingFactory(program=program)
        site = SiteFactory(program=program, region__code=f"9{rows}")
        for index in range(rows):
            AttendanceFactory(meeting=meeting, contact=ContactFactory())
            DecisionFactory(meeting=meeting, number=index + 1)
            ActionItemFactory(program=program, meeting=meeting, responsible=PartnerFactory())
            CommitmentFactory(program=program, meeting=meeting, site=site)
            AgreementFactory(program=program, meeting=meeting)
        client = client_for("coordinator")
        client.get(meeting.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(20)


def test_the_meeting_list_shows_counts_of_organisations_and_decisions(
    client_for, program, recorded
):
    response = client_for("viewer").get(reverse("programs:meeting_list"))

    assert response.status_code == 200
    row = next(m for m in response.context["object_list"] if m.pk == recorded.pk)
    assert (row.attendance_count, row.decision_count) == (2, 2)
    content = response.content.decode()
    assert "Rapat perdana" in content
    assert program.name in content


def test_the_meeting_list_shows_the_latest_meeting_first(client_for, program):
    MeetingFactory(program=program, title="Lama", starts_on=datetime.date(2023, 1, 10))
    MeetingFactory(program=program, title="Baru", starts_on=datetime.date(2024, 3, 5))
    MeetingFactory(program=program, title="Tengah", starts_on=datetime.date(2023, 8, 1))

    response = client_for("coordinator").get(reverse("programs:meeting_list"))

    assert [m.title for m in response.context["object_list"]] == ["Baru", "Tengah", "Lama"]
