"""The commitment list's count: from the maintained tallies when only programme and status
narrow it (exact, one small sum), counted or estimated otherwise."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Commitment
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("programs:commitment_list")


@pytest.fixture
def commitments(program, other_program):
    """In `program`: 3 pledged, 2 fulfilled (one of them funding) and 1 archived pledged;
    in `other_program`: 4 pledged, never counted for the personas of `program`."""
    for _ in range(3):
        CommitmentFactory(program=program, status=Commitment.Status.PLEDGED)
    CommitmentFactory(program=program, status=Commitment.Status.FULFILLED)
    CommitmentFactory(
        program=program, status=Commitment.Status.FULFILLED, kind=Commitment.Kind.FUNDING
    )
    archived = CommitmentFactory(program=program, status=Commitment.Status.PLEDGED)
    archived.archived_at = timezone.now()
    archived.save()
    for _ in range(4):
        CommitmentFactory(program=other_program, status=Commitment.Status.PLEDGED)
    return program


def counted(client, query: str = "") -> tuple[int, bool]:
    """(the list's count, whether it came from the tallies)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    from_tallies = any("programs_commitmenttally" in q["sql"] for q in queries)
    return response.context["paginator"].count, from_tallies


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 5),
        ("status=pledged", 3),
        ("status=fulfilled", 2),
        ("program={program}", 5),
        ("program={program}&status=pledged", 3),
    ],
)
def test_programme_and_status_are_counted_from_the_tallies(
    commitments, client_for, query, expected
):
    client = client_for("coordinator")

    count, from_tallies = counted(client, query.format(program=commitments.pk))

    assert (count, from_tallies) == (expected, True)


def test_staff_count_every_programme_from_the_tallies(commitments, client_for):
    assert counted(client_for("staff"), "status=pledged") == (7, True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("kind=funding", 1), ("archived=on", 6), ("status=pledged&archived=on", 4), ("q=zzz", 0)],
)
def test_other_filters_count_the_rows_themselves(commitments, client_for, query, expected):
    count, from_tallies = counted(client_for("coordinator"), query)

    assert (count, from_tallies) == (expected, False)


def test_an_invalid_filter_counts_nothing_and_reads_no_tally(commitments, client_for):
    assert counted(client_for("coordinator"), "status=nonsense") == (0, False)
