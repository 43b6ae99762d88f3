"""Factories of commitments and their progress updates (programs/models/commitments.py)."""

from __future__ import annotations

import factory

from programs.models.commitments import Commitment, CommitmentUpdate
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramRecordFactory


class CommitmentFactory(ProgramRecordFactory):
    class Meta:
        model = Commitment

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Komitmen {n}")


class CommitmentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    status = Commitment.Status.IN_PROGRESS
    progress = 50
