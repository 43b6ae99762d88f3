"""The dashboard at national scale: the same rows and numbers as the plain queries for every
persona, from a constant number of queries (on PostgreSQL a coordinator's sections are built
per programme, programs.views.dashboard.first_across_programs; run this file there too)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collab.permissions import Action, restrict
from programs.models import ActionItem, Agreement, Commitment, Meeting, Program
from programs.services.program import grant_coordinator
from tests.collab.test_charts import bars_of, labelled, svgs_in
from tests.factories.agreements import AgreementFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.lookups import UserFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory

pytestmark = pytest.mark.django_db

STATUSES = list(Commitment.Status)


def plain_sections(user: AbstractBaseUser) -> dict[str, list]:
    """What each section shows, by the plain restricted queries (the reference)."""
    today = timezone.localdate()

    def visible(queryset):
        return restrict(queryset, user, Action.VIEW)

    return {
        "programs": list(visible(Program.objects.all()).order_by("name")[:50]),
        "upcoming_meetings": list(
            visible(Meeting.objects.active())
            .filter(starts_on__gte=today)
            .order_by("starts_on", "id")[:10]
        ),
        "overdue_commitments": list(
            visible(Commitment.objects.overdue(today)).order_by("due_on", "id")[:10]
        ),
        "overdue_actions": list(
            visible(ActionItem.objects.overdue(today)).order_by("due_on", "id")[:10]
        ),
        "recent_agreements": list(
            visible(Agreement.objects.active())
            .filter(signed_on__isnull=False)
            .order_by("-signed_on", "-id")[:10]
        ),
    }


def plain_status_counts(user: AbstractBaseUser) -> dict[str, int]:
    """A fresh GROUP BY over the active commitments the user may see, every status shown."""
    rows = (
        restrict(Commitment.objects.active(), user, Action.VIEW)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(STATUSES, 0) | dict(rows)
    return labelled({status: counts[status] for status in STATUSES})


def add_records(program: Program, number: int, *, offset: int = 0) -> None:
    """`number` records of each dashboard section in `program`, dates interleaved with other
    programmes' through `offset`, some archived, done or unsigned (left out of the sections)."""
    today = timezone.localdate()
    partner = PartnerFactory()
    ProgramPartnerFactory(program=program, partner=partner)
    for index in range(number):
        shift = datetime.timedelta(days=2 * index + offset)
        status = STATUSES[index % len(STATUSES)]
        commitment = CommitmentFactory(
            program=program, partner=partner, due_on=today - shift, status=status
        )
        if index % 5 == 4:
            commitment.set_archived(True, user=None)
        ActionItemFactory(
            program=program,
            responsible=partner,
            due_on=today - shift,
            status=ActionItem.Status.DONE if index % 4 == 3 else ActionItem.Status.PLANNED,
        )
        MeetingFactory(program=program, starts_on=today + shift)
        AgreementFactory(program=program, signed_on=None if index % 6 == 5 else today - shift)


@pytest.fixture
def two_programme_coordinator(program, other_program):
    user = UserFactory(username="koordinator-dua")
    grant_coordinator(program=program, user=user)
    grant_coordinator(program=other_program, user=user)
    return user


@pytest.mark.parametrize(
    "persona",
    ["no_rights", "viewer", "coordinator", "other_coordinator", "staff", "admin", "both"],
)
def test_every_persona_sees_the_rows_and_numbers_of_the_plain_queries(
    users, program, other_program, two_programme_coordinator, persona
):
    add_records(program, 30)
    add_records(other_program, 24, offset=1)  # between the first programme's dates
    add_records(ProgramFactory(name="Program Ketiga"), 3)
    user = two_programme_coordinator if persona == "both" else users[persona]
    client = Client()
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    expected = plain_sections(user)
    for section, rows in expected.items():
        assert response.context[section] == rows, section
    if expected["programs"]:
        assert bars_of(svgs_in(response)["statuses-mine"]) == plain_status_counts(user)
    if persona in ("coordinator", "both", "staff"):  # the sections are full: nothing vacuous
        assert all(len(rows) == 10 for name, rows in expected.items() if name != "programs")


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_the_dashboard_runs_the_same_queries_for_2_and_20_commitments(
    users, program, client_for, django_assert_num_queries, persona
):
    # 1. the session, 2. the user, 3.–4. the user's and their groups' model permissions (the
    # global-right check), 5. my programmes, 6. upcoming meetings, 7. overdue commitments,
    # 8. overdue action items, 9. recently signed agreements, 10. partners per pillar of the
    # first programmes, 11. commitments by status (the counters).
    client = client_for(persona)
    client.get(reverse("dashboard"))  # warm Django's caches (content types, translations)

    for number in (2, 20):
        add_records(program, number - Commitment.objects.filter(program=program).count())
        with django_assert_num_queries(11):
            response = client.get(reverse("dashboard"))
        shown = response.context["overdue_commitments"]
        assert shown and shown == plain_sections(users[persona])["overdue_commitments"]


def test_a_user_with_many_programmes_still_runs_the_same_queries(
    users, client_for, django_assert_num_queries
):
    coordinator = users["coordinator"]
    client = client_for("coordinator")
    for number in range(12):
        extra = ProgramFactory(name=f"Program Tambahan {number:02d}")
        grant_coordinator(program=extra, user=coordinator)
        add_records(extra, 2)

    with django_assert_num_queries(11):
        response: Any = client.get(reverse("dashboard"))

    assert len(response.context["pillar_charts"]) == 10
    assert (
        response.context["overdue_commitments"]
        == plain_sections(coordinator)["overdue_commitments"]
    )
