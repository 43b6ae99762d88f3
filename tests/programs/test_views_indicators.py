"""Indicators and their measurements (programs/views/indicators.py) through the generic view
test case (tests/generic_views.py)."""

from __future__ import annotations

import pytest

from programs.models import Indicator, Measurement
from tests.factories import IndicatorFactory, MeasurementFactory
from tests.generic_views import CreateTests, DetailTests, EditTests

pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]


class TestIndicatorViews(DetailTests, CreateTests, EditTests):
    model = Indicator
    label = "name"

    def make(self, program, text):
        return IndicatorFactory(program=program, name=text)

    def create_data(self, mine):
        return {"name": "Jumlah UMKM binaan", "target_value": "27"}

    edit_data = {"name": "Luas permukiman kumuh (revisi)"}


class TestMeasurementViews(CreateTests):
    model = Measurement
    label = "note"
    parent = "indicator"

    def make(self, program, text):
        return MeasurementFactory(indicator=IndicatorFactory(program=program), note=text)

    def create_data(self, mine):
        return {"measured_on": "2024-06-30", "value": "12,5", "note": "Pengukuran triwulan II"}
