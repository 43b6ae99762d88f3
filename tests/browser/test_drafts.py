"""Nothing a coordinator types is lost, in a real browser: a form saved after the session ended
comes back after signing in again (collab.rescue); a meeting whose save failed offline is kept
as a draft in the browser and offered again (collab/app.js)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from programs.models import Meeting
from programs.services.program import grant_coordinator
from tests.factories import PASSWORD, ProgramFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFTS = "() => Object.keys(localStorage).filter(k => k.startsWith('collab-draft:')).length"


def wait_for_a_draft(page) -> None:
    """Until the form's draft is in the browser's storage (written a moment after typing).
    Polled from here: the page's Content Security Policy forbids wait_for_function's eval."""
    for _attempt in range(50):
        if page.evaluate(DRAFTS) == 1:
            return
        page.wait_for_timeout(100)
    raise AssertionError("no draft was written")


@pytest.fixture
def create_url(live_server) -> str:
    program = ProgramFactory(name="Kota SDGs Uji", slug="kota-sdgs-uji")
    grant_coordinator(program=program, user=UserFactory(username="koordinator-uji"))
    return f"{live_server.url}/programs/{program.slug}/meetings/new/"


def sign_in(page, live_server, then: str | None = None) -> None:
    if then is None:
        page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "koordinator-uji")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def fill_half_a_meeting(page) -> None:
    page.select_option("#id_kind", Meeting.Kind.COORDINATION)
    page.fill("#id_title", "Rapat koordinasi yang panjang")
    page.fill("#id_starts_on", "2024-05-14")
    card = page.locator('[data-formset="decisions"]')
    card.locator("[data-formset-add]").click()
    page.fill("#id_decisions-0-text", "Menyepakati jadwal pemantauan bersama.")


def test_a_meeting_saved_after_the_session_ended_comes_back_after_signing_in(
    page, live_server, create_url, screenshot
):
    sign_in(page, live_server)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(create_url)
    fill_half_a_meeting(page)
    Session.objects.all().delete()  # eight idle hours, or an admin revoked the session

    page.get_by_role("button", name="Simpan").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    expect(page.locator("main")).to_contain_text("Sesi Anda telah berakhir")
    screenshot("drafts-session-ended")
    assert not Meeting.objects.exists()
    sign_in(page, live_server, then=create_url)
    page.wait_for_url(create_url)
    expect(page.locator("main")).to_contain_text("Isian Anda telah disimpan sementara")
    expect(page.locator("#id_title")).to_have_value("Rapat koordinasi yang panjang")
    expect(page.locator("#id_decisions-0-text")).to_have_value(
        "Menyepakati jadwal pemantauan bersama."
    )

    page.get_by_role("button", name="Simpan").click()

    expect(page.locator("main")).to_contain_text("Rapat telah disimpan")
    meeting = Meeting.objects.get()
    assert meeting.title == "Rapat koordinasi yang panjang"
    assert [d.text for d in meeting.decisions.all()] == ["Menyepakati jadwal pemantauan bersama."]


def test_a_meeting_whose_save_failed_offline_is_offered_again_as_a_draft(
    page, live_server, create_url, screenshot
):
    sign_in(page, live_server)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(create_url)
    fill_half_a_meeting(page)
    wait_for_a_draft(page)

    page.context.set_offline(True)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_timeout(500)
    assert not Meeting.objects.exists()
    page.context.set_offline(False)

    page.goto(create_url)
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_contain_text("Draf dari")
    screenshot("drafts-restored")
    expect(page.locator("#id_title")).to_have_value("Rapat koordinasi yang panjang")
    expect(page.locator("#id_decisions-0-text")).to_have_value(
        "Menyepakati jadwal pemantauan bersama."
    )
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator("main")).to_contain_text("Rapat telah disimpan")
    assert Meeting.objects.get().decisions.count() == 1
    # Saved: the draft is gone, and the form opens empty again.
    assert page.evaluate(DRAFTS) == 0
    page.goto(create_url)
    expect(page.locator("#id_title")).to_have_value("")
    expect(page.locator("[data-draft-notice]")).to_have_count(0)


def test_a_draft_can_be_discarded_and_signing_out_leaves_none(page, live_server, create_url):
    sign_in(page, live_server)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(create_url)
    fill_half_a_meeting(page)
    wait_for_a_draft(page)
    page.goto(create_url)

    page.locator("[data-draft-notice] button").click()

    page.wait_for_load_state()
    expect(page.locator("#id_title")).to_have_value("")
    assert page.evaluate(DRAFTS) == 0
    fill_half_a_meeting(page)
    wait_for_a_draft(page)
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    assert page.evaluate(DRAFTS) == 0
