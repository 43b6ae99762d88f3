"""Factories of indicators and their measurements (programs/models/indicators.py)."""

from __future__ import annotations

import datetime

import factory

from programs.models.indicators import Indicator, Measurement
from tests.factories.program import ProgramRecordFactory


class IndicatorFactory(ProgramRecordFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "ha"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(n))
    value = 10
