"""The browser side of deploy/smoke.sh: talks to nginx over TLS (the self-signed certificate
trusted explicitly), as a user would, and fails on the first answer that is not what production
must give. Only the standard library: it runs with the project's Python, nothing else.

    smoke_client.py serve     sign in, record a meeting, export through the worker, static files,
                              security headers, plain-HTTP redirect, /health/ 200
    smoke_client.py stale     /health/ turns 503 ("worker": "stale") once the worker is stopped

Settings from the environment: SMOKE_HTTPS (https://localhost:8443), SMOKE_HTTP
(http://localhost:8280), SMOKE_CA (the certificate), SMOKE_PASSWORD (the demo accounts'),
SMOKE_STALE_SECONDS (the heartbeat's stale limit the site runs with).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import ssl
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

HTTPS = os.environ.get("SMOKE_HTTPS", "https://localhost:8443")
HTTP = os.environ.get("SMOKE_HTTP", "http://localhost:8280")
CA = os.environ.get("SMOKE_CA", "")
PASSWORD = os.environ.get("SMOKE_PASSWORD", "")
STALE_SECONDS = float(os.environ.get("SMOKE_STALE_SECONDS", "5"))
PROGRAM = "kota-sdgs-bengkulu"
CHECKS = ("database", "migrations", "queue", "worker", "storage")
ROWS = (("attendances", 2), ("decisions", 1), ("action_items", 0), ("commitments", 0))


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """One user's connection state: cookies; no redirect is followed (each is checked)."""

    base: str = HTTPS
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> Answer:
        url = urlsplit(self.base)
        # "localhost": the certificate's name and an allowed host; nginx listens on 127.0.0.1
        # (an attempt at ::1 is refused at once and the next address tried).
        if url.scheme == "https":
            context = ssl.create_default_context(cafile=CA or None)
            connection = http.client.HTTPSConnection(
                url.hostname, url.port, timeout=30, context=context
            )
        else:
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        sent = {"Host": url.netloc, "User-Agent": "collab-smoke/1", "Accept-Encoding": "identity"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urlencode(body, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"{url.scheme}://{url.netloc}"
            sent["Referer"] = f"{url.scheme}://{url.netloc}{path}"
        sent.update(headers or {})
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read())
        connection.close()
        for header in answer.all("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict) -> Answer:
        return self.request("POST", path, body={"csrfmiddlewaretoken": self.csrf(), **fields})

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def step(name: str) -> None:
    print(f"  - {name}", flush=True)


def health(base: str = HTTPS) -> tuple[int, dict]:
    answer = Browser(base).get("/health/")
    check(answer.header("Content-Type") == "application/json", "/health/ is not JSON")
    return answer.status, json.loads(answer.body)


def sign_in(username: str) -> Browser:
    browser = Browser()
    page = browser.get("/accounts/login/")
    check(page.status == 200, f"login page: {page.status}")
    check(bool(browser.csrf()), "login page set no CSRF cookie")
    answer = browser.post("/accounts/login/", {"username": username, "password": PASSWORD})
    check(answer.status == 302, f"sign-in of {username}: {answer.status} (wrong password?)")
    session_cookie = next((h for h in answer.all("Set-Cookie") if h.startswith("sessionid=")), "")
    check("Secure" in session_cookie and "HttpOnly" in session_cookie, "session cookie not Secure")
    return browser


def check_security_headers(answer: Answer, what: str) -> None:
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }
    for name, value in expected.items():
        values = answer.all(name)
        check(values == [value], f"{what}: {name} is {values}, expected [{value!r}]")
    csp = answer.header("Content-Security-Policy")
    check("frame-ancestors 'none'" in csp, f"{what}: Content-Security-Policy is {csp!r}")
    check(answer.header("Server") == "nginx", f"{what}: Server header {answer.header('Server')!r}")


def serve() -> None:
    step("HTTP redirects to HTTPS; /health/ answers over plain HTTP too")
    answer = Browser(HTTP).get("/accounts/login/")
    check(answer.status == 301, f"http login page: {answer.status}")
    check(answer.header("Location").startswith("https://"), "http → https redirect missing")
    status, body = health(HTTP)
    check(status == 200, f"/health/ over http: {status} {body}")

    step("/health/ over HTTPS: 200, every check ok")
    status, body = health()
    check(status == 200, f"/health/: {status} {body}")
    check(
        body["checks"]
        == dict.fromkeys(("database", "migrations", "queue", "worker", "storage"), "ok"),
        f"/health/ checks: {body}",
    )

    step("login page: TLS, security headers from Django, once each")
    anonymous = Browser()
    page = anonymous.get("/accounts/login/")
    check(page.status == 200, f"login page: {page.status}")
    check_security_headers(page, "login page")
    check("default-src 'self'" in page.header("Content-Security-Policy"), "CSP of the pages")

    step("static files: hashed names cached for a year, gzip from disk, headers from nginx")
    css = re.search(r'href="(/static/collab/app\.[0-9a-f]{12}\.css)"', page.text)
    check(css is not None, "the login page links no hashed app.css (collectstatic?)")
    hashed = anonymous.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    check(hashed.status == 200, f"{css.group(1)}: {hashed.status}")
    check(
        hashed.header("Cache-Control") == "public, max-age=31536000, immutable",
        f"hashed static Cache-Control: {hashed.header('Cache-Control')!r}",
    )
    check(hashed.header("Content-Encoding") == "gzip", "gzip_static did not serve the .gz")
    check(hashed.all("Strict-Transport-Security") != [], "static file without HSTS")
    check(hashed.header("X-Content-Type-Options") == "nosniff", "static file without nosniff")
    plain = anonymous.get("/static/collab/app.css")
    check(plain.status == 200, f"/static/collab/app.css: {plain.status}")
    check(plain.header("Cache-Control") == "public, max-age=3600", "unhashed static cache")
    check(anonymous.get("/static/nothing-here.css").status == 404, "a missing static file")

    step(f"a coordinator signs in and records a meeting of {PROGRAM}")
    coordinator = sign_in(f"koordinator-{PROGRAM}")
    form = coordinator.get(f"/programs/{PROGRAM}/meetings/new/")
    check(form.status == 200, f"meeting form: {form.status}")
    check_security_headers(form, "meeting form")
    # The first row, or the empty row the page adds rows from (in a <template>).
    select = re.search(
        r'<select[^>]*name="attendances-(?:0|__prefix__)-partner".*?</select>', form.text, re.S
    )
    check(select is not None, "the meeting form has no attendance row")
    partners = [v for v in re.findall(r'<option value="(\d+)"', select.group(0))]
    check(len(partners) >= 2, "fewer than two partners to choose from")
    title = f"Rapat uji asap {int(time.time())}"
    fields = {
        "kind": "coordination",
        "title": title,
        "starts_on": "2025-03-14",
        "venue": "Balai Kota",
        "chair": "Sekretaris Daerah",
        "participant_count": "12",
        "summary": "Uji asap penerapan.",
        "attendances-0-partner": partners[0],
        "attendances-1-partner": partners[1],
        "decisions-0-text": "Menyepakati rencana kerja.",
    }
    for prefix, rows in ROWS:
        fields |= {
            f"{prefix}-TOTAL_FORMS": str(rows),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    saved = coordinator.post(f"/programs/{PROGRAM}/meetings/new/", fields)
    check(saved.status == 302, f"recording the meeting: {saved.status} {saved.text[:300]}")
    location = saved.header("Location")
    check(re.fullmatch(r"/meetings/\d+/", location) is not None, f"redirected to {location!r}")
    record = coordinator.get(location)
    check(record.status == 200 and title in record.text, "the meeting page lacks the meeting")

    step("staff export the partner directory above the threshold: a job, run by the worker")
    staff = sign_in("staf")
    started = staff.get("/partners/?export=csv")
    check(started.status == 302, f"export: {started.status} (threshold too high?)")
    job = started.header("Location")
    check(re.fullmatch(r"/exports/\d+/", job) is not None, f"export redirected to {job!r}")
    deadline = time.monotonic() + 60
    download = None
    while time.monotonic() < deadline:
        page = staff.get(job)
        check(page.status == 200, f"export page: {page.status}")
        found = re.search(r'href="(/exports/\d+/download/)"', page.text)
        if found:
            download = found.group(1)
            break
        time.sleep(0.5)
    check(download is not None, "the worker did not finish the export within 60 s")

    step("the file comes from nginx (X-Accel-Redirect), to its owner only")
    file = staff.get(download)
    check(file.status == 200, f"download: {file.status}")
    check(file.header("X-Accel-Redirect") == "", "X-Accel-Redirect leaked to the client")
    check("attachment" in file.header("Content-Disposition"), "download is not an attachment")
    check(file.header("Content-Type").startswith("text/csv"), f"type {file.header('Content-Type')}")
    check("no-store" in file.header("Cache-Control"), "export file may be cached")
    check(file.header("X-Frame-Options") == "DENY", "nginx's private location headers missing")
    lines = file.text.strip().splitlines()
    check(len(lines) > 6, f"the export holds {len(lines)} lines")
    check(coordinator.get(download).status == 404, "another user got the export")
    direct = Browser().get("/_private/exports/")
    check(direct.status == 404, f"/_private/ from outside: {direct.status}")

    step("health still 200 after all that")
    status, body = health()
    check(status == 200, f"/health/: {status} {body}")
    print(f"    export: {len(lines) - 1} rows; meeting {location}; health {body}")


def stale() -> None:
    step("the worker is stopped: /health/ turns 503 once its heartbeat is stale")
    deadline = time.monotonic() + STALE_SECONDS + 20
    status, body = health()
    while status == 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        status, body = health()
    check(status == 503, f"/health/ still {status} {body}")
    check(body["checks"]["worker"] == "stale", f"/health/ says {body}")
    check(body["checks"]["database"] == "ok", f"/health/ says {body}")
    print(f"    {status} {body}")


def main() -> int:
    try:
        {"serve": serve, "stale": stale}[sys.argv[1]]()
    except SmokeFailure as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
