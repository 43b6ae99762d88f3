"""One FilterSet per listed model (STYLE rule 8): used by the list pages, exports and tests.

Choices of programmes, partners and goals show only what the requesting user may see.
"""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from collab.filtersets import (
    OverdueFilter,
    StyledFilterSet,
    date_range,
    has_related,
    province_filter,
)
from collab.models import SdgGoal
from collab.permissions import restrict
from partners.filtersets import partner_filter
from partners.models import Pillar

from .lookups import ProgramSelect
from .models import (
    ActionItem,
    Agreement,
    Attendance,
    Commitment,
    Indicator,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)


def visible_programs(request) -> QuerySet:
    if request is None:
        return Program.objects.none()
    return restrict(Program.objects.all(), request.user, "view").only("pk", "name")


def program_filter(**kwargs) -> filters.ModelChoiceFilter:
    """A choice among the programmes the user may see: a type-ahead past the inline limit."""
    return filters.ModelChoiceFilter(queryset=visible_programs, widget=ProgramSelect, **kwargs)


class ArchivableFilterSet(StyledFilterSet):
    """Archived records stay out of the list (and its export) unless "show archived" is ticked.

    Applied in `qs`, not as a filter method: an unbound FilterSet (the list without
    parameters) runs no filter at all, and that is exactly when archived rows must be hidden.
    """

    archived = filters.BooleanFilter(
        label=_("Show archived"), widget=forms.CheckboxInput, method="keep_all"
    )

    def keep_all(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_visible_qs"):
            queryset = super().qs
            show = self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archived")
            self._visible_qs = queryset if show else queryset.filter(archived_at__isnull=True)
        return self._visible_qs


class ProgramFilterSet(StyledFilterSet):
    search_fields = ("name", "description")
    sdg_goal = filters.ModelChoiceFilter(
        label=_("SDG goal"), queryset=SdgGoal.objects.all(), field_name="sdg_goals"
    )

    class Meta:
        model = Program
        fields = ["q", "status", "sdg_goal"]


class CommitmentFilterSet(ArchivableFilterSet):
    search_fields = ("title", "description", "partner__name", "partner__acronym")
    program = program_filter(label=_("Programme"))
    partner = partner_filter(label=_("Partner"))
    pillar = filters.ChoiceFilter(
        label=_("Pillar"), choices=Pillar.choices, field_name="partner__pillar"
    )
    sdg_goal = filters.ModelChoiceFilter(
        label=_("SDG goal"), queryset=SdgGoal.objects.all(), method="filter_goal"
    )
    overdue = OverdueFilter()

    class Meta:
        model = Commitment
        fields = [
            "q",
            "program",
            "partner",
            "pillar",
            "status",
            "kind",
            "sdg_goal",
            "overdue",
            "archived",
        ]

    def filter_goal(self, queryset: QuerySet, name: str, value: SdgGoal) -> QuerySet:
        through = Program.sdg_goals.through
        return queryset.filter(
            Exists(through.objects.filter(program_id=OuterRef("program_id"), sdggoal_id=value.pk))
        )


class MeetingFilterSet(ArchivableFilterSet):
    search_fields = ("title", "venue", "summary")
    program = program_filter(label=_("Programme"))
    partner = partner_filter(
        label=_("Attending organisation"), method=has_related(Attendance, "meeting", "partner")
    )
    starts_after, starts_before = date_range("starts_on", _("From"), _("Until"))

    class Meta:
        model = Meeting
        fields = ["q", "program", "kind", "partner", "starts_after", "starts_before", "archived"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        after = self.form.cleaned_data.get("starts_after")
        before = self.form.cleaned_data.get("starts_before")
        if after and before and before < after:
            return queryset.none()
        return super().filter_queryset(queryset)


class AgreementFilterSet(ArchivableFilterSet):
    search_fields = ("title", "number", "signed_at")
    program = program_filter(label=_("Programme"))
    partner = partner_filter(
        label=_("Signatory organisation"), method=has_related(Signatory, "agreement", "partner")
    )
    signed_after, signed_before = date_range("signed_on", _("Signed from"), _("Signed until"))

    class Meta:
        model = Agreement
        fields = [
            "q",
            "program",
            "kind",
            "status",
            "partner",
            "signed_after",
            "signed_before",
            "archived",
        ]


class ActionItemFilterSet(StyledFilterSet):
    search_fields = ("title", "description", "responsible__name")
    program = program_filter(label=_("Programme"))
    responsible = partner_filter(label=_("Responsible"))
    overdue = OverdueFilter()

    class Meta:
        model = ActionItem
        fields = ["q", "program", "status", "responsible", "overdue"]


class SiteFilterSet(StyledFilterSet):
    search_fields = ("name", "region__name", "priority_issues")
    program = program_filter(label=_("Programme"))
    province = province_filter("region")

    class Meta:
        model = Site
        fields = ["q", "program", "status", "province"]


def partner_program_filter() -> filters.ModelChoiceFilter:
    """Added to partners.filtersets.PartnerFilterSet (programs/registrations.py): partners with
    a role in the chosen programme."""
    return program_filter(
        label=_("Programme"), method=has_related(ProgramPartner, "partner", "program")
    )


class IndicatorFilterSet(StyledFilterSet):
    """The API's indicator list (indicators are listed on their programme's page)."""

    search_fields = ("name",)
    program = program_filter(label=_("Programme"))

    class Meta:
        model = Indicator
        fields = ["q", "program"]
