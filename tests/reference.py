"""Reference data (the SDG taxonomy and 91,599 regions) loaded once per test session and kept,
and the flush that ends each transactional test made cheap.

`tests/conftest.py` loads it into the test database before the first test. An ordinary test runs
inside a transaction that is rolled back, so the rows stay. A transactional test (worker, live
server, concurrency) ends with `manage.py flush`, which empties every table: here the flush leaves
the reference tables out, then puts them back as loaded — rows a test added are deleted, and if a
test deleted some, the command reloads them. Reloading all regions cost several seconds after
each transactional test before.

The flush itself empties only the tables that hold rows, with DELETE in one transaction (the
foreign keys are checked at its commit), where Django's flush truncates every table: on
PostgreSQL a TRUNCATE of the ~60 tables cost 1-4 s per transactional test (each truncated table
gets new files), the DELETEs ~0.02 s. Content types and permissions, which migrate creates and
post_migrate would create again, are kept as well while they are as migrate left them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.commands import flush
from django.db.models import Count, Max, Model

from collab.models import Region, SdgGoal, SdgIndicator, SdgTarget

# Parents before children: deleted in the reverse order.
MODELS: tuple[type[Model], ...] = (SdgGoal, SdgTarget, SdgIndicator, Region)
TABLES = frozenset(model._meta.db_table for model in MODELS)
# Rows migrate's post_migrate signal creates (and creates again after a flush that emptied them).
MIGRATE_MODELS: tuple[type[Model], ...] = (ContentType, Permission)

# label → (row count, highest primary key) right after the load.
_loaded: dict[str, tuple[int, int]] = {}


def _state(model: type[Model], using: str = "default") -> tuple[int, int]:
    found = model._default_manager.using(using).aggregate(rows=Count("pk"), top=Max("pk"))
    return found["rows"], found["top"] or 0


def remember(
    using: str = "default", models: tuple[type[Model], ...] = MODELS + MIGRATE_MODELS
) -> None:
    """Note what the load left, to restore it after each flush."""
    for model in models:
        _loaded[model._meta.label] = _state(model, using)


def intact(using: str = "default", models: tuple[type[Model], ...] = MODELS) -> bool:
    return all(
        model._meta.label in _loaded and _state(model, using) == _loaded[model._meta.label]
        for model in models
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
        remember(using, MODELS)


def _sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
    """django.core.management.sql.sql_flush without the reference tables, as a DELETE of each
    table that holds rows (one query finds them). Content types and permissions stay unless a
    test changed them."""
    if connection.in_atomic_block:
        raise RuntimeError(
            "a transactional test ran inside a transaction kept open for data built once per "
            "module or class (tests/once.py): keep transactional tests in modules of their own"
        )
    using = connection.alias
    kept = set(TABLES)
    if intact(using, MIGRATE_MODELS):
        kept |= {model._meta.db_table for model in MIGRATE_MODELS}
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in kept
    ]
    if reset_sequences:
        # Not what a transactional test asks for (TransactionTestCase resets sequences itself):
        # Django's own statements, which also restart the sequences.
        return connection.ops.sql_flush(
            style, tables, reset_sequences=True, allow_cascade=allow_cascade
        )
    if not tables:
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {quote(table)})" for table in tables)
        )
        filled = [table for table, rows in zip(tables, cursor.fetchone(), strict=True) if rows]
    return [f"DELETE FROM {quote(table)}" for table in filled]


@contextlib.contextmanager
def flush_sparing_reference() -> Iterator[None]:
    """Within: `manage.py flush` keeps the reference tables as they were loaded."""
    original_sql_flush = flush.sql_flush
    original_handle = flush.Command.handle

    def handle(self, **options):
        using = options.get("database") or "default"
        result = original_handle(self, **options)
        restore(using)
        if not intact(using, MIGRATE_MODELS):
            remember(using, MIGRATE_MODELS)  # emptied and created again by post_migrate
        return result

    flush.sql_flush = _sql_flush
    flush.Command.handle = handle
    try:
        yield
    finally:
        flush.sql_flush = original_sql_flush
        flush.Command.handle = original_handle
