"""Partner organisations across the four SDG pillars, and their contact persons."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from collab.models import Region
from collab.permissions import Action


class Pillar(models.TextChoices):
    """The four SDG pillars of Indonesia's SDG governance (Perpres 59/2017)."""

    GOVERNMENT = "government", _("Government")
    PHILANTHROPY_BUSINESS = "philanthropy_business", _("Philanthropy & Business")
    ACADEMIA_EXPERTS = "academia_experts", _("Academia & Experts")
    CIVIL_SOCIETY_MEDIA = "civil_society_media", _("Civil Society Organisations & Media")


class PartnerKind(models.TextChoices):
    MINISTRY_AGENCY = "ministry_agency", _("Ministry/agency")
    LOCAL_GOVERNMENT = "local_government", _("Local government or OPD")
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
    COMPANY = "company", _("Company/CSR")
    FOUNDATION = "foundation", _("Foundation/zakat/philanthropy")
    UNIVERSITY = "university", _("University/research centre")
    CSO = "cso", _("CSO/NGO")
    COMMUNITY = "community", _("Community body")
    MEDIA = "media", _("Media")
    INTERNATIONAL = "international", _("International development partner")
    NETWORK = "network", _("Network/forum")


# What makes a partner public (it takes part in a published programme) is known only to the
# apps above: they register a function returning the ids of public partners
# (register_public_partners), so partners never imports them.
_public_partner_ids: list[Callable[[], models.QuerySet]] = []


def register_public_partners(ids: Callable[[], models.QuerySet]) -> None:
    """Register `ids()`: a queryset of the primary keys of partners that are public."""
    if ids not in _public_partner_ids:
        _public_partner_ids.append(ids)


class PartnerQuerySet(models.QuerySet):
    """Reads of partners."""

    def for_list(self) -> PartnerQuerySet:
        return self.select_related("region", "parent")

    def public(self) -> PartnerQuerySet:
        """Partners shown on the public pages: those some registered source names public (none
        when nothing is registered). Their contact persons never are."""
        condition = models.Q(pk__in=[])
        for ids in _public_partner_ids:
            condition |= models.Q(pk__in=ids())
        return self.filter(condition)


class Partner(models.Model):
    """An organisation that takes part in programmes: a ministry, a foundation, a university…"""

    # The shared directory: readable by anybody with a right on some programme (collab.permissions).
    directory_right = Action.VIEW

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    pillar = models.CharField(_("pillar"), max_length=32, choices=Pillar.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=PartnerKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("parent organisation"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("region"),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            models.Index(fields=["name"], name="partner_name_idx"),
            models.Index(fields=["pillar", "name"], name="partner_pillar_name_idx"),
            models.Index(fields=["kind", "name"], name="partner_kind_name_idx"),
            models.Index(fields=["is_active", "name"], name="partner_active_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="partner_name_not_empty",
                violation_error_message=_("A partner needs a name."),
            ),
        ]

    def __str__(self) -> str:
        if self.acronym and self.acronym.lower() not in self.name.lower():
            return f"{self.name} ({self.acronym})"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:partner_detail", kwargs={"pk": self.pk})


class Contact(models.Model):
    """A contact person at a partner. Personal data: never shown to anonymous visitors."""

    # Personal data: readable by the coordinators of some programme (collab.permissions).
    directory_right = Action.COORDINATE

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__name", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        indexes = [models.Index(fields=["partner", "name"], name="contact_partner_name_idx")]

    def __str__(self) -> str:
        if self.position:
            return f"{self.name}, {self.position}"
        return self.name
