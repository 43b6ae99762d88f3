"""The creation records of the generated rows.

DESIGN: never bulk write tracked models without recording history. By default the creation
record ("+") of every generated row is written by one `INSERT … SELECT` per history table, in the
database, after the rows exist — the same columns `bulk_create_with_history` would fill, with the
row's own `created_at` as the history date, and the programmes' goal and target links as well.
`--history orm` uses simple_history's `bulk_create_with_history` instead (kept to measure its
cost, see `rows.RowWriter`), `--history none` skips history.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection, models

from partners.models import Partner
from programs.models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    CommitmentUpdate,
    Decision,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)

from .core import ScaleGenerator
from .rows import CHANGE_REASON, db_column, db_table, history_model, quote

TRACKED_MODELS: tuple[type[models.Model], ...] = (
    Partner,
    Program,
    ProgramPartner,
    Site,
    Meeting,
    Attendance,
    Decision,
    Agreement,
    Signatory,
    Clause,
    ActionItem,
    Commitment,
    CommitmentUpdate,
)


def write_history(gen: ScaleGenerator, watermarks: dict[type[models.Model], int]) -> None:
    """The "+" record of every generated row, one INSERT … SELECT per history table."""
    for model in TRACKED_MODELS:
        history = history_model(model)
        assert history is not None, model
        columns = [f.column for f in history.tracked_fields]
        has_created = any(f.name == "created_at" for f in model._meta.concrete_fields)
        date_source = f"b.{db_column(model, 'created_at')}" if has_created else "%s"
        params: list[Any] = [] if has_created else [gen.now]
        params += [CHANGE_REASON, watermarks[model]]
        sql = (
            f"INSERT INTO {db_table(history)} ({', '.join(map(quote, columns))}, "
            f"{db_column(history, 'history_date')}, {db_column(history, 'history_type')}, "
            f"{db_column(history, 'history_change_reason')}, {db_column(history, 'history_user')}) "
            f"SELECT {', '.join('b.' + quote(column) for column in columns)}, {date_source}, "
            f"'+', %s, NULL FROM {db_table(model)} b WHERE b.{db_column(model, 'id')} > %s"
        )
        with gen.step(history._meta.db_table) as written, connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = max(cursor.rowcount, 0)
            if model is Program:
                rows += _program_link_history(gen, cursor, watermarks[model])
            gen.progress.advance(rows)
            written.append(rows)


def _program_link_history(gen: ScaleGenerator, cursor: Any, watermark: int) -> int:
    """The goal and target links of each new programme, tied to its "+" history row."""
    rows = 0
    history = Program.history.model
    for attribute, target in (("sdg_goals", "sdggoal"), ("sdg_targets", "sdgtarget")):
        through = getattr(Program, attribute).through
        m2m = apps.get_model("programs", f"HistoricalProgram_{attribute}")
        cursor.execute(
            f"INSERT INTO {db_table(m2m)} ({db_column(m2m, 'id')}, {db_column(m2m, 'program')}, "
            f"{db_column(m2m, target)}, {db_column(m2m, 'history')}) "
            f"SELECT t.{db_column(through, 'id')}, t.{db_column(through, 'program')}, "
            f"t.{db_column(through, target)}, h.{db_column(history, 'history_id')} "
            f"FROM {db_table(through)} t JOIN {db_table(history)} h "
            f"ON h.{db_column(history, 'id')} = t.{db_column(through, 'program')} "
            f"AND h.{db_column(history, 'history_type')} = '+' "
            f"WHERE t.{db_column(through, 'program')} > %s",
            [watermark],
        )
        rows += max(cursor.rowcount, 0)
    return rows


def max_id(model: type[models.Model]) -> int:
    return model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
