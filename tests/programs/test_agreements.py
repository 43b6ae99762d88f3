"""Agreements: the register, the record page, the form with its signatories and clauses, the
signed scan (upload checked by content, download checked by rights)."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Agreement, Clause, Signatory
from programs.services import agreements as services
from programs.views.agreements import document_filename
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.formsets import formset_data
from tests.formsets import table_counts as counts_with_history
from tests.i18n import in_indonesian

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Signed scans go to a temporary directory, never into var/ (the storage reads the
    setting at each use)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def table_counts() -> dict[str, int]:
    """Rows in every table an agreement writes to, history tables included."""
    return counts_with_history(Agreement, Signatory, Clause)


def agreement_data(
    *,
    signatories: list[dict[str, Any]] = (),
    clauses: list[dict[str, Any]] = (),
    initial: dict[str, int] | None = None,
    **details: Any,
) -> dict[str, Any]:
    """POST data of the agreement page: details, then each formset's management form and rows."""
    fields = {
        "kind": Agreement.Kind.RUMUSAN_KESEPAKATAN,
        "status": Agreement.Status.SIGNED,
        "number": "119/1234/B.III/2017",
        "title": "Rumusan Kesepakatan Hasil Rapat Koordinasi Team Leader",
        "signed_on": "2017-02-09",
        "signed_at": "Jakarta",
        "effective_from": "2017-02-09",
        "expires_on": "",
        "meeting": "",
        **details,
    }
    return formset_data(fields, {"signatories": signatories, "clauses": clauses}, initial)


def signatory(partner=None, **values: Any) -> dict[str, Any]:
    row = {
        "partner": partner.pk if partner else "",
        "signer_name": "Anton Lami Suhadi",
        "signer_position": "TL KOTAKU Jawa Tengah",
        "signed_on": "2017-02-09",
        "order": "",
    }
    row.update(values)
    return row


def clause(text: str, number: str = "", parent_number: str = "", order: Any = "") -> dict:
    return {"number": number, "text": text, "parent_number": parent_number, "order": order}


def existing_signatory(row: Signatory, **changes: Any) -> dict[str, Any]:
    values = {
        "id": row.pk,
        "partner": row.partner_id or "",
        "signer_name": row.signer_name,
        "signer_position": row.signer_position,
        "signed_on": row.signed_on.isoformat() if row.signed_on else "",
        "order": row.order,
    }
    values.update(changes)
    return values


def existing_clause(row: Clause, **changes: Any) -> dict[str, Any]:
    values = {
        "id": row.pk,
        "number": row.number,
        "text": row.text,
        "order": row.order,
        "parent_number": row.parent.number if row.parent_id else "",
    }
    values.update(changes)
    return values


def pdf_upload(content: bytes = PDF, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def partners():
    return [PartnerFactory(name=name) for name in ("Satker PKPBM", "RMC NUSP-2 Wilayah Timur")]


@pytest.fixture
def agreement(program, partners):
    """An agreement of `program` with two signatories and a section of two clauses."""
    agreement = AgreementFactory(program=program, number="NK/01/2024", title="Nota Kesepakatan")
    SignatoryFactory(agreement=agreement, partner=partners[0], signer_name="Fadhlan", order=1)
    SignatoryFactory(agreement=agreement, partner=partners[1], signer_name="Harmudya", order=2)
    section = ClauseFactory(agreement=agreement, number="1", text="Perubahan perilaku", order=1)
    ClauseFactory(agreement=agreement, parent=section, number="1.1", text="Pertama", order=2)
    ClauseFactory(agreement=agreement, parent=section, number="1.2", text="Kedua", order=3)
    return agreement


def create_url(program) -> str:
    return reverse("programs:agreement_create", args=[program.slug])


def edit_url(agreement) -> str:
    return reverse("programs:agreement_edit", args=[agreement.pk])


def document_url(agreement) -> str:
    return reverse("programs:agreement_document", args=[agreement.pk])


# --- create and edit with rows ------------------------------------------------------------------


def test_a_coordinator_records_an_agreement_with_two_signatories_and_three_clauses(
    client_for, program, partners
):
    data = agreement_data(
        signatories=[
            signatory(partners[0], signer_name="Anton Lami Suhadi"),
            signatory(partners[1], signer_name="Fadhlan", signer_position="TL RMC NUSP-2"),
        ],
        clauses=[
            clause("Perubahan perilaku", number="1"),
            clause("Mengubah pola pikir masyarakat.", number="1.1", parent_number="1"),
            clause("Membangun kolaborasi", number="2"),
        ],
    )
    response = client_for("coordinator").post(create_url(program), data)

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response.url == agreement.get_absolute_url()
    assert agreement.program == program
    assert agreement.number == "119/1234/B.III/2017"
    assert agreement.signed_on == datetime.date(2017, 2, 9)
    assert [
        (s.signer_name, s.partner, s.order) for s in agreement.signatories.select_related("partner")
    ] == [
        ("Anton Lami Suhadi", partners[0], 1),
        ("Fadhlan", partners[1], 2),
    ]
    section, child, other = agreement.clauses.order_by("order")
    assert [(c.number, c.order) for c in (section, child, other)] == [
        ("1", 1),
        ("1.1", 2),
        ("2", 3),
    ]
    assert child.parent == section
    assert section.parent is None and other.parent is None


@pytest.mark.parametrize(
    ("rows", "part", "row", "field"),
    [
        pytest.param(
            {"signatories": [signatory(signer_name="Fadhlan"), signatory(signer_name="")]},
            "signatories",
            1,
            "signer_name",
            id="signatory without a name",
        ),
        pytest.param(
            {"clauses": [clause("Satu", order=1), clause("Dua", order=1)]},
            "clauses",
            1,
            "order",
            id="two clauses at the same position",
        ),
        pytest.param(
            {"clauses": [clause("Satu", number="1"), clause("Dua", parent_number="9")]},
            "clauses",
            1,
            "parent_number",
            id="a section that does not exist",
        ),
        pytest.param(
            {"clauses": [clause("Satu", number="1"), clause("", number="2")]},
            "clauses",
            1,
            "text",
            id="a clause without text",
        ),
        pytest.param(
            {"effective_from": "2017-02-09", "expires_on": "2017-01-01"},
            None,
            None,
            "expires_on",
            id="expires before it takes effect",
        ),
    ],
)
def test_a_bad_row_saves_nothing_and_is_marked_beside_its_field(
    client_for, program, partners, rows, part, row, field
):
    good = {
        "signatories": [signatory(partners[0])],
        "clauses": [clause("Perubahan perilaku", number="1")],
    }
    details = {k: v for k, v in rows.items() if k not in good}
    data = agreement_data(**{**good, **{k: v for k, v in rows.items() if k in good}}, **details)
    before = table_counts()

    response = client_for("coordinator").post(create_url(program), data)

    assert response.status_code == 200
    assert table_counts() == before
    form = response.context["form"] if part is None else response.context["formsets"][part][row]
    assert form.errors[field]
    assert response.context["error_summary"]


def test_a_duplicate_number_in_the_programme_is_refused_beside_the_number(
    client_for, program, agreement
):
    before = table_counts()
    response = client_for("coordinator").post(
        create_url(program), agreement_data(number=agreement.number)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert table_counts() == before


def test_editing_removes_and_adds_rows(client_for, agreement, partners):
    first, second = agreement.signatories.order_by("order")
    section, child_one, child_two = agreement.clauses.select_related("parent").order_by("order")
    newcomer = PartnerFactory(name="Universitas Bengkulu")
    data = agreement_data(
        number=agreement.number,
        title="Nota Kesepakatan (perubahan)",
        signatories=[
            existing_signatory(first, DELETE="on"),
            existing_signatory(second),
            signatory(newcomer, signer_name="Rektor", order=3),
        ],
        clauses=[
            existing_clause(section),
            existing_clause(child_one, DELETE="on"),
            existing_clause(child_two),
            clause("Ketiga", number="1.3", parent_number="1", order=4),
        ],
        initial={"signatories": 2, "clauses": 3},
    )

    response = client_for("coordinator").post(edit_url(agreement), data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Nota Kesepakatan (perubahan)"
    assert [s.signer_name for s in agreement.signatories.order_by("order")] == [
        "Harmudya",
        "Rektor",
    ]
    assert not Signatory.objects.filter(pk=first.pk).exists()
    assert [(c.number, c.parent_id) for c in agreement.clauses.order_by("order")] == [
        ("1", None),
        ("1.2", section.pk),
        ("1.3", section.pk),
    ]
    # Unchanged rows are not written again: one history entry each, from their creation.
    assert second.history.count() == 1
    assert section.history.count() == 1


def test_clauses_can_swap_positions_in_one_save(client_for, agreement):
    section, child_one, child_two = agreement.clauses.select_related("parent").order_by("order")
    data = agreement_data(
        number=agreement.number,
        clauses=[
            existing_clause(section),
            existing_clause(child_one, order=3),
            existing_clause(child_two, order=2),
        ],
        initial={"clauses": 3},
    )
    response = client_for("coordinator").post(edit_url(agreement), data)

    assert response.status_code == 302
    assert [c.text for c in agreement.clauses.order_by("order")] == [
        "Perubahan perilaku",
        "Kedua",
        "Pertama",
    ]


def test_inserting_a_clause_shifts_the_later_ones_and_a_new_section_takes_old_clauses(
    client_for, agreement
):
    section, child_one, child_two = agreement.clauses.select_related("parent").order_by("order")
    data = agreement_data(
        number=agreement.number,
        clauses=[
            existing_clause(section),
            existing_clause(child_one, order=2),
            existing_clause(child_two, order=5, number="2.1", parent_number="2"),
            # New rows follow the existing ones, as the browser adds them.
            clause("Sisipan", number="1.1a", parent_number="1", order=3),
            clause("Membangun kolaborasi", number="2", order=4),
        ],
        initial={"clauses": 3},
    )
    response = client_for("coordinator").post(edit_url(agreement), data)

    assert response.status_code == 302
    rows = list(agreement.clauses.order_by("order").select_related("parent"))
    assert [(c.number, c.order, c.parent.number if c.parent else "") for c in rows] == [
        ("1", 1, ""),
        ("1.1", 2, "1"),
        ("1.1a", 3, "1"),
        ("2", 4, ""),
        ("2.1", 5, "2"),
    ]
    assert rows[4].pk == child_two.pk


def test_removing_a_section_keeps_the_clause_that_moved_out_of_it(client_for, agreement):
    section, child_one, child_two = agreement.clauses.select_related("parent").order_by("order")
    data = agreement_data(
        number=agreement.number,
        clauses=[
            existing_clause(section, DELETE="on"),
            existing_clause(child_one, parent_number=""),
            existing_clause(child_two, DELETE="on"),
        ],
        initial={"clauses": 3},
    )
    response = client_for("coordinator").post(edit_url(agreement), data)

    assert response.status_code == 302
    assert list(agreement.clauses.values_list("pk", "parent_id")) == [(child_one.pk, None)]


def test_positions_left_empty_follow_the_row_above(client_for, program):
    data = agreement_data(
        clauses=[clause("Satu", order=5), clause("Dua"), clause("Tiga", order=1), clause("Empat")]
    )
    response = client_for("coordinator").post(create_url(program), data)
    assert response.status_code == 302
    assert list(Clause.objects.order_by("order").values_list("text", "order")) == [
        ("Tiga", 1),
        ("Empat", 2),
        ("Satu", 5),
        ("Dua", 6),
    ]


def test_the_form_offers_only_partners_and_meetings_the_user_may_see(
    client_for, program, other_program, partners
):
    MeetingFactory(program=program, title="Rakor TL")
    MeetingFactory(program=other_program, title="Rapat program lain")
    response = client_for("coordinator").get(create_url(program))
    assert response.status_code == 200
    meetings = response.context["form"].fields["meeting"].queryset
    assert [meeting.title for meeting in meetings] == ["Rakor TL"]
    content = response.content.decode()
    assert "Satker PKPBM" in content  # in the empty row template of the signatories
    assert 'data-formset="signatories"' in content and 'data-formset="clauses"' in content


def test_the_service_rechecks_the_programme_after_the_write(users, program):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        services.save_agreement(
            user=users["viewer"],
            agreement=Agreement(program=program),
            fields={"title": "Nota Kesepakatan"},
            signatories=[services.SignatoryRow(id=None, signer_name="Fadhlan")],
            clauses=[services.ClauseRow(id=None, text="Satu", order=1)],
        )
    assert table_counts() == before


# --- the record page and the register ----------------------------------------------------------


def test_the_record_page_shows_clauses_in_order_with_sections_grouped(client_for, program):
    agreement = AgreementFactory(program=program, signed_on=datetime.date(2017, 2, 9))
    # Created out of reading order: the page must follow `order`, not insertion.
    later = ClauseFactory(agreement=agreement, number="2", text="Membangun kolaborasi", order=4)
    section = ClauseFactory(agreement=agreement, number="1", text="Perubahan perilaku", order=1)
    ClauseFactory(agreement=agreement, parent=section, number="1.2", text="Klausul B", order=3)
    ClauseFactory(agreement=agreement, parent=section, number="1.1", text="Klausul A", order=2)
    ClauseFactory(agreement=agreement, parent=later, number="2.1", text="Klausul C", order=5)
    CommitmentFactory(program=program, agreement=agreement, title="Pendampingan BKM")

    response = client_for("viewer").get(agreement.get_absolute_url())

    content = response.content.decode()
    texts = ["Perubahan perilaku", "Klausul A", "Klausul B", "Membangun kolaborasi", "Klausul C"]
    positions = [content.index(text) for text in texts]
    assert positions == sorted(positions)
    outline = [(e.clause.number, e.depth, e.is_section) for e in response.context["clause_outline"]]
    assert outline == [
        ("1", 0, True),
        ("1.1", 1, False),
        ("1.2", 1, False),
        ("2", 0, True),
        ("2.1", 1, False),
    ]
    assert "9 Februari 2017" in content
    assert "Pendampingan BKM" in content
    assert reverse("programs:agreement_edit", args=[agreement.pk]) not in content  # viewer


def test_the_record_page_offers_edit_to_its_coordinator(client_for, agreement):
    response = client_for("coordinator").get(agreement.get_absolute_url())
    assert response.context["can_edit"] is True
    assert edit_url(agreement) in response.content.decode()


def add_rows(agreement, count: int) -> None:
    start = agreement.clauses.count() + 1
    for order in range(start, start + count):
        SignatoryFactory(agreement=agreement, order=order)
        ClauseFactory(agreement=agreement, order=order)
        CommitmentFactory(program=agreement.program, agreement=agreement)


def test_the_record_page_runs_the_same_queries_for_2_and_20_rows(client_for, program):
    agreement = AgreementFactory(program=program)
    client = client_for("viewer")
    counts = []
    for rows in (2, 18):
        add_rows(agreement, rows)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(agreement.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    # session, user, the user's and groups' model permissions, the right to any programme, the
    # agreement with its programme and meeting, its signatories with partners, its clauses, its
    # commitments with partners, and the right to edit: the same for any size.
    assert counts[0] == counts[1]


def test_the_register_lists_counts_of_signatories_and_clauses(client_for, agreement):
    response = client_for("staff").get(reverse("programs:agreement_list"))
    assert response.status_code == 200
    row = response.context["object_list"][0]
    assert (row.signatory_count, row.clause_count) == (2, 3)
    assert agreement.title in response.content.decode()


def test_the_register_lists_the_latest_signed_first(client_for, program):
    for year in (2019, 2017, 2021):
        AgreementFactory(program=program, title=f"MoU {year}", signed_on=datetime.date(year, 1, 1))
    response = client_for("viewer").get(reverse("programs:agreement_list"))
    titles = [agreement.title for agreement in response.context["object_list"]]
    assert titles == ["MoU 2021", "MoU 2019", "MoU 2017"]


def test_the_register_runs_the_same_queries_for_2_and_20_agreements(client_for, program):
    client = client_for("viewer")
    counts = []
    for added in (2, 18):
        for _ in range(added):
            SignatoryFactory(agreement=AgreementFactory(program=program))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("programs:agreement_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the signed scan: upload -------------------------------------------------------------------


def test_an_uploaded_pdf_is_stored_under_a_generated_name_with_its_checksum(
    client_for, program, private_media
):
    data = agreement_data(scan=pdf_upload(name="Nota Kesepakatan rahasia.pdf"))
    response = client_for("coordinator").post(create_url(program), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.document.name.startswith("agreements/")
    assert "rahasia" not in agreement.document.name
    path = Path(agreement.document.path)
    assert path.is_relative_to(private_media)
    assert path.read_bytes() == PDF
    assert agreement.document_sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param(EXECUTABLE, "scan.pdf", id="a renamed executable"),
        pytest.param(PNG, "scan.pdf", id="a PNG named .pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_saved(
    client_for, program, private_media, content, name
):
    before = table_counts()
    data = agreement_data(scan=pdf_upload(content, name), clauses=[clause("Satu")])
    response = client_for("coordinator").post(create_url(program), data)

    assert response.status_code == 200
    assert response.context["form"].has_error("scan", "not_pdf")
    refusal = in_indonesian("This file is not a PDF document. Upload the signed scan as a PDF.")
    assert refusal in response.content.decode()
    assert table_counts() == before
    assert stored_files(private_media) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_and_nothing_is_saved(
    client_for, program, private_media, monkeypatch
):
    monkeypatch.setattr(services, "AGREEMENT_SCAN_MAX_BYTES", 1024)
    before = table_counts()
    data = agreement_data(scan=pdf_upload(PDF + b"0" * 2048))
    response = client_for("coordinator").post(create_url(program), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("scan", "too_large")
    assert "1" in str(form.errors["scan"]) and "KB" in str(form.errors["scan"])
    assert table_counts() == before
    assert stored_files(private_media) == []


def test_replacing_the_scan_replaces_the_checksum_and_deletes_the_old_file_after_commit(
    client_for, agreement, private_media, django_capture_on_commit_callbacks
):
    client = client_for("coordinator")
    client.post(edit_url(agreement), agreement_data(number=agreement.number, scan=pdf_upload()))
    agreement.refresh_from_db()
    old_path = Path(agreement.document.path)
    replacement = PDF.replace(b"Catalog", b"Catalog /Lang (id)")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            edit_url(agreement),
            agreement_data(number=agreement.number, scan=pdf_upload(replacement)),
        )
        assert response.status_code == 302
        # The commit has not happened yet: the old file must still be there.
        assert old_path.exists()
    for callback in callbacks:
        callback()

    agreement.refresh_from_db()
    assert agreement.document_sha256 == hashlib.sha256(replacement).hexdigest()
    assert Path(agreement.document.path).read_bytes() == replacement
    assert not old_path.exists()
    assert stored_files(private_media) == [Path(agreement.document.path)]


def test_the_scan_can_be_removed(
    client_for, agreement, private_media, django_capture_on_commit_callbacks
):
    client = client_for("coordinator")
    client.post(edit_url(agreement), agreement_data(number=agreement.number, scan=pdf_upload()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(agreement), agreement_data(number=agreement.number, remove_scan="on")
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert not agreement.document
    assert agreement.document_sha256 == ""
    assert stored_files(private_media) == []


def test_a_failed_save_removes_the_file_it_stored(users, agreement, private_media):
    with pytest.raises(services.AgreementInvalid) as raised:
        services.save_agreement(
            user=users["coordinator"],
            agreement=agreement,
            fields={},
            signatories=[],
            # Bypasses the form: two clauses at one position are refused by the service.
            clauses=[
                services.ClauseRow(id=None, text="Satu", order=1),
                services.ClauseRow(id=None, text="Dua", order=1),
            ],
            scan=pdf_upload(),
        )
    assert raised.value.part == "clauses"
    assert stored_files(private_media) == []
    agreement.refresh_from_db()
    assert not agreement.document


# --- the signed scan: download -----------------------------------------------------------------


@pytest.fixture
def scanned(agreement, users):
    """`agreement` with a stored scan, saved through the service as the page does."""
    return services.save_agreement(
        user=users["coordinator"],
        agreement=agreement,
        fields={"number": "119/1234/B.III/2017", "title": "Nota Kesepakatan Kota SDGs"},
        signatories=[],
        clauses=[],
        scan=pdf_upload(),
    )


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "staff", "admin"])
def test_the_scan_is_downloaded_as_an_attachment_by_those_who_may_see_it(
    client_for, scanned, persona
):
    response = client_for(persona).get(document_url(scanned))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="119-1234-B-III-2017-Nota-Kesepakatan-Kota-SDGs.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_coordinator", 404), ("no_rights", 403), ("anonymous", 302)],
)
def test_the_scan_is_withheld_from_those_who_may_not_see_it(client_for, scanned, persona, status):
    response = client_for(persona).get(document_url(scanned))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


def test_an_agreement_without_a_scan_has_nothing_to_download(client_for, agreement):
    assert client_for("coordinator").get(document_url(agreement)).status_code == 404


def test_a_scan_missing_from_storage_is_not_found_rather_than_an_error(client_for, scanned):
    scanned.document.storage.delete(scanned.document.name)
    assert client_for("coordinator").get(document_url(scanned)).status_code == 404


def test_a_download_name_is_safe_whatever_was_typed(program):
    agreement = AgreementFactory(program=program, number="", title='Nota "Ké/sepakatan"\r\n..')
    assert document_filename(agreement) == "Nota-Ke-sepakatan.pdf"
    assert document_filename(AgreementFactory(program=program, title="ا")) == (
        f"agreement-{Agreement.objects.latest('pk').pk}.pdf"
    )


# --- rights on the form pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("admin", 200),
        ("viewer", 403),
        ("other_coordinator", 404),
        ("staff", 403),
        ("no_rights", 403),
        ("anonymous", 302),
    ],
)
def test_the_edit_page_follows_the_rights(client_for, agreement, persona, status):
    assert client_for(persona).get(edit_url(agreement)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("viewer", 403), ("other_coordinator", 404), ("staff", 403), ("anonymous", 302)],
)
def test_those_who_may_not_edit_change_nothing_by_posting(client_for, agreement, persona, status):
    before = table_counts()
    data = agreement_data(number=agreement.number, title="Diubah")
    assert client_for(persona).post(edit_url(agreement), data).status_code == status
    assert table_counts() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("viewer", 403), ("other_coordinator", 404), ("staff", 403)],
)
def test_the_create_page_follows_the_rights(client_for, program, persona, status):
    assert client_for(persona).get(create_url(program)).status_code == status
