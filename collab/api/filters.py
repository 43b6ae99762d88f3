"""The pages' FilterSets under the API, read strictly: a parameter the schema types is refused
(400, naming it) when it is empty or not of its type, instead of being ignored as a page's
blank field is. The filtering itself is django-filter's, unchanged."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.request import Request

BOOLEAN_VALUES = {"true", "false"}


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            errors: dict[str, list[str]] = {}
            for name, declared in filterset_class.base_filters.items():
                for value in request.query_params.getlist(name):
                    if value == "":
                        errors.setdefault(name, []).append(str(_("Give a value or leave it out.")))
                    elif (
                        isinstance(declared, django_filters.BooleanFilter)
                        and value.lower() not in BOOLEAN_VALUES
                    ):
                        errors.setdefault(name, []).append(str(_("Give true or false.")))
            if errors:
                raise exceptions.ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
