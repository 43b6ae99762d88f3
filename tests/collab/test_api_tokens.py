"""Personal API tokens (collab.api.tokens, collab.api.authentication) and the API's throttling
(collab.api.throttling): made on the preferences page, stored only as a keyed hash, found in
constant time, with expiry, read-only and last-used; revoked by their owner or an admin."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collab.api import tokens
from collab.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"  # readable by every signed-in user: the token alone decides


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def call(key: str, scheme: str = "Token", client: Client | None = None, **extra):
    return (client or Client()).get(URL, headers={"Authorization": f"{scheme} {key}"}, **extra)


def test_only_a_keyed_hash_of_the_key_is_stored():
    user = UserFactory()

    token, key = tokens.create_token(user=user, name="Sistem perencanaan")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["digest"] == tokens.digest(key) != key
    assert len(stored["digest"]) == 64  # HMAC-SHA256, hex
    assert key.startswith(stored["prefix"])
    assert re.fullmatch(r"cr_[A-Za-z0-9_-]{43}", key)


def test_the_hash_is_keyed_by_the_secret_key(settings):
    before = tokens.digest("cr_same")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"

    assert tokens.digest("cr_same") != before


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token", "bearer"])
def test_a_key_opens_the_api_with_either_scheme(scheme):
    _token, key = tokens.create_token(user=UserFactory(), name="x")

    assert call(key, scheme).status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Token", "Token cr_wrong", "Bearer  ", "Token a b", "Token " + "x" * 500, "Basic abc"],
)
def test_anything_but_a_valid_key_is_401(header):
    tokens.create_token(user=UserFactory(), name="x")
    headers = {"Authorization": header} if header else {}

    response = Client().get(URL, headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_an_expired_key_is_refused():
    _token, key = tokens.create_token(
        user=UserFactory(), name="x", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = call(key)

    assert response.status_code == 401
    assert response.json() == {"detail": "Token API tidak sah atau sudah kedaluwarsa."}


def test_a_key_of_a_deactivated_user_is_refused():
    user = UserFactory()
    _token, key = tokens.create_token(user=user, name="x")
    user.is_active = False
    user.save()

    assert call(key).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(monkeypatch):
    token, key = tokens.create_token(user=UserFactory(), name="x")
    client = Client()

    call(key, client=client)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    with CaptureQueriesContext(connection) as second_call:
        call(key, client=client)
    later = timezone.now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call(key, client=client)

    assert first is not None
    writes = [q for q in second_call.captured_queries if q["sql"].startswith("UPDATE")]
    assert writes == []
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later


def test_preferences_show_a_new_key_once_and_store_only_its_hash():
    user = UserFactory()
    client = Client()
    client.force_login(user)

    created = client.post(
        "/accounts/preferences/",
        {"create_token": "1", "token-name": "Dasbor SDG", "token-read_only": "on"},
    )
    again = client.get("/accounts/preferences/")

    key = re.search(r'id="new-api-key"[^>]*>(cr_[^<]+)<', created.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    assert (token.name, token.read_only, token.digest) == ("Dasbor SDG", True, tokens.digest(key))
    assert key not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert call(key).status_code == 200


def test_a_key_that_ends_in_the_past_is_refused_with_a_message():
    client = Client()
    client.force_login(UserFactory())

    response = client.post(
        "/accounts/preferences/",
        {"create_token": "1", "token-name": "x", "token-expires_on": "2001-01-01"},
    )

    assert response.status_code == 400
    assert "Pilih hari ini atau hari sesudahnya." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_key_and_nobody_else_can():
    owner, other = UserFactory(), UserFactory()
    token, key = tokens.create_token(user=owner, name="x")
    as_other, as_owner = Client(), Client()
    as_other.force_login(other)
    as_owner.force_login(owner)

    refused = as_other.post("/accounts/preferences/", {"revoke_token": str(token.pk)})
    nonsense = as_owner.post("/accounts/preferences/", {"revoke_token": "abc"})
    still_works = call(key).status_code
    revoked = as_owner.post("/accounts/preferences/", {"revoke_token": str(token.pk)})

    assert (refused.status_code, nonsense.status_code, still_works) == (404, 404, 200)
    assert revoked.status_code == 302
    assert call(key).status_code == 401


def test_an_admin_revokes_anybodys_key_in_the_admin(client_for, users):
    token, key = tokens.create_token(user=users["viewer"], name="x")

    page = client_for("admin").get(f"/admin/collab/apitoken/{token.pk}/delete/")
    deleted = client_for("admin").post(
        f"/admin/collab/apitoken/{token.pk}/delete/", {"post": "yes"}
    )

    assert page.status_code == 200
    assert deleted.status_code == 302
    assert call(key).status_code == 401


# --- throttling ---------------------------------------------------------------------------------


def test_past_its_rate_a_token_gets_429_with_retry_after(settings):
    settings.COLLAB_API_THROTTLE_RATES = {"client": "3/minute", "address": "100/minute"}
    _a, key_a = tokens.create_token(user=UserFactory(), name="a")
    _b, key_b = tokens.create_token(user=UserFactory(), name="b")

    statuses = [call(key_a).status_code for _ in range(4)]
    throttled = call(key_a)
    other_token = call(key_b)

    assert statuses == [200, 200, 200, 429]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert other_token.status_code == 200  # counted per token


def test_an_address_is_throttled_whoever_calls_even_with_wrong_keys(settings):
    settings.COLLAB_API_THROTTLE_RATES = {"client": "100/minute", "address": "3/minute"}
    _token, key = tokens.create_token(user=UserFactory(), name="x")

    guesses = [call(f"cr_guess{n}").status_code for n in range(3)]
    right_key = call(key)
    elsewhere = call(key, REMOTE_ADDR="10.9.8.7")

    assert guesses == [401, 401, 401]
    assert right_key.status_code == 429
    assert "Retry-After" in right_key
    assert elsewhere.status_code == 200


def test_the_counts_live_in_the_shared_cache_every_worker_reads(settings):
    """With COLLAB_CACHE_URL (Redis), a count is in Redis, not in one process: another client
    of the same Redis — another worker — sees it."""
    import redis

    from tests.worker import TEST_BROKER_URL, require_redis

    require_redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_BROKER_URL,
            "KEY_PREFIX": "api-throttle-test",
        }
    }
    settings.COLLAB_API_THROTTLE_RATES = {"client": "2/minute", "address": "100/minute"}
    token, key = tokens.create_token(user=UserFactory(), name="x")
    other_worker = redis.Redis.from_url(TEST_BROKER_URL)
    try:
        statuses = [call(key).status_code for _ in range(3)]
        stored = other_worker.keys(f"api-throttle-test:*throttle_client_token:{token.pk}")
    finally:
        for leftover in other_worker.keys("api-throttle-test:*"):
            other_worker.delete(leftover)

    assert statuses == [200, 200, 429]
    assert len(stored) == 1
