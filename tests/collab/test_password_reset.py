"""Forgotten passwords (collab.password_reset): a link by e-mail through the outbox, in
Indonesian, rate-limited, and the same answer whether or not an address has an account."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from collab.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()


def ask(email: str, client: Client | None = None, **extra):
    return (client or Client()).post(URL, {"email": email}, **extra)


def test_the_sign_in_page_offers_the_reset():
    page = Client().get("/accounts/login/").content.decode()

    assert f'<a href="{URL}">Lupa kata sandi?</a>' in page


def test_a_reset_link_arrives_through_the_outbox_and_sets_a_new_password(settings):
    settings.COLLAB_SITE_URL = "https://registri.example.org"
    user = UserFactory(username="koordinator-uji", email="koordinator@example.org")

    answer = ask("KOORDINATOR@example.org")

    assert answer.status_code == 302 and answer["Location"] == "/accounts/password/reset/sent/"
    message = OutboxMessage.objects.get()
    assert (message.to, message.kind) == ("koordinator@example.org", "password_reset")
    assert message.subject == "Pilih kata sandi baru untuk Collab Registry"
    assert "Nama pengguna Anda: koordinator-uji" in message.body
    link = re.search(r"https://registri\.example\.org(/accounts/password/reset/\S+/)", message.body)
    assert link, message.body
    client = Client()
    form = client.get(link.group(1), follow=True)
    assert "Pilih kata sandi baru" in form.content.decode()
    saved = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kata-Sandi-Baru-2026", "new_password2": "Kata-Sandi-Baru-2026"},
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kata-Sandi-Baru-2026")
    again = Client().get(link.group(1), follow=True)
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email():
    UserFactory(email="ada@example.org")

    known = ask("ada@example.org")
    unknown = ask("tidak-ada@example.org")
    done = Client().get(unknown["Location"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert OutboxMessage.objects.filter(to="tidak-ada@example.org").count() == 0
    assert OutboxMessage.objects.filter(to="ada@example.org").count() == 1
    assert "Jika ada akun dengan alamat ini" in done.content.decode()


def test_one_address_gets_at_most_three_emails_an_hour_and_the_answer_does_not_change():
    UserFactory(email="sering@example.org")

    answers = [ask("sering@example.org", REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)]

    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/accounts/password/reset/sent/")
    }
    assert OutboxMessage.objects.filter(to="sering@example.org").count() == 3


def test_one_client_address_is_stopped_after_ten_requests_an_hour():
    answers = [ask(f"orang{n}@example.org").status_code for n in range(11)]
    elsewhere = ask("orang@example.org", REMOTE_ADDR="10.1.2.3")

    assert answers == [302] * 10 + [429]
    assert elsewhere.status_code == 302
    limited = ask("x@example.org")
    assert "Terlalu banyak permintaan" in limited.content.decode()


def test_the_old_password_still_works_until_the_link_is_used():
    user = UserFactory(email="lama@example.org")

    ask("lama@example.org")

    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_demo_accounts_have_an_address(demo_data):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=["admin", "staf", "pemantau"])

    assert sorted(u.email for u in users) == [
        "admin@example.org",
        "pemantau@example.org",
        "staf@example.org",
    ]
