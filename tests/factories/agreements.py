"""Factories of agreements, their signatories and clauses (programs/models/agreements.py)."""

from __future__ import annotations

import datetime

import factory

from programs.models.agreements import Agreement, Clause, Signatory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramRecordFactory


class AgreementFactory(ProgramRecordFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Nota Kesepakatan {n}")
    signed_on = datetime.date(2024, 2, 6)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    partner = factory.SubFactory(PartnerFactory)
    signer_name = factory.Sequence(lambda n: f"Penanda Tangan {n}")


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    agreement = factory.SubFactory(AgreementFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda c: str(c.order))
    text = "Para pihak sepakat bekerja sama."
