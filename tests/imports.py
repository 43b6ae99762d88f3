"""The admin's spreadsheet imports (collab/imports.py) as a person uses them: upload a file,
read the preview, confirm it."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client

from tests.i18n import in_indonesian

CSV, XLSX = "0", "1"  # positions in the admins' import_formats
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: str | list[list[Any]]) -> SimpleUploadedFile:
    """A file as a person uploads it: text is a CSV file, a list of rows (the first its headers)
    a workbook with those rows on its first sheet."""
    if isinstance(content, str):
        return SimpleUploadedFile("impor.csv", content.encode(), content_type="text/csv")
    book = openpyxl.Workbook()
    for row in content:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("impor.xlsx", buffer.getvalue(), content_type=XLSX_TYPE)


def preview(client: Client, url: str, file: SimpleUploadedFile):
    """The preview of `file`, posted in the format its content type names."""
    file_format = XLSX if file.content_type == XLSX_TYPE else CSV
    response = client.post(url, {"import_file": file, "format": file_format, "resource": "0"})
    assert response.status_code == 200
    return response


def confirm(client: Client, url: str, preview_response) -> None:
    form = preview_response.context["confirm_form"]
    response = client.post(url, {name: form.initial.get(name, "") for name in form.fields})
    assert response.status_code == 302, getattr(response, "context", None)


def refused_rows(preview_response) -> dict[int, dict[str, list[str]]]:
    """The rows the preview refused, by their number, with their errors by field; a file with a
    refused row offers no confirmation (all or none)."""
    assert "confirm_form" not in preview_response.context
    result = preview_response.context["result"]
    return {row.number: row.error_dict for row in result.invalid_rows}


def assert_unknown_partner_refused(client: Client, url: str, text: str, model: type[Model]) -> None:
    """`text` names the unknown partner "Dinas Yang Tidak Ada" in its second row (only): the
    preview names that partner and that row, and nothing is imported."""
    response = preview(client, url, upload(text))

    assert list(refused_rows(response)) == [2]
    message = "No partner is called “%(name)s”. Import or add the partner first."
    assert in_indonesian(message, name="Dinas Yang Tidak Ada") in response.content.decode()
    assert not model.objects.exists()
