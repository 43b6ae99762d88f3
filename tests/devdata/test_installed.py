"""devdata is development tooling: installed by default, absent when COLLAB_ENV=production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "COLLAB_ENV": "production",
    "COLLAB_SECRET_KEY": "x",
    "COLLAB_ALLOWED_HOSTS": "example.org",
}
# Settings are read once per process: each environment gets a fresh interpreter.
PROBE = (
    "import django; django.setup()\n"
    "from django.apps import apps\n"
    "from django.core.management import get_commands\n"
    "print(apps.is_installed('devdata'), 'generate_scale_data' in get_commands())\n"
)


def installed_and_known(**environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COLLAB_")}
    env.update(DJANGO_SETTINGS_MODULE="collab.settings", **environment)
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_it_is_installed_in_development():
    assert installed_and_known() == "True True"


def test_it_is_not_installed_in_production():
    assert installed_and_known(**PRODUCTION) == "False False"


def test_manage_py_does_not_know_the_command_in_production():
    env = {key: value for key, value in os.environ.items() if not key.startswith("COLLAB_")}
    env.update(DJANGO_SETTINGS_MODULE="collab.settings", **PRODUCTION)
    completed = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    commands = completed.stdout.split()
    assert "load_reference" in commands  # the listing is the real one
    assert "generate_scale_data" not in commands
