"""The long forms save at their own row limits, as a browser posts them (every input of every
row); one row past a limit gives the form back with the input and a message naming the limit;
far past the request ceiling the user gets a page that says why, never a bare 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import checks
from django.urls import reverse

from collab.checks import field_ceiling_fits_the_largest_form, form_sizes
from programs.forms.agreements import AGREEMENT_ROW_LIMIT
from programs.forms.meetings import MEETING_ROW_LIMIT
from programs.models.agreements import Agreement, Clause, Signatory
from programs.models.commitments import Commitment
from programs.models.meetings import ActionItem, Attendance, Decision, Meeting
from programs.models.program import Program
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.posted import posted_form

# The personas and the full records are built once for the module (tests/once.py).
pytestmark = [pytest.mark.django_db, pytest.mark.personas_once]

MEETING_ROWS = ("attendances", "decisions", "action_items", "commitments")
AGREEMENT_ROWS = ("signatories", "clauses")


def partners(count: int) -> list:
    return [PartnerFactory(name=f"Mitra Batas {index:03d}") for index in range(count)]


@pytest.fixture(scope="module")
def _full_meeting(module_db, personas_once) -> int:
    """A meeting of `program` with MEETING_ROW_LIMIT rows in each of its four sections, built
    once for the module (tests/once.py): the tests post it back and roll back what they saved."""
    with module_db.unblock():
        program = Program.objects.get(pk=personas_once.program)
        meeting = MeetingFactory(program=program, title="Rapat pleno tahunan")
        for index, partner in enumerate(partners(MEETING_ROW_LIMIT)):
            AttendanceFactory(meeting=meeting, partner=partner)
            DecisionFactory(meeting=meeting, number=index + 1, text=f"Keputusan {index + 1}")
            ActionItemFactory(program=program, meeting=meeting, title=f"Tindak lanjut {index + 1}")
            CommitmentFactory(
                program=program, meeting=meeting, partner=partner, title=f"Komitmen {index + 1}"
            )
        return meeting.pk


@pytest.fixture
def full_meeting(db, _full_meeting) -> Meeting:
    return Meeting.objects.get(pk=_full_meeting)


@pytest.fixture(scope="module")
def _full_agreement(module_db, personas_once) -> int:
    """An agreement of `program` with AGREEMENT_ROW_LIMIT signatories and clauses (built once)."""
    with module_db.unblock():
        program = Program.objects.get(pk=personas_once.program)
        agreement = AgreementFactory(program=program, number="07/2024", title="Nota kesepakatan")
        for index, partner in enumerate(partners(AGREEMENT_ROW_LIMIT)):
            SignatoryFactory(agreement=agreement, partner=partner, signer_name=f"Penanda {index}")
            ClauseFactory(agreement=agreement, order=index + 1, number=str(index + 1))
        return agreement.pk


@pytest.fixture
def full_agreement(db, _full_agreement) -> Agreement:
    return Agreement.objects.get(pk=_full_agreement)


def counts() -> dict[str, int]:
    models = (Meeting, Attendance, Decision, ActionItem, Commitment, Agreement, Signatory, Clause)
    return {model.__name__: model.objects.count() for model in models}


def as_new(data: dict[str, Any], prefixes: tuple[str, ...]) -> dict[str, Any]:
    """The rows of an edit page posted as new rows of a new record (as if typed in again)."""
    new = dict(data)
    for prefix in prefixes:
        new[f"{prefix}-INITIAL_FORMS"] = "0"
        for index in range(int(data[f"{prefix}-TOTAL_FORMS"])):
            for field in ("id", "meeting", "agreement"):
                new.pop(f"{prefix}-{index}-{field}", None)
    return {name: value for name, value in new.items() if not name.startswith("_version")}


def one_more_row(data: dict[str, Any], prefix: str, values: dict[str, str]) -> dict[str, Any]:
    more = dict(data)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for field, value in values.items():
        more[f"{prefix}-{index}-{field}"] = value
    more[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return more


def saved_as_it_came(client, url: str) -> dict[str, Any]:
    """The edit page of `url` posted back as it came: it saves (a redirect) and adds no row; the
    data it posted."""
    data = posted_form(client.get(url), path=url)
    before = counts()

    saved = client.post(url, data)

    assert saved.status_code == 302, saved.content[:500]
    assert counts() == before
    return data


def one_row_too_many(client, url: str, prefix: str, values: dict[str, str], limit: int) -> str:
    """The edit page of `url` posted back with one row more in `prefix` than its `limit`: the
    page comes back, saying what the limit is; its text."""
    response = client.post(
        url, one_more_row(posted_form(client.get(url), path=url), prefix, values)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Bagian ini paling banyak {limit} baris" in page
    return page


def test_a_meeting_with_every_section_at_its_limit_saves_whole(client_for, full_meeting, program):
    client = client_for("coordinator")

    data = saved_as_it_came(client, reverse("programs:meeting_edit", args=[full_meeting.pk]))

    # More fields than Django's default ceiling of 1,000; within the project's.
    assert 4 * MEETING_ROW_LIMIT * 3 < len(data) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    create_url = reverse("programs:meeting_create", args=[program.slug])
    created = client.post(create_url, as_new(data, MEETING_ROWS))
    assert created.status_code == 302, created.content[:500]
    meeting = Meeting.objects.exclude(pk=full_meeting.pk).get()
    assert meeting.attendances.count() == MEETING_ROW_LIMIT
    assert meeting.decisions.count() == MEETING_ROW_LIMIT
    assert meeting.action_items.count() == MEETING_ROW_LIMIT
    assert meeting.commitments.count() == MEETING_ROW_LIMIT


def test_one_row_past_a_limit_gives_the_meeting_back_with_its_input(client_for, full_meeting):
    url = reverse("programs:meeting_edit", args=[full_meeting.pk])
    row = {"number": str(MEETING_ROW_LIMIT + 1), "text": "Keputusan yang terlalu banyak"}
    before = counts()

    page = one_row_too_many(client_for("coordinator"), url, "decisions", row, MEETING_ROW_LIMIT)

    assert "Keputusan yang terlalu banyak" in page  # the input comes back
    assert f"paling banyak {MEETING_ROW_LIMIT} baris" in page.split('id="decisions-title"')[1]
    assert counts() == before


def test_an_agreement_with_every_section_at_its_limit_saves_whole(
    client_for, full_agreement, program, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = client_for("coordinator")

    data = saved_as_it_came(client, reverse("programs:agreement_edit", args=[full_agreement.pk]))

    assert len(data) > 2 * AGREEMENT_ROW_LIMIT * 3
    new = as_new(data, AGREEMENT_ROWS)
    new["number"] = "08/2024"
    created = client.post(reverse("programs:agreement_create", args=[program.slug]), new)
    assert created.status_code == 302, created.content[:500]
    agreement = Agreement.objects.get(number="08/2024")
    assert agreement.signatories.count() == AGREEMENT_ROW_LIMIT
    assert agreement.clauses.count() == AGREEMENT_ROW_LIMIT


def test_one_clause_past_the_limit_gives_the_agreement_back(client_for, full_agreement):
    url = reverse("programs:agreement_edit", args=[full_agreement.pk])
    row = {"number": str(AGREEMENT_ROW_LIMIT + 1), "text": "Pasal yang terlalu banyak"}

    page = one_row_too_many(client_for("coordinator"), url, "clauses", row, AGREEMENT_ROW_LIMIT)

    assert "Pasal yang terlalu banyak" in page
    assert full_agreement.clauses.count() == AGREEMENT_ROW_LIMIT


def admin_inline_prefix(data: dict[str, Any], related: str) -> str:
    return next(
        name.removesuffix("-TOTAL_FORMS")
        for name in data
        if name.endswith("-TOTAL_FORMS") and related in name
    )


def test_the_admin_saves_a_meeting_at_its_limits_and_refuses_one_row_more(
    admin_client, full_meeting
):
    url = reverse("admin:programs_meeting_change", args=[full_meeting.pk])
    data = saved_as_it_came(admin_client, url)
    before = counts()

    prefix = admin_inline_prefix(data, "decision")
    row = {"number": str(int(data[f"{prefix}-TOTAL_FORMS"]) + 1), "text": "Keputusan lewat admin"}
    page = one_row_too_many(admin_client, url, prefix, row, MEETING_ROW_LIMIT)

    assert "Keputusan lewat admin" in page
    assert counts() == before


def test_the_admin_saves_an_agreement_at_its_limits(admin_client, full_agreement):
    saved_as_it_came(
        admin_client, reverse("admin:programs_agreement_change", args=[full_agreement.pk])
    )


def test_a_post_past_the_request_ceiling_gets_a_page_that_says_why(client_for, program):
    client = client_for("coordinator")
    url = reverse("programs:meeting_create", args=[program.slug])
    flood = {f"field-{index}": "x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    before = counts()

    response = client.post(url, flood, HTTP_REFERER=f"http://testserver{url}")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Formulir terlalu besar untuk dibaca" in page
    assert "8.000" in page  # the limit, in Indonesian digit grouping
    assert f'href="http://testserver{url}"' in page
    assert counts() == before  # no meeting, no row of one


def test_the_ceiling_follows_the_largest_form_and_the_check_says_when_it_does_not(settings):
    sizes = form_sizes()
    assert set(sizes) == {"meeting", "agreement"}
    assert field_ceiling_fits_the_largest_form(None) == []
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    errors = field_ceiling_fits_the_largest_form(None)
    assert [error.id for error in errors] == ["collab.E001"]
    assert isinstance(errors[0], checks.Error)
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None
    assert [error.id for error in field_ceiling_fits_the_largest_form(None)] == ["collab.W001"]


def test_the_estimate_of_a_page_at_its_limits_covers_what_it_posts(client_for, full_meeting):
    page = client_for("coordinator").get(reverse("programs:meeting_edit", args=[full_meeting.pk]))
    assert len(posted_form(page)) <= form_sizes()["meeting"]
