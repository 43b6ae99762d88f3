"""Admin for indicators and their measurements."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from collab.admin_base import DomainAdmin, Inline

from ..models import Indicator, Measurement, Program


class MeasurementInline(Inline):
    model = Measurement
    fields = ("measured_on", "value", "note")
    select_related = ("indicator",)
    ordering = ("measured_on",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Indicator)
class IndicatorAdmin(DomainAdmin):
    list_display = (
        "name",
        "program",
        "sdg_indicator",
        "unit",
        "direction",
        "baseline_value",
        "baseline_on",
        "target_value",
        "target_on",
    )
    list_filter = ("direction", "program")
    list_select_related = ("program", "sdg_indicator")
    search_fields = ("name", "program__name", "^sdg_indicator__code")
    autocomplete_fields = ("program", "sdg_indicator")
    inlines = (MeasurementInline,)


@admin.register(Measurement)
class MeasurementAdmin(DomainAdmin):
    list_display = ("indicator", "program", "measured_on", "value")
    list_filter = ("indicator__program",)
    list_select_related = ("indicator__program",)
    date_hierarchy = "measured_on"
    search_fields = ("indicator__name", "note")
    autocomplete_fields = ("indicator",)

    @admin.display(description=_("programme"), ordering="indicator__program__name")
    def program(self, obj: Measurement) -> Program:
        return obj.indicator.program
