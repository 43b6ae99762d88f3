"""The demo data set, read from `data/<slug>.toml` and checked before anything is written.

One file per programme, each citing in its `[source]` table the public report (title,
publisher, date) its facts come from; the values are in Indonesian as the report writes them,
with obvious typing slips corrected and said so in a comment. Where a field needs a choice
that the report does not make (a pillar, a partner kind, a programme role), the comment says
"our reading": those are the values to change if a reader of the report disagrees. Unknown
values stay out: nothing is invented, no amounts, baselines or dates the reports do not give.
Statuses (programme, site, work plan) are as each report describes them on its own date.

The tables of a file, their keys in `SCHEMA` below (a key left out takes its default):

    [source]                 the report: title, publisher, published_on
    [program]                the programme itself, found by its slug (= the file's name)
    [[partners]]             organisations, found by name across all files; may list
      [[partners.contacts]]  their people
    [[program_partners]]     each partner's role in this programme
    [[sites]]                pilot sites, by region code (from `load_reference`)
    [[meetings]]             with `attendance` (inline tables) and `decisions` (texts)
    [[action_items]]         the work plan, in order
    [[agreements]]           with [[agreements.signatories]] and [[agreements.sections]]
    [[commitments]]
    [[indicators]]

Choices are written as their stored codes and checked against the models' TextChoices; a
reference to a partner, contact or meeting must name one the files define. A slip stops the
command with the file and the key, before the database is touched.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models

from collab.models import Region, SdgGoal, SdgTarget
from partners.models import PartnerKind, Pillar
from programs.models import ActionItem, Agreement, Commitment, Indicator, Meeting, ProgramPartner

Row = dict[str, Any]

DATA_DIR = Path(__file__).resolve().with_name("data")
PROJECT_DIR = DATA_DIR.parents[2]

# The files in load order: partners are created in this order, and the coordinator accounts
# follow it.
PROGRAM_SLUGS = [
    "kota-sdgs-bengkulu",
    "peduli-sdgs",
    "kotaku",
    "kelurahan-mandiri-madiun",
    "kalibaru-hub",
]


class DemoDataError(Exception):
    """A data file that cannot be read or does not fit SCHEMA; the message names file and key."""


REQUIRED = object()


@dataclass(frozen=True)
class Key:
    """One key of a table: its type, its default (REQUIRED if none), and what it holds."""

    type: type
    default: Any = REQUIRED
    choices: type[models.TextChoices] | None = None
    # For a list: the schema of its tables, or the type of its items.
    table: str | None = None
    item: type | None = None


def text(default: Any = "") -> Key:
    return Key(str, default)


def tables(schema: str) -> Key:
    return Key(list, [], table=schema)


def texts() -> Key:
    return Key(list, [], item=str)


SCHEMA: dict[str, dict[str, Key]] = {
    "file": {
        "source": Key(dict, table="source"),
        "program": Key(dict, table="program"),
        "partners": tables("partner"),
        "program_partners": tables("program_partner"),
        "sites": tables("site"),
        "meetings": tables("meeting"),
        "action_items": tables("action_item"),
        "agreements": tables("agreement"),
        "commitments": tables("commitment"),
        "indicators": tables("indicator"),
    },
    "source": {"title": Key(str), "publisher": Key(str), "published_on": Key(date)},
    "program": {
        "slug": Key(str),
        "name": Key(str),
        "description": Key(str),
        "sdg_goals": texts(),
        "sdg_targets": texts(),
        "meeting_cadence_months": Key(int, None),
        # Published on the public pages and open data (Program.is_public).
        "is_public": Key(bool, False),
        # The meeting that published the work plan: every action item points at it.
        "action_items_meeting": text(None),
    },
    "partner": {
        "name": Key(str),
        "acronym": text(),
        "pillar": Key(str, choices=Pillar),
        "kind": Key(str, choices=PartnerKind),
        "region": text(None),
        "parent": text(None),
        "email": text(),
        "description": text(),
        "contacts": tables("contact"),
    },
    "contact": {"name": Key(str), "position": text()},
    "program_partner": {
        "partner": Key(str),
        "role": Key(str, choices=ProgramPartner.Role),
        "note": text(),
    },
    "site": {"region": Key(str), "name": Key(str), "rationale": text(), "priority_issues": text()},
    "meeting": {
        "kind": Key(str, choices=Meeting.Kind),
        "title": Key(str),
        "starts_on": Key(date),
        "ends_on": Key(date, None),
        "venue": text(),
        "chair": text(),
        "moderator": text(),
        "participant_count": Key(int, None),
        "summary": Key(str),
        "attendance": tables("attendance"),
        "decisions": texts(),
    },
    "attendance": {"partner": Key(str), "contact": text(None), "role": text()},
    "action_item": {
        "title": Key(str),
        # The plan's own words for when; when given, it becomes the description.
        "timing": text(),
        "description": text(),
        "responsible": text(None),
        "starts_on": Key(date, None),
        "due_on": Key(date, None),
        "status": Key(str, ActionItem.Status.PLANNED.value, choices=ActionItem.Status),
    },
    "agreement": {
        "kind": Key(str, choices=Agreement.Kind),
        "title": Key(str),
        "signed_on": Key(date),
        "signed_at": Key(str),
        "meeting": Key(str),
        "signatories": tables("signatory"),
        # Numbered (1), (2), …; then sections 1, 2, … with clauses 1.1, 1.2, …
        "declarations": texts(),
        "sections": tables("section"),
    },
    "signatory": {"signer_name": Key(str), "signed_on": Key(date)},
    "section": {"title": Key(str), "clauses": texts()},
    "commitment": {
        "partner": Key(str),
        "meeting": Key(str),
        "title": Key(str),
        "description": Key(str),
        "kind": Key(str, choices=Commitment.Kind),
    },
    "indicator": {
        "name": Key(str),
        "unit": text(),
        "direction": Key(str, choices=Indicator.Direction),
        # Amounts as strings ("12.5") or integers, never floats.
        "target_value": Key(Decimal, None),
        "target_on": Key(date, None),
    },
}


def checked(value: Any, key: Key, where: str) -> Any:
    """`value` as the loader wants it, or DemoDataError naming `where`."""
    if key.type is Decimal and isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise DemoDataError(f"{where}: {value!r} bukan angka") from None
    # A bool is an int to Python: only a bool key takes one.
    wrong_type = not isinstance(value, key.type) or (
        isinstance(value, bool) and key.type is not bool
    )
    if key.type is date and isinstance(value, datetime):
        wrong_type = True
    if wrong_type:
        raise DemoDataError(f"{where}: {value!r} harus bertipe {key.type.__name__}")
    if key.choices is not None and value not in key.choices.values:
        allowed = ", ".join(key.choices.values)
        raise DemoDataError(f"{where}: nilai {value!r} tidak dikenal (pilihan: {allowed})")
    if key.table and isinstance(value, dict):
        return read_table(value, key.table, where)
    if key.table:
        return [read_table(row, key.table, f"{where}[{n}]") for n, row in enumerate(value)]
    if key.item:
        return [checked(item, Key(key.item), f"{where}[{n}]") for n, item in enumerate(value)]
    return value


def read_table(row: Any, schema: str, where: str) -> Row:
    """The table `row`, every key of `SCHEMA[schema]` checked and the missing ones defaulted."""
    if not isinstance(row, dict):
        raise DemoDataError(f"{where}: harus berupa tabel")
    keys = SCHEMA[schema]
    unknown = sorted(set(row) - set(keys))
    if unknown:
        allowed = ", ".join(keys)
        raise DemoDataError(f"{where}.{unknown[0]}: kunci tidak dikenal (kunci: {allowed})")
    result = {}
    for name, key in keys.items():
        path = f"{where}.{name}" if where else name
        if name in row:
            result[name] = checked(row[name], key, path)
        elif key.default is REQUIRED:
            raise DemoDataError(f"{path}: wajib diisi")
        else:
            result[name] = list(key.default) if isinstance(key.default, list) else key.default
    return result


def check_references(source: Row, partners: dict[str, Row]) -> None:
    """Every name a file points at is defined: partners (in any file), contacts, meetings."""
    meetings = {meeting["title"] for meeting in source["meetings"]}

    def check(name: str | None, defined: Any, where: str, what: str) -> None:
        if name is not None and name not in defined:
            raise DemoDataError(f"{where}: {what} {name!r} tidak didefinisikan")

    check(
        source["program"]["action_items_meeting"], meetings, "program.action_items_meeting", "rapat"
    )
    for n, row in enumerate(source["program_partners"]):
        check(row["partner"], partners, f"program_partners[{n}].partner", "mitra")
    for m, meeting in enumerate(source["meetings"]):
        for n, row in enumerate(meeting["attendance"]):
            where = f"meetings[{m}].attendance[{n}]"
            check(row["partner"], partners, f"{where}.partner", "mitra")
            contacts = {contact["name"] for contact in partners[row["partner"]]["contacts"]}
            check(row["contact"], contacts, f"{where}.contact", "kontak")
    for n, row in enumerate(source["action_items"]):
        check(row["responsible"], partners, f"action_items[{n}].responsible", "mitra")
    for n, row in enumerate(source["agreements"]):
        check(row["meeting"], meetings, f"agreements[{n}].meeting", "rapat")
    for n, row in enumerate(source["commitments"]):
        check(row["partner"], partners, f"commitments[{n}].partner", "mitra")
        check(row["meeting"], meetings, f"commitments[{n}].meeting", "rapat")


@cache
def sources() -> tuple[Row, ...]:
    """Every data file, read and checked, in the order of PROGRAM_SLUGS."""
    strays = {path.stem for path in DATA_DIR.glob("*.toml")} - set(PROGRAM_SLUGS)
    if strays:
        where = DATA_DIR.relative_to(PROJECT_DIR)
        raise DemoDataError(f"{where}: berkas di luar PROGRAM_SLUGS: {', '.join(sorted(strays))}")
    paths = [DATA_DIR / f"{slug}.toml" for slug in PROGRAM_SLUGS]
    result = []
    partners: dict[str, Row] = {}
    for path in paths:
        with errors_named(path):
            with path.open("rb") as file:
                source = read_table(tomllib.load(file), "file", "")
            if source["program"]["slug"] != path.stem:
                raise DemoDataError(
                    f"program.slug: {source['program']['slug']!r} harus {path.stem!r}, "
                    "seperti nama berkasnya"
                )
            for n, partner in enumerate(source["partners"]):
                if partner["name"] in partners:
                    raise DemoDataError(f"partners[{n}].name: {partner['name']!r} sudah ada")
                # Partners are saved in this order: a parent must come before its child.
                if partner["parent"] is not None and partner["parent"] not in partners:
                    raise DemoDataError(
                        f"partners[{n}].parent: {partner['parent']!r} belum didefinisikan"
                    )
                partners[partner["name"]] = partner
        result.append(source)
    # Partners are all saved before the first programme: a file may name one from any file.
    for path, source in zip(paths, result, strict=True):
        with errors_named(path):
            check_references(source, partners)
    return tuple(result)


@contextmanager
def errors_named(path: Path) -> Iterator[None]:
    """Any error in reading or checking `path` becomes a DemoDataError that names the file."""
    try:
        yield
    except (OSError, tomllib.TOMLDecodeError, DemoDataError) as error:
        raise DemoDataError(f"{path.relative_to(PROJECT_DIR)}: {error}") from error


def required_region_codes() -> set[str]:
    """Every region the data points at (sites and partners)."""
    codes: set[str] = set()
    for source in sources():
        codes.update(p["region"] for p in source["partners"] if p["region"])
        codes.update(site["region"] for site in source["sites"])
    return codes


def missing_reference() -> dict[str, list[str]]:
    """What the data needs from `load_reference` but the database lacks, by kind of row."""
    wanted = {
        "wilayah": (Region, required_region_codes()),
        "tujuan SDG": (SdgGoal, {code for s in sources() for code in s["program"]["sdg_goals"]}),
        "target SDG": (
            SdgTarget,
            {code for s in sources() for code in s["program"]["sdg_targets"]},
        ),
    }
    missing = {}
    for label, (model, codes) in wanted.items():
        present = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
        if codes - present:
            missing[label] = sorted(codes - present)
    return missing
