"""Every GET page of the URL resolver in real Chromium, at a phone's and a laptop's width, as the
personas who use it: no horizontal overflow, no axe-core WCAG 2.1 A/AA violation, no JavaScript
error (issue 18, docs/accessibility.md).

The pages come from the resolver, never from a list kept by hand:
- the programs and partners pages and the dashboard from the rights matrix's table
  (tests/pages.py `EXPECTED`), walked by each persona it gives a 200: coordinator, staff, admin;
- every other URL as anonymous, coordinator, staff and admin; a URL that takes arguments needs
  them in `ARGUMENTS` and one that is not a page (a file, JSON, POST only) a reason in
  `NOT_PAGES`, otherwise `test_the_walk_knows_every_url` fails;
- the Django admin as admin: its index, each app's index, and the list, add and change pages of
  every registered model (a model without a row to open fails the walk);
- the 404 page for everybody.

No live server: Chromium's requests are answered by Django's test client in this thread
(`context.route`), so the data is built once for the module inside its transaction
(tests/once.py) and a persona is signed in once per browser context (`force_login`). axe-core is
injected once per context (`add_init_script`) and run with `page.evaluate`. One test per
persona and viewport collects the failures of every page and reports them all at once.
"""

from __future__ import annotations

import datetime
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from collab.api.tokens import create_token
from collab.models import ExportJob, OutboxMessage
from programs.models import Agreement
from programs.services.program import grant_coordinator
from tests import pages
from tests.factories import ContactFactory
from tests.pages import EXPECTED, PAGES, url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.personas_once]

private_media, _records, records = pages.private_media, pages._records, pages.records

WALKERS = ("anonymous", "coordinator", "staff", "admin")
VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
# `COLLAB_WALK_ONLY=/admin/ pytest tests/browser/test_every_page.py`: only the URLs containing it.
ONLY = os.environ.get("COLLAB_WALK_ONLY", "")
# The first elements reaching past the viewport's right edge, for an overflow's message.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 5)
  .map(e => e.tagName.toLowerCase() + "." + (e.classList[0] || "") + " "
            + Math.round(e.getBoundingClientRect().right) + "px")"""
# The page's outline, which axe's WCAG tags leave to best practice: one h1, no heading level
# skipped, one main, a banner, a navigation and a footer (the project's pages, not the admin).
OUTLINE = """() => {
  const found = [];
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  const ones = headings.filter(h => h.tagName === "H1").length;
  if (ones !== 1) found.push(ones + " h1");
  headings.reduce((last, h) => {
    const level = +h.tagName[1];
    if (level > last + 1) found.push(`h${last} then h${level}: ${h.textContent.trim()}`);
    return level;
  }, 1);
  const count = selector => document.querySelectorAll(selector).length;
  if (count("main") !== 1) found.push(count("main") + " main");
  // A printable record (its toolbar instead of the site's header) has no footer either.
  const printable = count("body > .print-toolbar") > 0;
  if (count("body > header") < 1 && !printable) found.push("no header");
  if (count("nav") < 1) found.push("no nav");
  if (count("body > footer") < 1 && !printable) found.push("no footer");
  return found;
}"""
# JavaScript errors of the page being checked: (message, URL of the script or resource).
Errors = list[tuple[str, str]]
HOST = "http://localhost:8350"  # localhost: a trustworthy origin, as Chromium wants for COOP

# URLs that are not pages a person reads, and why: the walk does not open them.
NOT_PAGES = {
    "logout": "POST only",
    "set_language": "POST only",
    "health": "JSON for load balancers",
    "collab:partner_lookup": "JSON for the type-ahead",
    "collab:program_lookup": "JSON for the type-ahead",
    "export_download": "the exported file",
    "sitemap": "XML",
    "public:program_publish": "POST only",
    "public:agreement_document": "the signed scan (PDF)",
    "public:data_file": "a data file (CSV, JSON)",
    "public:data_iati": "an IATI XML file",
    "public:data_program_file": "a data file (CSV, JSON)",
    "public:data_program_iati": "an IATI XML file",
    "programs:agreement_document": "the signed scan (PDF)",
    "programs:program_calendar": "an iCalendar feed",
    "api:schema": "the OpenAPI schema (YAML)",
    "api:*": "the REST API (JSON)",
    # Swagger UI's page is drf-spectacular-sidecar's application, not the project's markup: axe
    # finds color-contrast and nested-interactive inside it (docs/accessibility.md).
    "api:docs": "Swagger UI, a third-party tool for developers",
}
# Findings in Django's own admin markup and scripts, not in the project's templates: noted and
# counted (docs/accessibility.md), not failed, on /admin/ pages only. Anything else fails there.
KNOWN_AXE_IN_DJANGO_ADMIN = {  # axe-core rule → where Django's admin breaks it
    "aria-prohibited-attr": "SelectFilter2's search icon: aria-label on a span without a role",
    "label": "AdminSplitDateTime's date and time inputs (last_login, date_joined)",
    "select-name": "TabularInline rows: a column header, not a label, names each select",
    "aria-input-field-name": "select2's box of autocomplete_fields has no name",
}
KNOWN_JS_IN_DJANGO_ADMIN = {  # part of the console message → why
    "Applying inline style violates": "admin scripts set style attributes (CSP style-src 'self')",
    # Seen only under the walk's routing: forms.css's @import of widgets.css is asked for at
    # the page's path, and its APPEND_SLASH redirect leaves the routed browser.
    "widgets.css": "forms.css's @import, resolved against the page under the walk's routing",
    "ERR_CONNECTION_REFUSED": "the same widgets.css, redirected by APPEND_SLASH outside the walk",
}
# Where a URL outside the rights matrix takes arguments: a record of `walk_records` (its slug or
# primary key) or the arguments themselves.
ARGUMENTS: dict[str, str | dict[str, str]] = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "no-such-token"},
    "export_job": "export",
    "public:program_detail": "program",
    "public:meeting_detail": "meeting",
    "public:agreement_detail": "agreement",
    "public:partner_detail": "partner",
    "public:data_program": "program",
}


def resolver_urls() -> dict[str, URLPattern]:
    """Every named URL of the project outside the admin, by its full name."""
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry.url_patterns, inner)
            elif entry.name:
                found[":".join(filter(None, [namespace, entry.name]))] = entry

    walk(get_resolver().url_patterns, "")
    return found


def not_a_page(name: str) -> bool:
    return name in NOT_PAGES or name.startswith("api:")


@pytest.fixture(scope="module")
def _walk_records(module_db, _records, personas_once) -> dict[str, int]:
    """The rights matrix's records, published on the public pages, and an export the
    coordinator asked for."""
    with module_db.unblock():
        program = _records["program"][0].objects.get(pk=_records["program"][1])
        program.is_public = True
        program.save()
        agreement = Agreement.objects.get(pk=_records["agreement"][1])
        if agreement.status == Agreement.Status.DRAFT:
            agreement.status = Agreement.Status.SIGNED
            agreement.signed_on = datetime.date(2024, 2, 6)
            agreement.save()
        # A row for each admin list that would otherwise be empty, to open its change page.
        coordinator = get_user_model().objects.get(pk=personas_once.users["coordinator"])
        seen = {"user_agent": "Chromium", "http_accept": "text/html", "path_info": "/"}
        AccessAttempt.objects.create(
            username="tamu", get_data="", post_data="", failures_since_start=1, **seen
        )
        AccessFailureLog.objects.create(username="tamu", **seen)
        AccessLog.objects.create(username=coordinator.username, **seen)
        create_token(user=coordinator, name="Laporan bulanan")
        OutboxMessage.objects.create(
            to="mitra@example.org", subject="Undangan", body="Rapat", kind="test"
        )
        ContactFactory(partner=records_partner(_records))
        grant_coordinator(program=program, user=Group.objects.create(name="Sekretariat"))
        export = ExportJob.objects.create(
            user_id=personas_once.users["coordinator"],
            path=reverse("programs:commitment_list"),
            format="csv",
            language="id",
            site=HOST,
        )
        return {"export": export.pk}


def records_partner(_records):
    model, pk = _records["partner"]
    return model.objects.get(pk=pk)


def walk_urls(persona: str, records, walk_records) -> list[str]:
    """The URLs `persona` walks, in a stable order."""
    urls: list[str] = []
    for name in sorted(PAGES):
        statuses, _ = EXPECTED[name]
        if persona != "anonymous" and statuses[persona] == 200 and not not_a_page(name):
            urls.append(url_of(name, records))
    for name, pattern in sorted(resolver_urls().items()):
        if name in PAGES or not_a_page(name):
            continue
        if name.startswith("public:") and persona != "anonymous":
            continue  # the public pages are the same for everybody (no user, no cookie)
        urls.append(reverse(name, kwargs=arguments(name, pattern, records, walk_records)))
    if persona == "admin":
        urls += admin_urls()
    urls.append("/no-such-page/")
    return list(dict.fromkeys(urls))


def arguments(name: str, pattern: URLPattern, records, walk_records) -> dict[str, str] | None:
    converters = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    if not converters:
        return None
    given = ARGUMENTS.get(name)
    assert given is not None, f"the walk cannot fill in {name}: add it to ARGUMENTS"
    if isinstance(given, dict):
        return given
    if given in walk_records:
        return {"pk": str(walk_records[given])}
    record = records[given]
    return {"slug": record.slug} if "slug" in converters else {"pk": str(record.pk)}


def admin_urls() -> list[str]:
    """The admin's index, each app's index and every registered model's list, add and change
    pages (the change page of its first row)."""
    urls = [reverse("admin:index")]
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
        urls.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(_AdminRequest()):
            urls.append(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"the walk has no {meta.label} to open in the admin"
        urls.append(reverse(f"{prefix}_change", args=[first.pk]))
    return urls


class _AdminRequest:
    """Just enough of a superuser's request for `ModelAdmin.has_add_permission`."""

    class user:  # noqa: N801
        is_active = is_superuser = is_staff = True

        @staticmethod
        def has_perm(perm, obj=None) -> bool:
            return True


@pytest.fixture
def walk_records(db, _walk_records) -> dict[str, int]:
    return _walk_records


@dataclass
class Walk:
    """What one persona saw at one width."""

    persona: str
    viewport: str
    walked: list[str] = field(default_factory=list)
    not_html: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)

    def fail(self, url: str, what: str, *, known: bool = False) -> None:
        found = f"{url} [{self.persona}, {self.viewport} px] {what}"
        if known and url.startswith("/admin/"):
            self.known.append(found)
        else:
            self.failures.append(found)


class Server:
    """Answers Chromium's requests (a `context.route` handler) with Django's test client signed
    in as one persona, and static files from the finders. A page that redirects is followed
    here (Chromium does not route a redirect it was fulfilled with); `final` is the path the
    last page came from."""

    def __init__(self, client: Client):
        self.client = client
        # Playwright runs the handler in a greenlet of its own, with its own context variables,
        # where Django would open a second connection outside the module's transaction.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.final = ""

    def __call__(self, route) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection
        request = route.request
        path = urlsplit(request.url).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if found:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                route.fulfill(body=Path(found).read_bytes(), headers={"Content-Type": kind})
            else:
                route.fulfill(status=404, body="")
            return
        headers = {
            key: value
            for key, value in request.headers.items()
            if key.lower() in {"accept", "accept-language", "referer", "x-csrftoken"}
        }
        target = request.url.removeprefix(HOST)
        response = self.client.generic(
            request.method,
            target,
            request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        if request.is_navigation_request():
            for _ in range(5):
                if response.status_code not in (301, 302, 303, 307, 308):
                    break
                target = response["Location"].removeprefix(HOST)
                response = self.client.get(target, headers=headers)
            self.final = target
        body = b"".join(response.streaming_content) if response.streaming else response.content
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)


def check(page, server: Server, url: str, walk: Walk, width: int, errors: Errors) -> None:
    """Open `url`; note its overflow, axe-core's violations and the JavaScript errors (collected
    into `errors` by the page's listeners). A page reached before (the sign-in page an
    anonymous visitor is sent to) is checked once."""
    errors.clear()
    # "load", not "domcontentloaded": the widths and colours are measured once the stylesheets
    # apply (before them, a chart's hidden table widened a phone's page now and then).
    response = page.goto(HOST + url, wait_until="load")
    if response.status >= 500:
        walk.fail(url, f"status {response.status}")
    if "text/html" not in (response.headers.get("content-type") or ""):
        walk.not_html.append(url)
        return
    # A redirect's target counts once, whatever its query (the sign-in page's `next`).
    url = server.final if server.final == url else urlsplit(server.final).path
    if url in walk.walked:
        return
    walk.walked.append(url)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        walk.fail(url, f"overflow: scrollWidth {scroll_width} > {width}, {page.evaluate(WIDEST)}")
    if not url.startswith("/admin/"):
        for problem in page.evaluate(OUTLINE):
            walk.fail(url, f"outline: {problem}")
    for violation in page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)[
        "violations"
    ]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        walk.fail(
            url,
            f"axe {violation['id']}: {violation['help']} — {targets[:5]}",
            known=violation["id"] in KNOWN_AXE_IN_DJANGO_ADMIN,
        )
    for error, source in errors:
        # A 403 or 404 page's own status is what it is about, not an error on the page.
        if not (400 <= response.status < 500 and source == response.url):
            known = any(part in error for part in KNOWN_JS_IN_DJANGO_ADMIN)
            walk.fail(url, f"JavaScript: {error}", known=known)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("persona", WALKERS)
def test_every_page_fits_and_passes_axe(
    persona, viewport, browser, users, records, walk_records, record_property
):
    client = Client()
    if users[persona] is not None:
        client.force_login(users[persona])
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size, locale="id-ID")
    context.add_init_script(AXE_SOURCE)
    server = Server(client)
    context.route("**/*", server)
    walk = Walk(persona, viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: Errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and errors.append((message.text, message.location.get("url", "")))
        ),
    )
    page.on("pageerror", lambda error: errors.append((str(error), "")))
    page.on(
        "requestfailed",
        # Aborted: the browser left the page before the request finished (the next URL).
        lambda request: (
            request.failure != "net::ERR_ABORTED"
            and errors.append((f"failed: {request.url} {request.failure}", request.url))
        ),
    )
    try:
        for url in walk_urls(persona, records, walk_records):
            if ONLY not in url:
                continue
            check(page, server, url, walk, size["width"], errors)
    finally:
        context.close()

    record_property("pages_walked", len(walk.walked))
    print(
        f"\n{persona} at {viewport} px: {len(walk.walked)} pages walked, "
        f"{len(walk.not_html)} not HTML, {len(walk.failures)} failures, "
        f"{len(walk.known)} known in Django's admin"
    )
    assert not walk.failures, "\n".join(walk.failures)


def test_the_walk_knows_every_url():
    """A URL outside the rights matrix takes no arguments, is given some, or is not a page."""
    unknown = [
        name
        for name, pattern in resolver_urls().items()
        if name not in PAGES
        and not not_a_page(name)
        and (pattern.pattern.converters or pattern.pattern.regex.groupindex)
        and name not in ARGUMENTS
    ]
    assert not unknown, f"add these URL names to ARGUMENTS or NOT_PAGES: {unknown}"
    named = (set(ARGUMENTS) | set(NOT_PAGES)) - {"api:*"}
    assert named <= set(resolver_urls()), f"no such URL any more: {named - set(resolver_urls())}"
