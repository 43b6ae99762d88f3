"""Writes the demo data set (`data.py` reads it) and the demo accounts, for `manage.py load_demo`.

Every row is looked up by its natural key and saved only when a field differs, because
django-simple-history writes a history row on every save(): a second run must leave both the
data and its history untouched.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import translation
from django.utils.formats import date_format

from collab.models import Region, SdgGoal, SdgTarget
from partners.models import Contact, Partner
from programs.demo.data import PROGRAM_SLUGS, Row, required_region_codes, sources
from programs.models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    Decision,
    Indicator,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)
from programs.services.program import ensure_staff_group, grant_coordinator, grant_viewer

# Demo accounts (DESIGN "Commands and settings"); coordinators follow the programmes.
ADMIN_USERNAME = "admin"
STAFF_USERNAME = "staf"
VIEWER_USERNAME = "pemantau"
VIEWER_PROGRAM = "kota-sdgs-bengkulu"


def coordinator_username(slug: str) -> str:
    return f"koordinator-{slug}"


DEMO_USERNAMES = [ADMIN_USERNAME, STAFF_USERNAME, VIEWER_USERNAME] + [
    coordinator_username(slug) for slug in PROGRAM_SLUGS
]


def long_date(day: date) -> str:
    """`23 Mei 2018`: the command speaks Indonesian whatever the interface language."""
    with translation.override("id"):
        return date_format(day, "j F Y")


@dataclass
class AccountsResult:
    """What happened to the demo accounts; the command turns it into lines for the user."""

    created: list[str] = field(default_factory=list)
    # Existing accounts whose password was set from COLLAB_DEMO_PASSWORD on this run.
    password_reset: list[str] = field(default_factory=list)
    # Set only when accounts were created without COLLAB_DEMO_PASSWORD: shown once, never stored.
    generated_password: str | None = None


@dataclass
class LoadResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    accounts: AccountsResult = field(default_factory=AccountsResult)


class DemoLoader:
    """Writes the data files; every row is found by its natural key and saved only on change."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.result = LoadResult()
        self.partners: dict[str, Partner] = {}
        self.contacts: dict[tuple[str, str], Contact] = {}
        self.regions: dict[str, Region] = {
            region.code: region
            for region in Region.objects.filter(code__in=required_region_codes())
        }

    # --- the one write path ---------------------------------------------------------------------

    def sync(self, model: type[models.Model], lookup: Row, values: Row) -> Any:
        """The row matching `lookup`, created or brought up to `values`; saved only on change."""
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        label = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**lookup, **values)
            self.save(obj)
            self.result.created[label] += 1
            return obj
        changed = False
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            # Compare foreign keys by id: reading the related object would cost a query each.
            wanted = value.pk if model_field.is_relation and value is not None else value
            if getattr(obj, model_field.attname) != wanted:
                setattr(obj, name, value)
                changed = True
        if changed:
            self.save(obj)
            self.result.updated[label] += 1
        return obj

    @staticmethod
    def save(obj: models.Model) -> None:
        """Validate the fields (a slip in the data files gets a readable message), then save.

        Foreign keys, uniqueness and constraints are left to the database, which enforces them
        anyway inside the load's transaction: checking them here costs a query each and would
        make the load several times slower for nothing.
        """
        foreign_keys = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
        obj.save()

    def sync_m2m(self, obj: models.Model, name: str, wanted: Iterable[models.Model]) -> None:
        """Bring a many-to-many relation to `wanted`, touching only the pairs that differ.

        add() and remove() send m2m_changed, so the history records a change; reading through
        the `through` table rather than the relation keeps the read out of the N+1 detector.
        """
        manager = getattr(obj, name)
        through = manager.through
        source, target = manager.source_field_name, manager.target_field_name
        current = set(
            through.objects.filter(**{source: obj}).values_list(f"{target}_id", flat=True)
        )
        wanted_ids = {item.pk for item in wanted}
        if wanted_ids - current:
            manager.add(*(wanted_ids - current))
        if current - wanted_ids:
            manager.remove(*(current - wanted_ids))

    # --- the data set ---------------------------------------------------------------------------

    def load(self, *, password: str | None) -> LoadResult:
        for source in sources():
            for partner in source["partners"]:
                self.load_partner(partner)
        self.log(f"Mitra: {sum(len(s['partners']) for s in sources())} organisasi.")
        for source in sources():
            program = self.load_program(source)
            report = source["source"]
            self.log(
                f"Program {program.name} ({program.slug}) dari “{report['title']}”, "
                f"{report['publisher']}, {long_date(report['published_on'])}."
            )
        self.result.accounts = self.load_accounts(password)
        return self.result

    def load_partner(self, data: Row) -> None:
        partner = self.sync(
            Partner,
            {"name": data["name"]},
            {
                "acronym": data["acronym"],
                "pillar": data["pillar"],
                "kind": data["kind"],
                "parent": self.partners[data["parent"]] if data["parent"] else None,
                "region": self.regions[data["region"]] if data["region"] else None,
                "email": data["email"],
                "description": data["description"],
            },
        )
        self.partners[partner.name] = partner
        for contact in data["contacts"]:
            self.contacts[partner.name, contact["name"]] = self.sync(
                Contact,
                {"partner": partner, "name": contact["name"]},
                {"position": contact["position"]},
            )

    def load_program(self, source: Row) -> Program:
        data = source["program"]
        program = self.sync(
            Program,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "description": data["description"],
                "meeting_cadence_months": data["meeting_cadence_months"],
                "is_public": data["is_public"],
            },
        )
        self.sync_m2m(program, "sdg_goals", SdgGoal.objects.filter(code__in=data["sdg_goals"]))
        self.sync_m2m(
            program, "sdg_targets", SdgTarget.objects.filter(code__in=data["sdg_targets"])
        )
        for row in source["program_partners"]:
            self.sync(
                ProgramPartner,
                {"program": program, "partner": self.partners[row["partner"]], "role": row["role"]},
                {"note": row["note"]},
            )
        for site in source["sites"]:
            self.sync(
                Site,
                {"program": program, "region": self.regions[site["region"]]},
                {
                    "name": site["name"],
                    "rationale": site["rationale"],
                    "priority_issues": site["priority_issues"],
                },
            )
        meetings = {
            meeting["title"]: self.load_meeting(program, meeting) for meeting in source["meetings"]
        }
        work_plan_meeting = meetings.get(data["action_items_meeting"])
        for order, item in enumerate(source["action_items"], start=1):
            description = item["description"]
            if item["timing"]:
                description = f"Jadwal dalam rencana kerja: {item['timing']}"
            self.sync(
                ActionItem,
                {"program": program, "title": item["title"]},
                {
                    "meeting": work_plan_meeting,
                    "description": description,
                    "responsible": self.partners.get(item["responsible"]),
                    "starts_on": item["starts_on"],
                    "due_on": item["due_on"],
                    "status": item["status"],
                    "order": order,
                },
            )
        for agreement in source["agreements"]:
            self.load_agreement(program, agreement, meetings)
        for commitment in source["commitments"]:
            partner = self.partners[commitment["partner"]]
            self.sync(
                Commitment,
                {"program": program, "partner": partner, "title": commitment["title"]},
                {
                    "meeting": meetings[commitment["meeting"]],
                    "description": commitment["description"],
                    "kind": commitment["kind"],
                },
            )
        for indicator in source["indicators"]:
            self.sync(
                Indicator,
                {"program": program, "name": indicator["name"]},
                {key: value for key, value in indicator.items() if key != "name"},
            )
        return program

    def load_meeting(self, program: Program, data: Row) -> Meeting:
        meeting = self.sync(
            Meeting,
            {"program": program, "title": data["title"], "starts_on": data["starts_on"]},
            {
                "kind": data["kind"],
                "ends_on": data["ends_on"],
                "venue": data["venue"],
                "chair": data["chair"],
                "moderator": data["moderator"],
                "participant_count": data["participant_count"],
                "summary": data["summary"],
            },
        )
        for attendance in data["attendance"]:
            partner_name, contact_name = attendance["partner"], attendance["contact"]
            self.sync(
                Attendance,
                {"meeting": meeting, "partner": self.partners[partner_name]},
                {
                    "contact": self.contacts[partner_name, contact_name] if contact_name else None,
                    "role": attendance["role"],
                },
            )
        for number, text in enumerate(data["decisions"], start=1):
            self.sync(Decision, {"meeting": meeting, "number": number}, {"text": text})
        return meeting

    def load_agreement(self, program: Program, data: Row, meetings: dict[str, Meeting]) -> None:
        agreement = self.sync(
            Agreement,
            {"program": program, "title": data["title"]},
            {
                "kind": data["kind"],
                "signed_on": data["signed_on"],
                "signed_at": data["signed_at"],
                "status": Agreement.Status.SIGNED,
                "meeting": meetings[data["meeting"]],
            },
        )
        for order, signatory in enumerate(data["signatories"], start=1):
            self.sync(
                Signatory,
                {"agreement": agreement, "signer_name": signatory["signer_name"]},
                {"signed_on": signatory["signed_on"], "order": order},
            )
        # Reading order: declarations "(1)", "(2)", then each section followed by its clauses.
        order = 0

        def clause(number: str, text: str, parent: Clause | None = None) -> Clause:
            nonlocal order
            order += 1
            return self.sync(
                Clause,
                {"agreement": agreement, "order": order},
                {"number": number, "text": text, "parent": parent},
            )

        for index, text in enumerate(data["declarations"], start=1):
            clause(f"({index})", text)
        for section_number, section in enumerate(data["sections"], start=1):
            parent = clause(str(section_number), section["title"])
            for index, text in enumerate(section["clauses"], start=1):
                clause(f"{section_number}.{index}", text, parent=parent)

    # --- demo accounts --------------------------------------------------------------------------

    def load_accounts(self, password: str | None) -> AccountsResult:
        """admin, staf, pemantau and one coordinator per programme, with their rights.

        With `password` (COLLAB_DEMO_PASSWORD) every account gets it, so a user can reset them;
        without it, only new accounts get a password: one random one, returned to be shown once.
        """
        result = AccountsResult()
        user_model = get_user_model()
        programs = {p.slug: p for p in Program.objects.filter(slug__in=PROGRAM_SLUGS)}
        # Hashing costs about half a second a time (PBKDF2): hash the new password once and check
        # each distinct stored hash once (the demo accounts normally share one).
        new_hash: str | None = None
        hash_matches: dict[str, bool] = {}
        users = {}
        for username in DEMO_USERNAMES:
            user = user_model._default_manager.filter(username=username).first()
            changed = False
            if user is None:
                if password is None and result.generated_password is None:
                    result.generated_password = secrets.token_urlsafe(12)
                user = user_model(username=username)
                result.created.append(username)
                new_hash = new_hash or make_password(password or result.generated_password)
                user.password = new_hash
                changed = True
            elif password is not None:
                if user.password not in hash_matches:
                    hash_matches[user.password] = check_password(password, user.password)
                if not hash_matches[user.password]:
                    new_hash = new_hash or make_password(password)
                    user.password = new_hash
                    result.password_reset.append(username)
                    changed = True
            if username == ADMIN_USERNAME and not (user.is_superuser and user.is_staff):
                user.is_superuser = user.is_staff = True
                changed = True
            if not user.is_active:
                user.is_active = True
                changed = True
            # An address for reminders and password resets (the console backend prints them).
            if not user.email:
                user.email = f"{username}@example.org"
                changed = True
            if changed:
                user.save()
            users[username] = user

        staff_group = ensure_staff_group()
        users[STAFF_USERNAME].groups.add(staff_group)  # no-op when already a member
        # guardian's assign_perm is get-or-create: no duplicates on a second run.
        grant_viewer(program=programs[VIEWER_PROGRAM], user=users[VIEWER_USERNAME])
        for slug in PROGRAM_SLUGS:
            grant_coordinator(program=programs[slug], user=users[coordinator_username(slug)])
        return result


@transaction.atomic
def load_demo(*, password: str | None, log: Callable[[str], None]) -> LoadResult:
    """Load the whole data set and the demo accounts in one transaction."""
    return DemoLoader(log).load(password=password)
