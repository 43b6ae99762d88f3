"""Data built once per module (or class) for tests that only read it.

pytest-django wraps each test in a transaction that is rolled back. `module_db` opens one more,
around every test of a module: rows written by a module-scoped fixture stay for each test of the
module (each test still rolls back to them) and are rolled back after the module's last test.

    @pytest.fixture(scope="module")
    def _records(module_db, personas_once):
        with module_db.unblock():
            return {"meeting": MeetingFactory(program=personas_once.program).pk}

    @pytest.fixture
    def meeting(db, _records):
        return Meeting.objects.get(pk=_records["meeting"])  # a fresh instance for each test

Keep primary keys in the module-scoped fixture and read fresh instances in a function-scoped one:
an instance shared between tests carries caches (a user's permission cache, prefetched rows)
and in-memory changes from one test to the next.

A transactional test (`transaction=True`, `live_server`, a worker) cannot run inside the open
transaction: keep such tests in a module of their own (tests/reference.py raises if one tries).

`personas_once` builds `program`, `other_program` and the users of every persona of
tests/conftest.py once per module. In a module marked `pytest.mark.personas_once`, the conftest
fixtures `program`, `other_program` and `users` (and so `client_for`, `admin_client`) read fresh
instances of those rows instead of building new ones for each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker) -> Iterator:
    """A transaction around the whole module; yields the blocker to build data with
    (`with module_db.unblock(): …`)."""
    yield from _kept(django_db_blocker)


@pytest.fixture(scope="class")
def class_db(django_db_setup, django_db_blocker) -> Iterator:
    """The same around one test class."""
    yield from _kept(django_db_blocker)


def _kept(django_db_blocker) -> Iterator:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@dataclass(frozen=True)
class Personas:
    """Primary keys of the personas' programmes and users, built once."""

    program: int
    other_program: int
    users: dict[str, int | None]


@pytest.fixture(scope="module")
def personas_once(module_db) -> Personas:
    from tests.conftest import build_personas
    from tests.factories import ProgramFactory

    with module_db.unblock():
        program = ProgramFactory(name="Program Ini", slug="program-ini")
        other_program = ProgramFactory(name="Program Lain", slug="program-lain")
        users = build_personas(program, other_program)
        return Personas(
            program=program.pk,
            other_program=other_program.pk,
            users={name: user and user.pk for name, user in users.items()},
        )
