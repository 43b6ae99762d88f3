"""Programmes and their pilot sites (programs/views/program.py) through the generic view test
case (tests/generic_views.py)."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model

from programs.models import Program, Site
from programs.services.program import grant_coordinator
from tests.factories import ProgramFactory, RegionFactory, SiteFactory
from tests.generic_views import CreateTests, DetailTests, EditTests, ListTests

pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]
REGION_NUMBERS = itertools.count(10)


class TestProgramViews(ListTests, DetailTests):
    model = Program
    label = "name"

    def make(self, program, text):
        # The programmes are the personas' own two; the query count adds programmes the
        # coordinator coordinates.
        if text.startswith("Baris hitung"):
            row = ProgramFactory(name=text)
            coordinator = get_user_model().objects.get(username="koordinator-ini")
            grant_coordinator(program=row, user=coordinator)
            return row
        return program


class TestSiteViews(ListTests, DetailTests, CreateTests, EditTests):
    model = Site
    label = "name"

    def make(self, program, text):
        # A region of its own: one site per region and programme.
        number = next(REGION_NUMBERS)
        region = RegionFactory(code=f"98.{number}", name=f"Kota Uji {number}")
        return SiteFactory(program=program, region=region, name=text)

    def create_data(self, mine):
        return {
            "region": RegionFactory(code="99", name="Provinsi Uji Baru").code,
            "name": "Lokasi baru",
        }

    edit_data = {"name": "Kelurahan Kalibaru (revisi)"}
