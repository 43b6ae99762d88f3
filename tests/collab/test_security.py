"""Hardened production: deploy checks, the secret key, login throttling, the content security
policy, session expiry, error pages, and bad query parameters that never reach a 500."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import PASSWORD, UserFactory

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES = BASE_DIR / "templates"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py` in a fresh interpreter with only the given COLLAB_* variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("COLLAB_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("PYTEST_VERSION", None)  # the app must not think it runs under pytest
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "collab.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- production settings -----------------------------------------------------------------------


def test_the_deploy_checks_pass_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        COLLAB_ENV="production",
        COLLAB_SECRET_KEY=secrets.token_urlsafe(60),
        COLLAB_ALLOWED_HOSTS="registry.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_without_a_secret_key_stops_with_a_clear_message():
    result = manage("check", COLLAB_ENV="production", COLLAB_ALLOWED_HOSTS="registry.example.org")

    assert result.returncode != 0
    assert "COLLAB_SECRET_KEY must be set when COLLAB_ENV=production" in result.stderr


# --- login throttling --------------------------------------------------------------------------


@pytest.fixture
def login(db):
    def post(username: str, password: str, address: str = "203.0.113.7"):
        return Client().post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    return post


def test_five_wrong_passwords_lock_the_username_at_that_address(login):
    UserFactory(username="koordinator-kota")
    statuses = [login("koordinator-kota", "salah").status_code for _ in range(5)]
    # "Wrong password" four times; the fifth failure reaches the limit and already locks.
    assert statuses == [200, 200, 200, 200, 429]

    response = login("koordinator-kota", PASSWORD)  # the sixth, even with the right password

    assert response.status_code == 429
    assert "registration/lockout.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert '<html lang="id">' in page
    with translation.override("id"):
        assert translation.gettext("Sign-in paused") in page
    assert "Masuk ditangguhkan" in page  # Indonesian by default, whatever the browser asks
    assert "koordinator-kota" in page
    assert "15" in page  # minutes to wait
    assert "_auth_user_id" not in response.client.session


def test_the_lockout_spares_other_usernames_at_that_address_and_that_username_elsewhere(login):
    UserFactory(username="koordinator-kota")
    UserFactory(username="koordinator-desa")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login("koordinator-kota", "salah")

    assert login("koordinator-desa", PASSWORD).status_code == 302
    assert login("koordinator-kota", PASSWORD, address="198.51.100.20").status_code == 302


def test_the_lockout_lasts_fifteen_minutes():
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_no_test_signs_in_with_client_login_which_bypasses_the_throttle():
    # The test client's login method cannot hand django-axes a request; force_login() or a
    # post to the login page can.
    offenders = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for path in (BASE_DIR / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bclient\.login\(", line)
    ]
    assert offenders == []


# --- content security policy -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_is_sent_with_the_content_security_policy(client_for):
    response = client_for("coordinator").get(reverse("dashboard"))

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_has_inline_script_or_style_which_the_policy_would_block():
    found = [
        f"{path.relative_to(BASE_DIR)}: {what}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# --- sessions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_expires_after_inactivity_and_each_request_extends_it(client_for, settings):
    settings.SESSION_REFRESH_SECONDS = 60
    client = client_for("coordinator")
    session = Session.objects.get()
    # Nearly expired: a request now counts the full age again from now.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    before = timezone.now()
    assert client.get(reverse("dashboard")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert before + age - datetime.timedelta(seconds=5) <= renewed

    # Inactive past the age: the next request is sent to sign in.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_a_session_is_renewed_at_most_once_a_minute(client_for, settings):
    settings.SESSION_REFRESH_SECONDS = 60
    client = client_for("coordinator")
    session = Session.objects.get()
    assert client.get(reverse("dashboard")).status_code == 200  # renewed: it had no stamp
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(pk=session.pk).update(expire_date=soon)

    # Within the minute: no write, the expiry stays as it was.
    assert client.get(reverse("dashboard")).status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date == soon

    # A minute later, the next request renews it for the full age.
    later = time.time() + settings.SESSION_REFRESH_SECONDS
    with mock.patch("collab.middleware.time.time", return_value=later):
        assert client.get(reverse("dashboard")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > soon + datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_an_anonymous_visit_creates_no_session(client):
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()


# --- error pages and bad input -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_error_pages_are_the_sites_own(client_for, other_program):
    client = client_for("coordinator")
    not_found = client.get(reverse("programs:program_detail", args=[other_program.slug]))
    forbidden = client_for("no_rights").get(reverse("programs:meeting_list"))
    bad_host = client.get(reverse("dashboard"), HTTP_HOST="evil.example")

    assert (not_found.status_code, forbidden.status_code, bad_host.status_code) == (404, 403, 400)
    assert "404.html" in [template.name for template in not_found.templates]
    assert "403.html" in [template.name for template in forbidden.templates]
    assert "400.html" in [template.name for template in bad_host.templates]


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_500_page_without_details(client_for, monkeypatch):
    from programs.views import dashboard

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(dashboard.DashboardView, "get_context_data", broken)
    client = client_for("coordinator")
    client.raise_request_exception = False

    response = client.get(reverse("dashboard"))

    assert response.status_code == 500
    assert "500.html" in [template.name for template in response.templates]
    assert "secret internals" not in response.content.decode()


LISTS = (
    "programs:program_list",
    "programs:meeting_list",
    "programs:commitment_list",
    "programs:agreement_list",
    "programs:actionitem_list",
    "programs:site_list",
    "partners:partner_list",
)
BAD_QUERIES = (
    "page=99999",
    "page=abc",
    "page=-3",
    "page=1e9",
    "program=abc",
    "program=99999999999999999999999",
    "partner=%00",
    "starts_after=2021-13-45",
    "signed_before=0000-00-00",
    "status=nope",
    "kind=nope",
    "pillar=nope",
    "sdg_goal=abc",
    "province=abc",
    "overdue=maybe",
    "archived=abc",
    "q=%00",
    "q=" + "x" * 3000,
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_bad_query_parameters_explain_themselves_instead_of_failing(client_for, name):
    client = client_for("coordinator")
    for query in BAD_QUERIES:
        response = client.get(f"{reverse(name)}?{query}")
        assert response.status_code == 200, query

    bad_filter = client.get(reverse(name), {"program": "abc", "status": "nope"})
    if bad_filter.context["filter_form"] is not None and (
        "program" in bad_filter.context["filter_form"].fields
    ):
        assert bad_filter.context["filter_form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["export=pdf", "export=", "export=csv&program=abc"])
def test_an_unknown_export_or_a_bad_filter_on_an_export_is_a_400_that_says_why(client_for, query):
    response = client_for("coordinator").get(f"{reverse('programs:commitment_list')}?{query}")

    assert response.status_code == 400
    assert response.context["errors"]
