"""Backups that restore: `manage.py backup` and `manage.py restore ARCHIVE`.

One archive (an uncompressed tar: the dump is compressed already, scans are PDFs) holds

    manifest.json         format, engine, when, row count per table, SHA-256 and size per member
    database.pgdump       PostgreSQL: `pg_dump --format=custom`, or
    database.sqlite3      SQLite: a copy made with the online backup API
    files/private/...     PRIVATE_MEDIA_ROOT (signed scans), without exports/ (rebuilt on request,
                          deleted after a day anyway) and without .part / probe files
    files/media/...       MEDIA_ROOT (spreadsheets parked between an import's preview and confirm)

The database is read in one snapshot: on PostgreSQL the counts are taken in a REPEATABLE READ
transaction whose snapshot `pg_dump --snapshot` dumps; on SQLite the counts are read from the
copy. The files are copied after the dump: a scan uploaded meanwhile is in the archive without
its row (harmless), a scan replaced meanwhile may be missing (it is replaced, the new one is in).

Restore changes nothing until the archive has proved whole: every member is read and checked
against the manifest (and no member may be outside it), the target database must be empty
(no table at all) and no restored file may already exist. Then the dump goes in (pg_restore
in one transaction; SQLite's backup API into the target file), the row counts are compared
with the manifest, and the files are copied into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# PRIVATE_MEDIA_ROOT's own folders that are not kept: background exports (rebuilt on request).
SKIPPED_PRIVATE = {"exports"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_roots() -> dict[str, Path]:
    """Archive folder → the folder on disk it comes from and goes back to."""
    return {
        "files/private": Path(settings.PRIVATE_MEDIA_ROOT),
        "files/media": Path(settings.MEDIA_ROOT),
    }


def kept_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or path.is_symlink():
            continue
        if root == Path(settings.PRIVATE_MEDIA_ROOT) and relative.parts[0] in SKIPPED_PRIVATE:
            continue
        if path.name.endswith(".part") or path.name.startswith(".health-"):
            continue
        yield path


def quote_name(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def row_counts(connection, cursor) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(connection, table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def libpq_arguments(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore's connection options and environment for a Django database."""
    arguments = []
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"Program `{command[0]}` tidak ditemukan: pasang postgresql-client "
            "(versi yang sama dengan server atau lebih baru)."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"`{command[0]}` gagal ({done.returncode}): {done.stderr.strip()}")


# --- backup ------------------------------------------------------------------------------------


def dump_postgresql(connection, target: Path) -> dict[str, int]:
    """pg_dump of one snapshot, and the row counts of that same snapshot."""
    if connection.in_atomic_block:
        raise BackupError("Cadangan tidak dapat dibuat di dalam transaksi yang sedang berjalan.")
    arguments, env = libpq_arguments(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(connection, cursor)
        # The snapshot stays importable while this transaction is open.
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                *arguments,
                "--dbname",
                connection.settings_dict["NAME"],
                "--file",
                str(target),
            ],
            env,
        )
    return counts


def dump_sqlite(connection, target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {}
        for table in sorted(tables):
            counts[table] = cursor.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        copy.close()
    return counts


def engine_of(connection) -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Basis data {connection.vendor} tidak didukung (PostgreSQL, SQLite).")
    return connection.vendor


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    size: int


def default_archive_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"collab-{stamp}.tar"


def backup(output: Path | None = None, *, using: str = "default") -> BackupResult:
    """Write the archive to `output` (by default var/backups/collab-<time>.tar)."""
    connection = connections[using]
    engine = engine_of(connection)
    output = Path(output or default_archive_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="collab-backup-", dir=output.parent) as work:
        dump = Path(work) / DUMP_NAMES[engine]
        counts = (dump_postgresql if engine == "postgresql" else dump_sqlite)(connection, dump)
        members: dict[str, Path] = {dump.name: dump}
        for folder, root in file_roots().items():
            for path in kept_files(root):
                members[f"{folder}/{path.relative_to(root).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "database": dump.name,
            "tables": counts,
            "members": {
                name: {"sha256": sha256_of(path), "size": path.stat().st_size}
                for name, path in members.items()
            },
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)  # a half-written archive never carries the final name
    return BackupResult(
        path=output,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(members) - 1,
        size=output.stat().st_size,
    )


# --- restore -----------------------------------------------------------------------------------


def safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def unpack(archive_path: Path, into: Path) -> dict[str, Any]:
    """Extract and check the archive: the manifest, and every member against it."""
    if not archive_path.is_file():
        raise BackupError(f"Arsip {archive_path} tidak ditemukan.")
    try:
        with tarfile.open(archive_path, "r:") as archive:
            names = []
            for member in archive:
                if not member.isfile() or not safe_member_name(member.name):
                    raise BackupError(
                        f"Arsip rusak atau bukan cadangan Collab Registry: isi tak terduga "
                        f"{member.name!r}."
                    )
                names.append(member.name)
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(
            f"Arsip rusak atau bukan cadangan Collab Registry ({error}). Tidak ada yang diubah."
        ) from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        listed = manifest["members"]
        engine = manifest["engine"]
        database = manifest["database"]
        manifest["tables"].items()  # noqa: B018  (a mapping, or the manifest is damaged)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(
            "Arsip rusak: manifest.json tidak ada atau tidak terbaca. Tidak ada yang diubah."
        ) from None
    if manifest.get("format") != FORMAT or engine not in DUMP_NAMES or database not in listed:
        raise BackupError(
            "Arsip ini bukan cadangan yang dikenal (format lain). Tidak ada yang diubah."
        )
    extra = sorted(set(names) - set(listed) - {MANIFEST})
    missing = sorted(set(listed) - set(names))
    damaged = [
        name
        for name, facts in sorted(listed.items())
        if name in names
        and (
            (into / name).stat().st_size != facts.get("size")
            or sha256_of(into / name) != facts.get("sha256")
        )
    ]
    problems = [
        *(f"{name} tidak cocok dengan SHA-256 di manifest" for name in damaged),
        *(f"{name} hilang" for name in missing),
        *(f"{name} tidak tercantum di manifest" for name in extra),
    ]
    if problems:
        raise BackupError(
            "Arsip rusak: "
            + "; ".join(problems[:5])
            + (f" (dan {len(problems) - 5} lainnya)" if len(problems) > 5 else "")
            + ". Tidak ada yang diubah."
        )
    return manifest


def existing_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    created_at: str


def restore(archive_path: Path, *, using: str = "default") -> RestoreResult:
    """Bring the archive into the (empty) database `using` and the private folders."""
    connection = connections[using]
    engine = engine_of(connection)
    with tempfile.TemporaryDirectory(prefix="collab-restore-") as work:
        unpacked = Path(work)
        manifest = unpack(Path(archive_path), unpacked)
        if manifest["engine"] != engine:
            raise BackupError(
                f"Arsip ini berisi basis data {manifest['engine']}, sedangkan tujuan adalah "
                f"{engine}. Tidak ada yang diubah."
            )
        tables = existing_tables(connection)
        if tables:
            raise BackupError(
                f"Basis data tujuan {connection.settings_dict['NAME']} tidak kosong "
                f"({len(tables)} tabel, mis. {tables[0]}). Pulihkan hanya ke basis data kosong "
                "(buat yang baru, misalnya `createdb collab_pulih`, lalu arahkan DATABASE_URL "
                "ke sana). Tidak ada yang diubah."
            )
        placed = {}
        for name in manifest["members"]:
            for folder, root in file_roots().items():
                if name.startswith(folder + "/"):
                    placed[name] = root / name.removeprefix(folder + "/")
        clashes = sorted(str(path) for path in placed.values() if path.exists())
        if clashes:
            raise BackupError(
                f"Berkas tujuan sudah ada (mis. {clashes[0]}; {len(clashes)} berkas): pulihkan ke "
                "folder berkas yang kosong. Tidak ada yang diubah."
            )

        dump = unpacked / manifest["database"]
        if engine == "postgresql":
            load_postgresql(connection, dump)
        else:
            load_sqlite(connection, dump)
        connection.close()
        with connection.cursor() as cursor:
            counts = row_counts(connection, cursor)
        expected = {table: int(count) for table, count in manifest["tables"].items()}
        if counts != expected:
            differing = sorted(
                table
                for table in set(counts) | set(expected)
                if counts.get(table) != expected.get(table)
            )
            raise BackupError(
                "Jumlah baris setelah pemulihan tidak sama dengan manifest: "
                + ", ".join(differing[:5])
            )
        for name, target in placed.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(unpacked / name, target)
    return RestoreResult(
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(placed),
        created_at=manifest.get("created_at", ""),
    )


def load_postgresql(connection, dump: Path) -> None:
    arguments, env = libpq_arguments(connection.settings_dict)
    connection.close()  # pg_restore works on its own connection
    run_tool(
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            *arguments,
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        env,
    )


def load_sqlite(connection, dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # One step: the target is written in one transaction, all or nothing.
        source.backup(connection.connection)
    finally:
        source.close()
