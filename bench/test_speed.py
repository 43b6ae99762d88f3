"""The test suite's speed before and after, side by side on one machine at one moment.

    .venv/bin/python bench/test_speed.py [--before 5573b8d] [--after HEAD] [--port 8400]
        [--databases postgresql sqlite --] [--no-coverage] [-m 'not browser'] [PATH ...]

Clones both commits into /tmp (`git worktree add --detach`, sharing this checkout's .venv) and
runs each one's own test command — `pytest` before issue 15, `make test` after it — on SQLite
and on PostgreSQL, the four runs at the same time, so a busy machine slows them alike. Prints the
wall time, the CPU time (user + sys, from /usr/bin/time -v), the tests passed and the line
coverage of each run, and the ratios after/before. Each run keeps its log in /tmp/test_speed/.
Given test paths (present in both commits), each side runs only those, the after side with
`make test`'s own pytest command (`pytest --cov --cov-report=term PATH ...`). `--no-coverage`
runs plain `pytest` on the after side too, and `-m` passes a mark expression to both sides, so
the figures can be taken apart: coverage's tracer, the browser tests, the rest.

PostgreSQL databases `collab_speed_before` and `collab_speed_after` (their test_ copies are
created and dropped by pytest-django), Redis database 10 (COLLAB_TEST_BROKER_URL), live servers
on --port + 0..3.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path("/tmp/test_speed")
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
REDIS = "redis://127.0.0.1:6379/10"
# What `make test` runs (the Makefile's `test:`), for runs that must name their own pytest options.
MAKE_TEST_PYTEST = ["pytest", "--cov", "--cov-report=term"]


@dataclass
class Run:
    label: str
    checkout: Path
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    started: float = 0.0
    wall: float = 0.0

    def figures(self) -> dict[str, str]:
        text = self.log.read_text(errors="replace")
        user = _number(r"User time \(seconds\): ([\d.]+)", text)
        system = _number(r"System time \(seconds\): ([\d.]+)", text)
        summary = re.findall(r"=+ (.*(?:passed|failed).*) in [\d.]+s", text)
        coverage = re.findall(r"^TOTAL\s+.*?(\d+(?:\.\d+)?%)\s*$", text, re.MULTILINE)
        return {
            "wall": f"{self.wall:.0f} s",
            "cpu": f"{user + system:.0f} s",
            "tests": summary[-1] if summary else "?",
            "coverage": coverage[-1] if coverage else "not printed",
        }


def _number(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else 0.0


def checkout(commit: str, name: str) -> Path:
    """A detached worktree of `commit` in /tmp, with this checkout's virtualenv."""
    path = Path(f"/tmp/test_speed/{name}")
    if path.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)])
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(path), commit], check=True
    )
    (path / ".venv").symlink_to(ROOT / ".venv")
    (path / "var").mkdir(exist_ok=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="5573b8d")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument(
        "--databases", nargs="+", choices=["postgresql", "sqlite"], default=["postgresql", "sqlite"]
    )
    parser.add_argument(
        "--same-command",
        action="store_true",
        help="both sides run the after side's command (to compare two commits that have make test)",
    )
    parser.add_argument(
        "--no-coverage",
        action="store_true",
        help="the after side runs plain `pytest` too: the tests' time without coverage's tracer",
    )
    parser.add_argument(
        "-m",
        dest="marks",
        help="a pytest -m expression for both sides, e.g. 'not browser' (the Chromium tests apart)",
    )
    parser.add_argument("paths", nargs="*", help="test files present in both commits")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    commits = {
        name: subprocess.check_output(
            ["git", "-C", str(ROOT), "rev-parse", "--short", commit], text=True
        ).strip()
        for name, commit in (("before", args.before), ("after", args.after))
    }
    paths = {name: checkout(commit, name) for name, commit in commits.items()}
    # `-o`: the fresh checkout's pyproject.toml is newer than the shared venv's install stamp;
    # make must not reinstall the virtualenv, only run the tests.
    commands = {"before": ["pytest"], "after": ["make", "-o", ".venv/.installed-stamp", "test"]}
    if args.paths:
        commands = {"before": ["pytest", *args.paths], "after": [*MAKE_TEST_PYTEST, *args.paths]}
    runs = []
    if args.same_command:
        commands["before"] = commands["after"]
    if args.no_coverage:
        commands["after"] = ["pytest", *args.paths]
    if args.marks:
        # make would read `-m` as its own option: run make test's pytest command itself.
        commands = {
            name: [*(MAKE_TEST_PYTEST if command[0] == "make" else command), "-m", args.marks]
            for name, command in commands.items()
        }
    pairs = [(name, database) for database in args.databases for name in ("before", "after")]
    for offset, (name, database) in enumerate(pairs):
        env = {
            **os.environ,
            "COLLAB_TEST_BROKER_URL": REDIS,
            "COLLAB_TEST_CACHE_URL": REDIS,
            # The 20 slowest tests of each run are printed at its end (both runs alike).
            "PYTEST_ADDOPTS": f"--liveserver=127.0.0.1:{args.port + offset} --durations=20",
            "PATH": f"{paths[name] / '.venv' / 'bin'}:{os.environ['PATH']}",
        }
        env.pop("DATABASE_URL", None)
        if database == "postgresql":
            env["DATABASE_URL"] = f"{POSTGRES}collab_speed_{name}"
        label = f"{name} ({commits[name]}) on {database}"
        command = ["/usr/bin/time", "-v", *commands[name]]
        runs.append(Run(label, paths[name], command, env, OUT / f"{name}-{database}.log"))
    for run in runs:
        run.started = time.monotonic()
        with run.log.open("w") as log:
            run.process = subprocess.Popen(
                run.command, cwd=run.checkout, env=run.env, stdout=log, stderr=subprocess.STDOUT
            )
    for run in runs:
        run.process.wait()
        run.wall = time.monotonic() - run.started
    print("| run | wall | CPU (user+sys) | tests | line coverage |")
    print("|---|---|---|---|---|")
    figures = {run.label: run.figures() for run in runs}
    for run in runs:
        found = figures[run.label]
        print(
            f"| {run.label} | {found['wall']} | {found['cpu']} | {found['tests']} | "
            f"{found['coverage']} |"
        )
    for database in args.databases:
        before, after = (r for r in runs if r.label.endswith(database))
        cpu = [float(figures[r.label]["cpu"].split()[0]) or 1.0 for r in (before, after)]
        print(
            f"{database}: after/before wall {after.wall / before.wall:.2f}, "
            f"CPU {cpu[1] / cpu[0]:.2f}"
        )
    for name, command in commands.items():
        print(f"{name}: {' '.join(command)}")
    print(f"logs: {OUT}/*.log")


if __name__ == "__main__":
    main()
