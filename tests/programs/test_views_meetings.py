"""Meetings and the work plan (programs/views/meetings.py) through the generic view test case
(tests/generic_views.py)."""

from __future__ import annotations

import pytest

from programs.models import ActionItem, Meeting
from tests.factories import ActionItemFactory, MeetingFactory
from tests.generic_views import CreateTests, DetailTests, EditTests, ListTests

pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]


class TestMeetingViews(ListTests, DetailTests, CreateTests, EditTests):
    model = Meeting

    def make(self, program, text):
        return MeetingFactory(program=program, title=text)

    def create_data(self, mine):
        return {
            "title": "Rapat koordinasi triwulan",
            "starts_on": "2024-03-12",
            "kind": "coordination",
        }

    edit_data = {"title": "Rapat koordinasi (revisi)"}


class TestActionItemViews(ListTests, CreateTests, EditTests):
    model = ActionItem

    def make(self, program, text):
        return ActionItemFactory(program=program, title=text)

    def create_data(self, mine):
        return {"title": "Menyusun rencana kerja", "status": "planned"}

    edit_data = {"title": "Tindak lanjut (revisi)"}
