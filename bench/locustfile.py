"""The Locust scenario of bench/load.py: coordinators and staff at work, with think time.

Run by bench/load.py, which seeds the database, starts gunicorn and a worker, runs

    locust -f bench/locustfile.py --headless --users 30 --spawn-rate 1 --run-time 2m --host …

and then checks the database against what the users were told (LOAD_RESULTS). The facts the
users need (accounts, each programme's partners and shared commitments) come from the JSON file
named by LOAD_FACTS; the password from LOAD_PASSWORD; LOAD_RUN names this run's records.

- Coordinators (weight 4; 1–5 s between tasks): browse their programme's pages (6), record a
  meeting with two organisations, two decisions, an action item and a commitment, as the meeting
  form posts it (1), or edit the title of one of a few commitments their programme's coordinators
  share (2): open the form, read for up to 2 s, post it with the form's version. Someone saving
  in between is a conflict (409): the edit is refused, not lost, and counted as a conflict.
- Staff (weight 1; 3–10 s): browse the registers (3), and export the commitment list as CSV (1):
  past COLLAB_EXPORT_SYNC_ROWS rows it is a background job, polled until the worker finished it
  (at most LOAD_EXPORT_WAIT seconds), then downloaded; up to it, the file streams at once. The
  file's rows are recorded.

Every request has a timeout and every loop a bound. An error is a 5xx, a connection error or
timeout, or an answer other than the one expected; Locust counts them as failures.
- Visitors (weight 1; 2–8 s): anonymous, on the public pages: the list of public programmes, a
  programme's public page, the open-data index and the sitemap (all answered 200).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for tests.posted
from tests.posted import form_fields  # noqa: E402  the browser's view of a form, shared

FACTS: dict[str, Any] = json.loads(open(os.environ["LOAD_FACTS"]).read())  # noqa: SIM115
PASSWORD = os.environ["LOAD_PASSWORD"]
RUN = os.environ["LOAD_RUN"]
# The rows of each section of the meeting a coordinator records.
MEETING_ROWS = (("attendances", 2), ("decisions", 2), ("action_items", 1), ("commitments", 1))
RESULTS = os.environ["LOAD_RESULTS"]
EXPORT_WAIT = float(os.environ.get("LOAD_EXPORT_WAIT", "60"))
TIMEOUT = 60

_coordinators = itertools.cycle(FACTS["coordinators"])  # (username, programme slug)
_staff = itertools.cycle(FACTS["staff"])
_numbers = itertools.count()

# What the users were told, for the database check afterwards.
OUTCOME: dict[str, Any] = {
    "meetings": {},  # title → pk reported saved
    "edits": [],  # (pk, title opened, title saved)
    "conflicts": 0,
    "exports": [],  # (job pk, rows in the downloaded file)
    "latencies": defaultdict(list),  # request name → seconds
}


@events.request.add_listener
def _record_latency(request_type, name, response_time, exception, **kwargs) -> None:
    if exception is None:
        OUTCOME["latencies"][name].append(response_time / 1000)


@events.test_stop.add_listener
def _write_results(environment, **kwargs) -> None:
    with open(RESULTS, "w") as out:
        json.dump(OUTCOME, out)


class SignedInUser(HttpUser):
    abstract = True
    username = ""

    def expect(self, method: str, path: str, name: str, status: int, expected=(), **kwargs):
        """One request; a failure unless its status is `status` or in `expected` (redirects are
        not followed)."""
        with self.client.request(
            method,
            path,
            name=name,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
            **kwargs,
        ) as response:
            if response.status_code != status and response.status_code not in expected:
                response.failure(f"{name}: {response.status_code}, expected {status}")
            else:
                response.success()  # a 4xx that was expected is not Locust's failure
            return response

    def fail(self, name: str, message: str) -> None:
        """A failure found after the answer was counted (a missing field, a job never done)."""
        self.environment.events.request.fire(
            request_type="CHECK",
            name=name,
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=RuntimeError(message),
        )

    def post_form(self, path: str, name: str, fields: dict[str, str], statuses=(302,)):
        fields = {**fields, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            path,
            data=fields,
            name=name,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
            headers={"Referer": f"{self.host}{path}"},
        ) as response:
            if response.status_code not in statuses:
                response.failure(f"{name}: {response.status_code}")
            else:
                response.success()  # 409: a conflict, refused as it should be
            return response

    def sign_in(self) -> None:
        self.expect("GET", "/accounts/login/", "login page", 200)
        response = self.post_form(
            "/accounts/login/", "sign in", {"username": self.username, "password": PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in")


class Coordinator(SignedInUser):
    weight = 4
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.username, slug = next(_coordinators)
        self.facts = FACTS["programs"][slug]
        self.number = next(_numbers)
        self.sequence = 0
        self.random = random.Random(self.number)
        self.sign_in()

    @task(6)
    def browse(self) -> None:
        facts = self.facts
        pages = [
            ("dashboard", "/"),
            ("programme page", f"/programs/{facts['slug']}/"),
            ("meeting list", f"/meetings/?program={facts['pk']}"),
            ("commitment list", f"/commitments/?program={facts['pk']}"),
        ]
        if facts["meetings"]:
            pages.append(("meeting page", f"/meetings/{self.random.choice(facts['meetings'])}/"))
        if facts["commitments"]:
            pk = self.random.choice(facts["commitments"])
            pages.append(("commitment page", f"/commitments/{pk}/"))
        name, path = self.random.choice(pages)
        self.expect("GET", path, name, 200)

    @task(1)
    def record_meeting(self) -> None:
        facts = self.facts
        path = f"/programs/{facts['slug']}/meetings/new/"
        if self.expect("GET", path, "meeting form", 200).status_code != 200:
            return
        self.sequence += 1
        title = f"Rapat uji beban {RUN} k{self.number:02d}-{self.sequence}"
        first, second = self.random.sample(facts["partners"], 2)
        fields = {
            "kind": "coordination",
            "title": title,
            "starts_on": "2025-03-14",
            "venue": "Balai Kota",
            "chair": "Sekretaris Daerah",
            "participant_count": "24",
            "summary": "Rapat koordinasi rutin.",
            "attendances-0-partner": str(first),
            "attendances-0-role": "Penyelenggara",
            "attendances-1-partner": str(second),
            "decisions-0-text": "Menyepakati rencana kerja triwulan.",
            "decisions-1-text": "Membentuk tim teknis.",
            "action_items-0-title": "Menyusun notula",
            "action_items-0-responsible": str(first),
            "action_items-0-due_on": "2025-04-30",
            "action_items-0-status": "planned",
            "commitments-0-partner": str(second),
            "commitments-0-title": f"Dukungan kegiatan {self.sequence}",
            "commitments-0-kind": "funding",
            "commitments-0-amount": "25000000",
            "commitments-0-status": "pledged",
        }
        for prefix, rows in MEETING_ROWS:
            fields |= {
                f"{prefix}-TOTAL_FORMS": str(rows),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        response = self.post_form(path, "record meeting", fields)
        if response.status_code == 302:
            location = response.headers.get("Location", "")
            found = re.search(r"/meetings/(\d+)/$", location)
            if found:
                OUTCOME["meetings"][title] = int(found.group(1))

    @task(2)
    def edit_shared_commitment(self) -> None:
        if not self.facts["commitments"]:
            return self.browse()
        pk = self.random.choice(self.facts["commitments"])
        path = f"/commitments/{pk}/edit/"
        page = self.expect("GET", path, "commitment form", 200)
        if page.status_code != 200:
            return
        fields = form_fields(page.text) or {}
        if not fields.get("version"):
            self.fail("commitment form", "no version field")
            return
        opened = fields["title"]
        self.sequence += 1
        fields["title"] = f"Komitmen bersama {RUN} k{self.number:02d}-{self.sequence}"
        time.sleep(self.random.uniform(0, 2))  # reading the form
        response = self.post_form(path, "save commitment", fields, statuses=(302, 409))
        if response.status_code == 409:
            OUTCOME["conflicts"] += 1
        elif response.status_code == 302:
            OUTCOME["edits"].append((pk, opened, fields["title"]))


class Staff(SignedInUser):
    weight = 1
    wait_time = between(3, 10)

    def on_start(self) -> None:
        self.username = next(_staff)
        self.random = random.Random(self.username)
        self.sign_in()

    @task(3)
    def browse(self) -> None:
        name, path = self.random.choice(
            [
                ("agreement list", "/agreements/"),
                ("commitment list", "/commitments/"),
                ("partner list", "/partners/"),
                ("meeting list", "/meetings/"),
            ]
        )
        self.expect("GET", path, name, 200)

    @task(1)
    def export(self) -> None:
        started = self.expect(
            "GET", "/commitments/?export=csv", "export: start", 302, expected=(200, 302)
        )
        if started.status_code == 200:  # up to the threshold: streamed during the request
            OUTCOME["exports"].append((None, csv_rows(started.content)))
            return
        if started.status_code != 302:
            return
        location = started.headers.get("Location", "")
        found = re.fullmatch(r"/exports/(\d+)/", location)
        if not found:
            self.fail("export: start", f"sent to {location!r}, not to a job")
            return
        deadline = time.monotonic() + EXPORT_WAIT
        download = None
        while time.monotonic() < deadline:
            page = self.expect("GET", location, "export: job page", 200)
            link = re.search(r'href="(/exports/\d+/download/)"', page.text)
            if link:
                download = link.group(1)
                break
            time.sleep(1)
        if download is None:
            self.fail("export: job page", f"job {found.group(1)} not done in {EXPORT_WAIT:.0f} s")
            return
        file = self.expect("GET", download, "export: download", 200)
        if file.status_code == 200:
            OUTCOME["exports"].append((int(found.group(1)), csv_rows(file.content)))


class Visitor(HttpUser):
    """Anonymous: the public pages a citizen, a journalist or a funder's system reads."""

    weight = 1
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.random = random.Random(id(self))

    @task
    def read_public_pages(self) -> None:
        slug = self.random.choice(sorted(FACTS["programs"]))
        name, path = self.random.choice(
            [
                ("public: list", "/public/"),
                ("public: programme", f"/public/programs/{slug}/"),
                ("public: programme", f"/public/programs/{slug}/"),
                ("public: open data", "/public/data/"),
                ("public: sitemap", "/sitemap.xml"),
            ]
        )
        with self.client.get(
            path, name=name, allow_redirects=False, timeout=TIMEOUT, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code}, expected 200")
            else:
                response.success()


def csv_rows(content: bytes) -> int:
    """Rows of a CSV export, its header not counted (cells may hold line breaks)."""
    return len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) - 1
