"""What each partner promised, and the log of how it is going."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Partner

from .agreements import Agreement
from .base import ArchivableModel, ArchivableQuerySet, TimestampedModel, end_not_before_start
from .meetings import Meeting
from .program import Program, Site


class CommitmentStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_COMMITMENT_STATUSES = (CommitmentStatus.PLEDGED, CommitmentStatus.IN_PROGRESS)


LIST_FIELDS = (
    *("id", "created_at", "archived_at", "title", "kind", "amount", "starts_on", "due_on"),
    *("status", "program_id", "partner_id", "site_id", "meeting_id", "agreement_id"),
    *("program__id", "program__name", "program__slug"),
    *("partner__id", "partner__name", "partner__acronym", "partner__pillar"),
    *("site__id", "site__name"),
)


class CommitmentQuerySet(ArchivableQuerySet):
    """Reads of commitments; every page fetches through one of these methods."""

    def for_list(self) -> CommitmentQuerySet:
        # What the lists show: programme, partner and site names (not the meeting or region),
        # without the long texts no list shows (descriptions, addresses, rationales).
        return self.select_related("program", "partner", "site").only(*LIST_FIELDS)

    def for_detail(self) -> CommitmentQuerySet:
        return self.select_related(
            "program", "partner", "site__region", "meeting", "agreement"
        ).prefetch_related(
            models.Prefetch(
                "updates",
                queryset=CommitmentUpdate.objects.select_related("created_by").order_by(
                    "-created_at", "-id"
                ),
            )
        )

    def public(self) -> CommitmentQuerySet:
        """Commitments on the public pages: those of public programmes, archived ones left out."""
        return self.active().filter(program__is_public=True)

    def open(self) -> CommitmentQuerySet:
        # An archived commitment is withdrawn from the record: nothing is owed on it any more.
        return self.active().filter(status__in=OPEN_COMMITMENT_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> CommitmentQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Commitment(TimestampedModel, ArchivableModel):
    """A partner's promise to a programme: money, goods, expertise, a programme or a policy."""

    program_path = "program"  # rights follow the programme (collab.permissions)
    history_label_field = "title"  # names its rows in history (collab.history)
    # What a person fills in, in this order: the form (which adds the links to the meeting, site
    # and agreement) and the spreadsheet import.
    own_fields = (
        "program",
        "partner",
        "title",
        "description",
        "kind",
        "amount",
        "starts_on",
        "due_on",
        "status",
    )

    Status = CommitmentStatus

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Funding")
        IN_KIND = "in_kind", _("In kind")
        TECHNICAL = "technical", _("Technical assistance/expertise")
        PROGRAMME = "programme", _("Programme/activity")
        POLICY = "policy", _("Policy/regulation")
        OTHER = "other", _("Other")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("programme")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("partner")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("meeting"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("site"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("agreement"),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROGRAMME)
    amount = models.DecimalField(
        _("amount (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLEDGED
    )

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["program", "-created_at", "-id"], name="commitment_program_idx"),
            models.Index(fields=["-created_at", "-id"], name="commitment_created_idx"),
            models.Index(fields=["partner", "-created_at"], name="commitment_partner_idx"),
            models.Index(fields=["status", "due_on"], name="commitment_status_due_idx"),
            models.Index(fields=["kind", "-created_at", "-id"], name="commitment_kind_idx"),
            # The dashboard's overdue list: open, active commitments by due date (the same
            # condition as CommitmentQuerySet.open(), so the planner can prove it).
            models.Index(
                fields=["due_on", "id"],
                name="commitment_open_due_idx",
                condition=models.Q(status__in=OPEN_COMMITMENT_STATUSES, archived_at__isnull=True),
            ),
            # The same per programme: a coordinator's dashboard takes each programme's first.
            models.Index(
                fields=["program", "due_on", "id"],
                name="commitment_program_open_idx",
                condition=models.Q(status__in=OPEN_COMMITMENT_STATUSES, archived_at__isnull=True),
            ),
        ]
        constraints = [
            end_not_before_start(
                "starts_on",
                "due_on",
                "commitment_due_after_start",
                _("A commitment cannot be due before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="commitment_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programs:commitment_detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs) -> None:
        # The tally (CommitmentTally, kept by programs.signals in pre_save/post_save) must change
        # in the same transaction as the row, also where the caller did not open one.
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)


class CommitmentTallyQuerySet(models.QuerySet):
    """Reads of the tallies."""

    def total(self, *, program: Program | None = None, status: str | None = None) -> int:
        """Active commitments counted by these tallies, of `program` and in `status` if given."""
        tallies = self
        if program is not None:
            tallies = tallies.filter(program=program)
        if status:
            tallies = tallies.filter(status=status)
        return tallies.aggregate(total=Coalesce(Sum("count"), 0))["total"]

    def by_status(self) -> dict[str, int]:
        """Active commitments in each status across these tallies (one query, at most four
        rows per programme however many commitments there are)."""
        rows = self.order_by().values("status").annotate(count=Sum("count"))
        return {row["status"]: row["count"] for row in rows}


class CommitmentTally(models.Model):
    """How many active (not archived) commitments a programme has in one status.

    A counter kept exact by programs.signals on every save and delete of a commitment, in the
    same transaction, so the status charts add up at most four rows per programme instead of
    counting commitments. Derived data, so no history: `recount_commitment_tallies` (command
    `recount_tallies`) rebuilds it from the commitments after writes that bypass the signals
    (COPY, raw SQL, `QuerySet.update()`).
    """

    program_path = "program"  # rights follow the programme (collab.permissions)

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="commitment_tallies",
        verbose_name=_("programme"),
        db_index=False,  # the unique (program, status) index serves lookups by programme
    )
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices)
    count = models.BigIntegerField(_("number of commitments"), default=0)

    objects = CommitmentTallyQuerySet.as_manager()

    class Meta:
        ordering = ["program", "status"]
        verbose_name = _("commitment tally")
        verbose_name_plural = _("commitment tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "status"],
                name="commitmenttally_unique_status",
                violation_error_message=_("A programme has one tally per commitment status."),
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=0),
                name="commitmenttally_count_not_negative",
                violation_error_message=_("A number of commitments cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_status_display()} {self.count}"


class CommitmentUpdate(models.Model):
    """One entry of a commitment's progress log: status, percent done and a note."""

    program_path = "commitment__program"  # rights follow the programme (collab.permissions)
    history_label_field = "status"  # names its rows in history (collab.history)

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates", verbose_name=_("commitment")
    )
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitment_updates",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "-created_at", "-id"]
        verbose_name = _("commitment progress update")
        verbose_name_plural = _("commitment progress updates")
        indexes = [
            models.Index(fields=["commitment", "-created_at"], name="commitmentupdate_log_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="commitmentupdate_progress_max_100",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.get_status_display()} {self.progress}%"
