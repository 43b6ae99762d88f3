"""System checks: the request field ceiling fits the largest form the project serves.

Django refuses a POST with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields with a bare
"400 Bad Request", before any form can say what is wrong, and everything typed is lost. The
project's row-formset pages register how many fields they post at their row limits
(`register_form_size`, from their app's ready()); `manage.py check` (and so every test run and
deployment) fails when the ceiling is below the largest of them plus the margin.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core import checks

# Room above the largest form at its limits: a form posted a few rows past a limit is still
# read, so the formset says which section is too long and gives the input back.
MARGIN = 1.25

_sizes: dict[str, Callable[[], int]] = {}


def register_form_size(name: str, fields_at_limits: Callable[[], int]) -> None:
    """`fields_at_limits()`: the fields a page posts with every row section at its limit."""
    _sizes[name] = fields_at_limits


def form_sizes() -> dict[str, int]:
    return {name: size() for name, size in _sizes.items()}


def required_ceiling() -> int:
    """The smallest DATA_UPLOAD_MAX_NUMBER_FIELDS that reads every registered form with the
    margin (Django's default, 1,000, if none is registered)."""
    largest = max(form_sizes().values(), default=0)
    return max(1000, int(largest * MARGIN))


@checks.register(checks.Tags.security)
def field_ceiling_fits_the_largest_form(app_configs, **kwargs) -> list[checks.CheckMessage]:
    ceiling = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if ceiling is None:
        return [
            checks.Warning(
                "DATA_UPLOAD_MAX_NUMBER_FIELDS is None: nothing guards against a flood of fields.",
                id="collab.W001",
            )
        ]
    needed = required_ceiling()
    if ceiling < needed:
        sizes = ", ".join(f"{name}: {size}" for name, size in sorted(form_sizes().items()))
        return [
            checks.Error(
                f"DATA_UPLOAD_MAX_NUMBER_FIELDS is {ceiling}, below the largest form at its row "
                f"limits with a {MARGIN:.0%} margin ({needed}; {sizes}).",
                hint=f"Set DATA_UPLOAD_MAX_NUMBER_FIELDS to at least {needed}.",
                id="collab.E001",
            )
        ]
    return []
