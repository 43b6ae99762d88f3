"""Indonesian by default, English when chosen with the language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_whatever_the_browser_asks():
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_the_language_switch_sets_english_for_later_pages():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "id"
