"""The public programme list's search and filters (pillar, province, SDG goal, status)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from collab.models import Region
from partners.models import Pillar

from ..filtersets import ProgramFilterSet
from ..models import ProgramPartner, Site


class PublicProgramFilterSet(ProgramFilterSet):
    pillar = filters.ChoiceFilter(label=_("Pillar"), choices=Pillar.choices, method="filter_pillar")
    province = filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
        method="filter_province",
    )

    class Meta(ProgramFilterSet.Meta):
        fields = ["q", "pillar", "province", "sdg_goal", "status"]

    def filter_pillar(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Programmes with a partner of this pillar."""
        return queryset.filter(
            Exists(ProgramPartner.objects.filter(program_id=OuterRef("pk"), partner__pillar=value))
        )

    def filter_province(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        """Programmes with a pilot site in this province (the province or a region in it)."""
        inside = Q(region__code=value.code) | Q(region__code__startswith=value.code + ".")
        return queryset.filter(Exists(Site.objects.filter(inside, program_id=OuterRef("pk"))))
