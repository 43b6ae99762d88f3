"""The contract: the OpenAPI schema (every enum, every error answer) and its documentation
page, served from the project's own static files under its Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_choice_is_an_enum_named_after_its_model(schema):
    enums = {name for name, part in schema["components"]["schemas"].items() if "enum" in part}

    assert {
        "CommitmentStatusEnum",
        "CommitmentKindEnum",
        "ActionItemStatusEnum",
        "AgreementStatusEnum",
        "PillarEnum",
        "RegionLevelEnum",
    } <= enums
    assert schema["components"]["schemas"]["CommitmentStatusEnum"]["enum"] == [
        "pledged",
        "in_progress",
        "fulfilled",
        "cancelled",
    ]


def test_every_operation_documents_its_errors_and_needs_a_token(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "429"} <= codes, f"{method} {path}"
            assert {"tokenAuth": []} in operation["security"], f"{method} {path}"
            if method in ("patch",):
                assert {"412", "428"} <= codes
                assert any(
                    p["name"] == "If-Match" and p["required"] for p in operation["parameters"]
                )


def test_the_filters_are_the_pages_filters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]}

    assert {"status", "kind", "program", "partner", "pillar", "overdue", "q", "cursor"} <= names


def test_the_docs_page_loads_only_this_sites_files_and_no_inline_script():
    response = Client().get("/api/v1/docs/")
    page = response.content.decode()
    script = Client().get("/api/v1/docs/?script=")

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in page
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert len(sources) >= 4
    assert all(src.startswith("/") for src in sources), sources  # no CDN
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
    assert re.findall(r"<script>", page) == []
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
