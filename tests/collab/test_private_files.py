"""Private files (collab/files.py): streamed by Django by default, handed to nginx with
X-Accel-Redirect when COLLAB_ACCEL_REDIRECT names its internal location (deploy/)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from collab.files import private_file_response
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n% a signed agreement\n%%EOF\n"


@pytest.fixture
def scanned(settings, tmp_path, program):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    agreement = AgreementFactory(program=program, number="NK/07", title="Nota Kesepakatan")
    agreement.document.save("scan.pdf", ContentFile(SCAN), save=True)
    return agreement


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_by_default_django_sends_the_scan_itself(scanned, client_for):
    response = client_for("viewer").get(reverse("programs:agreement_document", args=[scanned.pk]))

    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert body(response) == SCAN


def test_behind_nginx_the_view_decides_and_nginx_sends_the_scan(scanned, client_for, settings):
    settings.COLLAB_ACCEL_REDIRECT = "/_private/"

    response = client_for("viewer").get(reverse("programs:agreement_document", args=[scanned.pk]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{scanned.document.name}"
    assert body(response) == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="NK-07-Nota-Kesepakatan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_behind_nginx_the_rights_are_still_checked_first(scanned, client_for, settings):
    settings.COLLAB_ACCEL_REDIRECT = "/_private/"

    response = client_for("other_coordinator").get(
        reverse("programs:agreement_document", args=[scanned.pk])
    )

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_behind_nginx_a_missing_scan_is_a_404_not_a_redirect_to_nothing(
    scanned, client_for, settings
):
    settings.COLLAB_ACCEL_REDIRECT = "/_private/"
    scanned.document.storage.delete(scanned.document.name)

    response = client_for("viewer").get(reverse("programs:agreement_document", args=[scanned.pk]))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_a_path_outside_the_private_folder_is_never_handed_out(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    settings.COLLAB_ACCEL_REDIRECT = "/_private/"

    with pytest.raises(FileNotFoundError):
        private_file_response(
            settings.PRIVATE_MEDIA_ROOT / ".." / "secret.txt",
            filename="a.txt",
            content_type="text/plain",
        )


def test_names_that_need_escaping_are_percent_encoded(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (settings.PRIVATE_MEDIA_ROOT / "exports").mkdir(parents=True)
    path = settings.PRIVATE_MEDIA_ROOT / "exports" / "laporan akhir #1.csv"
    path.write_text("a,b\n")
    settings.COLLAB_ACCEL_REDIRECT = "/_private/"

    response = private_file_response(
        path, filename="laporan.csv", content_type="text/csv", no_store=True
    )

    assert response["X-Accel-Redirect"] == "/_private/exports/laporan%20akhir%20%231.csv"
    assert "no-store" in response["Cache-Control"]
