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

No live server: Chromium asks a small HTTP server on a thread of this process (`walk_server`),
which answers through Django's test client on the test's own database connection, one request
at a time; so the data is built once for the module inside its transaction (tests/once.py) and
a persona is signed in once per browser context (`force_login`). It is a server rather than
Playwright's `context.route` because routing turns off Chromium's HTTP cache: every admin page
then fetched its 28 static files through the driver again. axe-core is injected once per context
(`add_init_script`) and run with `page.evaluate`; on the Django admin's pages at the phone's
width it is not run again (the admin's markup is the same at both widths, and axe-core is most
of a page's time). One test per persona and viewport collects the failures of every page and
reports them all at once.
"""

from __future__ import annotations

import datetime
import mimetypes
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
# The width at which axe-core also checks the Django admin's pages (see the module's docstring).
AXE_ADMIN_AT = "1366"

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
def _walk_records(module_db, _records, personas_once, walk_server) -> dict[str, int]:
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
            site=walk_server.host,
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
    seconds: dict[str, float] = field(default_factory=lambda: {"page": 0.0, "axe": 0.0})

    def fail(self, url: str, what: str, *, known: bool = False) -> None:
        found = f"{url} [{self.persona}, {self.viewport} px] {what}"
        if known and url.startswith("/admin/"):
            self.known.append(found)
        else:
            self.failures.append(found)


class Handler(BaseHTTPRequestHandler):
    """One request of Chromium's: a static file from the finders (cached by the browser for the
    rest of its context), anything else through `server.client`, the persona's test client."""

    server: WalkServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.answer()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET  # noqa: N815

    def answer(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if found:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                self.send(
                    200,
                    {"Content-Type": kind, "Cache-Control": "max-age=86400"},
                    Path(found).read_bytes(),
                )
            else:
                self.send(404, {}, b"")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {
            key: value
            for key, value in self.headers.items()
            if key.lower() in {"accept", "accept-language", "referer", "x-csrftoken"}
        }
        with self.server.lock:
            # The test's connection, inside the module's transaction (tests/once.py).
            connections[DEFAULT_DB_ALIAS] = self.server.connection
            response = self.server.client.generic(
                self.command,
                self.path,
                body,
                content_type=self.headers.get("Content-Type", ""),
                headers=headers,
            )
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
        answer = dict(response.items())
        cookies = [morsel.OutputString() for morsel in response.cookies.values()]
        self.send(response.status_code, answer, content, cookies)

    def send(self, status: int, headers: dict[str, str], body: bytes, cookies=()) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in {"content-length", "connection"}:
                self.send_header(key, value)
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # quiet: the walk reports what it finds itself


class WalkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        # localhost: a trustworthy origin, as Chromium wants for COOP.
        self.host = f"http://localhost:{self.server_address[1]}"
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.lock = threading.Lock()  # one Django request at a time, on one connection
        self.client = Client()


@pytest.fixture(scope="module")
def walk_server(module_db):
    """The walk's HTTP server (port 0: any free one), for the module."""
    server = WalkServer()
    server.connection.inc_thread_sharing()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        server.connection.dec_thread_sharing()


def check(page, host: str, url: str, walk: Walk, width: int, errors: Errors, *, axe: bool) -> None:
    """Open `url`; note its overflow, axe-core's violations (when `axe`) and the JavaScript
    errors (collected into `errors` by the page's listeners). A page reached before (the sign-in
    page an anonymous visitor is sent to) is checked once."""
    errors.clear()
    started = time.perf_counter()
    # "load", not "domcontentloaded": the widths and colours are measured once the stylesheets
    # apply (before them, a chart's hidden table widened a phone's page now and then).
    response = page.goto(host + url, wait_until="load")
    walk.seconds["page"] += time.perf_counter() - started
    if response.status >= 500:
        walk.fail(url, f"status {response.status}")
    if "text/html" not in (response.headers.get("content-type") or ""):
        walk.not_html.append(url)
        return
    # A redirect's target counts once, whatever its query (the sign-in page's `next`).
    final = page.url.removeprefix(host)
    url = final if final == url else urlsplit(final).path
    if url in walk.walked:
        return
    walk.walked.append(url)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        walk.fail(url, f"overflow: scrollWidth {scroll_width} > {width}, {page.evaluate(WIDEST)}")
    if not url.startswith("/admin/"):
        for problem in page.evaluate(OUTLINE):
            walk.fail(url, f"outline: {problem}")
    started = time.perf_counter()
    violations = (
        page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
        if axe
        else []
    )
    walk.seconds["axe"] += time.perf_counter() - started
    for violation in violations:
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
    persona, viewport, browser, users, records, walk_records, walk_server, record_property
):
    client = Client()
    if users[persona] is not None:
        client.force_login(users[persona])
    walk_server.client = client
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size, locale="id-ID")
    context.add_init_script(AXE_SOURCE)
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
            axe = viewport == AXE_ADMIN_AT or not url.startswith("/admin/")
            check(page, walk_server.host, url, walk, size["width"], errors, axe=axe)
    finally:
        context.close()

    record_property("pages_walked", len(walk.walked))
    print(
        f"\n{persona} at {viewport} px: {len(walk.walked)} pages walked, "
        f"{len(walk.not_html)} not HTML, {len(walk.failures)} failures, "
        f"{len(walk.known)} known in Django's admin; "
        f"{walk.seconds['page']:.1f} s loading pages, {walk.seconds['axe']:.1f} s in axe-core"
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
