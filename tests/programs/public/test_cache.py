"""Public pages are answered from the shared cache, validated by ETag and Last-Modified,
and a save invalidates them; in Redis too (COLLAB_CACHE_URL), as in production."""

from __future__ import annotations

import os
import uuid

import pytest
from django.test import Client

from tests.factories import MeetingFactory, PartnerFactory, ProgramPartnerFactory
from tests.worker import TEST_BROKER_URL, redis_answers

pytestmark = pytest.mark.django_db

# The tests' Redis: the cache takes a key prefix of its own, so it shares nothing.
TEST_CACHE_URL = os.environ.get("COLLAB_TEST_CACHE_URL", TEST_BROKER_URL)


@pytest.fixture
def public_program(program):
    program.is_public = True
    program.description = "Uji cache."
    program.save()
    ProgramPartnerFactory(program=program, partner=PartnerFactory(name="Mitra Cache"))
    return program


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        if not redis_answers(TEST_CACHE_URL):
            if os.environ.get("CI") == "true":
                pytest.fail(f"Redis does not answer at {TEST_CACHE_URL}; .ci/run starts it.")
            pytest.skip(f"needs Redis at {TEST_CACHE_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": TEST_CACHE_URL,
                "KEY_PREFIX": f"test-public-{uuid.uuid4().hex}",
            }
        }
    from django.core.cache import cache

    cache.clear() if request.param == "locmem" else None
    return request.param


def test_the_second_request_is_a_cache_hit_without_queries(
    public_program, shared_cache, django_assert_num_queries
):
    client = Client()
    url = f"/public/programs/{public_program.slug}/"
    first = client.get(url)
    assert first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Public-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=300"


def test_a_matching_etag_or_date_gets_304(public_program, shared_cache):
    client = Client()
    url = f"/public/programs/{public_program.slug}/"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_save_invalidates_the_cached_page(
    public_program, shared_cache, django_capture_on_commit_callbacks
):
    client = Client()
    url = f"/public/programs/{public_program.slug}/"
    before = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(program=public_program, title="Rapat yang baru dicatat")
    after = client.get(url)
    assert after["X-Public-Cache"] == "miss"
    assert "Rapat yang baru dicatat" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_write_rolled_back_leaves_the_cache_alone(public_program, shared_cache):
    client = Client()
    url = f"/public/programs/{public_program.slug}/"
    client.get(url)
    MeetingFactory(program=public_program, title="Belum tersimpan")  # not committed
    assert client.get(url)["X-Public-Cache"] == "hit"


def test_the_language_is_in_the_url_and_keys_the_cache(public_program, shared_cache):
    client = Client()
    url = f"/public/programs/{public_program.slug}/"
    indonesian = client.get(url)
    english = client.get(url + "?lang=en")
    assert indonesian["Content-Language"] == "id"
    assert english["Content-Language"] == "en"
    assert "Partners by pillar" in english.content.decode()
    assert "Partners by pillar" not in indonesian.content.decode()
    # A language cookie from the signed-in side changes nothing: one URL is one page.
    client.cookies["django_language"] = "en"
    assert client.get(url).content == indonesian.content


def test_a_response_setting_a_cookie_is_never_public(public_program, client, settings):
    from django.http import HttpResponse

    from collab.middleware import PublicCacheGuardMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=300"
        response.set_cookie("sessionid", "abc")
        return response

    response = PublicCacheGuardMiddleware(view)(None)
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_only_the_pages_own_urls_are_stored(public_program, shared_cache):
    client = Client()
    url = f"/public/programs/{public_program.slug}/"
    for query in ("?lang=xx", "?utm_source=x", "?lang=en&x=1"):
        response = client.get(url + query)
        assert response.status_code == 200
        assert "X-Public-Cache" not in response, query
    assert client.get(url + "?lang=xx")["Content-Language"] == "id"
    client.get(url + "?lang=en")
    assert client.get(url + "?lang=en")["X-Public-Cache"] == "hit"
