"""The partner directory's FilterSet."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from collab.filtersets import StyledFilterSet, program_filter, province_filter
from programs.models import Program, ProgramPartner

from .models import Partner, PartnerKind, Pillar


class PartnerFilterSet(StyledFilterSet):
    search_fields = ("name", "acronym", "description")
    pillar = filters.ChoiceFilter(label=_("Pillar"), choices=Pillar.choices)
    kind = filters.ChoiceFilter(label=_("Kind"), choices=PartnerKind.choices)
    province = province_filter("region")
    program = program_filter(label=_("Programme"), method="filter_program")

    class Meta:
        model = Partner
        fields = ["q", "pillar", "kind", "province", "program", "is_active"]

    def filter_program(self, queryset: QuerySet, name: str, value: Program) -> QuerySet:
        return queryset.filter(
            Exists(ProgramPartner.objects.filter(partner_id=OuterRef("pk"), program_id=value.pk))
        )
