"""`manage.py load_demo` on a database without demo data: the accounts' first password and the
missing reference data. The other tests (tests/programs/test_load_demo.py) share one loaded demo
per module, so these need a module of their own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from partners.models import Partner
from programs.demo import data as demo
from programs.models import Program
from tests.programs.test_load_demo import (
    PASSWORD_VARIABLE,
    run_load_demo,
    users_by_name,
)


@pytest.fixture
def no_demo_password(monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)


def test_it_prints_a_generated_password_once_and_it_works(reference_data, no_demo_password):
    lines = run_load_demo(verbosity=0).splitlines()
    password = lines[-1].rpartition(": ")[2]
    assert "admin, staf, pemantau" in lines[0]
    for user in users_by_name().values():
        assert user.check_password(password)

    text = run_load_demo(verbosity=1)
    assert password not in text
    assert "ditampilkan saat akun dibuat" in text
    assert f"{PASSWORD_VARIABLE}=" in text
    for user in users_by_name().values():
        assert user.check_password(password)


def test_it_uses_the_environment_password_for_new_accounts(reference_data, monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, "kata-sandi-demo-2024")
    assert run_load_demo(verbosity=0) == ""
    assert users_by_name()["koordinator-kotaku"].check_password("kata-sandi-demo-2024")


def test_it_stops_with_a_clear_error_when_regions_are_missing(db, monkeypatch):
    # No reference fixture here, so normally no region is loaded. But load_reference commits its
    # rows once per test session, so after an earlier test loaded them the table is full: asking
    # for one code that no load contains puts the command in the same situation either way,
    # without deleting anything.
    required = demo.required_region_codes()
    monkeypatch.setattr(demo, "required_region_codes", lambda: required | {"99.99.99.9999"})

    with pytest.raises(CommandError) as error:
        run_load_demo(verbosity=0)

    message = str(error.value)
    assert "python manage.py load_reference" in message
    assert "wilayah" in message
    assert not Program.objects.exists()
    assert not Partner.objects.exists()
    assert not get_user_model().objects.exists()
