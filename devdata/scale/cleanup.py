"""Before a run: are the reference tables there, and did an earlier run leave its data?"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models

from collab.models import Region, SdgGoal
from partners.models import Contact, Partner
from programs.models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    CommitmentUpdate,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    Program,
    ProgramGroupObjectPermission,
    ProgramPartner,
    ProgramUserObjectPermission,
    Signatory,
    Site,
)
from programs.models.commitments import CommitmentTally

from .core import EMAIL_DOMAIN, SLUG_PREFIX, STAFF_USERNAME
from .rows import db_column, db_table, history_model


class MissingReferenceData(Exception):
    """Regions or SDG goals are missing: `load_reference` has not been run."""


def scale_data_present() -> bool:
    """Whether an earlier run left its programmes, partners or staff account in the database."""
    return (
        Program.objects.filter(slug__startswith=SLUG_PREFIX).exists()
        or Partner.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()
        or get_user_model().objects.filter(username=STAFF_USERNAME).exists()
    )


def missing_reference() -> list[str]:
    """Labels of the reference tables the generator needs but finds empty."""
    missing = []
    if not Region.objects.filter(level=Region.Level.VILLAGE).exists():
        missing.append("desa/kelurahan")
    if not Region.objects.filter(level=Region.Level.REGENCY).exists():
        missing.append("kabupaten/kota")
    if not SdgGoal.objects.exists():
        missing.append("tujuan SDG")
    return missing


def delete_scale_data() -> None:
    """Remove everything an earlier run created, with its history rows.

    Set-based SQL in dependency order: the ORM's cascade would load every row into memory and
    write a "-" history record for each of ~3 million rows. The accounts are kept (the next run
    reuses them); their rights go with the programmes. Runs in the caller's transaction, so a
    failure (e.g. real data recorded against a synthetic partner) leaves everything as it was.
    """
    programs = (
        f"SELECT {db_column(Program, 'id')} FROM {db_table(Program)} "
        f"WHERE {db_column(Program, 'slug')} LIKE %s"
    )
    by_program = [f"{SLUG_PREFIX}%"]

    def ids_of(model: type[models.Model], fk: str, parent_ids: str) -> str:
        return (
            f"SELECT {db_column(model, 'id')} FROM {db_table(model)} "
            f"WHERE {db_column(model, fk)} IN ({parent_ids})"
        )

    commitments = ids_of(Commitment, "program", programs)
    agreements = ids_of(Agreement, "program", programs)
    meetings = ids_of(Meeting, "program", programs)
    indicators = ids_of(Indicator, "program", programs)
    partners = (
        f"SELECT {db_column(Partner, 'id')} FROM {db_table(Partner)} "
        f"WHERE {db_column(Partner, 'email')} LIKE %s"
    )
    by_partner = [f"%@{EMAIL_DOMAIN}"]

    # (model, foreign key, subquery of the parent ids, its parameters): children first.
    steps: list[tuple[type[models.Model], str, str, list[str]]] = [
        (CommitmentUpdate, "commitment", commitments, by_program),
        (Commitment, "program", programs, by_program),
        (Clause, "agreement", agreements, by_program),
        (Signatory, "agreement", agreements, by_program),
        (Attendance, "meeting", meetings, by_program),
        (Decision, "meeting", meetings, by_program),
        (ActionItem, "program", programs, by_program),
        (Agreement, "program", programs, by_program),
        (Measurement, "indicator", indicators, by_program),
        (Indicator, "program", programs, by_program),
        (Meeting, "program", programs, by_program),
        (Site, "program", programs, by_program),
        (CommitmentTally, "program", programs, by_program),
        (ProgramPartner, "program", programs, by_program),
        (Program.sdg_goals.through, "program", programs, by_program),
        (Program.sdg_targets.through, "program", programs, by_program),
        (ProgramUserObjectPermission, "content_object", programs, by_program),
        (ProgramGroupObjectPermission, "content_object", programs, by_program),
        (Program, "id", programs, by_program),
        (Contact, "partner", partners, by_partner),
        (Partner, "id", partners, by_partner),
    ]
    with connection.cursor() as cursor:
        for model, fk, parent_ids, params in steps:
            where = f"{db_column(model, fk)} IN ({parent_ids})"
            history = history_model(model)
            if model is Program:
                # The goal/target links' history hangs on the programme's history rows.
                for attribute in ("sdg_goals", "sdg_targets"):
                    m2m = apps.get_model("programs", f"HistoricalProgram_{attribute}")
                    cursor.execute(
                        f"DELETE FROM {db_table(m2m)} WHERE {db_column(m2m, 'history')} IN "
                        f"(SELECT {db_column(history, 'history_id')} FROM {db_table(history)} "
                        f"WHERE {db_column(history, 'id')} IN ({parent_ids}))",
                        params,
                    )
            if history is not None:
                cursor.execute(
                    f"DELETE FROM {db_table(history)} WHERE {db_column(history, 'id')} IN "
                    f"(SELECT {db_column(model, 'id')} FROM {db_table(model)} WHERE {where})",
                    params,
                )
            cursor.execute(f"DELETE FROM {db_table(model)} WHERE {where}", params)
