"""Factories of programmes, their members and sites (programs/models/program.py)."""

from __future__ import annotations

import datetime

import factory

from programs.models.program import Program, ProgramPartner, Site
from tests.factories.lookups import RegionFactory
from tests.factories.partners import PartnerFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program Uji {n}")
    slug = factory.Sequence(lambda n: f"program-uji-{n}")
    starts_on = datetime.date(2024, 1, 1)


class ProgramRecordFactory(factory.django.DjangoModelFactory):
    """A record of a programme: a new programme unless the test names one."""

    class Meta:
        abstract = True

    program = factory.SubFactory(ProgramFactory)


class ProgramPartnerFactory(ProgramRecordFactory):
    class Meta:
        model = ProgramPartner

    partner = factory.SubFactory(PartnerFactory)
    role = ProgramPartner.Role.MEMBER


class SiteFactory(ProgramRecordFactory):
    class Meta:
        model = Site

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Lokasi {n}")
