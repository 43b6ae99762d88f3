"""Fixtures of the API tests: one world of records and personas built once per module (the
tests only read it, or write inside their own transaction, which is rolled back), and a client
per persona that calls with that persona's personal API token."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from collab.api.tokens import create_token
from collab.permissions import STAFF_GROUP
from programs.services.program import ensure_staff_group, grant_coordinator, grant_viewer
from tests.conftest import PERSONAS
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import RegionFactory, SdgGoalFactory, UserFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory


@dataclass
class World:
    """Records of `program` (the personas' programme) and of `other` (nobody's but the other
    coordinator's), the personas and their token keys."""

    users: dict[str, Any]
    keys: dict[str, str]
    mine: dict[str, Any] = field(default_factory=dict)
    theirs: dict[str, Any] = field(default_factory=dict)


def records_of(program, partner, region) -> dict[str, Any]:
    site = SiteFactory(program=program, region=region)
    meeting = MeetingFactory(program=program)
    AttendanceFactory(meeting=meeting, partner=partner)
    DecisionFactory(meeting=meeting, number=1)
    agreement = AgreementFactory(program=program, meeting=meeting)
    SignatoryFactory(agreement=agreement, partner=partner)
    ClauseFactory(agreement=agreement, order=1)
    commitment = CommitmentFactory(
        program=program, partner=partner, site=site, meeting=meeting, amount=1_500_000
    )
    CommitmentUpdateFactory(commitment=commitment)
    indicator = IndicatorFactory(program=program)
    MeasurementFactory(indicator=indicator)
    ProgramPartnerFactory(program=program, partner=partner)
    return {
        "program": program,
        "partner": partner,
        "site": site,
        "meeting": meeting,
        "action_item": ActionItemFactory(program=program, meeting=meeting, responsible=partner),
        "commitment": commitment,
        "agreement": agreement,
        "indicator": indicator,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_staff_group()
        region = RegionFactory(code="17.71", name="Kota Bengkulu", level="regency", kind="kota")
        SdgGoalFactory(code="11", number=11)
        program = ProgramFactory(name="Program Ini", slug="program-ini")
        other = ProgramFactory(name="Program Lain", slug="program-lain")
        users = {"anonymous": None, **{p: UserFactory(username=f"api-{p}") for p in PERSONAS[1:]}}
        grant_viewer(program=program, user=users["viewer"])
        grant_coordinator(program=program, user=users["coordinator"])
        grant_coordinator(program=other, user=users["other_coordinator"])
        users["staff"].groups.add(Group.objects.get(name=STAFF_GROUP))
        users["admin"].is_staff = users["admin"].is_superuser = True
        users["admin"].save()
        keys = {
            persona: create_token(user=user, name="uji")[1]
            for persona, user in users.items()
            if user is not None
        }
        built = World(
            users=users,
            keys=keys,
            mine=records_of(program, PartnerFactory(name="Mitra Ini"), region),
            theirs=records_of(other, PartnerFactory(name="Mitra Lain"), region),
        )
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Request counts live in the cache; each test starts from none."""
    cache.clear()


class ApiClient:
    """A test client that speaks JSON with a persona's token (anonymous: none)."""

    def __init__(self, key: str | None, language: str = "") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if key:
            self.headers["Authorization"] = f"Token {key}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, url: str, **kwargs: Any):
        return self.client.get(url, headers=self.headers | kwargs.pop("headers", {}), **kwargs)

    def send(self, method: str, url: str, body: Any = None, **headers: str):
        return getattr(self.client, method)(
            url,
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers | headers,
        )

    def post(self, url: str, body: Any = None, **headers: str):
        return self.send("post", url, body, **headers)

    def patch(self, url: str, body: Any = None, **headers: str):
        return self.send("patch", url, body, **headers)


@pytest.fixture
def api_for(world, db):
    """`api_for("viewer")` → an ApiClient with the viewer's token."""

    def make(persona: str, language: str = "") -> ApiClient:
        return ApiClient(world.keys.get(persona), language)

    return make
