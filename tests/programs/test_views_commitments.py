"""Commitments and their progress log (programs/views/commitments.py) through the generic view
test case (tests/generic_views.py)."""

from __future__ import annotations

import pytest

from programs.models import Commitment, CommitmentUpdate
from tests.factories import CommitmentFactory, CommitmentUpdateFactory, PartnerFactory
from tests.generic_views import CreateTests, DetailTests, EditTests, ListTests

pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]


class TestCommitmentViews(ListTests, DetailTests, CreateTests, EditTests):
    model = Commitment

    def make(self, program, text):
        return CommitmentFactory(program=program, partner=PartnerFactory(), title=text)

    def create_data(self, mine):
        return {
            "partner": str(mine.partner_id),
            "title": "Pendanaan pelatihan kader",
            "kind": "funding",
            "status": "pledged",
        }

    edit_data = {"title": "Komitmen (revisi)"}


class TestCommitmentUpdateViews(CreateTests):
    model = CommitmentUpdate
    label = "note"
    parent = "commitment"

    def make(self, program, text):
        return CommitmentUpdateFactory(commitment=CommitmentFactory(program=program), note=text)

    def create_data(self, mine):
        return {
            "status": "in_progress",
            "progress": "60",
            "note": "Pelatihan tahap pertama selesai.",
        }
