"""`manage.py generate_scale_data` at small counts: the counts, the long tail, the rights, the
history rows, reproducibility and the guard against a second run.

The defaults (half a million commitments) are exercised by bench/pages.py, not here.
"""

from __future__ import annotations

import datetime
import io
import statistics
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, F, OuterRef

from collab.permissions import STAFF_GROUP, Action, restrict
from devdata.scale.history import TRACKED_MODELS
from devdata.scale.rows import CHANGE_REASON
from partners.models import Partner
from programs.models.agreements import Agreement, Clause, Signatory
from programs.models.commitments import Commitment, CommitmentUpdate
from programs.models.meetings import ActionItem, Attendance, Decision, Meeting
from programs.models.program import Program, ProgramPartner, ProgramUserObjectPermission, Site

SMALL = {
    "partners": 60,
    "programs": 60,
    "sites": 90,
    "meetings": 150,
    "action_items": 200,
    "commitments": 1500,
    "agreements": 40,
    "coordinators": 6,
}
# A past anchor day makes a run fully reproducible: nothing is clamped to "now".
ANCHOR = datetime.date(2025, 6, 30)


def generate(**options: Any) -> str:
    out = io.StringIO()
    call_command(
        "generate_scale_data",
        **{**SMALL, "seed": 7, "anchor_date": ANCHOR, **options},
        verbosity=0,
        stdout=out,
    )
    return out.getvalue()


def commitment_counts() -> list[int]:
    return list(
        Program.objects.annotate(n=Count("commitments")).order_by("-n").values_list("n", flat=True)
    )


def largest_program() -> Program:
    return Program.objects.annotate(n=Count("commitments")).order_by("-n", "pk").first()


def fingerprint() -> list[tuple]:
    """What the data says, without the ids (a second run gets new ones)."""
    return list(
        Commitment.objects.order_by("created_at", "id").values_list(
            "program__slug", "partner__name", "title", "kind", "amount", "due_on", "status",
            "created_at",
        )
    )  # fmt: skip


@pytest.fixture(scope="module")
def _generated(module_db) -> None:
    """One run for the module (tests/once.py): each test reads it, or changes it and rolls back.
    The tests that run the command on an empty database are in test_scale_data_runs.py."""
    with module_db.unblock():
        generate()


@pytest.fixture
def scale_data(reference_data, _generated) -> None:
    """The small data set, generated once for this module."""


def test_it_creates_the_requested_number_of_rows(scale_data):
    assert Partner.objects.count() == SMALL["partners"]
    assert Program.objects.count() == SMALL["programs"]
    assert Site.objects.count() == SMALL["sites"]
    assert Meeting.objects.count() == SMALL["meetings"]
    assert ActionItem.objects.count() == SMALL["action_items"]
    assert Commitment.objects.count() == SMALL["commitments"]
    assert Agreement.objects.count() == SMALL["agreements"]
    # Children follow their parents: some of each, never more than the shapes allow.
    assert 2 * SMALL["meetings"] <= Attendance.objects.count() <= 10 * SMALL["meetings"]
    assert 0 < Decision.objects.count() <= 5 * SMALL["meetings"]
    assert 2 * SMALL["agreements"] <= Signatory.objects.count() <= 4 * SMALL["agreements"]
    assert 2 * SMALL["agreements"] <= Clause.objects.count() <= 12 * SMALL["agreements"]
    assert 0 < CommitmentUpdate.objects.count() <= 2 * SMALL["commitments"]
    # Every programme has partners, the largest several times more than the smallest.
    members = list(Program.objects.annotate(n=Count("memberships")).values_list("n", flat=True))
    assert min(members) >= 3


def test_programme_sizes_have_a_long_tail(scale_data):
    counts = commitment_counts()
    median = statistics.median(counts)

    assert counts[0] > median
    assert counts[0] >= 3 * median  # a Zipf head, not a uniform spread
    assert sum(counts) == SMALL["commitments"]


def test_child_records_stay_inside_their_programme(scale_data):
    not_a_member = ~Exists(
        ProgramPartner.objects.filter(program=OuterRef("program"), partner=OuterRef("partner"))
    )
    assert not Commitment.objects.filter(not_a_member).exists()
    assert not Commitment.objects.exclude(meeting=None).exclude(meeting__program=F("program"))
    assert not Commitment.objects.exclude(site=None).exclude(site__program=F("program"))
    assert not Commitment.objects.exclude(agreement=None).exclude(agreement__program=F("program"))
    assert not ActionItem.objects.exclude(meeting=None).exclude(meeting__program=F("program"))
    absent = ~Exists(
        ProgramPartner.objects.filter(
            program=OuterRef("meeting__program"), partner=OuterRef("partner")
        )
    )
    assert not Attendance.objects.filter(absent).exists()


def test_clauses_hang_under_sections_of_their_own_agreement(scale_data):
    assert Clause.objects.filter(parent=None).exists()
    assert not Clause.objects.exclude(parent=None).exclude(parent__agreement=F("agreement"))
    assert not Clause.objects.exclude(parent=None).exclude(parent__parent=None)


def test_dates_never_end_before_they_start(scale_data):
    assert not Commitment.objects.filter(due_on__lt=F("starts_on")).exists()
    assert not Meeting.objects.filter(ends_on__lt=F("starts_on")).exists()
    # Some of the work is late and some meetings are still to come, as on a live dashboard.
    assert Commitment.objects.overdue(ANCHOR).exists()
    assert Meeting.objects.filter(starts_on__gt=ANCHOR).exists()


def test_the_first_coordinator_holds_fifty_programmes_including_the_largest(scale_data):
    user = get_user_model().objects.get(username="skala-koordinator-0")
    coordinated = restrict(Program.objects.all(), user, Action.COORDINATE)

    assert coordinated.count() == 50
    assert coordinated.filter(pk=largest_program().pk).exists()


def test_every_programme_has_a_coordinator_and_staff_see_them_all(scale_data):
    coordinators = get_user_model().objects.filter(username__startswith="skala-koordinator-")
    assert coordinators.count() == SMALL["coordinators"]
    rights = ProgramUserObjectPermission.objects.filter(
        permission__codename="coordinate_program", user__in=coordinators
    ).exclude(user__username="skala-koordinator-0")
    covered = set(rights.values_list("content_object_id", flat=True))
    assert covered == set(Program.objects.values_list("pk", flat=True))

    staff = get_user_model().objects.get(username="skala-staf")
    assert staff.groups.filter(name=STAFF_GROUP).exists()
    assert restrict(Program.objects.all(), staff, Action.VIEW).count() == SMALL["programs"]
    assert not staff.has_usable_password()


def test_every_generated_row_has_its_creation_history(scale_data):
    for model in TRACKED_MODELS:
        history = model.history.filter(history_type="+")

        assert history.count() == model.objects.count(), model
        assert not history.exclude(history_change_reason=CHANGE_REASON).exists(), model


def test_the_programmes_goal_links_have_history(scale_data):
    for attribute in ("sdg_goals", "sdg_targets"):
        through = getattr(Program, attribute).through
        historical = apps.get_model("programs", f"HistoricalProgram_{attribute}")
        assert historical.objects.count() == through.objects.count() > 0


def test_a_second_run_refuses_without_force(scale_data):
    before = fingerprint()

    with pytest.raises(CommandError) as error:
        generate()

    assert "--force" in str(error.value)
    assert fingerprint() == before


def test_force_replaces_the_data_and_the_same_seed_gives_the_same_data(scale_data):
    before = fingerprint()
    first_ids = set(Commitment.objects.values_list("pk", flat=True))

    generate(force=True)

    assert fingerprint() == before
    assert not first_ids & set(Commitment.objects.values_list("pk", flat=True))
    assert Program.objects.count() == SMALL["programs"]
    assert Commitment.history.count() == SMALL["commitments"]  # old history went with the rows
    # The accounts are reused, not duplicated.
    assert get_user_model().objects.filter(username__startswith="skala-").count() == 7


def test_another_seed_gives_other_data(scale_data):
    before = fingerprint()

    generate(force=True, seed=8)

    assert fingerprint() != before
