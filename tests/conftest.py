"""Personas shared by every test (STYLE rule 12): each is a signed-in client or anonymous."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import override_settings

from collab.permissions import STAFF_GROUP
from programs.models import Program
from programs.services.program import ensure_staff_group, grant_coordinator, grant_viewer
from tests import reference
from tests.factories import ProgramFactory, UserFactory
from tests.once import Personas, class_db, module_db, personas_once  # noqa: F401  (fixtures)
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


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """MD5 for the whole session (Django's advice for tests): PBKDF2 costs ~0.1 s per user, and
    data built once per module or class creates users before any function fixture runs."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _session_renewal_only_where_tested(settings):
    """Pages are measured in their steady state: a session is renewed at most once a minute
    (collab.middleware.SessionRefreshMiddleware), so not on a test's first request either.
    The session tests set the real interval."""
    settings.SESSION_REFRESH_SECONDS = 10**12


def _once(request) -> Personas | None:
    """The personas built once for the module, where it is marked `personas_once`."""
    if request.node.get_closest_marker("personas_once"):
        return request.getfixturevalue("personas_once")
    return None


@pytest.fixture
def program(request, db):
    """The programme the personas are about."""
    if once := _once(request):
        return Program.objects.get(pk=once.program)
    return ProgramFactory(name="Program Ini", slug="program-ini")


@pytest.fixture
def other_program(request, db):
    """A programme the coordinator of `program` has no right on."""
    if once := _once(request):
        return Program.objects.get(pk=once.other_program)
    return ProgramFactory(name="Program Lain", slug="program-lain")


def build_personas(program, other_program) -> dict:
    """One user per persona (anonymous has none), with their rights on the two programmes."""
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
def users(request, db, program, other_program):
    """One user per persona (anonymous has none): built for each test, or once per module
    where the module is marked `personas_once` (tests/once.py). Fresh instances either way."""
    if once := _once(request):
        found = get_user_model().objects.in_bulk([pk for pk in once.users.values() if pk])
        return {name: pk and found[pk] for name, pk in once.users.items()}
    return build_personas(program, other_program)


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
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test session's connections commit without waiting for the disk
    (`synchronous_commit = off`): a crash could lose the last commits of a database that is
    dropped at the end anyway, and each commit of the migrations, the transactional tests and
    their live servers no longer waits for an fsync. The server's own settings are untouched."""
    from django.db import connections

    for alias in connections:
        db = connections[alias].settings_dict
        if db["ENGINE"] == "django.db.backends.postgresql":
            options = db.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the reference data (SDG taxonomy, 91,599 regions) loaded once per
    session before the first test; transactional tests leave it in place
    (`_flush_spares_reference`)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
        reference.remember()


@pytest.fixture(scope="session", autouse=True)
def _flush_spares_reference():
    """A transactional test ends with `manage.py flush`, which would empty the reference tables
    too and make the next test reload 91,599 regions: see tests/reference.py."""
    with reference.flush_sparing_reference():
        yield


@pytest.fixture
def reference_data(db):
    """Reference data present in the test database (loaded once per session: `django_db_setup`).
    Kept as a name that says what a test relies on."""
    reference.assert_intact()


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
