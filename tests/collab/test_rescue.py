"""A form posted after the session ended is kept for its user's next sign-in (collab.rescue)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from collab import rescue
from programs.models import Agreement, Commitment
from programs.services.program import grant_coordinator
from tests.factories import PASSWORD, PartnerFactory, UserFactory
from tests.posted import posted_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(client_for, program):
    """The coordinator's commitment form, filled in, and the signed-in client."""
    PartnerFactory(name="Yayasan Pendamping Uji")
    client = client_for("coordinator")
    url = reverse("programs:commitment_create", args=[program.slug])
    data = posted_form(client.get(url))
    partner = Commitment._meta.get_field("partner").related_model.objects.get(
        name="Yayasan Pendamping Uji"
    )
    data.update(title="Pendampingan kelompok usaha", partner=str(partner.pk))
    return client, url, data


def end_every_session() -> None:
    """An admin revokes the sessions (or eight idle hours pass): the next request is signed out."""
    Session.objects.all().delete()


def sign_in(client: Client, username: str, next_url: str):
    return client.post(
        reverse("login"),
        {"username": username, "password": PASSWORD, "next": next_url},
        follow=True,
    )


def test_a_form_posted_after_the_session_ended_comes_back_filled_after_signing_in(filled):
    client, url, data = filled
    end_every_session()

    response = client.post(url, data)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]
    assert not Commitment.objects.exists()
    login_page = client.get(response["Location"])
    assert "Sesi Anda telah berakhir" in login_page.content.decode()

    page = sign_in(client, "koordinator-ini", url)

    assert page.redirect_chain[-1][0] == url
    form = page.context["form"]
    assert form.is_bound
    assert form["title"].value() == "Pendampingan kelompok usaha"
    assert "Pendampingan kelompok usaha" in page.content.decode()
    assert "Isian Anda telah disimpan" in page.content.decode()
    assert rescue.SESSION_KEY not in client.session

    saved = client.post(url, posted_form(page))
    assert saved.status_code == 302
    assert Commitment.objects.get().title == "Pendampingan kelompok usaha"


def test_it_is_given_back_once(filled):
    client, url, data = filled
    end_every_session()
    client.post(url, data)
    sign_in(client, "koordinator-ini", url)

    again = client.get(url)

    assert not again.context["form"].is_bound


def test_another_user_signing_in_on_that_browser_never_sees_it(filled, program):
    client, url, data = filled
    colleague = UserFactory(username="koordinator-kedua")
    grant_coordinator(program=program, user=colleague)
    end_every_session()
    client.post(url, data)

    page = sign_in(client, "koordinator-kedua", url)

    assert page.redirect_chain[-1][0] == url
    assert not page.context["form"].is_bound
    assert "Pendampingan kelompok usaha" not in page.content.decode()
    assert rescue.SESSION_KEY not in client.session


def test_it_is_kept_only_for_a_short_time(filled, monkeypatch):
    client, url, data = filled
    end_every_session()
    client.post(url, data)
    monkeypatch.setattr(rescue, "RESCUE_SECONDS", -1)

    page = sign_in(client, "koordinator-ini", url)

    assert not page.context["form"].is_bound


def test_a_post_without_the_owner_mark_is_not_kept(filled):
    client, url, data = filled
    del data[rescue.OWNER_FIELD]
    end_every_session()

    client.post(url, data)

    assert rescue.SESSION_KEY not in client.session


def test_a_forged_owner_mark_is_not_kept(filled):
    client, url, data = filled
    data[rescue.OWNER_FIELD] = "1:forged:mark"
    end_every_session()

    client.post(url, data)

    assert rescue.SESSION_KEY not in client.session


def test_files_are_never_kept_and_the_user_is_told(client_for, program, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = client_for("coordinator")
    url = reverse("programs:agreement_create", args=[program.slug])
    data = posted_form(client.get(url))
    data.update(title="Nota kesepahaman uji", number="01/2024")
    data["scan"] = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    end_every_session()

    client.post(url, data)

    kept = client.session[rescue.SESSION_KEY]
    assert kept["files"] == ["scan"]
    assert all(name != "scan" for name, _values in kept["fields"])
    page = sign_in(client, "koordinator-ini", url)
    assert page.context["form"]["title"].value() == "Nota kesepahaman uji"
    assert "pilih berkasnya lagi" in page.content.decode()
    assert not Agreement.objects.exists()


def test_a_signed_in_post_is_not_kept(filled):
    client, url, data = filled
    data["title"] = ""  # refused: the form comes back, nothing is kept aside

    response = client.post(url, data)

    assert response.status_code == 200
    assert rescue.SESSION_KEY not in client.session
