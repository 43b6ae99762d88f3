"""Load benchmark: coordinators working at once, with no error and no lost or doubled record.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 20] [--workers 2] [--keep] [--reuse]

1. Creates the database `collab_bench_load` on PostgreSQL (127.0.0.1:5432, user postgres, trust
   auth), migrates it and runs `load_reference` and `load_demo` (the five seed programmes), then
   adds `--clients` coordinators `beban-koordinator-NN`, spread over the programmes.
   `--reuse` keeps a database that is already seeded.
2. Starts gunicorn (`collab.wsgi:application`, `--workers` sync workers, a free port on
   127.0.0.1, COLLAB_DEBUG=0, persistent database connections as in production).
3. Runs `--clients` threads for `--seconds`. Each signs in through the login page (CSRF token
   from the cookie) and then, until the time is up, picks at random:
   - 60 %: a page (dashboard, programme page, meeting and commitment lists, a meeting page,
     a commitment page);
   - 15 %: records a meeting with 2 organisations, 2 decisions, an action item and a commitment
     (the meeting form, as a browser posts it);
   - 25 %: edits the title of one of a few commitments its programme's coordinators share:
     opens the edit form, waits up to 0.3 s (reading), posts it with the form's version.
     Another coordinator saving in between is a conflict (409, "someone else saved this"),
     which the bench counts as such: the edit was refused, not lost.
   An error is a 5xx, a connection error or timeout, or any other unexpected answer.
4. Stops gunicorn and checks the database against what the clients were told:
   - every meeting reported saved exists exactly once, with all its rows, and none was saved
     that no client was told about;
   - every successful commitment edit is in the history, replaced the very version its client
     had opened (nothing saved in between was overwritten), and is either the final value or
     superseded by a later successful edit.
5. Prints requests, errors, conflicts, lost or doubled records, latency percentiles per kind of
   request, and the command. Drops the database unless `--keep` or `--reuse`.

Targets: 0 errors, 0 lost or doubled records.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DB_NAME = "collab_bench_load"
SERVER = "host=127.0.0.1 port=5432 user=postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
HOST = "127.0.0.1"
PASSWORD = "beban-uji-rahasia-2024"
COORDINATOR = "beban-koordinator-{:02d}"
SHARED_COMMITMENTS = 3  # per programme: few enough that edits collide now and then
REQUEST_TIMEOUT = 60


# --- the database ------------------------------------------------------------------------------


def server_connection():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER} dbname=postgres")
    connection.autocommit = True
    return connection


def database_exists() -> bool:
    connection = server_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def create_database() -> None:
    connection = server_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()


def drop_database() -> None:
    connection = server_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    connection.close()


def app_env() -> dict[str, str]:
    """The environment of the app's processes: the bench database, no debug, no test tools."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COLLAB_")}
    env.pop("PYTEST_VERSION", None)
    env.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="collab.settings",
        COLLAB_DEBUG="0",
        COLLAB_ZEAL="0",
        COLLAB_ALLOWED_HOSTS=HOST,
        COLLAB_DEMO_PASSWORD=PASSWORD,
        COLLAB_DB_CONN_MAX_AGE="60",
    )
    return env


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"],
        cwd=ROOT,
        env=app_env(),
        check=True,
    )


def setup_django() -> None:
    os.environ.update({k: v for k, v in app_env().items() if k != "COLLAB_DB_CONN_MAX_AGE"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass(frozen=True)
class ProgramFacts:
    """What the clients of one programme need to know to post its forms."""

    pk: int
    slug: str
    partners: list[int]
    commitments: list[int]
    meetings: list[int]


def seed(clients: int) -> dict[str, ProgramFacts]:
    """The bench coordinators (one programme each, round robin), and each programme's facts."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from programs.models import Commitment, Meeting, Program, ProgramPartner
    from programs.services.program import grant_coordinator

    programs = list(Program.objects.order_by("slug"))
    user_model = get_user_model()
    with transaction.atomic():
        for number in range(clients):
            user, created = user_model.objects.get_or_create(username=COORDINATOR.format(number))
            if created:
                user.set_password(PASSWORD)
                user.save()
            grant_coordinator(program=programs[number % len(programs)], user=user)
    facts = {}
    for program in programs:
        partners = list(
            ProgramPartner.objects.filter(program=program)
            .values_list("partner_id", flat=True)
            .distinct()
        )
        commitments = list(
            Commitment.objects.filter(program=program)
            .active()
            .order_by("pk")
            .values_list("pk", flat=True)[:SHARED_COMMITMENTS]
        )
        meetings = list(
            Meeting.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)[:5]
        )
        facts[program.slug] = ProgramFacts(
            program.pk, program.slug, sorted(set(partners)), commitments, meetings
        )
    return facts


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        "collab.wsgi:application",
        f"--workers={workers}",
        f"--bind={HOST}:{port}",
        "--timeout=120",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=app_env(), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            connection = HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/accounts/login/", headers={"Host": HOST})
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # its own session: the master and its workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- a simulated coordinator -------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of a page's own POST form (no action attribute), as a browser submits them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.inside = False
        self.done = False
        self.template = 0
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "template":
            self.template += 1
        if self.done or self.template:
            return
        if tag == "form":
            if attr.get("method", "").lower() == "post" and not attr.get("action"):
                self.inside = True
            return
        if not self.inside:
            return
        name = attr.get("name")
        if tag == "option" and self.select is not None:
            if self.first_option is None:
                self.first_option = attr.get("value", "")
            if "selected" in attr:
                self.fields[self.select] = attr.get("value", "")
        elif not name:
            return
        elif tag == "input":
            kind = attr.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.fields[name] = attr.get("value", "on")
            elif kind not in ("file", "submit", "button", "reset", "image"):
                self.fields[name] = attr.get("value", "")
        elif tag == "select":
            self.select, self.first_option = name, None
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.template -= 1
        elif self.template or not self.inside:
            return
        elif tag == "select" and self.select is not None:
            self.fields.setdefault(self.select, self.first_option or "")
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields[self.textarea] = self.fields[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and self.inside and not self.template:
            self.fields[self.textarea] += data


class Failure(Exception):
    """An answer the bench counts as an error."""


@dataclass
class Outcome:
    """What one client saw; merged into the report after the run."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    errors: Counter = field(default_factory=Counter)
    conflicts: int = 0
    meetings: dict[str, int] = field(default_factory=dict)  # title → pk reported saved
    edits: list[tuple[int, str, str]] = field(default_factory=list)  # (pk, opened, saved)
    login_failed: bool = False


class Coordinator(threading.Thread):
    def __init__(
        self, number: int, port: int, facts: ProgramFacts, deadline: float, run: str
    ) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.number, self.port, self.facts, self.deadline, self.run_id = (
            number,
            port,
            facts,
            deadline,
            run,
        )
        self.username = COORDINATOR.format(number)
        self.cookies: dict[str, str] = {}
        self.outcome = Outcome()
        self.random = random.Random(f"{run}-{number}")
        self.sequence = 0

    # HTTP: a fresh connection per request (gunicorn's sync workers close each one anyway).
    def request(
        self, kind: str, method: str, path: str, fields: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Host": HOST, "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError as error:
            self.outcome.requests += 1
            raise Failure(f"{kind}: {type(error).__name__}") from error
        finally:
            connection.close()
        self.outcome.latencies[kind].append(time.perf_counter() - started)
        self.outcome.requests += 1
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status >= 500:
            raise Failure(f"{kind}: {response.status}")
        return response.status, dict(response.headers), text

    def post(self, kind: str, path: str, fields: dict[str, str]) -> tuple[int, dict, str]:
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(kind, "POST", path, fields)

    def expect(self, kind: str, status: int, wanted: int) -> None:
        if status != wanted:
            raise Failure(f"{kind}: {status} (expected {wanted})")

    def run(self) -> None:
        try:
            status, _, _ = self.request("login page", "GET", "/accounts/login/")
            self.expect("login page", status, 200)
            status, _, _ = self.post(
                "sign in", "/accounts/login/", {"username": self.username, "password": PASSWORD}
            )
            self.expect("sign in", status, 302)
        except Failure as failure:
            self.outcome.errors[str(failure)] += 1
            self.outcome.login_failed = True
            return
        actions = (self.view_page, self.record_meeting, self.edit_commitment)
        while time.monotonic() < self.deadline:
            action = self.random.choices(actions, weights=(60, 15, 25))[0]
            try:
                action()
            except Failure as failure:
                self.outcome.errors[str(failure)] += 1

    def view_page(self) -> None:
        facts = self.facts
        pages = [
            ("dashboard", "/"),
            ("programme page", f"/programs/{facts.slug}/"),
            ("meeting list", f"/meetings/?program={facts.pk}"),
            ("commitment list", f"/commitments/?program={facts.pk}"),
        ]
        if facts.meetings:
            pages.append(("meeting page", f"/meetings/{self.random.choice(facts.meetings)}/"))
        if facts.commitments:
            pk = self.random.choice(facts.commitments)
            pages.append(("commitment page", f"/commitments/{pk}/"))
        kind, path = self.random.choice(pages)
        status, _, _ = self.request(kind, "GET", path)
        self.expect(kind, status, 200)

    def record_meeting(self) -> None:
        facts = self.facts
        path = f"/programs/{facts.slug}/meetings/new/"
        status, _, _ = self.request("meeting form", "GET", path)
        self.expect("meeting form", status, 200)
        self.sequence += 1
        title = f"Rapat uji beban {self.run_id} k{self.number:02d}-{self.sequence}"
        first, second = self.random.sample(facts.partners, 2)
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
        for prefix, rows in (
            ("attendances", 2),
            ("decisions", 2),
            ("action_items", 1),
            ("commitments", 1),
        ):
            fields.update(
                {
                    f"{prefix}-TOTAL_FORMS": str(rows),
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": "1000",
                }
            )
        status, headers, _ = self.post("record meeting", path, fields)
        self.expect("record meeting", status, 302)
        location = headers.get("Location", "")
        try:
            pk = int(location.rstrip("/").rsplit("/", 1)[1])
        except (IndexError, ValueError):
            raise Failure(f"record meeting: redirected to {location!r}") from None
        self.outcome.meetings[title] = pk

    def edit_commitment(self) -> None:
        if not self.facts.commitments:
            return self.view_page()
        pk = self.random.choice(self.facts.commitments)
        path = f"/commitments/{pk}/edit/"
        status, _, page = self.request("commitment form", "GET", path)
        self.expect("commitment form", status, 200)
        reader = FormReader()
        reader.feed(page)
        fields = reader.fields
        if not fields.get("version"):
            raise Failure("commitment form: no version field")
        opened = fields["title"]
        self.sequence += 1
        fields["title"] = f"Komitmen bersama {self.run_id} k{self.number:02d}-{self.sequence}"
        time.sleep(self.random.uniform(0, 0.3))  # reading the form
        status, _, _ = self.post("save commitment", path, fields)
        if status == 409:
            self.outcome.conflicts += 1
        elif status == 302:
            self.outcome.edits.append((pk, opened, fields["title"]))
        else:
            raise Failure(f"save commitment: {status}")


# --- checking the database ---------------------------------------------------------------------


def check_meetings(run: str, reported: dict[str, int]) -> dict[str, Any]:
    from django.db.models import Count, Min

    from programs.models import Meeting

    saved = {
        row["title"]: row
        for row in Meeting.objects.filter(title__startswith=f"Rapat uji beban {run} ")
        .values("title")
        .annotate(
            copies=Count("id", distinct=True),
            pk=Min("id"),
            attendances=Count("attendances", distinct=True),
            decisions=Count("decisions", distinct=True),
            action_items=Count("action_items", distinct=True),
            commitments=Count("commitments", distinct=True),
        )
    }
    missing = [title for title in reported if title not in saved]
    doubled = [title for title, row in saved.items() if row["copies"] != 1]
    unreported = [title for title in saved if title not in reported]
    incomplete = [
        title
        for title, row in saved.items()
        if title in reported
        and (
            row["pk"] != reported[title]
            or (row["attendances"], row["decisions"], row["action_items"], row["commitments"])
            != (2, 2, 1, 1)
        )
    ]
    return {
        "reported": len(reported),
        "missing": missing,
        "doubled": doubled,
        "unreported": unreported,
        "incomplete": incomplete,
    }


def check_edits(edits: list[tuple[int, str, str]]) -> dict[str, Any]:
    """Each successful edit against the commitment's history (every save leaves a row)."""
    from programs.models import Commitment

    history: dict[int, list[Any]] = defaultdict(list)
    pks = {pk for pk, _, _ in edits}
    for row in Commitment.history.filter(id__in=pks).order_by("history_date", "history_id"):
        history[row.id].append(row)
    saved_titles = {title for _, _, title in edits}
    final = dict(Commitment.objects.filter(pk__in=pks).values_list("pk", "title"))
    lost, overwrote, doubled, superseded = [], [], [], 0
    for pk, opened, title in edits:
        rows = history[pk]
        positions = [index for index, row in enumerate(rows) if row.title == title]
        if not positions:
            lost.append((pk, title))
            continue
        if len(positions) > 1:
            doubled.append((pk, title))
        index = positions[0]
        if index == 0 or rows[index - 1].title != opened:
            # Saved over a version its client never saw: somebody's edit was overwritten.
            overwrote.append((pk, title))
        if final.get(pk) != title:
            later = [row.title for row in rows[index + 1 :] if row.title in saved_titles]
            if later:
                superseded += 1
            else:
                lost.append((pk, title))
    return {
        "successful": len(edits),
        "final": sum(1 for pk, _, title in edits if final.get(pk) == title),
        "superseded": superseded,
        "lost": lost,
        "overwrote": overwrote,
        "doubled": doubled,
    }


# --- the report --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency_table(latencies: dict[str, list[float]]) -> list[str]:
    everything = [value for values in latencies.values() for value in values]
    lines = [f"  {'request':<18} {'n':>6} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}  (ms)"]
    for kind, values in [*sorted(latencies.items()), ("all", everything)]:
        if not values:
            continue
        lines.append(
            f"  {kind:<18} {len(values):>6} "
            + " ".join(
                f"{percentile(values, share) * 1000:>8.0f}" for share in (0.5, 0.9, 0.99, 1.0)
            )
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long clients work")
    parser.add_argument("--clients", type=int, default=20, help="simulated coordinators")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a seeded database (and keep it)"
    )
    options = parser.parse_args()
    if not 0 < options.seconds <= 3600 or not 1 <= options.clients <= 200:
        parser.error("--seconds must be in (0, 3600] and --clients in [1, 200]")
    command = " ".join(shlex.quote(part) for part in [".venv/bin/python", *sys.argv])

    started = time.perf_counter()
    if not (options.reuse and database_exists()):
        print(f"Creating {DB_NAME}: migrate, load_reference, load_demo …", flush=True)
        create_database()
        manage("migrate", "--noinput")
        manage("load_reference")
        manage("load_demo")
    setup_django()
    facts = seed(options.clients)
    print(f"Database ready in {time.perf_counter() - started:.0f} s.", flush=True)

    port = free_port()
    server = start_gunicorn(port, options.workers)
    run = uuid.uuid4().hex[:6]
    programs = sorted(facts)
    try:
        deadline = time.monotonic() + options.seconds
        clients = [
            Coordinator(n, port, facts[programs[n % len(programs)]], deadline, run)
            for n in range(options.clients)
        ]
        began = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=options.seconds + REQUEST_TIMEOUT + 30)
        elapsed = time.perf_counter() - began
    finally:
        stop_gunicorn(server)

    outcomes = [client.outcome for client in clients]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    meetings: dict[str, int] = {}
    edits: list[tuple[int, str, str]] = []
    for outcome in outcomes:
        for kind, values in outcome.latencies.items():
            latencies[kind].extend(values)
        errors.update(outcome.errors)
        meetings.update(outcome.meetings)
        edits.extend(outcome.edits)
    requests = sum(outcome.requests for outcome in outcomes)
    conflicts = sum(outcome.conflicts for outcome in outcomes)
    still_running = sum(client.is_alive() for client in clients)
    meeting_check = check_meetings(run, meetings)
    edit_check = check_edits(edits)
    lost_or_doubled = (
        len(meeting_check["missing"])
        + len(meeting_check["doubled"])
        + len(meeting_check["unreported"])
        + len(meeting_check["incomplete"])
        + len(edit_check["lost"])
        + len(edit_check["overwrote"])
        + len(edit_check["doubled"])
    )

    print()
    print(f"Command: {command}")
    print(
        f"Load: {options.clients} coordinators, {options.seconds:.0f} s, gunicorn "
        f"{options.workers} sync workers on {HOST}:{port}, PostgreSQL database {DB_NAME}"
    )
    print(f"Requests: {requests} in {elapsed:.1f} s ({requests / elapsed:.1f}/s)")
    print(f"Errors: {sum(errors.values())} (target 0)")
    for message, count in errors.most_common(10):
        print(f"  {count} × {message}")
    print(
        f"Meetings recorded: {meeting_check['reported']} reported saved; missing "
        f"{len(meeting_check['missing'])}, doubled {len(meeting_check['doubled'])}, "
        f"incomplete {len(meeting_check['incomplete'])}, saved unreported "
        f"{len(meeting_check['unreported'])}"
    )
    tried = edit_check["successful"] + conflicts
    print(
        f"Commitment edits: {tried} posted, {edit_check['successful']} saved, {conflicts} "
        f"refused as conflicts ({conflicts / tried:.0%} of posts); of the saved: "
        f"{edit_check['final']} final, {edit_check['superseded']} superseded by a later save, "
        f"{len(edit_check['lost'])} lost, {len(edit_check['overwrote'])} saved over an unseen "
        f"version, {len(edit_check['doubled'])} doubled"
        if tried
        else "Commitment edits: none"
    )
    print(f"Lost or doubled records: {lost_or_doubled} (target 0)")
    if still_running:
        print(f"Clients still waiting at the end: {still_running}")
    print("Latency:")
    for line in latency_table(latencies):
        print(line)
    print(f"Mean request latency: {statistics.fmean(sum(latencies.values(), [])) * 1000:.0f} ms")

    if not (options.keep or options.reuse):
        from django.db import connections

        connections.close_all()
        drop_database()
    ok = not errors and not lost_or_doubled and not still_running
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
