"""The public pages: search and filters, titles, descriptions and canonical links, schema.org
JSON-LD built as data, the sitemap, and the open data files' public columns."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from collab.jsonld import json_ld
from tests.factories.lookups import RegionFactory, SdgGoalFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory

from .conftest import body, module_data

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        goal = SdgGoalFactory(number=6, code="6", title_en="Clean water and sanitation")
        province = RegionFactory(code="92", name="Provinsi Air")
        village = RegionFactory(
            code="92.01.01.2001", name="Desa Air", level="village", kind="desa", parent=province
        )
        water = ProgramFactory(
            name="Air Bersih Desa", slug="air-bersih", is_public=True, status="active"
        )
        water.sdg_goals.add(goal)
        SiteFactory(program=water, region=village, name="Desa Air")
        company = PartnerFactory(name="PT Air Sejahtera", pillar="philanthropy_business")
        ProgramPartnerFactory(program=water, partner=company, role="funder")
        other = ProgramFactory(
            name="Sekolah Hijau", slug="sekolah-hijau", is_public=True, status="completed"
        )
        university = PartnerFactory(name="Universitas Hijau", pillar="academia_experts")
        ProgramPartnerFactory(program=other, partner=university)
        meeting = MeetingFactory(
            program=water,
            title='Rapat "air" </script><b>bersih</b>',
            venue="Balai Desa Air",
            summary="Ringkasan rapat & keputusan.",
        )
        AttendanceFactory(meeting=meeting, partner=company)
        yield {
            "water": water,
            "other": other,
            "meeting": meeting,
            "company": company,
            "goal": goal,
            "province": province,
        }


def names(response) -> set[str]:
    text = body(response)
    return {name for name in ("Air Bersih Desa", "Sekolah Hijau") if name in text}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Air Bersih Desa", "Sekolah Hijau"}),
        ("?q=hijau", {"Sekolah Hijau"}),
        ("?pillar=philanthropy_business", {"Air Bersih Desa"}),
        ("?pillar=academia_experts", {"Sekolah Hijau"}),
        ("?status=completed", {"Sekolah Hijau"}),
        ("?province={province}", {"Air Bersih Desa"}),
        ("?sdg_goal={goal}", {"Air Bersih Desa"}),
        ("?province=999999", set()),  # not a province: the form says so, nothing is listed
    ],
)
def test_the_list_searches_and_filters(world, client, query, expected):
    query = query.format(province=world["province"].pk, goal=world["goal"].pk)
    response = client.get("/public/" + query)
    assert response.status_code == 200
    assert names(response) == expected


def test_a_filtered_list_is_not_stored_but_still_validated(world, client):
    response = client.get("/public/?q=air")
    assert "X-Public-Cache" not in response
    assert response["ETag"]


def test_pages_have_title_description_canonical_and_language_alternates(world, client):
    response = client.get("/public/programs/air-bersih/")
    text = body(response)
    assert "<title>Air Bersih Desa · " in text
    assert '<meta name="description"' in text
    assert '<link rel="canonical" href="http://testserver/public/programs/air-bersih/">' in text
    assert 'hreflang="en" href="http://testserver/public/programs/air-bersih/?lang=en"' in text
    assert 'name="viewport"' in text
    english = body(client.get("/public/programs/air-bersih/?lang=en"))
    assert (
        '<link rel="canonical" href="http://testserver/public/programs/air-bersih/?lang=en">'
        in english
    )
    # Links keep the language.
    assert f'href="/public/partners/{world["company"].pk}/?lang=en"' in english


def test_a_meeting_is_a_schema_org_event_built_as_data(world, client):
    text = body(client.get(f"/public/meetings/{world['meeting'].pk}/"))
    (raw,) = JSON_LD.findall(text)
    assert "</script>" not in raw and "<b>" not in raw  # escaped, cannot close the element
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["name"] == world["meeting"].title
    assert data["startDate"] == world["meeting"].starts_on.isoformat()
    assert data["location"] == {"@type": "Place", "name": "Balai Desa Air"}
    assert data["description"] == "Ringkasan rapat & keputusan."
    assert [a["name"] for a in data["attendee"]] == ["PT Air Sejahtera"]


def test_a_partner_is_a_schema_org_organization(world, client):
    text = body(client.get(f"/public/partners/{world['company'].pk}/"))
    (raw,) = JSON_LD.findall(text)
    data = json.loads(raw)
    assert data["@type"] == "Organization"
    assert data["name"] == "PT Air Sejahtera"
    assert data["url"].endswith(f"/public/partners/{world['company'].pk}/")


def test_json_ld_escapes_markup_and_drops_empty_values():
    element = json_ld({"@type": "Thing", "name": "a</script>&<b>", "alternateName": ""})
    assert element.count("</script>") == 1  # only the element's own end tag
    data = json.loads(JSON_LD.match(element).group(1))
    assert data == {"@context": "https://schema.org", "@type": "Thing", "name": "a</script>&<b>"}


def test_the_sitemap_lists_the_public_pages_only(world, client):
    text = body(client.get("/sitemap.xml"))
    assert "http://testserver/public/programs/air-bersih/" in text
    assert f"http://testserver/public/meetings/{world['meeting'].pk}/" in text
    assert f"http://testserver/public/partners/{world['company'].pk}/" in text
    assert "<lastmod>" in text


def test_open_data_has_the_public_columns_and_rows(world, client):
    response = client.get("/public/data/partners.csv")
    assert response["Cache-Control"].startswith("public")
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    assert {row["Mitra"] for row in rows} == {"PT Air Sejahtera", "Universitas Hijau"}
    assert "E-mail" not in rows[0] and "Catatan" not in rows[0]
    one = json.loads(body(client.get("/public/data/air-bersih/meetings.json")))
    assert [row["title"] for row in one] == [world["meeting"].title]
    assert one[0]["url"] == f"http://testserver/public/meetings/{world['meeting'].pk}/"
    assert client.get("/public/data/nothing.csv").status_code == 404
