"""Pages that save a record with its rows in formsets (collab/formsets.py): the data a browser
posts to them, and the rows they wrote, to check that a save is all or nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def formset_data(
    details: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    initial: dict[str, int] | None = None,
) -> dict[str, Any]:
    """POST data of such a page: the record's `details`, then for each formset (by its prefix)
    its management form and `rows`; `initial` counts the rows that already exist."""
    data = dict(details)
    for prefix, prefix_rows in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = len(prefix_rows)
        data[f"{prefix}-INITIAL_FORMS"] = (initial or {}).get(prefix, 0)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, row in enumerate(prefix_rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def table_counts(*models: type[Model]) -> dict[str, int]:
    """Rows in the table of each of `models` and in its history table."""
    counts = {}
    for model in models:
        counts[model.__name__] = model.objects.count()
        counts[f"history of {model.__name__}"] = model.history.count()
    return counts
