"""programs.services.meetings.record_meeting on typed rows, without forms: what it writes, what it
refuses, and where it says the refusal belongs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from programs.models import ActionItem, Attendance, Commitment, Decision, Meeting
from programs.services.meetings import (
    ActionItemRow,
    AttendanceRow,
    CommitmentRow,
    DecisionRow,
    MeetingInvalid,
    record_meeting,
)
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import AttendanceFactory, DecisionFactory, MeetingFactory
from tests.factories.partners import PartnerFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": Meeting.Kind.COORDINATION,
    "title": "Rapat koordinasi",
    "starts_on": datetime.date(2024, 5, 14),
    "ends_on": None,
    "venue": "Balai Kota",
    "chair": "",
    "moderator": "",
    "participant_count": None,
    "summary": "",
}


def record(user, program, meeting=None, **rows: Any) -> Meeting:
    lists = {"attendances": [], "decisions": [], "action_items": [], "commitments": []}
    return record_meeting(
        user=user, program=program, meeting=meeting, fields=FIELDS, **{**lists, **rows}
    )


def history_count() -> int:
    return sum(m.history.count() for m in (Meeting, Attendance, Decision, ActionItem, Commitment))


def test_a_new_meeting_is_saved_with_its_rows_in_the_meetings_programme(users, program):
    partner = PartnerFactory()

    meeting = record(
        users["coordinator"],
        program,
        attendances=[AttendanceRow(id=None, partner=partner, role="Penyelenggara")],
        decisions=[DecisionRow(id=None, number=1, text="Menyepakati")],
        action_items=[ActionItemRow(id=None, title="Menyusun draf", responsible=partner)],
        commitments=[
            CommitmentRow(id=None, partner=partner, title="Dana", kind="funding", status="pledged")
        ],
    )

    assert Meeting.objects.get(pk=meeting.pk).title == "Rapat koordinasi"
    assert meeting.attendances.get().role == "Penyelenggara"
    assert meeting.action_items.get().program == program
    assert meeting.commitments.get().program == program


def test_saving_the_rows_as_they_are_writes_nothing(users, program):
    meeting = MeetingFactory(program=program, **FIELDS)
    decision = DecisionFactory(meeting=meeting, number=1, text="Satu")
    before = history_count()

    record(
        users["coordinator"],
        program,
        meeting,
        decisions=[DecisionRow(id=decision.pk, number=1, text="Satu")],
    )

    assert history_count() == before


def test_rows_missing_from_the_lists_are_deleted(users, program):
    meeting = MeetingFactory(program=program)
    kept = DecisionFactory(meeting=meeting, number=1, text="Tetap")
    DecisionFactory(meeting=meeting, number=2, text="Hapus")
    CommitmentFactory(program=program, meeting=meeting)

    record(
        users["coordinator"],
        program,
        meeting,
        decisions=[DecisionRow(id=kept.pk, number=1, text="Tetap")],
    )

    assert list(meeting.decisions.values_list("text", flat=True)) == ["Tetap"]
    assert not meeting.commitments.exists()


def test_three_decisions_can_rotate_their_numbers(users, program):
    meeting = MeetingFactory(program=program)
    one, two, three = (DecisionFactory(meeting=meeting, number=n, text=str(n)) for n in (1, 2, 3))

    record(
        users["coordinator"],
        program,
        meeting,
        decisions=[
            DecisionRow(id=one.pk, number=2, text="1"),
            DecisionRow(id=two.pk, number=3, text="2"),
            DecisionRow(id=three.pk, number=1, text="3"),
        ],
    )

    assert list(meeting.decisions.order_by("number").values_list("number", "text")) == [
        (1, "3"),
        (2, "1"),
        (3, "2"),
    ]


def test_a_number_held_by_a_row_that_stays_is_refused_beside_the_new_row(users, program):
    meeting = MeetingFactory(program=program)
    kept = DecisionFactory(meeting=meeting, number=1, text="Satu")

    with pytest.raises(MeetingInvalid) as raised:
        record(
            users["coordinator"],
            program,
            meeting,
            decisions=[
                DecisionRow(id=kept.pk, number=1, text="Satu"),
                DecisionRow(id=None, number=1, text="Juga satu"),
            ],
        )

    assert (raised.value.part, raised.value.index) == ("decisions", 1)
    assert "number" in raised.value.error.error_dict
    assert meeting.decisions.count() == 1


def test_an_organisation_listed_twice_is_refused(users, program):
    meeting = MeetingFactory(program=program)
    partner = PartnerFactory()
    AttendanceFactory(meeting=meeting, partner=partner)

    with pytest.raises(MeetingInvalid) as raised:
        record(
            users["coordinator"],
            program,
            meeting,
            attendances=[
                AttendanceRow(id=None, partner=partner),
                AttendanceRow(id=None, partner=partner),
            ],
        )

    assert (raised.value.part, raised.value.index) == ("attendances", 1)
    assert "partner" in raised.value.error.error_dict


def test_a_row_of_another_meeting_is_refused_and_nothing_is_written(users, program):
    meeting = MeetingFactory(program=program, **FIELDS)
    elsewhere = DecisionFactory(meeting__program=program, number=1, text="Rahasia")
    before = history_count()

    with pytest.raises(MeetingInvalid) as raised:
        record(
            users["coordinator"],
            program,
            meeting,
            decisions=[DecisionRow(id=elsewhere.pk, number=1, text="Diubah")],
        )

    assert (raised.value.part, raised.value.index) == ("decisions", 0)
    elsewhere.refresh_from_db()
    assert elsewhere.text == "Rahasia"
    assert history_count() == before


def test_a_row_failing_the_models_validation_names_its_list_and_index(users, program):
    partner = PartnerFactory()

    with pytest.raises(MeetingInvalid) as raised:
        record(
            users["coordinator"],
            program,
            commitments=[
                CommitmentRow(id=None, partner=partner, title="Dana", kind="x", status="pledged")
            ],
        )

    assert (raised.value.part, raised.value.index) == ("commitments", 0)
    assert "kind" in raised.value.error.error_dict
    assert not Meeting.objects.exists()


def test_the_meetings_own_fields_are_validated_by_the_model(users, program):
    with pytest.raises(MeetingInvalid) as raised:
        record_meeting(
            user=users["coordinator"],
            program=program,
            meeting=None,
            fields={**FIELDS, "title": ""},
            attendances=[],
            decisions=[],
            action_items=[],
            commitments=[],
        )

    assert (raised.value.part, raised.value.index) == ("meeting", None)
    assert "title" in raised.value.error.error_dict


def test_a_viewer_is_refused_after_the_write_and_nothing_stays(users, program):
    with pytest.raises(PermissionDenied):
        record(
            users["viewer"],
            program,
            decisions=[DecisionRow(id=None, number=1, text="Menyepakati")],
        )

    assert not Meeting.objects.exists()
    assert not Decision.objects.exists()
