"""`manage.py generate_scale_data` on a database without generated data: the ORM path, a shared
password, the missing reference data, the progress lines. The tests of one generated data set
(tests/devdata/test_scale_data.py) share one run per module, so these need a module of their own."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from collab.models import Region
from collab.permissions import Action, restrict
from partners.models import Partner
from programs.models import Commitment, CommitmentUpdate, Program
from tests.devdata.test_scale_data import SMALL, generate


def test_the_orm_path_writes_the_same_shape(reference_data):
    # bulk_create and bulk_create_with_history: the portable path and the one measured against.
    generate(writer="orm", history="orm", commitments=300, coordinator_programs=5)

    assert Commitment.objects.count() == 300
    assert Commitment.history.count() == 300
    assert CommitmentUpdate.history.count() == CommitmentUpdate.objects.count() > 0
    user = get_user_model().objects.get(username="skala-koordinator-0")
    assert restrict(Program.objects.all(), user, Action.COORDINATE).count() == 5


def test_a_shared_password_can_be_given(reference_data):
    generate(password="rahasia-skala-123", programs=5, coordinator_programs=2, commitments=50)

    user = get_user_model().objects.get(username="skala-koordinator-1")
    assert user.check_password("rahasia-skala-123")


def test_it_stops_with_a_clear_error_without_reference_data(reference_data):
    # Hide the villages for this test only (the transaction is rolled back afterwards).
    Region.objects.filter(level=Region.Level.VILLAGE).update(level=Region.Level.DISTRICT)

    with pytest.raises(CommandError) as error:
        generate()

    assert "python manage.py load_reference" in str(error.value)
    assert not Program.objects.exists()
    assert not Partner.objects.exists()


def test_it_prints_a_progress_line_per_table(reference_data):
    out = io.StringIO()
    call_command(
        "generate_scale_data",
        **{**SMALL, "programs": 5, "coordinator_programs": 2, "commitments": 50},
        verbosity=1,
        stdout=out,
    )

    text = out.getvalue()
    assert "\rprograms_commitment" in text
    assert "baris/s" in text
    assert "Data skala selesai dibuat" in text
