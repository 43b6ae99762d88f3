"""Reading through /api/v1/: the pages' filters and rows, cursor pages, labels in the request's
language, the same number of queries for 2 rows and for 20."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partners.models import Pillar
from programs.models import Commitment
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import RegionFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import SiteFactory

pytestmark = pytest.mark.django_db


def all_rows(api, url: str) -> list[dict]:
    """Every row of a list, following the cursor links."""
    rows: list[dict] = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.fixture
def commitments(world):
    """A mix of kinds, statuses and pillars in both programmes."""
    business = PartnerFactory(name="PT Mitra Usaha", pillar=Pillar.PHILANTHROPY_BUSINESS)
    made = []
    for side in ("mine", "theirs"):
        program = getattr(world, side)["program"]
        for n, (kind, status) in enumerate(
            [("funding", "pledged"), ("funding", "fulfilled"), ("in_kind", "pledged")] * 3
        ):
            partner = business if n % 2 else getattr(world, side)["partner"]
            due_on = datetime.date(2020, 1, 1) if n % 3 == 0 else None  # some overdue
            made.append(
                CommitmentFactory(
                    program=program, partner=partner, kind=kind, status=status, due_on=due_on
                )
            )
    archived = CommitmentFactory(program=world.mine["program"], kind="funding", status="pledged")
    archived.set_archived(True, user=world.users["coordinator"])
    return made


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=pledged&kind=funding",
        "pillar=philanthropy_business",
        "status=fulfilled",
        "q=Komitmen",
        "archived=true",
        "program={program}",
        "overdue=true",
    ],
)
def test_the_api_lists_the_rows_the_page_lists_for_the_same_filter(
    query, persona, commitments, world, api_for
):
    query = query.format(program=world.mine["program"].pk)
    page_client = Client()
    page_client.force_login(world.users[persona])
    page = page_client.get(f"/commitments/?{query}&page_size=500")

    api_rows = all_rows(api_for(persona), f"/api/v1/commitments/?{query}&page_size=3")

    assert page.status_code == 200
    page_ids = {row.pk for row in page.context["paginator"].object_list}
    assert page_ids, "the filter should match something"
    assert {row["id"] for row in api_rows} == page_ids
    assert len(api_rows) == len(page_ids)  # no row twice across the cursor pages


def test_a_bad_filter_says_which_and_lists_nothing(api_for, world):
    response = api_for("coordinator").get("/api/v1/commitments/?status=nonsense&program=abc")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "program"}


def test_cursor_pages_are_capped_and_stable(api_for, world):
    Partner = PartnerFactory._meta.model
    Partner.objects.bulk_create(
        Partner(name=f"Mitra {n:03}", pillar=Pillar.GOVERNMENT, kind="ministry") for n in range(205)
    )
    api = api_for("coordinator")

    first = api.get("/api/v1/partners/?page_size=1000").json()
    everything = all_rows(api, "/api/v1/partners/?page_size=200")

    assert len(first["results"]) == 200
    assert first["next"] and "cursor=" in first["next"]
    ids = [row["id"] for row in everything]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == Partner.objects.count()


def test_choices_come_as_code_and_label_in_the_requests_language(api_for, world):
    url = f"/api/v1/commitments/{world.mine['commitment'].pk}/"

    indonesian = api_for("coordinator").get(url)
    english = api_for("coordinator", language="en-GB,en;q=0.8").get(url)
    unknown = api_for("coordinator", language="fr").get(url)

    assert indonesian.json()["status"] == english.json()["status"] == "pledged"
    assert indonesian.json()["status_label"] == unknown.json()["status_label"] == "Dijanjikan"
    assert english.json()["status_label"] == "Pledged"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert indonesian.json()["amount"] == 1_500_000  # whole rupiah, a number
    assert indonesian.json()["updates"][0]["status"] == "in_progress"


def test_the_pages_keep_ignoring_accept_language(world):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(world.users["coordinator"])

    response = client.get("/commitments/")

    assert response["Content-Language"] == "id"
    assert "Komitmen" in response.content.decode()


def test_an_archived_record_is_read_by_its_url_but_not_listed(api_for, world, commitments):
    archived = Commitment.objects.filter(archived_at__isnull=False).get()
    api = api_for("coordinator")

    listed = {row["id"] for row in all_rows(api, "/api/v1/commitments/")}
    read = api.get(f"/api/v1/commitments/{archived.pk}/")

    assert archived.pk not in listed
    assert read.status_code == 200 and read.json()["archived"] is True


def test_regions_filter_by_level_and_parent(api_for, world):
    # Codes no real region has: the full reference data may be loaded by other tests.
    province = RegionFactory(code="99", name="Provinsi Uji", level="province", kind="provinsi")
    RegionFactory(code="99.77", name="Kota Uji", level="regency", kind="kota", parent=province)
    RegionFactory(code="99.77.01", name="Kecamatan Uji", level="district", kind="kecamatan")
    api = api_for("no_rights")

    regencies = api.get("/api/v1/regions/?level=regency&parent=99").json()["results"]
    one = api.get("/api/v1/regions/99.77/").json()

    assert [row["code"] for row in regencies] == ["99.77"]
    assert one["parent"] == "99" and one["kind_label"] == "Kota"


# --- constant queries -------------------------------------------------------------------------


REGION_CODES = itertools.count(10)


def grow(world, endpoint: str, count: int) -> None:
    """`count` more rows of `endpoint` in the coordinator's programme, each with child rows."""
    program, partner = world.mine["program"], world.mine["partner"]
    for _n in range(count):
        if endpoint == "programs":
            from programs.services.program import grant_coordinator
            from tests.factories import ProgramFactory

            grant_coordinator(program=ProgramFactory(), user=world.users["coordinator"])
        elif endpoint == "partners":
            PartnerFactory()
        elif endpoint == "sites":
            code = f"98.{next(REGION_CODES):02}"
            SiteFactory(program=program, region=RegionFactory(code=code, name=code))
        elif endpoint == "meetings":
            meeting = MeetingFactory(program=program)
            AttendanceFactory(meeting=meeting, partner=PartnerFactory())
            DecisionFactory(meeting=meeting, number=1)
        elif endpoint == "action-items":
            ActionItemFactory(program=program, responsible=partner)
        elif endpoint == "commitments":
            commitment = CommitmentFactory(program=program, partner=PartnerFactory())
            CommitmentUpdateFactory(commitment=commitment)
        elif endpoint == "agreements":
            agreement = AgreementFactory(program=program)
            SignatoryFactory(agreement=agreement, partner=PartnerFactory())
            ClauseFactory(agreement=agreement, order=1)
        elif endpoint == "indicators":
            indicator = IndicatorFactory(program=program)
            MeasurementFactory(indicator=indicator, measured_on=datetime.date(2021, 1, 1))


def queries_for(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "endpoint",
    [
        "programs",
        "partners",
        "sites",
        "meetings",
        "action-items",
        "commitments",
        "agreements",
        "indicators",
    ],
)
def test_a_list_runs_the_same_queries_for_2_rows_and_for_20(endpoint, world, api_for):
    api = api_for("coordinator")
    url = f"/api/v1/{endpoint}/"
    grow(world, endpoint, 1)
    api.get(url)  # the token's last-used time is written on its first call of the minute
    with_two = queries_for(api, url)
    grow(world, endpoint, 18)

    with_twenty = queries_for(api, url)

    assert len(api.get(url).json()["results"]) >= 20
    assert with_twenty == with_two
