"""`manage.py backup` and `manage.py restore` (collab/backup.py): an archive restores into an
empty database with the same rows per table and the same files; a damaged archive, or a
database that is not empty, is refused with a clear message and changes nothing.

The backup runs in this process, on the test database (committed data: transactional tests). The
restore runs as an operator runs it, `manage.py restore` in a subprocess, into a database of its
own: on PostgreSQL `<test database>_restore`, created here; on SQLite a new file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from collab import backup
from programs.models import Agreement
from tests.factories import AgreementFactory
from tests.worker import subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = b"%PDF-1.4\n% Nota Kesepakatan, ditandatangani 6 Februari 2024\n%%EOF\n"


class Target:
    """An empty database and var/ folder that `manage.py restore` runs against."""

    def __init__(self, tmp_path: Path) -> None:
        self.var_dir = tmp_path / "restored-var"
        self.var_dir.mkdir()
        if connection.vendor == "postgresql":
            self.name = f"{connection.settings_dict['NAME']}_restore"
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin(f'CREATE DATABASE "{self.name}"')
            self.url = subprocess_database_url().rsplit("/", 1)[0] + f"/{self.name}"
        else:
            self.name = str(tmp_path / "restored.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def admin(self, sql: str) -> None:
        import psycopg2

        db = connection.settings_dict
        server = psycopg2.connect(
            dbname="postgres",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(sql)
        server.close()

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def restore(self, archive: Path) -> subprocess.CompletedProcess:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("PYTEST_", "COLLAB_")) and name != "DATABASE_URL"
        }
        env |= {"DATABASE_URL": self.url, "COLLAB_VAR_DIR": str(self.var_dir), "COLLAB_ZEAL": "0"}
        return subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def row_counts(self) -> dict[str, int]:
        if connection.vendor == "postgresql":
            import psycopg2

            db = connection.settings_dict
            target = psycopg2.connect(
                dbname=self.name,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
            )
            try:
                with target.cursor() as cursor:
                    cursor.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    )
                    tables = sorted(row[0] for row in cursor.fetchall())
                    counts = {}
                    for table in tables:
                        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                        counts[table] = cursor.fetchone()[0]
            finally:
                target.close()
            return counts
        if not Path(self.name).exists():
            return {}
        target = sqlite3.connect(self.name)
        try:
            tables = sorted(
                row[0]
                for row in target.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            )
            return {t: target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            target.close()

    def files(self) -> dict[str, str]:
        """Relative path → SHA-256 of every file restored under var/private and var/media."""
        found = {}
        for folder in ("private", "media"):
            root = self.var_dir / folder
            if root.is_dir():
                for path in root.rglob("*"):
                    if path.is_file():
                        rel = f"{folder}/{path.relative_to(root).as_posix()}"
                        found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found


@pytest.fixture
def target(tmp_path):
    made = Target(tmp_path)
    yield made
    made.drop()


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def scanned(private_root, program):
    """An agreement with its signed scan in private storage, and an export file (not kept)."""
    agreement = AgreementFactory(program=program, number="NK/01/2024", title="Nota Kesepakatan")
    agreement.document.save("nota.pdf", ContentFile(SCAN), save=False)
    agreement.document_sha256 = hashlib.sha256(SCAN).hexdigest()
    agreement.save()
    exports = private_root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / "7-1.csv").write_text("rebuilt on request\n")
    return agreement


@pytest.fixture
def archive(tmp_path, scanned) -> Path:
    path = tmp_path / "backups" / "collab.tar"
    call_command("backup", output=path, verbosity=0)
    return path


def source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return backup.row_counts(connection, cursor)


def rewrite(archive: Path, change) -> None:
    """Rewrite the tar with `change(name, data) -> data | None` applied to each member's bytes
    (None drops the member)."""
    members = []
    with tarfile.open(archive) as source:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                members.append((member.name, data))
    with tarfile.open(archive, "w") as out:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def assert_nothing_changed(target: Target) -> None:
    assert target.row_counts() == {}
    assert target.files() == {}


# --- the round trip ----------------------------------------------------------------------------


def test_the_demo_data_and_an_uploaded_scan_come_back_with_the_same_rows_and_hashes(
    demo_data, scanned, private_root, tmp_path, target
):
    expected_rows = source_counts()
    assert expected_rows["programs_program"] >= 5  # the demo programmes (and the test's)
    assert expected_rows["collab_region"] > 1000  # the reference data came along
    archive = tmp_path / "collab.tar"

    call_command("backup", output=archive, verbosity=0)
    done = target.restore(archive)

    assert done.returncode == 0, done.stderr
    assert "Dipulihkan dari" in done.stdout
    assert target.row_counts() == expected_rows
    scan_name = Agreement.objects.get(pk=scanned.pk).document.name
    assert target.files() == {f"private/{scan_name}": hashlib.sha256(SCAN).hexdigest()}
    # Background exports are not kept (rebuilt on request, deleted after a day anyway).
    with tarfile.open(archive) as stored:
        names = stored.getnames()
    assert names[0] == "manifest.json"
    assert not [name for name in names if "/exports/" in name]


def test_the_manifest_lists_every_member_with_its_sha256_and_the_rows_per_table(archive):
    with tarfile.open(archive) as stored:
        manifest = json.load(stored.extractfile("manifest.json"))
        for name, facts in manifest["members"].items():
            data = stored.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == facts["sha256"]
            assert len(data) == facts["size"]
        assert sorted(stored.getnames()) == sorted(["manifest.json", *manifest["members"]])
    assert manifest["engine"] == connection.vendor
    assert manifest["database"] in manifest["members"]
    assert manifest["tables"] == source_counts()


# --- refusals: nothing changed -----------------------------------------------------------------


def test_a_damaged_database_dump_is_refused_and_nothing_is_restored(archive, target):
    dump = backup.DUMP_NAMES[connection.vendor]
    rewrite(archive, lambda name, data: flip_a_byte(data) if name == dump else data)

    done = target.restore(archive)

    assert done.returncode == 1
    assert f"Arsip rusak: {dump} tidak cocok dengan SHA-256 di manifest" in done.stderr
    assert "Tidak ada yang diubah" in done.stderr
    assert "Traceback" not in done.stderr
    assert_nothing_changed(target)


def test_a_damaged_scan_is_refused_and_nothing_is_restored(archive, target):
    rewrite(
        archive,
        lambda name, data: flip_a_byte(data) if name.startswith("files/private/") else data,
    )

    done = target.restore(archive)

    assert done.returncode == 1
    assert "files/private/agreements/" in done.stderr
    assert "tidak cocok dengan SHA-256" in done.stderr
    assert_nothing_changed(target)


def test_a_truncated_archive_is_refused_and_nothing_is_restored(archive, target):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    done = target.restore(archive)

    assert done.returncode == 1
    assert "Arsip rusak" in done.stderr
    assert "Traceback" not in done.stderr
    assert_nothing_changed(target)


def test_a_member_missing_or_not_in_the_manifest_is_refused(archive, target, tmp_path):
    other = tmp_path / "other.tar"
    other.write_bytes(archive.read_bytes())
    rewrite(archive, lambda name, data: None if name.startswith("files/") else data)
    rewrite(other, lambda name, data: data)
    with tarfile.open(other, "a") as stored:
        info = tarfile.TarInfo("files/private/agreements/slipped-in.pdf")
        info.size = 3
        stored.addfile(info, io.BytesIO(b"pdf"))

    missing = target.restore(archive)
    extra = target.restore(other)

    assert missing.returncode == 1
    assert "hilang" in missing.stderr
    assert extra.returncode == 1
    assert "slipped-in.pdf tidak tercantum di manifest" in extra.stderr
    assert_nothing_changed(target)


def test_a_database_that_is_not_empty_is_refused_and_left_as_it_was(archive, target):
    first = target.restore(archive)
    assert first.returncode == 0, first.stderr
    before = target.row_counts()
    files_before = target.files()

    again = target.restore(archive)

    assert again.returncode == 1
    assert "tidak kosong" in again.stderr
    assert "Pulihkan hanya ke basis data kosong" in again.stderr
    assert target.row_counts() == before
    assert target.files() == files_before


def test_an_archive_that_is_no_backup_is_refused(tmp_path, target):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"this is not a tar file at all" * 100)

    done = target.restore(junk)

    assert done.returncode == 1
    assert "bukan cadangan Collab Registry" in done.stderr
    assert_nothing_changed(target)
