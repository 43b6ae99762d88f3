"""Bad input never breaks anything: generated data posted to every create and edit form and sent
to every list filter, as a coordinator of the programme.

No response is a 500 (the test client re-raises any error of a view, so an error fails the test);
a refused post leaves every domain table (history included) as it was; an accepted post leaves
complete rows, in the coordinator's own programme. Hypothesis starts from what the page's own form
would post and spoils some of it: long, empty, unicode or NUL-laden text, negative and huge
numbers, impossible and reversed dates, unknown choices, other programmes' records, extra rows.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.filtersets import PartnerFilterSet
from programs import filtersets
from programs.forms.agreements import AGREEMENT_FORMSETS
from programs.forms.meetings import MEETING_FORMSETS
from programs.models import Program
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.indicators import IndicatorFactory
from tests.factories.lookups import RegionFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramPartnerFactory, SiteFactory
from tests.posted import posted_form

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DOMAIN_APPS = ("collab", "partners", "programs")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Start and end fields a form checks against each other, to be posted the wrong way round.
DATE_PAIRS = (
    ("starts_on", "ends_on"),
    ("starts_on", "due_on"),
    ("effective_from", "expires_on"),
    ("baseline_on", "target_on"),
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def records(program, other_program, users) -> dict[str, Model]:
    """One record of each kind in `program` (rows included), and some in `other_program`."""
    partner = PartnerFactory(name="Bappeda Kota Uji")
    ProgramPartnerFactory(program=program, partner=partner)
    meeting = MeetingFactory(program=program)
    AttendanceFactory(meeting=meeting, partner=partner)
    DecisionFactory(meeting=meeting, number=1)
    agreement = AgreementFactory(program=program, number="01/2024")
    SignatoryFactory(agreement=agreement, partner=partner)
    ClauseFactory(agreement=agreement, order=1, number="1")
    return {
        "program": program,
        "partner": partner,
        "meeting": meeting,
        "agreement": agreement,
        "commitment": CommitmentFactory(program=program, partner=partner, meeting=meeting),
        "actionitem": ActionItemFactory(program=program, meeting=meeting),
        "site": SiteFactory(program=program, region=RegionFactory(code="17")),
        "indicator": IndicatorFactory(program=program),
        "elsewhere": MeetingFactory(program=other_program),
        "elsewhere_site": SiteFactory(program=other_program, region=RegionFactory(code="18")),
    }


def url_for(name: str, records: dict[str, Model]) -> str:
    """The URL of form page `name` for the records of the fixture."""
    kind = name.split(":")[1].rsplit("_", 1)[0]
    if name.endswith("_create") and kind not in ("measurement", "commitmentupdate"):
        return reverse(name, args=[records["program"].slug])
    owner = {"measurement": "indicator", "commitmentupdate": "commitment"}.get(kind, kind)
    return reverse(name, args=[records[owner].pk])


FORMS = (
    "programs:meeting_create",
    "programs:meeting_edit",
    "programs:commitment_create",
    "programs:commitment_edit",
    "programs:commitmentupdate_create",
    "programs:agreement_create",
    "programs:agreement_edit",
    "programs:actionitem_create",
    "programs:actionitem_edit",
    "programs:site_create",
    "programs:site_edit",
    "programs:indicator_create",
    "programs:indicator_edit",
    "programs:measurement_create",
)

# Row formsets of the pages with rows: extra rows are generated from their fields.
ROW_FIELDS: dict[str, dict[str, list[str]]] = {
    "meeting": {prefix: list(fs.form.base_fields) for prefix, fs in MEETING_FORMSETS.items()},
    "agreement": {prefix: list(fs.form.base_fields) for prefix, fs in AGREEMENT_FORMSETS.items()},
}


def nasty(records: dict[str, Model]) -> st.SearchStrategy[str]:
    """Values a careless or hostile client could send in any field."""
    foreign = [str(records["elsewhere"].pk), str(records["elsewhere_site"].pk)]
    return st.one_of(
        st.just(""),
        st.text(max_size=30),
        st.text(min_size=200, max_size=400),
        st.sampled_from(["x" * 5000, "ü" * 600, "\x00", "a\x00b", " ", "\u202e\u200b", "🇮🇩" * 50]),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.sampled_from(
            ["-1", "0", "2147483648", "1e308", "NaN", "-Infinity", "12,5", "1.000.000"]
        ),
        st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
        st.sampled_from(["2021-13-45", "0000-00-00", "31/12/2024", "kemarin", "9999-12-31"]),
        st.sampled_from(["nope", "pledged", "done", "on", "true", "false"]),
        st.sampled_from(foreign),
    )


def domain_counts() -> dict[str, int]:
    """Rows in every table of the domain apps, history tables included: one query (a COUNT per
    table as a subquery), run twice for each of the 525 generated posts and queries."""
    models = [model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()]
    table = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {table(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        counts = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, counts, strict=True)}


def top_ids() -> dict[type[Model], int]:
    """The highest primary key of each programmes table (history left out): one query."""
    models = [
        model
        for model in apps.get_app_config("programs").get_models()
        if not model._meta.label.startswith("programs.Historical")
        and model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    ]
    table = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({table(m._meta.pk.column)}) FROM {table(m._meta.db_table)})" for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        tops = cursor.fetchone()
    return {model: top or 0 for model, top in zip(models, tops, strict=True)}


def assert_complete_and_in_programme(before: dict[type[Model], int], program: Program) -> None:
    """Every row added by an accepted post passes its model's validation, in `program`."""
    from collab.permissions import program_path

    for model, top in before.items():
        for row in model._default_manager.filter(pk__gt=top):
            row.full_clean()
            path = program_path(model)
            if path:
                assert model._default_manager.filter(pk=row.pk, **{path: program}).exists()


def spoil(data: st.DataObject, base: dict[str, Any], page: str, values) -> dict[str, Any]:
    """`base` (what the form posts unchanged) with some fields replaced by generated values."""
    posted = dict(base)
    names = sorted(name for name in base if name != "csrfmiddlewaretoken")
    # Drawn as positions, not from `names` itself: the form's fields change when an accepted
    # post adds rows, and a strategy that changes between examples makes Hypothesis give up
    # (FlakyStrategyDefinition).
    spoiled = data.draw(st.lists(st.integers(0, 10_000), max_size=6), "spoiled")
    for name in dict.fromkeys(names[position % len(names)] for position in spoiled):
        posted[name] = data.draw(values, name)
    for prefix, fields in ROW_FIELDS.get(page, {}).items():
        extra = data.draw(st.integers(min_value=0, max_value=2), f"new {prefix} rows")
        start = int(base.get(f"{prefix}-TOTAL_FORMS", 0) or 0)
        for index in range(start, start + extra):
            for field in fields:
                posted[f"{prefix}-{index}-{field}"] = data.draw(values, f"{prefix} {field}")
        if extra:
            posted[f"{prefix}-TOTAL_FORMS"] = str(start + extra)
    for start, end in DATE_PAIRS:
        if start in posted and end in posted and data.draw(st.booleans(), f"reverse {start}"):
            posted[start], posted[end] = "2024-12-31", "2024-01-01"
    if page == "agreement" and data.draw(st.booleans(), "scan"):
        content = data.draw(st.sampled_from([PDF, b"MZ\x90\x00" + b"\x00" * 64, b""]), "bytes")
        posted["scan"] = SimpleUploadedFile("scan.pdf", content, "application/pdf")
    return posted


@pytest.fixture
def shown_forms() -> dict[str, dict[str, Any]]:
    """What each form page posts unchanged, loaded again only after an accepted post changed
    the record (each load renders a whole page; most generated posts are refused)."""
    return {}


@pytest.mark.parametrize("name", FORMS)
@FUZZ
@given(data=st.data())
def test_no_post_to_a_form_breaks_anything_or_leaves_a_partial_record(
    client_for, records, shown_forms, name, data
):
    client = client_for("coordinator")
    url = url_for(name, records)
    page = name.split(":")[1].rsplit("_", 1)[0]
    if name not in shown_forms:
        shown = client.get(url)
        assert shown.status_code == 200
        shown_forms[name] = posted_form(shown)
    posted = spoil(data, shown_forms[name], page, nasty(records))
    counts, ids = domain_counts(), top_ids()

    response = client.post(url, posted)

    assert response.status_code in (200, 302, 409), response.status_code
    if response.status_code == 302:
        assert_complete_and_in_programme(ids, records["program"])
        del shown_forms[name]
    else:
        assert domain_counts() == counts, "a refused post changed a table"


LISTS = {
    "programs:program_list": filtersets.ProgramFilterSet,
    "programs:meeting_list": filtersets.MeetingFilterSet,
    "programs:commitment_list": filtersets.CommitmentFilterSet,
    "programs:agreement_list": filtersets.AgreementFilterSet,
    "programs:actionitem_list": filtersets.ActionItemFilterSet,
    "programs:site_list": filtersets.SiteFilterSet,
    "partners:partner_list": PartnerFilterSet,
}


@pytest.mark.parametrize("name", LISTS)
@FUZZ
@given(data=st.data())
def test_no_list_filter_breaks_anything(client_for, records, name, data):
    values = nasty(records)
    names = [*LISTS[name].base_filters, "page"]
    query = {
        field: data.draw(values, field)
        for field in data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    }
    if data.draw(st.booleans(), "export"):
        query["export"] = data.draw(st.sampled_from(["csv", "json", "xlsx", "pdf", ""]), "as")
    counts = domain_counts()

    response = client_for("coordinator").get(reverse(name), query)

    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200 and "export" in query:
        b"".join(response)  # a streamed export is produced to its end without an error
    assert domain_counts() == counts
