"""Every page fits a phone: on the demo data in real Chromium, the programme pages, the meeting
form and the commitment list do not scroll sideways at 360 and 390 px (nor the programme pages
on a 1366 px laptop), list rows stack as "label: value" cards, the programme page's section
links reach their sections, and the timeline keeps a readable size in its own scroll box."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.browser.helpers import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUGS = ("kota-sdgs-bengkulu", "kotaku", "kelurahan-mandiri-madiun", "kalibaru-hub", "peduli-sdgs")
PHONES = (360, 390)
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def admin_page(browser, live_server, demo_data):
    """A phone-sized page signed in as the demo admin (who sees and edits every programme)."""
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.save()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "admin", PASSWORD)
    yield page
    context.close()


def widths_past(page, url: str, widths: tuple[int, ...], status: int = 200) -> dict[int, int]:
    """The page's width at each viewport width where it is wider than the screen."""
    too_wide = {}
    for width in widths:
        page.set_viewport_size({"width": width, "height": 844})
        response = page.goto(url)
        assert response.status == status, url
        if not page.evaluate(FITS):
            too_wide[width] = page.evaluate("document.documentElement.scrollWidth")
    return too_wide


def test_the_programme_pages_meeting_form_and_commitment_list_fit_a_phone(admin_page, live_server):
    paths = [f"/programs/{slug}/" for slug in SLUGS]
    paths += ["/programs/kota-sdgs-bengkulu/meetings/new/", "/commitments/"]

    found = {path: widths_past(admin_page, f"{live_server.url}{path}", PHONES) for path in paths}
    # Kelurahan Mandiri's page was 1,984 px wide on a laptop too.
    for slug in SLUGS:
        path = f"/programs/{slug}/"
        found[f"{path} (laptop)"] = widths_past(admin_page, f"{live_server.url}{path}", (1366,))
    missing = f"{live_server.url}/programs/no-such-programme/"
    found["404"] = widths_past(admin_page, missing, PHONES, status=404)

    assert {path: widths for path, widths in found.items() if widths} == {}


def test_the_section_links_jump_to_their_sections_by_keyboard(admin_page, live_server):
    admin_page.goto(f"{live_server.url}/programs/kelurahan-mandiri-madiun/")
    targets = admin_page.eval_on_selector_all(
        "nav#sections a", "links => links.map(link => link.getAttribute('href'))"
    )
    missing = [
        t for t in targets if not admin_page.evaluate("id => !!document.getElementById(id)", t[1:])
    ]

    assert "#work-plan" in targets
    assert len(targets) >= 8
    assert missing == []
    link = admin_page.locator("nav#sections a[href='#work-plan']")
    assert link.inner_text() == "Rencana kerja"
    link.focus()
    admin_page.keyboard.press("Enter")
    admin_page.wait_for_function("() => location.hash === '#work-plan'")
    # Bootstrap scrolls smoothly: wait for the section to reach the top of the screen.
    admin_page.wait_for_function(
        "() => Math.abs(document.getElementById('work-plan').getBoundingClientRect().top) < 40"
    )


def test_list_rows_stack_as_labelled_cards_on_a_phone_and_stay_a_table_on_a_laptop(
    admin_page, live_server
):
    first_cell = "document.querySelector('table.table-stack tbody td')"
    admin_page.goto(f"{live_server.url}/commitments/")
    phone = admin_page.evaluate(
        f"""() => {{ const td = {first_cell};
            return [getComputedStyle(td).display, getComputedStyle(td, '::before').content,
                    td.dataset.label, getComputedStyle(td.closest('table').tHead).display]; }}"""
    )
    admin_page.set_viewport_size({"width": 1366, "height": 800})
    laptop = admin_page.evaluate(
        f"""() => {{ const td = {first_cell};
            return [getComputedStyle(td).display, getComputedStyle(td, '::before').content]; }}"""
    )

    display, before, label, thead = phone
    assert (display, thead) == ("block", "none")
    assert label == "Mitra"
    assert before == '"Mitra: "'
    assert laptop == ["table-cell", "none"]


def test_the_timeline_keeps_a_readable_size_in_its_own_box(admin_page, live_server):
    admin_page.goto(f"{live_server.url}/programs/kelurahan-mandiri-madiun/")
    box = admin_page.evaluate(
        """() => { const box = document.querySelector('.chart-wide .chart-box');
            const svg = box.querySelector('svg').getBoundingClientRect();
            return [box.scrollWidth, box.clientWidth, svg.width, box.tabIndex]; }"""
    )

    scroll_width, client_width, svg_width, tab_index = box
    assert svg_width >= 640  # 40rem: its labels stay readable
    assert scroll_width > client_width  # so it scrolls, inside its box
    assert tab_index == 0  # and a keyboard user can scroll it
    assert admin_page.evaluate(FITS)


def test_a_meeting_forms_rows_are_cards_with_thumb_sized_buttons(admin_page, live_server):
    admin_page.goto(f"{live_server.url}/programs/kota-sdgs-bengkulu/meetings/new/")
    card = admin_page.locator('[data-formset="decisions"]')
    card.locator("[data-formset-add]").click()
    row = card.locator(".formset-row").last
    remove = row.locator("[data-formset-remove]").bounding_box()
    add = card.locator("[data-formset-add]").bounding_box()
    save = admin_page.locator(".form-actions button[type=submit]")

    assert remove["height"] >= 44 and remove["width"] >= 44
    assert add["height"] >= 44 and add["width"] > 300  # across the card
    assert (
        admin_page.evaluate("r => getComputedStyle(r).borderTopStyle", row.element_handle())
        == "solid"
    )
    assert save.evaluate("b => getComputedStyle(b.parentElement).position") == "sticky"
    assert admin_page.evaluate(FITS)
