"""The partner directory's FilterSet, and the partner choice other apps' filters use.

An app that links partners to its own records (programmes) adds its filter to the directory
with `PartnerFilterSet.add_filter` from its AppConfig.ready().
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from collab.filtersets import StyledFilterSet, province_filter
from collab.permissions import restrict

from .lookups import PartnerSelect
from .models import Partner, PartnerKind, Pillar


def visible_partners(request) -> QuerySet:
    if request is None:
        return Partner.objects.none()
    return restrict(Partner.objects.all(), request.user, "view").only("pk", "name", "acronym")


def partner_filter(**kwargs) -> filters.ModelChoiceFilter:
    """A choice among the partners the user may see: a type-ahead past the inline limit."""
    return filters.ModelChoiceFilter(queryset=visible_partners, widget=PartnerSelect, **kwargs)


class PartnerFilterSet(StyledFilterSet):
    search_fields = ("name", "acronym", "description")
    pillar = filters.ChoiceFilter(label=_("Pillar"), choices=Pillar.choices)
    kind = filters.ChoiceFilter(label=_("Kind"), choices=PartnerKind.choices)
    province = province_filter("region")

    class Meta:
        model = Partner
        fields = ["q", "pillar", "kind", "province", "is_active"]
