"""What a page in the default language (Indonesian) shows for a message of the code."""

from __future__ import annotations

from django.utils import translation


def in_indonesian(message: str, **values: str) -> str:
    with translation.override("id"):
        text = translation.gettext(message)
    return text % values if values else text
