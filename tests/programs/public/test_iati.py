"""The IATI 2.03 activity files: every demo programme's validates against the official XSD and
its codes against the code lists; a file broken on purpose is refused, naming the record and
the rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from programs.demo.data import PROGRAM_SLUGS
from programs.models import Commitment, Indicator, Measurement, Program
from programs.public import iati

from .conftest import module_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        call_command("load_demo", verbosity=0)
        # Figures the demo reports do not give, so results and transactions are exercised.
        kotaku = Program.objects.get(slug="kotaku")
        indicator = Indicator.objects.filter(program=kotaku).first()
        indicator.baseline_value = Decimal("38431")
        indicator.baseline_on = "2015-01-01"
        indicator.target_on = "2019-12-31"
        indicator.save()
        Measurement.objects.create(indicator=indicator, measured_on="2017-12-31", value=23656)
        Commitment.objects.create(
            program=kotaku,
            partner=kotaku.memberships.select_related("partner").first().partner,
            title="Dana pendampingan",
            kind=Commitment.Kind.FUNDING,
            amount=Decimal("2500000000"),
        )
        yield


def parse(response) -> etree._Element:
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


@pytest.mark.parametrize("slug", PROGRAM_SLUGS)
def test_every_demo_programme_has_a_valid_iati_file(demo, client, slug):
    document = parse(client.get(f"/public/data/{slug}/iati.xml"))
    assert iati.schema().validate(etree.ElementTree(document)), iati.schema().error_log
    (activity,) = document.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"XI-IATI-COLLAB-{slug}"
    assert iati.code_errors(activity, iati._sdg_codes()) == []
    assert activity.find("participating-org") is not None
    assert {tag.get("vocabulary") for tag in activity.iter("tag")} <= {"2", "3"}


def test_the_file_of_all_programmes_holds_one_activity_each(demo, client):
    document = parse(client.get("/public/data/iati.xml"))
    identifiers = [a.findtext("iati-identifier") for a in document.iter("iati-activity")]
    assert sorted(identifiers) == sorted(f"XI-IATI-COLLAB-{slug}" for slug in PROGRAM_SLUGS)
    assert document.get("version") == "2.03"


def test_results_transactions_and_locations_carry_the_recorded_values(demo, client):
    kotaku = parse(client.get("/public/data/kotaku/iati.xml")).find("iati-activity")
    indicator = kotaku.find("result/indicator")
    assert indicator.find("baseline").get("value") == "38431"
    assert indicator.find("baseline").get("year") == "2015"
    assert [
        p.find("target").get("value")
        for p in indicator.iter("period")
        if p.find("target") is not None
    ] == ["0"]
    assert [a.get("value") for a in indicator.iter("actual")] == ["23656"]
    (transaction,) = kotaku.iter("transaction")
    assert transaction.find("transaction-type").get("code") == "13"  # pledged
    assert transaction.find("value").text == "2500000000"
    assert transaction.find("provider-org/narrative").text
    bengkulu = parse(client.get("/public/data/kota-sdgs-bengkulu/iati.xml")).find("iati-activity")
    refs = [location.get("ref") for location in bengkulu.iter("location")]
    assert refs and all(ref.count(".") >= 1 or len(ref) == 2 for ref in refs)
    assert all(loc.find("location-reach") is not None for loc in bengkulu.iter("location"))


def test_an_unknown_value_is_left_out_never_written_as_zero(demo, client):
    without_amount = set(
        Commitment.objects.filter(amount__isnull=True).values_list("title", flat=True)
    )
    document = parse(client.get("/public/data/iati.xml"))
    for baseline in document.iter("baseline"):
        assert baseline.get("value") not in ("", None)
    titles = {t.findtext("description/narrative") for t in document.iter("transaction")}
    assert titles == {"Dana pendampingan"}
    assert not titles & without_amount
    # Indicators without a baseline date have no baseline element at all.
    dated = Indicator.objects.filter(baseline_on__isnull=False).count()
    assert len(list(document.iter("baseline"))) == dated


def test_a_file_that_breaks_the_schema_is_refused_naming_the_record_and_rule(
    demo, client, django_capture_on_commit_callbacks
):
    # The schema requires a description: a programme without one cannot be reported.
    with django_capture_on_commit_callbacks(execute=True):
        Program.objects.filter(slug="kotaku").update(description="")
    response = client.get("/public/data/kotaku/iati.xml")
    assert response.status_code == 422
    text = response.content.decode()
    assert "Kota Tanpa Kumuh (KOTAKU)" in text
    assert "description" in text
    assert "<iati-activities" not in text
    # The file of all programmes is refused as well: an invalid file is never served.
    assert client.get("/public/data/iati.xml").status_code == 422


def test_a_code_outside_its_code_list_is_refused_though_the_xsd_accepts_it(
    demo, client, monkeypatch
):
    mapping = {**iati.mapping(), "status": {**iati.mapping()["status"], "active": "7"}}
    monkeypatch.setattr(iati, "mapping", lambda: mapping)
    response = client.get("/public/data/peduli-sdgs/iati.xml")
    assert response.status_code == 422
    text = response.content.decode()
    assert "activity-status" in text and "ActivityStatus" in text
