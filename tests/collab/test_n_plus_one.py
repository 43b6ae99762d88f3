"""django-zeal is on in the test run and raises (collab/settings.py, tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from zeal import NPlusOneError

from programs.models import Commitment
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def partners_one_by_one(request: HttpRequest) -> HttpResponse:
    """A page with an N+1: each commitment's partner is read with a query of its own."""
    return HttpResponse(", ".join(c.partner.name for c in Commitment.objects.order_by("pk")))


def first_partner(request: HttpRequest) -> HttpResponse:
    """One relation of a list read once: fine, however often the page is requested."""
    commitments = list(Commitment.objects.order_by("pk"))
    return HttpResponse(commitments[0].partner.name)


urlpatterns = [
    path("n-plus-one/", partners_one_by_one),
    path("one/", first_partner),
]


def test_zeal_is_installed_and_raises():
    assert "zeal" in settings.INSTALLED_APPS
    assert "zeal.middleware.zeal_middleware" in settings.MIDDLEWARE
    assert settings.ZEAL_RAISE is True


def test_an_n_plus_one_in_a_test_raises(program):
    CommitmentFactory.create_batch(3, program=program)

    with pytest.raises(NPlusOneError):
        [commitment.partner.name for commitment in Commitment.objects.all()]


@pytest.mark.urls(__name__)
def test_an_n_plus_one_in_a_request_raises(program, client):
    CommitmentFactory.create_batch(3, program=program)

    with pytest.raises(NPlusOneError):
        client.get("/n-plus-one/")


@pytest.mark.urls(__name__)
def test_each_request_is_counted_on_its_own(program, client):
    CommitmentFactory.create_batch(2, program=program)

    for _ in range(3):
        assert client.get("/one/").status_code == 200
