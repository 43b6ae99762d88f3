"""`manage.py load_reference`: the SDG taxonomy and every Indonesian administrative region.

Idempotent and additive: rows are matched by `code`, new ones are inserted, changed ones updated,
and nothing is ever deleted (sites and partners point at regions with PROTECT). Every file is read
and checked before the first write, and all writes share one transaction, so a bad file or a crash
leaves the database as it was. `make run` calls this on every start, so a run on loaded data must
only read: one query per table level, then no writes at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from collab.models import Region, SdgGoal, SdgIndicator, SdgTarget
from collab.numbers import grouped, seconds

# Large enough to keep the statement count low on PostgreSQL; Django lowers it further on SQLite
# to stay under that backend's bound-parameter limit.
BATCH_SIZE = 2000
# Smaller for updates: each row adds a CASE branch per field, and longer CASE expressions cost
# more per row to build and to run (measured: 500 is ~2x faster than 2000 on PostgreSQL).
UPDATE_BATCH_SIZE = 500

REGION_HEADER = ["code", "parent_code", "name", "kind"]

# Field attname → value for one row, in the shape `Model(**values)` and `values_list()` share.
Values = dict[str, Any]


@dataclass(frozen=True)
class RegionFile:
    """One level of the region hierarchy and the file that lists it."""

    level: Region.Level
    file_name: str
    label: str
    code_pattern: re.Pattern[str]
    kinds: frozenset[str]


REGION_FILES = (
    RegionFile(
        Region.Level.PROVINCE,
        "provinces.csv",
        "Provinsi",
        re.compile(r"\d{2}"),
        frozenset({Region.Kind.PROVINSI}),
    ),
    RegionFile(
        Region.Level.REGENCY,
        "regencies.csv",
        "Kabupaten/kota",
        re.compile(r"\d{2}\.\d{2}"),
        frozenset({Region.Kind.KABUPATEN, Region.Kind.KOTA}),
    ),
    RegionFile(
        Region.Level.DISTRICT,
        "districts.csv",
        "Kecamatan/distrik",
        re.compile(r"\d{2}\.\d{2}\.\d{2}"),
        frozenset({Region.Kind.KECAMATAN, Region.Kind.DISTRIK}),
    ),
    RegionFile(
        Region.Level.VILLAGE,
        "villages.csv",
        "Desa/kelurahan",
        re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"),
        frozenset({Region.Kind.KELURAHAN, Region.Kind.DESA, Region.Kind.DESA_ADAT}),
    ),
)

GOAL_CODE = re.compile(r"\d{1,2}")
TARGET_CODE = re.compile(r"\d{1,2}\.[0-9a-z]{1,2}")
INDICATOR_CODE = re.compile(r"\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}")

GOAL_FIELDS = ["number", "title_en", "title_id", "short_title_en", "short_title_id"]
TARGET_FIELDS = ["goal_id", "order", "title_en", "title_id"]
INDICATOR_FIELDS = ["target_id", "unsd_code", "order", "title_en", "title_id"]
REGION_FIELDS = ["name", "level", "kind", "parent_id"]


@dataclass
class RegionRow:
    parent_code: str
    name: str
    kind: str


@dataclass
class SdgData:
    """The parsed sdg.json: codes map to field values, children also name their parent's code."""

    goals: dict[str, Values]
    targets: dict[str, tuple[str, Values]]
    indicators: dict[str, tuple[str, Values]]


@dataclass
class SyncResult:
    total: int
    created: int
    updated: int
    # Rows the database has but the file no longer lists; kept, because others may point at them.
    not_in_file: int
    ids: dict[str, int]


def _max_length(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length


# --- reading and checking the files (no database access) -------------------------------------


def _read_text(path: Path) -> str:
    try:
        # utf-8-sig: a file re-saved by a spreadsheet program often gains a BOM.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"Berkas tidak ditemukan: {path}") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: bukan UTF-8 (byte {error.start})") from None
    except OSError as error:
        raise CommandError(f"{path}: tidak dapat dibaca ({error.strerror})") from None


def _parse_region_file(
    path: Path, spec: RegionFile, parent_codes: Mapping[str, object] | None
) -> dict[str, RegionRow]:
    """Rows of one region file by code; `parent_codes` are the codes of the level above."""
    rows: dict[str, RegionRow] = {}
    first_line: dict[str, int] = {}
    name_max = _max_length(Region, "name")
    # newline="": quoted fields may hold line breaks, which csv must see as such.
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))

    def fail(problem: str) -> CommandError:
        return CommandError(f"{path}, baris {reader.line_num}: {problem}")

    try:
        header = next(reader, None)
        if header != REGION_HEADER:
            raise fail(f"kepala kolom harus {','.join(REGION_HEADER)}")
        for record in reader:
            if not record:
                continue  # a blank line, e.g. at the end of a hand-edited file
            if len(record) != len(REGION_HEADER):
                raise fail(f"{len(record)} kolom, seharusnya {len(REGION_HEADER)}")
            code, parent_code, name, kind = (value.strip() for value in record)
            if not spec.code_pattern.fullmatch(code):
                raise fail(f"kode {code!r} bukan kode {spec.label.lower()}")
            if code in rows:
                raise fail(f"kode {code} sudah ada di baris {first_line[code]}")
            expected_parent = code.rpartition(".")[0]
            if parent_code != expected_parent:
                raise fail(
                    f"parent_code {parent_code!r} untuk {code}, seharusnya {expected_parent!r}"
                )
            if parent_codes is not None and parent_code not in parent_codes:
                raise fail(f"induk {parent_code} tidak ada di berkas tingkat di atasnya")
            if not name:
                raise fail("nama kosong")
            if len(name) > name_max:
                raise fail(f"nama lebih dari {name_max} karakter")
            if kind not in spec.kinds:
                allowed = ", ".join(sorted(spec.kinds))
                raise fail(f"jenis {kind!r} tidak dikenal, harus salah satu dari: {allowed}")
            rows[code] = RegionRow(parent_code=parent_code, name=name, kind=kind)
            first_line[code] = reader.line_num
    except csv.Error as error:
        raise fail(str(error)) from None
    return rows


def _parse_sdg(path: Path) -> SdgData:
    try:
        goals_json = json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}, baris {error.lineno}: JSON tidak sah ({error.msg})") from None

    def fail(where: str, problem: str) -> CommandError:
        return CommandError(f"{path}: {where}: {problem}")

    def text(entry: object, key: str, where: str, *, model: type[models.Model]) -> str:
        """A string field; null becomes "" because the text columns are not nullable."""
        if not isinstance(entry, dict):
            raise fail(where, "harus objek JSON")
        value = entry.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise fail(where, f"{key!r} harus teks")
        value = value.strip()
        field = model._meta.get_field(key)
        if field.max_length is not None and len(value) > field.max_length:
            raise fail(where, f"{key!r} lebih dari {field.max_length} karakter")
        return value

    def code(
        entry: object,
        where: str,
        *,
        model: type[models.Model],
        pattern: re.Pattern[str],
        prefix: str,
        seen: Mapping[str, object],
    ) -> str:
        value = text(entry, "code", where, model=model)
        if not pattern.fullmatch(value) or not value.startswith(prefix):
            raise fail(where, f"kode {value!r} tidak sah")
        if value in seen:
            raise fail(where, f"kode {value} ganda")
        return value

    def children(entry: dict, key: str, where: str) -> list:
        value = entry.get(key, [])
        if not isinstance(value, list):
            raise fail(where, f"{key!r} harus daftar")
        return value

    def required(value: str, key: str, where: str) -> str:
        if not value:
            raise fail(where, f"{key!r} kosong")
        return value

    if not isinstance(goals_json, list):
        raise fail("akar", "harus daftar tujuan")
    data = SdgData(goals={}, targets={}, indicators={})
    target_order = indicator_order = 0
    for goal_index, goal in enumerate(goals_json, start=1):
        where = f"tujuan ke-{goal_index}"
        goal_code = code(goal, where, model=SdgGoal, pattern=GOAL_CODE, prefix="", seen=data.goals)
        where = f"tujuan {goal_code}"
        data.goals[goal_code] = {
            "number": int(goal_code),
            "title_en": required(text(goal, "title_en", where, model=SdgGoal), "title_en", where),
            "title_id": text(goal, "title_id", where, model=SdgGoal),
            "short_title_en": text(goal, "short_title_en", where, model=SdgGoal),
            "short_title_id": text(goal, "short_title_id", where, model=SdgGoal),
        }
        for target_index, target in enumerate(children(goal, "targets", where), start=1):
            where = f"tujuan {goal_code}, target ke-{target_index}"
            target_code = code(
                target,
                where,
                model=SdgTarget,
                pattern=TARGET_CODE,
                prefix=f"{goal_code}.",
                seen=data.targets,
            )
            where = f"target {target_code}"
            # One running order over all targets (and all indicators) so that the models'
            # `ordering = ["order"]` gives the official order across goals too.
            target_order += 1
            title_en = required(text(target, "title_en", where, model=SdgTarget), "title_en", where)
            data.targets[target_code] = (
                goal_code,
                {
                    "order": target_order,
                    "title_en": title_en,
                    "title_id": text(target, "title_id", where, model=SdgTarget),
                },
            )
            for indicator_index, indicator in enumerate(
                children(target, "indicators", where), start=1
            ):
                where = f"target {target_code}, indikator ke-{indicator_index}"
                indicator_code = code(
                    indicator,
                    where,
                    model=SdgIndicator,
                    pattern=INDICATOR_CODE,
                    prefix=f"{target_code}.",
                    seen=data.indicators,
                )
                where = f"indikator {indicator_code}"
                indicator_order += 1
                title_en = text(indicator, "title_en", where, model=SdgIndicator)
                data.indicators[indicator_code] = (
                    target_code,
                    {
                        "unsd_code": text(indicator, "unsd_code", where, model=SdgIndicator),
                        "order": indicator_order,
                        "title_en": required(title_en, "title_en", where),
                        "title_id": text(indicator, "title_id", where, model=SdgIndicator),
                    },
                )
    return data


# --- writing ---------------------------------------------------------------------------------


def _sync(
    model: type[models.Model],
    queryset: models.QuerySet,
    rows: Mapping[str, Values],
    fields: list[str],
) -> SyncResult:
    """Insert the missing codes and update the changed ones; one read query, no deletes."""
    current: dict[str, tuple[int, tuple[Any, ...]]] = {
        code: (pk, tuple(values))
        # order_by(): the models' default ordering would only make this read slower.
        for code, pk, *values in queryset.order_by().values_list("code", "pk", *fields)
    }
    new_objects: list[models.Model] = []
    # Grouped by the set of fields that differ: bulk_update builds one CASE per field and row,
    # so writing only the changed fields (usually just `name`) keeps a large update cheap.
    changed: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
    for code, values in rows.items():
        found = current.get(code)
        if found is None:
            new_objects.append(model(code=code, **values))
            continue
        pk, old_values = found
        changed_fields = tuple(
            field
            for field, old_value in zip(fields, old_values, strict=True)
            if old_value != values[field]
        )
        if changed_fields:
            changed[changed_fields].append(model(pk=pk, code=code, **values))
    model.objects.bulk_create(new_objects, batch_size=BATCH_SIZE)
    for changed_fields, objects in changed.items():
        model.objects.bulk_update(objects, changed_fields, batch_size=UPDATE_BATCH_SIZE)

    ids = {code: pk for code, (pk, _values) in current.items()}
    if any(obj.pk is None for obj in new_objects):
        # A backend that cannot return ids from a bulk insert: read them back, once.
        ids = dict(queryset.order_by().values_list("code", "pk"))
    else:
        ids.update((obj.code, obj.pk) for obj in new_objects)
    return SyncResult(
        total=len(rows),
        created=len(new_objects),
        updated=sum(len(objects) for objects in changed.values()),
        not_in_file=sum(1 for code in current if code not in rows),
        ids=ids,
    )


class Command(BaseCommand):
    help = (
        "Memuat taksonomi SDG (tujuan, target, indikator) dan semua wilayah administrasi "
        "Indonesia. Aman dijalankan berulang: baris baru ditambah, yang berubah diperbarui, "
        "tidak ada yang dihapus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder berisi sdg.json dan regions/*.csv (bawaan: collab/data).",
        )

    def handle(
        self, *args: Any, data_dir: Path | str | None, verbosity: int, **options: Any
    ) -> None:
        self.verbosity = verbosity
        # call_command(data_dir="...") skips argparse's `type`, so a str may arrive here.
        data_dir = Path(data_dir) if data_dir else Path(apps.get_app_config("collab").path) / "data"
        started = time.perf_counter()

        # Read and check everything first: a bad villages.csv should fail before any write.
        sdg = _parse_sdg(data_dir / "sdg.json")
        region_rows: list[dict[str, RegionRow]] = []
        parent_codes: dict[str, RegionRow] | None = None
        for spec in REGION_FILES:
            rows = _parse_region_file(data_dir / "regions" / spec.file_name, spec, parent_codes)
            region_rows.append(rows)
            parent_codes = rows

        with transaction.atomic():
            self._load_sdg(sdg)
            parent_ids: dict[str, int] = {}
            for spec, rows in zip(REGION_FILES, region_rows, strict=True):
                parent_ids = self._load_region_level(spec, rows, parent_ids)

        if verbosity >= 1:
            elapsed = seconds(time.perf_counter() - started)
            self.stdout.write(self.style.SUCCESS(f"Data rujukan selesai dimuat ({elapsed} s)."))

    def _load_sdg(self, sdg: SdgData) -> None:
        started = time.perf_counter()
        goals = _sync(SdgGoal, SdgGoal.objects.all(), sdg.goals, GOAL_FIELDS)
        self._report("Tujuan SDG", goals, started)

        started = time.perf_counter()
        target_rows = {
            code: {"goal_id": goals.ids[goal_code], **values}
            for code, (goal_code, values) in sdg.targets.items()
        }
        targets = _sync(SdgTarget, SdgTarget.objects.all(), target_rows, TARGET_FIELDS)
        self._report("Target SDG", targets, started)

        started = time.perf_counter()
        indicator_rows = {
            code: {"target_id": targets.ids[target_code], **values}
            for code, (target_code, values) in sdg.indicators.items()
        }
        indicators = _sync(
            SdgIndicator, SdgIndicator.objects.all(), indicator_rows, INDICATOR_FIELDS
        )
        self._report("Indikator SDG", indicators, started)

    def _load_region_level(
        self, spec: RegionFile, rows: Mapping[str, RegionRow], parent_ids: Mapping[str, int]
    ) -> dict[str, int]:
        """Load one level; returns its code → id map, which resolves the next level's parents."""
        started = time.perf_counter()
        values = {
            code: {
                "name": row.name,
                "level": spec.level.value,
                "kind": row.kind,
                "parent_id": parent_ids[row.parent_code] if row.parent_code else None,
            }
            for code, row in rows.items()
        }
        result = _sync(Region, Region.objects.filter(level=spec.level), values, REGION_FIELDS)
        self._report(spec.label, result, started)
        return result.ids

    def _report(self, label: str, result: SyncResult, started: float) -> None:
        if self.verbosity < 1:
            return
        elapsed = seconds(time.perf_counter() - started)
        line = (
            f"{label}: {grouped(result.total)} baris, {grouped(result.created)} baru, "
            f"{grouped(result.updated)} diperbarui"
        )
        if result.not_in_file:
            line += f", {grouped(result.not_in_file)} tidak ada di berkas (dibiarkan)"
        self.stdout.write(f"{line} ({elapsed} s)")
