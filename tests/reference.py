"""Reference data (the SDG taxonomy and 91,599 regions) loaded once per test session and kept.

`tests/conftest.py` loads it into the test database before the first test. An ordinary test runs
inside a transaction that is rolled back, so the rows stay. A transactional test (worker, live
server, concurrency) ends with `manage.py flush`, which empties every table: here the flush leaves
the reference tables out, then puts them back as loaded — rows a test added are deleted, and if a
test deleted some, the command reloads them. Reloading all regions cost several seconds after
each transactional test before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.core.management import call_command
from django.core.management.commands import flush
from django.db.models import Count, Max, Model

from collab.models import Region, SdgGoal, SdgIndicator, SdgTarget

# Parents before children: deleted in the reverse order.
MODELS: tuple[type[Model], ...] = (SdgGoal, SdgTarget, SdgIndicator, Region)
TABLES = frozenset(model._meta.db_table for model in MODELS)

# label → (row count, highest primary key) right after the load.
_loaded: dict[str, tuple[int, int]] = {}


def _state(model: type[Model], using: str = "default") -> tuple[int, int]:
    found = model._default_manager.using(using).aggregate(rows=Count("pk"), top=Max("pk"))
    return found["rows"], found["top"] or 0


def remember(using: str = "default") -> None:
    """Note what the load left, to restore it after each flush."""
    for model in MODELS:
        _loaded[model._meta.label] = _state(model, using)


def intact(using: str = "default") -> bool:
    return bool(_loaded) and all(
        _state(model, using) == _loaded[model._meta.label] for model in MODELS
    )


def assert_intact(using: str = "default") -> None:
    assert intact(using), (
        "the reference data of the test database is not as loaded: a test outside a rolled-back "
        "transaction changed it (tests/reference.py)"
    )


def restore(using: str = "default") -> None:
    """After a flush: delete the reference rows a test added; reload if any went missing."""
    if not _loaded:
        return
    for model in reversed(MODELS):
        _rows, top = _loaded[model._meta.label]
        model._default_manager.using(using).filter(pk__gt=top).delete()
    if not intact(using):
        call_command("load_reference", verbosity=0, database=using)
        remember(using)


def _sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
    """django.core.management.sql.sql_flush without the reference tables."""
    if connection.in_atomic_block:
        raise RuntimeError(
            "a transactional test ran inside a transaction kept open for data built once per "
            "module or class (tests/once.py): keep transactional tests in modules of their own"
        )
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in TABLES
    ]
    return connection.ops.sql_flush(
        style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )


@contextlib.contextmanager
def flush_sparing_reference() -> Iterator[None]:
    """Within: `manage.py flush` keeps the reference tables as they were loaded."""
    original_sql_flush = flush.sql_flush
    original_handle = flush.Command.handle

    def handle(self, **options):
        result = original_handle(self, **options)
        restore(options.get("database") or "default")
        return result

    flush.sql_flush = _sql_flush
    flush.Command.handle = handle
    try:
        yield
    finally:
        flush.sql_flush = original_sql_flush
        flush.Command.handle = original_handle
