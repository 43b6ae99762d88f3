"""How rows are written: plain column values in, new ids out.

The generator produces plain column values; on PostgreSQL they go in with `COPY … FROM STDIN`
(ids drawn from the table's sequence first), elsewhere, and with `--writer orm`, with
`bulk_create` in batches. Measured on the benchmark machine, bulk_create costs ≈225 µs per
commitment row (building the statement, adapting 17 parameters per row, and PostgreSQL parsing
and planning a 5,000-row `unnest` insert), which put the defaults at the 10-minute limit; COPY
does the same work in a fraction of that.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from django.db import connection, models

CHANGE_REASON = "Data skala sintetis (generate_scale_data)"

Row = dict[str, Any]  # attname → value of one row to insert


class HistoryMode(StrEnum):
    SQL = "sql"  # creation records written set-based in the database (fast)
    ORM = "orm"  # simple_history.utils.bulk_create_with_history, batch by batch
    NONE = "none"


class WriterMode(StrEnum):
    AUTO = "auto"  # COPY on PostgreSQL, bulk_create elsewhere
    COPY = "copy"
    ORM = "orm"  # bulk_create in batches on every backend


# --- SQL names ---------------------------------------------------------------------------------


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def db_table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


def db_column(model: type[models.Model], name: str) -> str:
    return quote(model._meta.get_field(name).column)


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def chunks(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let `created_at`/`updated_at` be set by the generator instead of `auto_now(_add)`.

    bulk_create calls each field's pre_save, which would stamp every row with this minute: the
    lists order by `-created_at`, and years of records all created "now" are not the data the
    pages meet in production. The flags are restored on the way out, whatever happens. This
    changes process-wide field state, so only this one-shot command uses it. (COPY does not
    call pre_save and needs none of this.)
    """
    saved: list[tuple[models.DateField, bool, bool]] = []
    try:
        for model in model_classes:
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, models.DateField) and (
                    model_field.auto_now or model_field.auto_now_add
                ):
                    saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
                    model_field.auto_now = model_field.auto_now_add = False
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


# --- writing rows ------------------------------------------------------------------------------


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


class RowWriter:
    """Inserts rows given as {attname: value}; returns their new ids in the same order.

    Fields a row leaves out get their model default, so a field another engineer adds later
    (with a default, as every added field needs) does not break the generator.
    """

    def __init__(
        self, *, mode: WriterMode, history: HistoryMode, batch_size: int, now: datetime.datetime
    ) -> None:
        if mode is WriterMode.AUTO:
            mode = WriterMode.COPY if connection.vendor == "postgresql" else WriterMode.ORM
        if mode is WriterMode.COPY and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL.")
        if history is HistoryMode.ORM:
            mode = WriterMode.ORM  # bulk_create_with_history works on model instances
        self.mode = mode
        self.history = history
        self.batch_size = batch_size
        self.now = now
        self._defaults: dict[type[models.Model], list[tuple[str, str, Any]]] = {}

    def _fields(self, model: type[models.Model]) -> list[tuple[str, str, Any]]:
        """(attname, column, default) of every concrete field but the primary key."""
        if model not in self._defaults:
            self._defaults[model] = [
                (f.attname, f.column, f.get_default())
                for f in model._meta.concrete_fields
                if not f.primary_key
            ]
        return self._defaults[model]

    def insert(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        if not rows:
            return []
        if self.mode is WriterMode.COPY:
            return self._copy(model, rows)
        return self._bulk_create(model, rows)

    def _bulk_create(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        objects = [model(**row) for row in rows]
        if self.history is HistoryMode.ORM and history_model(model) is not None:
            from simple_history.utils import bulk_create_with_history

            for obj in objects:
                # The history date is the record's own creation time, as if saved back then.
                obj._history_date = getattr(obj, "created_at", None) or self.now
            created = bulk_create_with_history(
                objects,
                model,
                batch_size=self.batch_size,
                default_change_reason=CHANGE_REASON,
                default_date=self.now,
            )
        else:
            created = model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        return [obj.pk for obj in created]

    def _copy(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        fields = self._fields(model)
        pk = model._meta.pk.column
        with connection.cursor() as cursor:
            # Ids first, from the table's own sequence: later inserts by the application
            # continue after them, and the rows can reference each other right away.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk, len(rows)],
            )
            ids = [row_id for (row_id,) in cursor.fetchall()]
            buffer = io.StringIO()
            write = buffer.write
            for row_id, row in zip(ids, rows, strict=True):
                values = [str(row_id)]
                values.extend(
                    _copy_text(row.get(attname, default)) for attname, _c, default in fields
                )
                write("\t".join(values))
                write("\n")
            buffer.seek(0)
            columns = ", ".join([quote(pk), *(quote(column) for _a, column, _d in fields)])
            cursor.cursor.copy_expert(
                f"COPY {db_table(model)} ({columns}) FROM STDIN", buffer, size=1 << 20
            )
        return ids
