"""The partner directory (partners/views.py) through the generic view test case
(tests/generic_views.py): one directory shared by every programme."""

from __future__ import annotations

import pytest

from partners.models import Partner
from tests.factories import PartnerFactory, ProgramPartnerFactory
from tests.generic_views import SEES_DIRECTORY, DetailTests, ListTests

pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]


class TestPartnerViews(ListTests, DetailTests):
    app = "partners"
    model = Partner
    label = "name"
    sees = SEES_DIRECTORY

    def make(self, program, text):
        partner = PartnerFactory(name=text)
        ProgramPartnerFactory(program=program, partner=partner)
        return partner
