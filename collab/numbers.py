"""Numbers as an Indonesian reader writes them, whatever the interface language."""

from __future__ import annotations


def grouped(number: float) -> str:
    """`500000` → `500.000`: rounded to a whole number, thousands grouped with dots (the
    commands' progress and summaries, rupiah amounts)."""
    return f"{round(number):,}".replace(",", ".")


def seconds(value: float) -> str:
    """`2.345` → `2,3`: a duration in seconds with one decimal, a comma before it."""
    return f"{value:.1f}".replace(".", ",")
