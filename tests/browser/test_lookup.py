"""Choosing a partner by typing part of its name, when there are too many to list them all
(collab/lookups.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from collab import lookups
from programs.models import Attendance, Meeting
from programs.services.program import grant_coordinator
from tests.browser.helpers import sign_in
from tests.factories.commitments import CommitmentFactory
from tests.factories.lookups import PASSWORD, UserFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory
from tests.i18n import in_indonesian

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def program(db, monkeypatch):
    """A programme, and more partners than the (lowered) inline limit."""
    monkeypatch.setattr(lookups, "LOOKUP_INLINE_LIMIT", 3)
    for index in range(8):
        PartnerFactory(name=f"Dinas Uji {index}")
    return ProgramFactory(name="Kota SDGs Uji", slug="kota-sdgs-uji")


@pytest.fixture
def coordinator_page(page, live_server, program):
    """The browser, signed in as the programme's coordinator."""
    grant_coordinator(program=program, user=UserFactory(username="koordinator-uji"))
    sign_in(page, live_server, "koordinator-uji", PASSWORD)
    return page


def choose(page, select_id: str, typed: str, label: str) -> None:
    """Type into the search box before the select, then pick `label` among the results."""
    search = page.locator(f"#{select_id}-lookup")
    expect(search).to_have_attribute("placeholder", in_indonesian("Type to search…"))
    search.fill(typed)
    option = page.locator(f"#{select_id} option", has_text=label)
    expect(option).to_have_count(1)
    page.select_option(f"#{select_id}", label=label)


def test_a_coordinator_filters_commitments_by_a_partner_found_by_typing(
    coordinator_page, live_server, program, screenshot
):
    page = coordinator_page
    peduli = PartnerFactory(name="Yayasan Peduli Pesisir", acronym="YPP")
    CommitmentFactory(program=program, partner=peduli, title="Pelatihan kader pesisir")
    CommitmentFactory(program=program, title="Data dasar kelurahan")

    page.goto(f"{live_server.url}/commitments/")
    expect(page.locator("#id_partner option")).to_have_count(1)  # only the empty option
    expect(page.locator("#id_partner-lookup")).to_have_attribute(
        "aria-label", re.compile(in_indonesian("Search"))
    )
    choose(page, "id_partner", "peduli pes", "Yayasan Peduli Pesisir (YPP)")
    screenshot("lookup-01-commitment-filter")
    page.locator("aside form button[type=submit]").click()

    page.wait_for_url(re.compile(rf"partner={peduli.pk}"))
    expect(page.locator("main table")).to_contain_text("Pelatihan kader pesisir")
    expect(page.locator("main table")).not_to_contain_text("Data dasar kelurahan")
    # The filtered page keeps the choice, with the search box ready for another one.
    expect(page.locator("#id_partner")).to_have_value(str(peduli.pk))
    expect(page.locator("#id_partner-lookup")).to_be_visible()


def test_a_search_without_matches_says_so_and_keeps_the_choice(coordinator_page, live_server):
    page = coordinator_page
    chosen = PartnerFactory(name="Yayasan Peduli Pesisir")

    page.goto(f"{live_server.url}/commitments/?partner={chosen.pk}")
    page.fill("#id_partner-lookup", "tidak ada yang seperti ini")

    expect(page.locator("#id_partner option[disabled]")).to_have_text(in_indonesian("No matches."))
    expect(page.locator("#id_partner")).to_have_value(str(chosen.pk))


def test_a_meeting_row_added_later_finds_its_partner_by_typing(
    coordinator_page, live_server, program, screenshot
):
    page = coordinator_page
    bappeda = PartnerFactory(name="Bappeda Kota Uji")

    page.goto(f"{live_server.url}/programs/{program.slug}/meetings/new/")
    page.fill("#id_title", "Rapat koordinasi pokja SDGs")
    page.fill("#id_starts_on", "2024-05-14")
    card = page.locator('[data-formset="attendances"]')
    card.locator("[data-formset-add]").click()
    expect(page.locator("#id_attendances-0-partner-lookup")).to_be_focused()
    choose(page, "id_attendances-0-partner", "bappeda", "Bappeda Kota Uji")
    page.fill("#id_attendances-0-role", "Penyelenggara")
    # A second row gets a search box of its own.
    card.locator("[data-formset-add]").click()
    expect(page.locator("#id_attendances-1-partner-lookup")).to_have_count(1)
    expect(page.locator("#id_attendances-0-partner-lookup")).to_have_count(1)
    screenshot("lookup-02-meeting-row")

    page.locator("form.meeting-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    assert list(Attendance.objects.filter(meeting=meeting).values_list("partner", "role")) == [
        (bappeda.pk, "Penyelenggara")
    ]
