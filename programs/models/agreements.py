"""Signed agreements (MoU, nota kesepakatan, berita acara…) with signatories and clauses."""

from __future__ import annotations

import os
import uuid
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Partner

from .base import (
    ArchivableModel,
    ArchivableQuerySet,
    TimestampedModel,
    count_of,
    end_not_before_start,
)
from .meetings import Meeting
from .program import Program


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read at each use (so tests can move it), with no
    URL: signed scans are served only by a permission-checked view."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; use the agreement document view.")


def private_storage() -> FileSystemStorage:
    """The storage of signed scans (a callable keeps the path out of migrations)."""
    return PrivateStorage()


def agreement_document_path(instance: Agreement, filename: str) -> str:
    """A generated name: the uploader's file name never reaches the disk."""
    suffix = PurePosixPath(filename).suffix.lower() or ".pdf"
    return f"agreements/{uuid.uuid4().hex}{suffix if suffix == '.pdf' else '.pdf'}"


class AgreementQuerySet(ArchivableQuerySet):
    """Reads of agreements."""

    def for_list(self) -> AgreementQuerySet:
        # Counts as correlated subqueries: computed for the page's rows only (see Meeting).
        return (
            self.select_related("program", "meeting")
            .annotate(
                signatory_count=count_of(Signatory, "agreement"),
                clause_count=count_of(Clause, "agreement"),
            )
            .order_by("-signed_on", "-id")
        )

    def public(self) -> AgreementQuerySet:
        """Agreements on the public pages: those of public programmes, except archived ones and
        drafts (a draft is not yet an agreement anybody signed)."""
        return self.active().filter(program__is_public=True).exclude(status=Agreement.Status.DRAFT)

    def recently_signed(self) -> AgreementQuerySet:
        """Signed agreements still on the record, the latest first, with their programme."""
        return (
            self.active()
            .filter(signed_on__isnull=False)
            .select_related("program")
            .order_by("-signed_on", "-id")
        )

    def for_detail(self) -> AgreementQuerySet:
        return self.select_related("program", "meeting").prefetch_related(
            models.Prefetch(
                "signatories",
                queryset=Signatory.objects.select_related("partner").order_by("order", "id"),
            ),
            models.Prefetch("clauses", queryset=Clause.objects.order_by("order")),
            models.Prefetch(
                "commitments",
                queryset=apps.get_model("programs", "Commitment")
                .objects.select_related("partner")
                .order_by("id"),
            ),
        )


class Agreement(TimestampedModel, ArchivableModel):
    """A signed agreement of a programme, its numbered clauses and its signed scan."""

    program_path = "program"  # rights follow the programme (collab.permissions)

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        NOTA_KESEPAKATAN = "nota_kesepakatan", _("Memorandum of agreement (nota kesepakatan)")
        BERITA_ACARA = "berita_acara", _("Official record (berita acara)")
        RUMUSAN_KESEPAKATAN = "rumusan_kesepakatan", _("Statement of agreement (rumusan)")
        PKS = "pks", _("Cooperation agreement (PKS)")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.MOU)
    number = models.CharField(_("number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.CharField(_("signed at (place)"), max_length=255, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SIGNED
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("meeting"),
    )
    document = models.FileField(
        _("signed scan (PDF)"),
        storage=private_storage,
        upload_to=agreement_document_path,
        max_length=255,
        blank=True,
    )
    document_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    scan_is_public = models.BooleanField(
        _("signed scan is public"),
        default=False,
        help_text=_(
            "Offers the signed scan on the public agreement page and in the IATI file, when the "
            "programme is public. Otherwise the scan is served only to those with a right on "
            "the programme."
        ),
    )

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            models.Index(
                fields=["program", "-signed_on", "-id"], name="agreement_program_signed_idx"
            ),
            models.Index(fields=["-signed_on", "-id"], name="agreement_signed_idx"),
            models.Index(fields=["status", "-signed_on"], name="agreement_status_idx"),
            models.Index(fields=["kind", "-signed_on"], name="agreement_kind_idx"),
        ]
        constraints = [
            end_not_before_start(
                "effective_from",
                "expires_on",
                "agreement_expires_after_effective",
                _("An agreement cannot expire before it takes effect."),
            ),
            models.UniqueConstraint(
                fields=["program", "number"],
                condition=~models.Q(number=""),
                name="agreement_unique_number_per_program",
                violation_error_message=_(
                    "This programme already has an agreement with this number."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(document_sha256="")
                | models.Q(document_sha256__regex=r"^[0-9a-f]{64}$"),
                name="agreement_sha256_hex",
                violation_error_message=_("The checksum must be 64 lowercase hexadecimal digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:agreement_detail", kwargs={"pk": self.pk})


class SignatoryQuerySet(models.QuerySet):
    """Reads of signatories."""

    def public(self) -> SignatoryQuerySet:
        return self.filter(agreement__in=Agreement.objects.public())


class ClauseQuerySet(models.QuerySet):
    """Reads of clauses."""

    def public(self) -> ClauseQuerySet:
        return self.filter(agreement__in=Agreement.objects.public())


class Signatory(models.Model):
    """A person who signed an agreement, for an organisation where one is known."""

    program_path = "agreement__program"  # rights follow the programme (collab.permissions)
    history_label_field = "signer_name"  # names its rows in history (collab.history)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("agreement")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("organisation"),
    )
    signer_name = models.CharField(_("signer"), max_length=255)
    signer_position = models.CharField(_("position"), max_length=255, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SignatoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order", "id"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        indexes = [
            models.Index(fields=["agreement", "order"], name="signatory_agreement_idx"),
        ]

    def __str__(self) -> str:
        if self.partner_id:
            return f"{self.signer_name} ({self.partner})"
        return self.signer_name


class Clause(models.Model):
    """A section or a numbered clause of an agreement; `order` is the reading order."""

    program_path = "agreement__program"  # rights follow the programme (collab.permissions)
    history_label_field = "number"  # names its rows in history (collab.history)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("agreement")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("section"),
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"))

    objects = ClauseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "order"],
                name="clause_unique_order",
                violation_error_message=_("Two clauses of an agreement cannot share a position."),
            ),
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="clause_text_not_empty",
                violation_error_message=_("A clause needs text."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:80]}".strip()
