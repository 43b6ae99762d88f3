"""The public pages pass axe-core's WCAG 2.1 A and AA rules in real Chromium, and fit a phone.

axe-core (axe-playwright-python ships it) runs in Debian's Chromium against the live server, on
the public list, programme, meeting, agreement and partner pages, in Indonesian and English.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import RegionFactory, SdgGoalFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def public(db):
    program = ProgramFactory(
        name="Kota SDGs Terbuka",
        slug="kota-sdgs-terbuka",
        is_public=True,
        description="Kolaborasi multipihak untuk SDGs di tingkat kota.",
    )
    program.sdg_goals.add(SdgGoalFactory())
    partners = [
        PartnerFactory(name="Bappeda Kota Uji", pillar="government", kind="local_government"),
        PartnerFactory(name="Yayasan Uji", pillar="philanthropy_business", kind="foundation"),
        PartnerFactory(name="Universitas Uji", pillar="academia_experts", kind="university"),
    ]
    for partner, role in zip(partners, ("convenor", "funder", "technical"), strict=True):
        ProgramPartnerFactory(program=program, partner=partner, role=role)
    SiteFactory(program=program, region=RegionFactory(code="93", name="Provinsi Uji"))
    meeting = MeetingFactory(
        program=program,
        title="Rapat Koordinasi Kota SDGs",
        venue="Balai Kota",
        chair="Wali Kota",
        summary="Para mitra menyepakati rencana kerja.",
    )
    for partner in partners:
        AttendanceFactory(meeting=meeting, partner=partner)
    DecisionFactory(meeting=meeting, number=1, text="Menyusun rencana aksi bersama.")
    agreement = AgreementFactory(program=program, meeting=meeting, title="Nota Kesepakatan")
    SignatoryFactory(agreement=agreement, partner=partners[0], signer_name="Kepala Bappeda")
    ClauseFactory(agreement=agreement, order=1, number="1", text="Ruang lingkup kerja sama.")
    CommitmentFactory(
        program=program, partner=partners[1], kind="funding", amount=Decimal("1500000")
    )
    ActionItemFactory(program=program, meeting=meeting, responsible=partners[0])
    indicator = IndicatorFactory(program=program, name="Rumah layak huni", target_value=100)
    for month, value in ((1, 40), (6, 55)):
        MeasurementFactory(
            indicator=indicator, measured_on=datetime.date(2024, month, 1), value=value
        )
    return {"program": program, "meeting": meeting, "agreement": agreement, "partner": partners[0]}


def paths(public) -> list[str]:
    return [
        "/public/",
        f"/public/programs/{public['program'].slug}/",
        f"/public/meetings/{public['meeting'].pk}/",
        f"/public/agreements/{public['agreement'].pk}/",
        f"/public/partners/{public['partner'].pk}/",
        "/public/data/",
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_public_pages_have_no_wcag_21_aa_violation(browser, live_server, public, language):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    axe = Axe()
    found = {}
    for path in paths(public):
        url = f"{live_server.url}{path}" + ("?lang=en" if language == "en" else "")
        assert page.goto(url).status == 200, url
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            found[path] = results.generate_snapshot()
    context.close()
    assert not found, found


def test_public_pages_fit_a_phone(browser, live_server, public):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    too_wide = {}
    for path in paths(public):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    context.close()
    assert not too_wide
