"""A coordinator records a meeting with its outcomes in a real browser, right after the meeting."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from programs.models import ActionItem, Attendance, Commitment, Decision, Meeting
from programs.services.program import grant_coordinator
from tests.factories import PASSWORD, PartnerFactory, ProgramFactory, SiteFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Meeting, Attendance, Decision, ActionItem, Commitment)
    }


def add_row(page, prefix: str) -> int:
    """Click the card's add button; the index of the new row."""
    card = page.locator(f'[data-formset="{prefix}"]')
    index = int(page.input_value(f"#id_{prefix}-TOTAL_FORMS"))
    card.locator("[data-formset-add]").click()
    expect(page.locator(f"#id_{prefix}-{index}-DELETE")).to_be_attached()
    return index


def test_a_coordinator_records_a_meeting_with_its_outcomes(page, live_server, screenshot):
    program = ProgramFactory(name="Kota SDGs Uji", slug="kota-sdgs-uji")
    PartnerFactory(name="Bappeda Kota Uji")
    PartnerFactory(name="Yayasan Peduli Uji")
    site = SiteFactory(program=program, name="Kelurahan Sawah Lebar")
    coordinator = UserFactory(username="koordinator-uji")
    grant_coordinator(program=program, user=coordinator)

    # Sign in through the login page.
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot("01-login")
    page.fill("#id_username", "koordinator-uji")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # Open "record a meeting" and fill the details.
    create_url = f"{live_server.url}/programs/{program.slug}/meetings/new/"
    page.goto(create_url)
    screenshot("02-record-meeting-empty")
    page.select_option("#id_kind", Meeting.Kind.COORDINATION)
    page.fill("#id_title", "Rapat koordinasi pokja SDGs")
    page.fill("#id_starts_on", "2024-05-14")
    page.fill("#id_venue", "Balai Kota")
    page.fill("#id_chair", "Sekretaris Daerah")
    page.fill("#id_participant_count", "35")
    page.fill("#id_summary", "Membahas rencana aksi daerah.")

    row = add_row(page, "attendances")
    page.select_option(f"#id_attendances-{row}-partner", label="Bappeda Kota Uji")
    page.fill(f"#id_attendances-{row}-role", "Penyelenggara")

    for text in ("Menyepakati rencana aksi daerah.", "Membentuk sekretariat bersama."):
        row = add_row(page, "decisions")
        page.fill(f"#id_decisions-{row}-text", text)
    # A row added by mistake and removed again is not saved.
    row = add_row(page, "decisions")
    page.fill(f"#id_decisions-{row}-text", "Salah ketik, dihapus")
    page.locator(".formset-row", has=page.locator(f"#id_decisions-{row}-text")).locator(
        "[data-formset-remove]"
    ).click()
    expect(page.locator(f"#id_decisions-{row}-text")).to_be_hidden()

    row = add_row(page, "action_items")
    page.fill(f"#id_action_items-{row}-title", "Menyusun draf rencana aksi")
    page.select_option(f"#id_action_items-{row}-responsible", label="Bappeda Kota Uji")
    page.fill(f"#id_action_items-{row}-starts_on", "2024-05-20")
    page.fill(f"#id_action_items-{row}-due_on", "2024-06-30")

    commitments = (
        ("Yayasan Peduli Uji", "Pendanaan pelatihan kader", Commitment.Kind.FUNDING, "150000000"),
        ("Bappeda Kota Uji", "Data dasar kelurahan", Commitment.Kind.IN_KIND, ""),
    )
    for partner, title, kind, amount in commitments:
        row = add_row(page, "commitments")
        page.select_option(f"#id_commitments-{row}-partner", label=partner)
        page.fill(f"#id_commitments-{row}-title", title)
        page.select_option(f"#id_commitments-{row}-kind", kind)
        page.fill(f"#id_commitments-{row}-amount", amount)
        page.select_option(f"#id_commitments-{row}-site", label=site.name)
    screenshot("03-record-meeting-filled")

    # On a phone the same page stacks its rows instead of scrolling sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("04-record-meeting-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.locator("form.meeting-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    screenshot("05-meeting-page")
    meeting = Meeting.objects.get()
    assert page.url == f"{live_server.url}{meeting.get_absolute_url()}"
    content = page.content()
    for text in (
        "Rapat koordinasi pokja SDGs",
        "Bappeda Kota Uji",
        "Menyepakati rencana aksi daerah.",
        "Membentuk sekretariat bersama.",
        "Menyusun draf rencana aksi",
        "Pendanaan pelatihan kader",
        "Data dasar kelurahan",
        "Rp 150.000.000",
        "14 Mei 2024",
    ):
        assert text in content, text
    assert "Salah ketik" not in content
    assert list(meeting.decisions.order_by("number").values_list("number", flat=True)) == [1, 2]
    saved = table_counts()
    assert saved == {
        "Meeting": 1,
        "Attendance": 1,
        "Decision": 2,
        "ActionItem": 1,
        "Commitment": 2,
    }

    # The programme page lists the latest meetings and commitments.
    page.goto(f"{live_server.url}/programs/{program.slug}/")
    screenshot("06-programme-page")
    content = page.content()
    assert "Rapat koordinasi pokja SDGs" in content
    assert "Pendanaan pelatihan kader" in content

    # A meeting that ends before it starts: the error beside the field, nothing saved.
    page.goto(create_url)
    page.fill("#id_title", "Rapat yang salah tanggal")
    page.fill("#id_starts_on", "2024-07-10")
    page.fill("#id_ends_on", "2024-07-01")
    row = add_row(page, "decisions")
    page.fill(f"#id_decisions-{row}-text", "Tidak boleh tersimpan")
    page.locator("form.meeting-form button[type=submit]").click()
    page.wait_for_load_state()
    screenshot("07-record-meeting-error")
    expect(page.locator("#error-summary")).to_be_visible()
    ends_on_error = page.locator("#id_ends_on ~ .invalid-feedback")
    expect(ends_on_error).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Rapat yang salah tanggal")
    expect(page.locator("#id_decisions-0-text")).to_have_value("Tidak boleh tersimpan")
    assert page.url == create_url
    assert table_counts() == saved
