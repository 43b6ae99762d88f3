"""Load from a real load tool: Locust against gunicorn and PostgreSQL on loopback, then a check
of the database that nothing was lost or doubled.

    .venv/bin/python bench/load.py [--users 30] [--run-time 120] [--db-name NAME] [--keep] [--reuse]

Needs the `bench` extra (`pip install -e ".[bench]"`: Locust), PostgreSQL on 127.0.0.1:5432
(user postgres, trust auth) and Redis (the worker's queue and the shared cache).

1. Creates the database `collab_bench_load` (or `--db-name`), migrates it and runs
   `load_reference` and `load_demo` (the five seed programmes); adds coordinators
   `beban-koordinator-NN` spread over the programmes, staff `beban-staf-NN` (group Staf), and
   three commitments per programme that its coordinators share (so that edits collide).
   `--reuse` keeps a database that is already seeded.
2. Starts gunicorn with the production configuration (`deploy/gunicorn.conf.py`: gthread,
   `--gunicorn-workers` processes × `--threads`), COLLAB_DEBUG=0, persistent connections, and a
   Celery worker for the background exports (`--broker-url`, `--cache-url`; an own queue).
   Past `--export-rows` rows a commitment export is a background job.
3. Runs `locust -f bench/locustfile.py --headless` with `--users` users (coordinators and staff,
   4 to 1, with think time: see the locustfile) spawned at `--spawn-rate` per second, for
   `--run-time` seconds; the users finish their task at the end (`--stop-timeout`).
4. Stops gunicorn and the worker and checks the database against what the users were told:
   - every meeting reported saved exists exactly once, with all its rows, and none was saved
     that no user was told about;
   - every successful commitment edit is in the history, replaced the very version its user had
     opened (nothing saved in between was overwritten), and is either the final value or
     superseded by a later successful edit;
   - every export downloaded is a finished job whose file held exactly the job's rows.
5. Prints requests, errors (Locust's failures), conflicts, lost or doubled records, p50/p95/p99
   and maximum latency per kind of request, and the command. Drops the database unless
   `--keep` or `--reuse`.

Targets: 0 errors, 0 lost or doubled records.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

from benchdb import create_database, database_exists, drop_database

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PASSWORD = "beban-uji-rahasia-2024"
COORDINATOR = "beban-koordinator-{:02d}"
STAFF = "beban-staf-{:02d}"
SHARED_COMMITMENTS = 3  # per programme: few enough that edits collide now and then
DB_NAME = "collab_bench_load"


def app_env(options: argparse.Namespace, run: str) -> dict[str, str]:
    """The environment of the app's processes: the bench database, no debug, no test tools."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COLLAB_")}
    env.pop("PYTEST_VERSION", None)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{options.db_name}",
        DJANGO_SETTINGS_MODULE="collab.settings",
        COLLAB_DEBUG="0",
        COLLAB_ZEAL="0",
        COLLAB_ALLOWED_HOSTS=HOST,
        COLLAB_DEMO_PASSWORD=PASSWORD,
        COLLAB_DB_CONN_MAX_AGE="60",
        COLLAB_VAR_DIR=options.var_dir,
        COLLAB_BROKER_URL=options.broker_url,
        COLLAB_CACHE_URL=options.cache_url,
        COLLAB_CACHE_KEY_PREFIX=f"load-{run}",
        COLLAB_TASK_QUEUE=f"load-{run}",
        COLLAB_EXPORT_SYNC_ROWS=str(options.export_rows),
        COLLAB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        COLLAB_GUNICORN_BIND=f"{HOST}:{options.port}",
        COLLAB_GUNICORN_WORKERS=str(options.gunicorn_workers),
        COLLAB_GUNICORN_THREADS=str(options.threads),
        COLLAB_GUNICORN_LOGLEVEL="warning",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "COLLAB_DB_CONN_MAX_AGE"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(users: int) -> dict[str, Any]:
    """Bench coordinators (one programme each, round robin), staff, shared commitments; and
    what the Locust users need to know."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from programs.models import Commitment, Meeting, Program, ProgramPartner
    from programs.services.program import ensure_staff_group, grant_coordinator

    programs = list(Program.objects.order_by("slug"))
    user_model = get_user_model()
    coordinators, staff = [], []
    with transaction.atomic():
        staff_group = ensure_staff_group()
        for number in range(users):
            user, created = user_model.objects.get_or_create(username=COORDINATOR.format(number))
            if created:
                user.set_password(PASSWORD)
                user.save()
            program = programs[number % len(programs)]
            grant_coordinator(program=program, user=user)
            coordinators.append((user.username, program.slug))
        for number in range(max(2, users // 5 + 1)):
            user, created = user_model.objects.get_or_create(username=STAFF.format(number))
            if created:
                user.set_password(PASSWORD)
                user.save()
            user.groups.add(staff_group)
            staff.append(user.username)
        for program in programs:
            partners = list(
                ProgramPartner.objects.filter(program=program).values_list("partner_id", flat=True)
            )
            have = Commitment.objects.filter(program=program).active().count()
            for number in range(have, SHARED_COMMITMENTS):
                commitment = Commitment(
                    program=program,
                    partner_id=partners[number % len(partners)],
                    title=f"Komitmen bersama awal {number + 1}",
                    kind=Commitment.Kind.FUNDING,
                    amount=10_000_000,
                    status=Commitment.Status.PLEDGED,
                )
                commitment.full_clean()
                commitment.save()
    facts: dict[str, Any] = {"coordinators": coordinators, "staff": staff, "programs": {}}
    for program in programs:
        partners = sorted(
            set(ProgramPartner.objects.filter(program=program).values_list("partner_id", flat=True))
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
        facts["programs"][program.slug] = {
            "pk": program.pk,
            "slug": program.slug,
            "partners": partners,
            "commitments": commitments,
            "meetings": meetings,
        }
    return facts


# --- the servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole
    )


def wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited during start-up:\n{log.read_text()[-2000:]}")
        try:
            with urlopen(f"http://{HOST}:{port}/health/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"/health/ did not answer 200 within 60 s:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def forget_queue(options: argparse.Namespace, run: str) -> None:
    import redis

    for url in (options.broker_url, options.cache_url):
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"*load-{run}*"):
            client.delete(key)


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


def check_exports(exports: list[list[int | None]]) -> dict[str, Any]:
    """Every export downloaded through a job: a finished job whose file held exactly the job's
    rows (exports streamed at once, job None, are only counted)."""
    from collab.models import ExportJob

    through_jobs = [(pk, rows) for pk, rows in exports if pk is not None]
    jobs = {job.pk: job for job in ExportJob.objects.filter(pk__in=[pk for pk, _ in through_jobs])}
    wrong = [
        (pk, rows, jobs[pk].total if pk in jobs else None)
        for pk, rows in through_jobs
        if pk not in jobs or jobs[pk].state != ExportJob.State.DONE or jobs[pk].total != rows
    ]
    return {"jobs": len(through_jobs), "streamed": len(exports) - len(through_jobs), "wrong": wrong}


# --- the report --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def locust_failures(prefix: Path) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Failures per request name (Locust's stats) and the most frequent messages."""
    per_name: dict[str, int] = defaultdict(int)
    stats = Path(f"{prefix}_stats.csv")
    if stats.exists():
        with stats.open() as rows:
            for row in csv.DictReader(rows):
                if row["Name"] != "Aggregated":
                    per_name[row["Name"]] += int(row["Failure Count"])
    messages = []
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as rows:
            for row in csv.DictReader(rows):
                messages.append((int(row["Occurrences"]), f"{row['Name']}: {row['Error']}"))
    return per_name, sorted(messages, reverse=True)


def latency_table(latencies: dict[str, list[float]], failures: dict[str, int]) -> list[str]:
    everything = [value for values in latencies.values() for value in values]
    lines = [
        f"| {'request':<18} | {'n':>6} | {'errors':>6} | {'p50':>6} | {'p95':>6} | "
        f"{'p99':>6} | {'max':>6} |  (ms)",
        f"| {'-' * 18} | {'-' * 6}: | {'-' * 6}: | {'-' * 6}: | {'-' * 6}: | {'-' * 6}: | "
        f"{'-' * 6}: |",
    ]
    names = sorted(set(latencies) | set(failures))
    for name, values in [*((n, latencies.get(n, [])) for n in names), ("all", everything)]:
        errors = sum(failures.values()) if name == "all" else failures.get(name, 0)
        lines.append(
            f"| {name:<18} | {len(values):>6} | {errors:>6} | "
            + " | ".join(
                f"{percentile(values, share) * 1000:>6.0f}" for share in (0.5, 0.95, 0.99, 1.0)
            )
            + " |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30, help="simulated users")
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=1,
        help="users started per second (each signs in: password hashing is the costly part)",
    )
    parser.add_argument("--run-time", type=int, default=120, help="seconds the users work")
    parser.add_argument("--db-name", default=DB_NAME, help="the bench database")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: free)")
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument(
        "--export-rows", type=int, default=10, help="rows past which an export is a job"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a seeded database (and keep it)"
    )
    options = parser.parse_args()
    if not 0 < options.run_time <= 3600 or not 1 <= options.users <= 200:
        parser.error("--run-time must be in (0, 3600] and --users in [1, 200]")
    command = " ".join(shlex.quote(part) for part in [".venv/bin/python", *sys.argv])
    if not (BIN / "locust").exists():
        parser.error('Locust is missing: .venv/bin/pip install -e ".[bench]"')
    options.port = options.port or free_port()
    run = uuid.uuid4().hex[:6]
    work = Path(tempfile.mkdtemp(prefix="collab-load-"))
    options.var_dir = str(work / "var")
    env = app_env(options, run)

    started = time.perf_counter()
    if not (options.reuse and database_exists(options.db_name)):
        print(f"Creating {options.db_name}: migrate, load_reference, load_demo …", flush=True)
        create_database(options.db_name)
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference")
        manage(env, "load_demo")
    setup_django(env)
    facts = seed(options.users)
    facts_file = work / "facts.json"
    facts_file.write_text(json.dumps(facts))
    print(f"Database ready in {time.perf_counter() - started:.0f} s.", flush=True)

    results_file, stats_prefix = work / "results.json", work / "locust"
    gunicorn_log, worker_log = work / "gunicorn.log", work / "worker.log"
    server = start(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "collab.wsgi:application",
        ],
        env,
        gunicorn_log,
    )
    worker = start(
        [
            str(BIN / "celery"),
            "-A",
            "collab",
            "worker",
            "--loglevel=WARNING",
            "--concurrency=1",
            "-Q",
            env["COLLAB_TASK_QUEUE"],
            f"--hostname=load-{run}@%h",
        ],
        env,
        worker_log,
    )
    try:
        wait_until_serving(server, options.port, gunicorn_log)
        locust_env = env | {
            "LOAD_FACTS": str(facts_file),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_RUN": run,
            "LOAD_RESULTS": str(results_file),
        }
        began = time.perf_counter()
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.spawn_rate),
                "--run-time",
                f"{options.run_time}s",
                "--stop-timeout",
                "90",
                "--host",
                f"http://{HOST}:{options.port}",
                "--csv",
                str(stats_prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            timeout=options.run_time + 300,
            check=False,
        )
        elapsed = time.perf_counter() - began
    finally:
        stop(server)
        stop(worker)
        forget_queue(options, run)

    if not results_file.exists():
        print(f"Locust wrote no results (exit {locust.returncode}); logs in {work}")
        return 1
    outcome = json.loads(results_file.read_text())
    latencies: dict[str, list[float]] = outcome["latencies"]
    failures, messages = locust_failures(stats_prefix)
    errors = sum(failures.values())
    requests = sum(len(values) for values in latencies.values()) + errors
    meeting_check = check_meetings(run, outcome["meetings"])
    edit_check = check_edits([tuple(edit) for edit in outcome["edits"]])
    export_check = check_exports(outcome["exports"])
    conflicts = outcome["conflicts"]
    lost_or_doubled = (
        len(meeting_check["missing"])
        + len(meeting_check["doubled"])
        + len(meeting_check["unreported"])
        + len(meeting_check["incomplete"])
        + len(edit_check["lost"])
        + len(edit_check["overwrote"])
        + len(edit_check["doubled"])
        + len(export_check["wrong"])
    )

    print()
    print(f"Command: {command}")
    print(
        f"Load: Locust, {options.users} users (coordinators, staff, visitors 4:1:1; think time), "
        f"{options.run_time} s; gunicorn deploy/gunicorn.conf.py ({options.gunicorn_workers} "
        f"processes x {options.threads} threads) on {HOST}:{options.port}, a Celery worker, "
        f"PostgreSQL database {options.db_name}"
    )
    print(f"Requests: {requests} in {elapsed:.1f} s ({requests / elapsed:.1f}/s)")
    print(f"Errors: {errors} (target 0)")
    for count, message in messages[:10]:
        print(f"  {count} x {message}")
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
    print(
        f"Exports: {export_check['jobs']} run by the worker and downloaded, "
        f"{export_check['streamed']} streamed at once; {len(export_check['wrong'])} whose file "
        "did not hold the job's rows"
    )
    print(f"Lost or doubled records: {lost_or_doubled} (target 0)")
    print("Latency:")
    for line in latency_table(latencies, failures):
        print(line)

    if not (options.keep or options.reuse):
        from django.db import connections

        connections.close_all()
        drop_database(options.db_name)
    ok = errors == 0 and not lost_or_doubled and locust.returncode in (0, 1)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
