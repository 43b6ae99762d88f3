"""The programme page of a national programme: every section bounded, partners by pillar too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.models import Pillar
from programs.models import ProgramPartner
from tests.factories import PartnerFactory, ProgramPartnerFactory

pytestmark = pytest.mark.django_db

PER_PILLAR = 12


@pytest.fixture
def crowded(program):
    """15 civil-society partners (one of them in two roles) and two government partners."""
    for index in range(15):
        partner = PartnerFactory(name=f"Komunitas {index:02d}", pillar=Pillar.CIVIL_SOCIETY_MEDIA)
        ProgramPartnerFactory(program=program, partner=partner)
        if index == 0:
            ProgramPartnerFactory(program=program, partner=partner, role=ProgramPartner.Role.FUNDER)
    for name in ("Bappeda", "Dinas Sosial"):
        ProgramPartnerFactory(
            program=program, partner=PartnerFactory(name=name, pillar=Pillar.GOVERNMENT)
        )
    return program


def pillar_of(response, value: str) -> dict:
    return next(p for p in response.context["pillars"] if p["value"] == value)


def test_a_crowded_pillar_shows_its_first_partners_by_name_and_links_to_the_rest(
    crowded, client_for
):
    response = client_for("viewer").get(crowded.get_absolute_url())

    civil = pillar_of(response, Pillar.CIVIL_SOCIETY_MEDIA)
    shown = [(m.partner.name, m.role) for m in civil["memberships"]]
    assert len(shown) == PER_PILLAR
    # Komunitas 00 holds two roles: both rows count toward the bound, in name order.
    assert shown[:3] == [
        ("Komunitas 00", ProgramPartner.Role.FUNDER),
        ("Komunitas 00", ProgramPartner.Role.MEMBER),
        ("Komunitas 01", ProgramPartner.Role.MEMBER),
    ]
    assert civil["partners"] == 15 and civil["more"]
    link = (
        f"{reverse('partners:partner_list')}?program={crowded.pk}"
        f"&amp;pillar={Pillar.CIVIL_SOCIETY_MEDIA}"
    )
    assert link in response.content.decode()


def test_a_small_pillar_shows_every_partner_and_no_link(crowded, client_for):
    response = client_for("viewer").get(crowded.get_absolute_url())

    government = pillar_of(response, Pillar.GOVERNMENT)
    assert [m.partner.name for m in government["memberships"]] == ["Bappeda", "Dinas Sosial"]
    assert government["partners"] == 2 and not government["more"]
    academia = pillar_of(response, Pillar.ACADEMIA_EXPERTS)
    assert academia == {
        "value": Pillar.ACADEMIA_EXPERTS,
        "label": Pillar.ACADEMIA_EXPERTS.label,
        "memberships": [],
        "partners": 0,
        "more": False,
    }


def test_the_pillar_picture_counts_every_partner_not_only_those_shown(crowded, client_for):
    response = client_for("viewer").get(crowded.get_absolute_url())

    rows = dict(response.context["pillar_chart"].rows)
    assert rows[str(Pillar.CIVIL_SOCIETY_MEDIA.label)] == "15"
    assert rows[str(Pillar.GOVERNMENT.label)] == "2"
