"""Page latency at national scale, measured side by side against a floor and the Django admin.

    .venv/bin/python bench/pages.py [--scale 1.0] [--requests 30] [--reuse] [--keep]

1. Creates the PostgreSQL database `collab_bench_pages` (127.0.0.1:5432, user postgres, trust
   auth), migrates it, loads the reference data and runs `generate_scale_data` (its defaults
   times `--scale`). `--reuse` skips all of that when the database already holds scale data.
2. Starts gunicorn (`collab.wsgi:application`, 2 sync workers, a free loopback port,
   COLLAB_DEBUG=0, COLLAB_ALLOWED_HOSTS=127.0.0.1, the bench database) with the static files
   collected into a temporary COLLAB_VAR_DIR, so whitenoise serves them as in production.
3. For each page and persona: `--warmup` requests, then `--requests` timed requests, one at a
   time (or `--concurrency` at once), each page bounded by `--page-time-limit` seconds; the
   latency is the wall time from sending the request to the last byte of the body.
   Personas: `skala-koordinator-0` (50 programmes, the largest among them), `skala-staf`
   (every programme), and a superuser for the admin changelist. Signed in through sessions
   created in-process (`Client.force_login`), sent as a cookie: no password is needed. The API
   (`/api/v1/…`) is called with a personal token of the same persona (`Authorization: Token`),
   created in-process too.
4. Counts each page's queries in-process on a second visit (django.test.Client and
   CaptureQueriesContext, same database) and, with `--explain-ms`, prints EXPLAIN (ANALYZE,
   BUFFERS) of every query slower than that.
5. Prints the data sizes, the table of medians/p95 with their ratios, the targets, and drops
   the database unless `--keep` or `--reuse`.

The deep commitments page is page 5,000 (or, for a persona with fewer rows, the deepest page it
has, `ceil(visible commitments / 50)`), reached the way a person reaches it: the bench requests
page N-1 once (`?page=N-1`, in-process, untimed: an OFFSET read, slow, which is fine there),
takes the `rel="next"` link from its HTML — `?after=<cursor of its last row>&page=N` — and times
that URL. So the number is the cost of clicking "next" deep in the list, which seeks by the
ordering columns (collab/pagination.py); a bare `?page=N` still pays OFFSET.

The public programme page of the largest programme (made public for the bench, through a
save, so its history records it) is measured anonymously twice: as visitors get it, from the
shared cache (Redis, `--cache-url`, as `COLLAB_CACHE_URL` in production; the warm-up fills it),
and uncached (`?uncached=1`: a query string a visitor writes is never stored, so every request
renders the page from the database, exactly as a first request after a save does).

The floor is the login page (GET, signed out): the whole middleware stack, URL routing and a
template rendered through base.html, with no database query (asserted). `/static/collab/app.css`
is measured too, but whitenoise answers it before sessions, routing and templates, so it is
the server's floor rather than Django's: shown for reference, not used for the ratios.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from benchdb import SERVER, create_database, database_exists, drop_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
ADMIN_USERNAME = "bench-admin"
COORDINATOR = "skala-koordinator-0"
STAFF = "skala-staf"
DEEP_PAGE = 5_000
COMMITMENTS = "/commitments/"
API_COMMITMENTS = "/api/v1/commitments/"
# The defaults of generate_scale_data, scaled by --scale (ScaleCounts, read without Django).
DEFAULT_COUNTS = {
    "partners": 10_000,
    "programs": 1_000,
    "sites": 20_000,
    "meetings": 50_000,
    "action_items": 150_000,
    "commitments": 500_000,
    "agreements": 50_000,
    "coordinators": 500,
}
TABLES = (
    ("partners_partner", "partners"),
    ("programs_program", "programmes"),
    ("programs_programpartner", "programme partners"),
    ("programs_site", "sites"),
    ("programs_meeting", "meetings"),
    ("programs_attendance", "attendance"),
    ("programs_decision", "decisions"),
    ("programs_actionitem", "action items"),
    ("programs_commitment", "commitments"),
    ("programs_commitmentupdate", "commitment updates"),
    ("programs_agreement", "agreements"),
    ("programs_signatory", "signatories"),
    ("programs_clause", "clauses"),
    ("programs_programuserobjectpermission", "user rights on programmes"),
    ("programs_historicalcommitment", "commitment history rows"),
    ("auth_user", "users"),
)


@dataclass
class Page:
    key: str  # what the targets refer to
    label: str
    persona: str  # "anonymous", a username, or ADMIN_USERNAME
    path: str
    api: bool = False  # called with the persona's API token instead of its session cookie


@dataclass
class Result:
    page: Page
    samples: list[float] = field(default_factory=list)  # seconds
    errors: list[str] = field(default_factory=list)
    queries: int | None = None
    stopped_early: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def p95(self) -> float:
        if not self.samples:
            return math.nan
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank


def log(line: str = "") -> None:
    print(line, flush=True)


# --- the database ------------------------------------------------------------------------------


def holds_scale_data(name: str) -> bool:
    import psycopg2

    try:
        connection = psycopg2.connect(f"{SERVER} dbname={name}")
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM auth_user WHERE username = %s", [STAFF])
            return cursor.fetchone() is not None
    except psycopg2.Error:
        return False
    finally:
        connection.close()


def manage(args: list[str], env: dict[str, str], timeout: float) -> float:
    """Run `manage.py <args>` with output streamed; returns its wall time; fails loudly."""
    started = time.perf_counter()
    completed = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, timeout=timeout, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({completed.returncode})")
    return time.perf_counter() - started


def scaled_counts(scale: float) -> dict[str, int]:
    counts = {name: max(1, round(value * scale)) for name, value in DEFAULT_COUNTS.items()}
    counts["coordinators"] = max(2, counts["coordinators"])
    return counts


def generate_args(counts: dict[str, int], seed: int) -> list[str]:
    args = ["generate_scale_data", f"--seed={seed}"]
    for name, value in counts.items():
        if value != DEFAULT_COUNTS[name]:
            args.append(f"--{name.replace('_', '-')}={value}")
    return args


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        "collab.wsgi:application",
        f"--workers={workers}",
        f"--bind={HOST}:{port}",
        "--timeout=120",
        "--log-level=warning",
    ]
    log(f"$ {shlex.join(command)}")
    # Its own process group: stopped by its id at the end, workers included.
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            status, _body = fetch(port, "/accounts/login/", None)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def credentials(cookie: str | None) -> dict[str, str]:
    """The header that signs a request in: a session cookie, or `Token <key>` for the API."""
    if not cookie:
        return {}
    if cookie.startswith("Token "):
        return {"Authorization": cookie}
    return {"Cookie": cookie}


def fetch(port: int, path: str, cookie: str | None) -> tuple[int, bytes]:
    """One GET on a fresh connection (gunicorn's sync workers close each one anyway)."""
    connection = HTTPConnection(HOST, port, timeout=120)
    try:
        headers = {"Host": HOST, "Accept-Encoding": "identity", **credentials(cookie)}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(
    page: Page,
    port: int,
    cookie: str | None,
    *,
    requests: int,
    warmup: int,
    time_limit: float,
    concurrency: int,
) -> Result:
    """`warmup` untimed requests, then up to `requests` timed ones within `time_limit` s."""
    result = Result(page)
    deadline = time.monotonic() + time_limit
    lock = threading.Lock()

    def one(timed: bool) -> bool:
        if time.monotonic() > deadline:
            result.stopped_early = True
            return False
        started = time.perf_counter()
        status, _body = fetch(port, page.path, cookie)
        elapsed = time.perf_counter() - started
        with lock:
            if status != 200:
                result.errors.append(f"HTTP {status}")
                return False
            if timed:
                result.samples.append(elapsed)
        return True

    for _ in range(warmup):
        if not one(timed=False):
            return result
    if concurrency <= 1:
        for _ in range(requests):
            if not one(timed=True):
                break
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(lambda _i: one(timed=True), range(requests)))
    return result


# --- in-process Django: personas, sessions, queries --------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["COLLAB_ALLOWED_HOSTS"] = f"{HOST},testserver"  # the in-process test client
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_personas() -> dict[str, Any]:
    """The users, their session cookies, and the pages' parameters found in the data."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from collab.api.tokens import create_token
    from collab.permissions import Action, restrict
    from programs.models import Commitment, Meeting, Program

    users = get_user_model().objects
    admin, _created = users.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    admin.set_unusable_password()
    admin.save()
    people = {name: users.get(username=name) for name in (COORDINATOR, STAFF)}
    people[ADMIN_USERNAME] = admin
    cookies = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        cookies[name] = f"sessionid={client.cookies['sessionid'].value}"
    tokens = {
        name: f"Token {create_token(user=people[name], name='bench')[1]}"
        for name in (COORDINATOR, STAFF)
    }

    sizes = (
        Program.objects.annotate(n=Count("commitments")).order_by("-n", "pk").values("pk", "slug")
    )
    largest = sizes.first()
    # The public page of the largest programme: publish it (a save, recorded in its history).
    program = Program.objects.get(pk=largest["pk"])
    if not program.is_public:
        program.is_public = True
        program.save()
    coordinated = restrict(Program.objects.all(), people[COORDINATOR], Action.VIEW)
    smallest_of_coordinator = (
        coordinated.annotate(n=Count("commitments")).order_by("n", "pk").values("slug").first()
    )
    meeting = (
        Meeting.objects.filter(program_id=largest["pk"], starts_on__lte=timezone.localdate())
        .annotate(n=Count("attendances"))
        .order_by("-starts_on", "-id")
        .values("pk", "n")
        .first()
    )
    deep = {}
    deep_paths = {}
    for name in (COORDINATOR, STAFF):
        visible = restrict(Commitment.objects.all(), people[name], Action.VIEW).count()
        deep[name] = max(1, min(DEEP_PAGE, math.ceil(visible / 50)))
        deep_paths[name] = reach_by_next_link(COMMITMENTS, deep[name], cookies[name])
    return {
        "cookies": cookies,
        "tokens": tokens,
        "largest_slug": largest["slug"],
        "smallest_slug": smallest_of_coordinator["slug"],
        "meeting_pk": meeting["pk"],
        "deep": deep,
        "deep_paths": deep_paths,
    }


class NextLink(HTMLParser):
    """The href of the page's `<a rel="next">` (the pagination's "next" link), unescaped."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and "next" in (attributes.get("rel") or "").split():
            self.href = attributes.get("href")


def reach_by_next_link(path: str, number: int, cookie: str) -> str:
    """The URL of page `number` as a person reaches it: the "next" link of page `number - 1`.

    That link carries a seek cursor, so the page is read from the index rather than by OFFSET.
    Page `number - 1` itself is requested once, in-process and untimed (OFFSET: slow, but only
    here).
    """
    from urllib.parse import urljoin

    from django.test import Client

    if number <= 1:
        return path
    client = Client()
    client.cookies["sessionid"] = cookie.split("=", 1)[1]
    previous = f"{path}?page={number - 1}"
    log(f"Following the next link of {previous} …")
    response = client.get(previous)
    if response.status_code != 200:
        raise SystemExit(f"{previous}: HTTP {response.status_code} in-process")
    parser = NextLink()
    parser.feed(response.content.decode())
    if not parser.href:
        raise SystemExit(f'{previous} has no rel="next" link: page {number} does not exist')
    return urljoin(path, parser.href)


def count_queries(page: Page, cookie: str | None, explain_ms: float | None) -> int:
    """Run the page in-process, count the second visit's queries; with `explain_ms`, EXPLAIN
    ANALYZE those slower than that."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers=credentials(cookie) if cookie and cookie.startswith("Token ") else {})
    if cookie and not cookie.startswith("Token "):
        client.cookies["sessionid"] = cookie.split("=", 1)[1]
    # A first visit may create rows once (the programme page makes the user's calendar key):
    # the count that must not depend on the data is the one of every later visit.
    client.get(page.path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path)
    if response.status_code != 200:
        raise SystemExit(f"{page.path} as {page.persona}: HTTP {response.status_code} in-process")
    if explain_ms is not None:
        for query in captured.captured_queries:
            if float(query["time"]) * 1000 >= explain_ms and query["sql"].startswith("SELECT"):
                explain(page, query["sql"], float(query["time"]))
    return len(captured.captured_queries)


def explain(page: Page, sql: str, seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(f"    {line}" for (line,) in cursor.fetchall())
    log(f"\n--- EXPLAIN ANALYZE: {page.label} as {page.persona} ({seconds * 1000:.0f} ms)")
    log(f"    {sql[:1500]}{' …' if len(sql) > 1500 else ''}")
    log(plan)


def data_sizes() -> list[tuple[str, int]]:
    from django.db import connection

    sizes = []
    with connection.cursor() as cursor:
        for table, label in TABLES:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (fixed names)
            sizes.append((label, cursor.fetchone()[0]))
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes.append(("database size (MB)", round(cursor.fetchone()[0] / 2**20)))
    return sizes


# --- the report --------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def ratio(value: float, reference: float) -> str:
    if math.isnan(value) or math.isnan(reference) or reference == 0:
        return "—"
    return f"{value / reference:.1f}×"


def print_table(results: list[Result], floor: Result, admin: Result | None) -> None:
    header = (
        f"{'page':<34} {'persona':<20} {'median ms':>9} {'p95 ms':>8} {'× floor':>8} "
        f"{'× admin':>8} {'queries':>7} {'n':>4}"
    )
    log(header)
    log("-" * len(header))
    for result in results:
        against_admin = ""
        if admin is not None and result.page.key.startswith("commitments"):
            against_admin = ratio(result.median, admin.median)
        note = ""
        if result.errors:
            note = f"  errors: {', '.join(sorted(set(result.errors)))}"
        elif result.stopped_early:
            note = "  (time limit)"
        queries = "" if result.queries is None else str(result.queries)
        log(
            f"{result.page.label:<34} {result.page.persona:<20} {ms(result.median):>9} "
            f"{ms(result.p95):>8} {ratio(result.median, floor.median):>8} {against_admin:>8} "
            f"{queries:>7} {len(result.samples):>4}{note}"
        )


def check(label: str, ok: bool, detail: str) -> None:
    log(f"  [{'met' if ok else 'MISSED'}] {label}: {detail}")


def print_targets(results: dict[tuple[str, str], Result], floor: Result, admin: Result) -> None:
    log("\nTargets")
    for key, limit in (("public_cached", 5), ("public_uncached", 15)):
        result = results[(key, "anonymous")]
        value = result.median / floor.median
        check(f"{result.page.label} ≤ {limit}× floor", value <= limit, f"{value:.1f}× floor")
    for persona in (COORDINATOR, STAFF):

        def get(key: str, persona: str = persona) -> Result:
            return results[(key, persona)]

        filtered = get("commitments_filtered")
        value = filtered.median / floor.median
        check(f"commitments filtered ≤ 10× floor ({persona})", value <= 10, f"{value:.1f}× floor")
        value = filtered.median / admin.median
        check(
            f"commitments filtered ≤ 0.5× admin changelist ({persona})",
            value <= 0.5,
            f"{value:.2f}× admin ({ms(filtered.median)} vs {ms(admin.median)} ms)",
        )
        deep, first = get("commitments_deep"), get("commitments_first")
        value = deep.median / first.median
        check(
            f"deepest page ({deep.page.path}) within 2× of page 1 ({persona})",
            value <= 2,
            f"{value:.1f}× page 1",
        )
        for key in ("dashboard", "program_largest"):
            value = get(key).median / floor.median
            check(f"{get(key).page.label} ≤ 15× floor ({persona})", value <= 15, f"{value:.1f}×")
        api = get("api_commitments_filtered")
        value = api.median / floor.median
        check(f"API commitments filtered ≤ 10× floor ({persona})", value <= 10, f"{value:.1f}×")
        value = api.median / filtered.median
        check(
            f"API commitments filtered ≤ the commitments page filtered ({persona})",
            value <= 1,
            f"{value:.2f}× ({ms(api.median)} vs {ms(filtered.median)} ms)",
        )
        pairs = [
            ("commitments_first", "commitments_deep"),
            ("commitments_first", "commitments_filtered"),
            ("program_largest", "program_smallest"),
            ("api_commitments_first", "api_commitments_filtered"),
        ]
        for one, other in pairs:
            a, b = get(one).queries, get(other).queries
            check(
                f"constant queries: {get(one).page.label} vs {get(other).page.label} ({persona})",
                a == b,
                f"{a} vs {b}",
            )


# --- main ----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="collab_bench_pages")
    parser.add_argument("--scale", type=float, default=1.0, help="times the generator defaults")
    parser.add_argument("--seed", type=int, default=20_180_514)
    parser.add_argument("--reuse", action="store_true", help="reuse a filled bench database")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--page-time-limit", type=float, default=60.0, help="seconds per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="COLLAB_DB_CONN_MAX_AGE for gunicorn (60, the project default: connections kept "
        "between requests; 0 opens one per request)",
    )
    parser.add_argument(
        "--explain-ms",
        type=float,
        default=None,
        help="print EXPLAIN (ANALYZE, BUFFERS) of in-process queries slower than this",
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/7",
        help="COLLAB_CACHE_URL of the server: the shared cache of the public pages",
    )
    parser.add_argument("--generate-timeout", type=float, default=1800.0, help="seconds")
    return parser.parse_args()


def build_pages(found: dict[str, Any]) -> list[Page]:
    pages = [
        Page("floor_static", "static app.css (whitenoise)", "anonymous", "/static/collab/app.css"),
        Page("floor", "login page (floor)", "anonymous", "/accounts/login/"),
    ]
    for persona in (COORDINATOR, STAFF):
        pages += [
            Page("dashboard", "dashboard", persona, "/"),
            Page("commitments_first", "commitments p1", persona, "/commitments/"),
            Page(
                "commitments_filtered",
                "commitments pledged+funding",
                persona,
                "/commitments/?status=pledged&kind=funding",
            ),
            Page(
                "commitments_deep",
                f"commitments p{found['deep'][persona]}",
                persona,
                found["deep_paths"][persona],  # page N-1's "next" link: ?after=<cursor>&page=N
            ),
            Page("partners", "partner directory", persona, "/partners/"),
            Page(
                "program_largest",
                "programme page (largest)",
                persona,
                f"/programs/{found['largest_slug']}/",
            ),
            Page(
                "program_smallest",
                "programme page (small)",
                persona,
                f"/programs/{found['smallest_slug']}/",
            ),
            Page("meeting", "meeting page", persona, f"/meetings/{found['meeting_pk']}/"),
            Page("api_commitments_first", "API commitments", persona, API_COMMITMENTS, api=True),
            Page(
                "api_commitments_filtered",
                "API commitments pledged+funding",
                persona,
                f"{API_COMMITMENTS}?status=pledged&kind=funding",
                api=True,
            ),
        ]
    public = f"/public/programs/{found['largest_slug']}/"
    pages += [
        Page("public_cached", "public page, largest (cached)", "anonymous", public),
        Page(
            "public_uncached",
            "public page, largest (uncached)",
            "anonymous",
            public + "?uncached=1",
        ),
    ]
    pages.append(
        Page(
            "admin_filtered",
            "admin changelist pledged+funding",
            ADMIN_USERNAME,
            "/admin/programs/commitment/?kind__exact=funding&status__exact=pledged",
        )
    )
    return pages


def main() -> None:
    # Collected static files live in a temporary COLLAB_VAR_DIR, removed whatever happens.
    var_dir = Path(tempfile.mkdtemp(prefix="collab-bench-pages-"))
    try:
        run(parse_args(), var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args: argparse.Namespace, var_dir: Path) -> None:
    command = shlex.join([sys.executable, *sys.argv])
    database_url = f"postgres://postgres@{HOST}:5432/{args.db_name}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COLLAB_DEBUG": "0",
        "COLLAB_ALLOWED_HOSTS": HOST,
        "COLLAB_VAR_DIR": str(var_dir),
        "COLLAB_ZEAL": "0",
        "COLLAB_DB_CONN_MAX_AGE": str(args.conn_max_age),
        "COLLAB_CACHE_URL": args.cache_url,
    }
    counts = scaled_counts(args.scale)
    generate = generate_args(counts, args.seed)
    timings: dict[str, float] = {}

    reused = args.reuse and database_exists(args.db_name) and holds_scale_data(args.db_name)
    if reused:
        log(f"Reusing {args.db_name} (already holds scale data).")
    else:
        log(f"Creating {args.db_name} …")
        create_database(args.db_name)
        timings["migrate"] = manage(["migrate", "--noinput", "-v0"], env, 600)
        timings["load_reference"] = manage(["load_reference", "-v0"], env, 600)
        log(f"$ DATABASE_URL={database_url} {PYTHON} manage.py {shlex.join(generate)}")
        timings["generate_scale_data"] = manage(generate, env, args.generate_timeout)
    timings["collectstatic"] = manage(["collectstatic", "--noinput", "-v0"], env, 300)

    setup_django(env)
    found = prepare_personas()
    pages = build_pages(found)
    cookies: dict[str, str | None] = {"anonymous": None, **found["cookies"]}

    def signed(page: Page) -> str | None:
        return found["tokens"][page.persona] if page.api else cookies[page.persona]

    log("\nCounting queries in-process (one request per page) …")
    query_counts = {}
    for page in pages:
        if page.key == "floor_static":
            continue  # whitenoise answers before Django: nothing to count
        query_counts[(page.key, page.persona)] = count_queries(page, signed(page), args.explain_ms)
    if query_counts[("floor", "anonymous")] != 0:
        raise SystemExit("The login page ran queries: it cannot serve as the floor.")

    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    results: list[Result] = []
    # The machine may be shared: the load says how much the numbers can be trusted.
    load_before = os.getloadavg()
    try:
        for page in pages:
            result = measure(
                page,
                port,
                signed(page),
                requests=args.requests,
                warmup=args.warmup,
                time_limit=args.page_time_limit,
                concurrency=args.concurrency,
            )
            result.queries = query_counts.get((page.key, page.persona))
            results.append(result)
            log(
                f"  {page.label:<34} {page.persona:<20} median {ms(result.median):>8} ms "
                f"p95 {ms(result.p95):>8} ms  n={len(result.samples)}"
                + (f"  errors {result.errors[:1]}" if result.errors else "")
            )
    finally:
        stop_gunicorn(server)
    load_after = os.getloadavg()

    by_key = {(result.page.key, result.page.persona): result for result in results}
    floor = by_key[("floor", "anonymous")]
    admin = by_key[("admin_filtered", ADMIN_USERNAME)]

    log("\nData")
    for label, value in data_sizes():
        log(f"  {label:<28} {value:>12,}")
    log("\nTimings (s): " + ", ".join(f"{name} {value:.1f}" for name, value in timings.items()))
    log(f"Generator: manage.py {shlex.join(generate)}" + ("  (reused)" if reused else ""))
    log(
        f"Server: gunicorn, {args.workers} sync workers, COLLAB_DEBUG=0, "
        f"COLLAB_DB_CONN_MAX_AGE={args.conn_max_age}; client: {args.requests} timed requests "
        f"per page after {args.warmup} warm-up, concurrency {args.concurrency}, "
        f"limit {args.page_time_limit:.0f} s per page."
    )
    log(
        f"Machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before and "
        f"{load_after[0]:.1f} after the requests (1-minute)."
    )
    log(f"Command: {command}\n")
    print_table(results, floor, admin)
    print_targets(by_key, floor, admin)

    from django.db import connections

    connections.close_all()
    if args.keep or reused:
        log(f"\nKept the database {args.db_name}.")
    else:
        drop_database(args.db_name)
        log(f"\nDropped the database {args.db_name}.")


if __name__ == "__main__":
    main()
