"""Factories of meetings and what they record (programs/models/meetings.py)."""

from __future__ import annotations

import datetime

import factory

from programs.models.meetings import ActionItem, Attendance, Decision, Meeting
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramRecordFactory


class MeetingFactory(ProgramRecordFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Rapat koordinasi {n}")
    starts_on = datetime.date(2024, 2, 6)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    partner = factory.SubFactory(PartnerFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Menyepakati rencana kerja"


class ActionItemFactory(ProgramRecordFactory):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Tindak lanjut {n}")
    due_on = datetime.date(2024, 6, 30)
