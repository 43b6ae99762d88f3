"""Programmes, the aggregate root of rights, with their partners' roles and pilot sites."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from collab.models import Region, SdgGoal, SdgTarget
from collab.permissions import Action
from partners.models import Partner

from .base import TimestampedModel, end_not_before_start

# The rights on a programme (registered with collab.permissions by programs/registrations.py):
# the object permissions on a programme that grant each action on it…
RIGHT_CODENAMES: dict[Action, tuple[str, ...]] = {
    Action.VIEW: ("view_program", "coordinate_program"),
    Action.COORDINATE: ("coordinate_program",),
    Action.EXPORT: ("coordinate_program", "export_agreement"),
}
# …and the model-level permission that grants it on every programme (staff).
GLOBAL_RIGHT_CODENAMES: dict[Action, str] = {
    Action.VIEW: "view_program",
    Action.COORDINATE: "coordinate_program",
    Action.EXPORT: "export_agreement",
}


class ProgramQuerySet(models.QuerySet):
    """Reads of programmes."""

    def for_list(self) -> ProgramQuerySet:
        return self.prefetch_related("sdg_goals")

    def for_detail(self) -> ProgramQuerySet:
        return self.prefetch_related("sdg_goals", "sdg_targets")

    def public(self) -> ProgramQuerySet:
        """The programmes published on the public pages and open data (programs.public): the
        public counterpart of collab.permissions.restrict, which every public read starts from."""
        return self.filter(is_public=True)


class Program(TimestampedModel):
    """A multi-stakeholder collaboration such as Kota SDGs Bengkulu or KOTAKU."""

    program_path = ""  # rights follow the programme (collab.permissions)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="programs", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="programs", verbose_name=_("SDG targets")
    )
    meeting_cadence_months = models.PositiveSmallIntegerField(
        _("coordination meeting every (months)"), null=True, blank=True
    )
    is_public = models.BooleanField(
        _("published on the public pages"),
        default=False,
        help_text=_(
            "Shows the programme, its partners, sites, meetings, agreements, commitments and "
            "indicators to everybody at /public/ and in the open data. Contact persons, "
            "attendance representatives, history and archived records stay private."
        ),
    )

    objects = ProgramQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sdg_goals, sdg_targets])

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [
            ("coordinate_program", _("Can coordinate the programme")),
            ("export_agreement", _("Can export agreement records")),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="program_status_name_idx"),
            models.Index(fields=["starts_on"], name="program_starts_on_idx"),
            models.Index(fields=["is_public", "name"], name="program_public_name_idx"),
        ]
        constraints = [
            end_not_before_start(
                "starts_on",
                "ends_on",
                "program_ends_after_start",
                _("A programme cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_cadence_months__isnull=True)
                | models.Q(meeting_cadence_months__gte=1),
                name="program_cadence_positive",
                violation_error_message=_("The meeting cadence must be at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", kwargs={"slug": self.slug})


class ProgramUserObjectPermission(UserObjectPermissionBase):
    """Guardian object permission of a user on a programme (direct foreign key: uses the index)."""

    content_object = models.ForeignKey(Program, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user permission on a programme")
        verbose_name_plural = _("user permissions on programmes")


class ProgramGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian object permission of a group on a programme (direct foreign key)."""

    content_object = models.ForeignKey(Program, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group permission on a programme")
        verbose_name_plural = _("group permissions on programmes")


class ProgramPartnerQuerySet(models.QuerySet):
    """Reads of partners' roles."""

    def public(self) -> ProgramPartnerQuerySet:
        return self.filter(program__is_public=True)


class ProgramPartner(TimestampedModel):
    """A partner's role in a programme; a partner may hold several roles, each once."""

    program_path = "program"  # rights follow the programme (collab.permissions)
    history_label_field = "partner"  # names its rows in history (collab.history)

    class Role(models.TextChoices):
        CONVENOR = "convenor", _("Convenor")
        FUNDER = "funder", _("Funder")
        IMPLEMENTING = "implementing", _("Implementing partner")
        TECHNICAL = "technical", _("Technical/expert partner")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("programme")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("partner"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ProgramPartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "partner__name", "role"]
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "partner", "role"],
                name="programpartner_unique_role",
                violation_error_message=_("This partner already has this role in the programme."),
            ),
        ]
        indexes = [models.Index(fields=["partner", "program"], name="programpartner_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_role_display()} ({self.program})"


class SiteQuerySet(models.QuerySet):
    """Reads of pilot sites."""

    def for_list(self) -> SiteQuerySet:
        return self.select_related("program", "region__parent__parent")

    def public(self) -> SiteQuerySet:
        return self.filter(program__is_public=True)


class Site(TimestampedModel):
    """A pilot site of a programme at any region level (a kelurahan, a regency…)."""

    program_path = "program"  # rights follow the programme (collab.permissions)
    history_label_field = "name"  # names its rows in history (collab.history)

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="sites", verbose_name=_("programme")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sites", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    rationale = models.TextField(_("why this site"), blank=True)
    priority_issues = models.TextField(_("priority issues"), blank=True)

    objects = SiteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "region"],
                name="site_unique_region_per_program",
                violation_error_message=_("This region is already a site of the programme."),
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"], name="site_program_status_idx"),
            models.Index(fields=["program", "name"], name="site_program_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:site_detail", kwargs={"pk": self.pk})
