"""Every user-facing string has an Indonesian translation, and the catalogue is up to date."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def parse_po(path: Path) -> list[dict]:
    """A minimal reader of the .po format: msgid, msgid_plural, msgstr[n], flags."""
    entries: list[dict] = []
    entry: dict = {"flags": set(), "msgstr": {}}
    key: tuple | None = None

    def flush() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set(), "msgstr": {}}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            key = ("msgid_plural",)
            entry["msgid_plural"] = eval_po_string(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            key = ("msgid",)
            entry["msgid"] = eval_po_string(line[len("msgid ") :])
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d+)\])? (.*)", line)
            index = int(match.group(1) or 0)
            key = ("msgstr", index)
            entry["msgstr"][index] = eval_po_string(match.group(2))
        elif line.startswith('"') and key is not None:
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += eval_po_string(line)
            else:
                entry[key[0]] += eval_po_string(line)
    flush()
    return entries


def eval_po_string(token: str) -> str:
    return token[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_every_string_has_an_indonesian_translation():
    entries = [e for e in parse_po(PO_FILE) if e["msgid"]]
    assert len(entries) > 100
    missing = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert missing == [], f"{len(missing)} strings without Indonesian translation: {missing[:20]}"
    assert fuzzy == [], f"fuzzy (unchecked) translations: {fuzzy[:20]}"


def test_the_compiled_catalogue_is_current():
    assert MO_FILE.exists(), "run `make messages` to compile locale/id/LC_MESSAGES/django.mo"
    assert MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime - 1
    with translation.override("id"):
        assert translation.gettext("Commitments") == "Komitmen"
        assert translation.gettext("Government") == "Pemerintah"


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the project finds no msgid the catalogue lacks."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("gettext is required in CI (.ci/run installs it)")
        pytest.skip("gettext (xgettext) is not installed")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "screenshots", "*.pyc")
    shutil.copytree(root, copy, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "id",
            "--no-obsolete",
            "--ignore=tests",
            "--ignore=bench",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "collab.settings"},
    )
    fresh = {e["msgid"] for e in parse_po(copy / "locale/id/LC_MESSAGES/django.po") if e["msgid"]}
    known = {e["msgid"] for e in parse_po(PO_FILE) if e["msgid"]}
    assert sorted(fresh - known) == [], "run `make messages` and translate the new strings"
