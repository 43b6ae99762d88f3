"""Personas shared by every test (STYLE rule 12): each is a signed-in client or anonymous."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from collab.permissions import STAFF_GROUP
from programs.services.program import ensure_staff_group, grant_coordinator, grant_viewer
from tests.factories import ProgramFactory, UserFactory
from tests.smtp import smtp_server  # noqa: F401  (fixture)
from tests.worker import celery_worker, celery_workers  # noqa: F401  (fixtures)

PERSONAS = (
    "anonymous",
    "no_rights",
    "viewer",
    "coordinator",
    "other_coordinator",
    "staff",
    "admin",
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _session_renewal_only_where_tested(settings):
    """Pages are measured in their steady state: a session is renewed at most once a minute
    (collab.middleware.SessionRefreshMiddleware), so not on a test's first request either.
    The session tests set the real interval."""
    settings.SESSION_REFRESH_SECONDS = 10**12


@pytest.fixture
def program(db):
    """The programme the personas are about."""
    return ProgramFactory(name="Program Ini", slug="program-ini")


@pytest.fixture
def other_program(db):
    """A programme the coordinator of `program` has no right on."""
    return ProgramFactory(name="Program Lain", slug="program-lain")


@pytest.fixture
def users(db, program, other_program):
    """One user per persona (anonymous has none)."""
    ensure_staff_group()
    no_rights = UserFactory(username="tanpa-hak")
    viewer = UserFactory(username="pemantau-uji")
    grant_viewer(program=program, user=viewer)
    coordinator = UserFactory(username="koordinator-ini")
    grant_coordinator(program=program, user=coordinator)
    other_coordinator = UserFactory(username="koordinator-lain")
    grant_coordinator(program=other_program, user=other_coordinator)
    staff = UserFactory(username="staf-uji")
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    admin = UserFactory(username="admin-uji", is_staff=True, is_superuser=True)
    return {
        "anonymous": None,
        "no_rights": no_rights,
        "viewer": viewer,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "staff": staff,
        "admin": admin,
    }


@pytest.fixture
def client_for(users):
    """`client_for("viewer")` → a Client signed in as that persona (anonymous: signed out)."""

    def make(persona: str) -> Client:
        client = Client()
        user = users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def admin_client(client_for) -> Client:
    """The admin persona's client (replaces pytest-django's fixture of the same name)."""
    return client_for("admin")


@pytest.fixture
def upload_storage(settings, tmp_path):
    """The admin import parks an upload between preview and confirm in the default storage."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="session")
def _reference_loaded(django_db_setup, django_db_blocker):
    """Load the SDG taxonomy and all regions once per test session (they never change)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference_data(_reference_loaded, db):
    """Reference data present in the test database. Reloaded if a transactional test emptied it."""
    from django.core.management import call_command

    from collab.models import Region, SdgGoal

    if not (SdgGoal.objects.exists() and Region.objects.exists()):
        call_command("load_reference", verbosity=0)


@pytest.fixture
def demo_data(reference_data):
    """The five seed programmes and demo accounts (rolled back after each test)."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _n_plus_one_raises():
    """An N+1 query anywhere in a test (fixtures, factories, services) raises NPlusOneError.

    Requests made through the test client get a scope of their own from zeal's middleware
    (collab/settings.py), so two requests for the same page do not count as one N+1.
    """
    from zeal import zeal_context

    with zeal_context():
        yield
