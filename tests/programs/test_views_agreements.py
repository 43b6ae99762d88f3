"""Agreements (programs/views/agreements.py) through the generic view test case
(tests/generic_views.py)."""

from __future__ import annotations

import pytest

from programs.models import Agreement
from tests.factories import AgreementFactory
from tests.generic_views import LIST, CreateTests, DetailTests, EditTests, ListTests

pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]


class TestAgreementViews(ListTests, DetailTests, CreateTests, EditTests):
    model = Agreement
    # Exporting agreement records is a right of its own: a viewer reads the register only.
    export_statuses = LIST | {"viewer": 403}

    def make(self, program, text):
        return AgreementFactory(program=program, title=text)

    def create_data(self, mine):
        return {
            "title": "Nota Kesepakatan Kota SDGs",
            "number": "NK/02",
            "kind": "mou",
            "status": "signed",
            "signed_on": "2024-02-06",
        }

    edit_data = {"title": "Nota Kesepakatan (revisi)"}
