"""FilterSet plumbing shared by every app: styled widgets, search, rights-aware choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from collab.forms import style_fields
from collab.lookups import search_condition
from collab.models import Region


def provinces(request=None) -> QuerySet:
    return Region.objects.filter(level=Region.Level.PROVINCE).only("pk", "code", "name")


class StyledFilterSet(filters.FilterSet):
    """Bootstrap widgets; the free-text `q` searches the fields in `search_fields`."""

    search_fields: tuple[str, ...] = ()
    q = filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.form)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(search_condition(value, self.search_fields))

    @classmethod
    def add_filter(cls, name: str, added: filters.Filter, *, before: str | None = None) -> None:
        """Add a filter that another app declares (from its AppConfig.ready()): a higher app
        narrows a lower app's list by its own data without the lower app importing it."""
        added.field_name = added.field_name or name
        items = [(key, value) for key, value in cls.base_filters.items() if key != name]
        position = next((i for i, (key, _) in enumerate(items) if key == before), len(items))
        items.insert(position, (name, added))
        cls.base_filters = type(cls.base_filters)(items)


def province_filter(field: str) -> filters.ModelChoiceFilter:
    """Everything located in a province: its own region or any region below it (by code)."""

    def method(queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(
            Q(**{f"{field}__code": value.code})
            | Q(**{f"{field}__code__startswith": value.code + "."})
        )

    return ProvinceFilter(
        label=_("Province"),
        queryset=provinces,
        method=lambda qs, name, value: method(qs, name, value),
    )


def date_range(
    field: str, after: Any, before: Any
) -> tuple[filters.DateFilter, filters.DateFilter]:
    """Two filters of the date `field`: on or after a day (labelled `after`) and on or before
    one (`before`); declared as `x_after, x_before = date_range(...)`."""
    return (
        filters.DateFilter(
            label=after, field_name=field, lookup_expr="gte", widget=forms.DateInput
        ),
        filters.DateFilter(
            label=before, field_name=field, lookup_expr="lte", widget=forms.DateInput
        ),
    )


def has_related(
    model: type[Model], outer: str, chosen: str
) -> Callable[[QuerySet, str, Any], QuerySet]:
    """A filter method: the rows for which a `model` row points at the row (`outer`) and at the
    chosen value (`chosen`), such as a meeting attended by the chosen partner. EXISTS, not a
    join: a row is never repeated."""

    def method(queryset: QuerySet, name: str, value: Model) -> QuerySet:
        related = model._default_manager.filter(**{outer: OuterRef("pk"), chosen: value.pk})
        return queryset.filter(Exists(related))

    return method


@extend_schema_field(OpenApiTypes.INT)  # the province's id, for the API's schema
class ProvinceFilter(filters.ModelChoiceFilter):
    """A province, chosen by its id (the choices are the provinces)."""


class OverdueFilter(filters.BooleanFilter):
    """Open records whose due date has passed."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", _("Overdue only"))
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: bool | None) -> QuerySet:
        if not value:
            return qs
        return qs.overdue(timezone.localdate())


class RegionFilterSet(filters.FilterSet):
    """The API's region list: by level and by the parent's code (`?level=regency&parent=35`)."""

    level = filters.ChoiceFilter(label=_("Level"), choices=Region.Level.choices)
    parent = filters.CharFilter(label=_("Parent code"), field_name="parent__code", max_length=13)
    q = filters.CharFilter(
        label=_("Search"), field_name="name", lookup_expr="icontains", max_length=200
    )

    class Meta:
        model = Region
        fields = ["level", "parent", "q"]
