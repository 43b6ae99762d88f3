"""Meetings with their attendance and decisions, and action items (work plan and follow-ups)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Contact, Partner

from .base import (
    ArchivableModel,
    ArchivableQuerySet,
    TimestampedModel,
    count_of,
    end_not_before_start,
)
from .program import Program


class MeetingQuerySet(ArchivableQuerySet):
    """Reads of meetings."""

    def for_list(self) -> MeetingQuerySet:
        # Counts as correlated subqueries, not JOIN + GROUP BY: they run for the page's rows
        # only, where a GROUP BY would aggregate every meeting before the LIMIT.
        return (
            self.select_related("program")
            .annotate(
                attendance_count=count_of(Attendance, "meeting"),
                decision_count=count_of(Decision, "meeting"),
            )
            .order_by("-starts_on", "-id")
        )

    def for_detail(self) -> MeetingQuerySet:
        return self.select_related("program").prefetch_related(
            models.Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("partner", "contact").order_by(
                    "partner__name"
                ),
            ),
            models.Prefetch("decisions", queryset=Decision.objects.order_by("number")),
            models.Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("responsible").order_by(
                    "order", "due_on", "id"
                ),
            ),
            models.Prefetch(
                "commitments",
                queryset=apps.get_model("programs", "Commitment")
                .objects.select_related("partner", "site")
                .order_by("id"),
            ),
            "agreements",
        )

    def public(self) -> MeetingQuerySet:
        """Meetings on the public pages: those of public programmes, archived ones left out."""
        return self.active().filter(program__is_public=True)

    def upcoming(self, today: datetime.date | None = None) -> MeetingQuerySet:
        # An archived meeting is not coming up: it was withdrawn from the record.
        return (
            self.active()
            .filter(starts_on__gte=today or timezone.localdate())
            .select_related("program")
            .order_by("starts_on", "id")
        )


class Meeting(TimestampedModel, ArchivableModel):
    """A coordination meeting, workshop, training or kick-off of a programme."""

    program_path = "program"  # rights follow the programme (collab.permissions)

    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Coordination meeting")
        WORKSHOP = "workshop", _("Workshop")
        FGD = "fgd", _("Focus group discussion")
        TRAINING = "training", _("Training")
        KICKOFF = "kickoff", _("Kick-off")
        SIGNING = "signing", _("Signing")
        OTHER = "other", _("Other")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("programme")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.COORDINATION
    )
    title = models.CharField(_("title"), max_length=500)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    chair = models.CharField(_("chair"), max_length=255, blank=True)
    moderator = models.CharField(_("moderator"), max_length=255, blank=True)
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["program", "-starts_on", "-id"], name="meeting_program_start_idx"),
            models.Index(fields=["-starts_on", "-id"], name="meeting_start_idx"),
            models.Index(fields=["kind", "-starts_on"], name="meeting_kind_idx"),
        ]
        constraints = [
            end_not_before_start(
                "starts_on",
                "ends_on",
                "meeting_ends_after_start",
                _("A meeting cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("programs:meeting_detail", kwargs={"pk": self.pk})


class DecisionQuerySet(models.QuerySet):
    """Reads of decisions."""

    def public(self) -> DecisionQuerySet:
        return self.filter(meeting__archived_at__isnull=True, meeting__program__is_public=True)


class AttendanceQuerySet(models.QuerySet):
    """Reads of attendance."""

    def public(self) -> AttendanceQuerySet:
        """Attending organisations of public meetings. The representative (a contact) is never
        public: public views read `partner` only."""
        return self.filter(meeting__archived_at__isnull=True, meeting__program__is_public=True)


class Attendance(models.Model):
    """An organisation (and optionally its representative) present at a meeting."""

    program_path = "meeting__program"  # rights follow the programme (collab.permissions)
    history_label_field = "partner"  # names its rows in history (collab.history)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("partner")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("representative"),
    )
    role = models.CharField(_("role at the meeting"), max_length=255, blank=True)

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "partner__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "partner"],
                name="attendance_unique_partner",
                violation_error_message=_("This organisation is already listed as attending."),
            ),
        ]
        indexes = [models.Index(fields=["partner"], name="attendance_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner} @ {self.meeting}"


class Decision(models.Model):
    """A numbered decision taken at a meeting."""

    program_path = "meeting__program"  # rights follow the programme (collab.permissions)
    history_label_field = "number"  # names its rows in history (collab.history)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="decision_unique_number",
                violation_error_message=_("Two decisions of a meeting cannot share a number."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="decision_number_positive",
                violation_error_message=_("Decision numbers start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


# Work still owed: what the dashboard lists as overdue (and its partial indexes cover).
OPEN_ACTION_STATUSES = ("planned", "in_progress")


class ActionItemQuerySet(models.QuerySet):
    """Reads of action items (work plan and follow-ups)."""

    def for_list(self) -> ActionItemQuerySet:
        return self.select_related("program", "responsible", "meeting")

    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def public(self) -> ActionItemQuerySet:
        """The work plan of public programmes (an action item has no archived state)."""
        return self.filter(program__is_public=True)

    def overdue(self, today: datetime.date | None = None) -> ActionItemQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionItem(TimestampedModel):
    """A work-plan step or a meeting follow-up: who does what, by when."""

    program_path = "program"  # rights follow the programme (collab.permissions)
    history_label_field = "title"  # names its rows in history (collab.history)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("programme")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("responsible"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    order = models.PositiveIntegerField(_("order in the work plan"), default=0)

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "order", "due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(
                fields=["program", "order", "due_on", "id"], name="actionitem_program_order_idx"
            ),
            models.Index(fields=["status", "due_on"], name="actionitem_status_due_idx"),
            # The dashboard's overdue list, overall and per programme (ActionItemQuerySet.open()).
            models.Index(
                fields=["due_on", "id"],
                name="actionitem_open_due_idx",
                condition=models.Q(status__in=OPEN_ACTION_STATUSES),
            ),
            models.Index(
                fields=["program", "due_on", "id"],
                name="actionitem_program_open_idx",
                condition=models.Q(status__in=OPEN_ACTION_STATUSES),
            ),
        ]
        constraints = [
            end_not_before_start(
                "starts_on",
                "due_on",
                "actionitem_due_after_start",
                _("An action item cannot be due before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
