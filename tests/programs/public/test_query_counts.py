"""A public programme page runs the same number of queries for 2 rows per section as for 20
(STYLE rule 13), rendered uncached (a visitor's query string is never stored)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.agreements import AgreementFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import RegionFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory

pytestmark = pytest.mark.django_db


def programme(slug: str, rows: int):
    program = ProgramFactory(
        name=f"Program {slug}", slug=slug, is_public=True, description="Uji jumlah kueri."
    )
    partners = [
        PartnerFactory(pillar=("government", "academia_experts")[i % 2]) for i in range(rows)
    ]
    for partner in partners:
        ProgramPartnerFactory(program=program, partner=partner)
    for i in range(rows):
        SiteFactory(program=program, region=RegionFactory(code=f"{slug[:1]}{i}", name=f"R{i}"))
        meeting = MeetingFactory(program=program, starts_on=datetime.date(2024, 1, 1 + i))
        AttendanceFactory(meeting=meeting, partner=partners[i])
        DecisionFactory(meeting=meeting, number=1)
        agreement = AgreementFactory(program=program, meeting=meeting)
        SignatoryFactory(agreement=agreement, partner=partners[i])
        CommitmentFactory(program=program, partner=partners[i], meeting=meeting)
        ActionItemFactory(program=program, responsible=partners[i])
        indicator = IndicatorFactory(program=program, name=f"Indikator {i}")
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2024, 2, 1))
    return program, partners[0], meeting, agreement


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        joiner = "&" if "?" in path else "?"
        assert client.get(path + joiner + "uncached=1").status_code == 200
    return len(captured.captured_queries)


def test_public_pages_run_constant_queries(client):
    small = programme("kecil", 2)
    large = programme("besar", 20)
    pairs = [
        (f"/public/programs/{small[0].slug}/", f"/public/programs/{large[0].slug}/"),
        (f"/public/partners/{small[1].pk}/", f"/public/partners/{large[1].pk}/"),
        (f"/public/meetings/{small[2].pk}/", f"/public/meetings/{large[2].pk}/"),
        (f"/public/agreements/{small[3].pk}/", f"/public/agreements/{large[3].pk}/"),
        ("/public/?q=kecil", "/public/"),  # one programme listed, then both
    ]
    for one, other in pairs:
        assert queries(client, one) == queries(client, other), (one, other)
