"""Results: indicators and their measurements."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from collab import views as generic
from collab.charts import Point

from .. import followup
from ..forms import indicators as forms
from ..models import Indicator
from . import IN_PROGRAM


def indicator_url(indicator: Indicator) -> str:
    return reverse("programs:indicator_detail", args=[indicator.pk])


class IndicatorDetailView(generic.ObjectDetailView):
    # Longer than a declaration: the result and its chart, from the measurements.
    queryset = Indicator.objects.for_detail()
    history_children = ("measurements",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measurements = list(self.object.measurements.order_by("measured_on", "id"))
        points = [Point(row.measured_on, row.value) for row in measurements]
        context["result"] = followup.indicator_result(self.object, points)
        context["measurements"] = measurements[::-1]  # the table: newest first
        return context


class IndicatorFormMixin:
    """After saving, to the indicator's page (an indicator names no page of its own in the
    admin: it has no get_absolute_url)."""

    def get_success_url(self) -> str:
        return indicator_url(self.object)  # type: ignore[attr-defined]


class IndicatorCreateView(IndicatorFormMixin, generic.ObjectCreateView):
    model = Indicator
    form_class = forms.IndicatorCreateForm
    extra_context = {"form_title": _("Add an indicator")}
    success_message = _("The indicator was saved.")


class IndicatorEditView(IndicatorFormMixin, generic.ObjectEditView):
    queryset = Indicator.objects.all()
    form_class = forms.IndicatorForm
    extra_context = {"form_title": _("Edit indicator")}
    success_message = _("The indicator was saved.")


class MeasurementCreateView(generic.ChildCreateView):
    # Longer than a declaration: an indicator has no get_absolute_url (see IndicatorFormMixin).
    parent_queryset = Indicator.objects.all()
    parent_field = "indicator"
    form_class = forms.MeasurementForm
    extra_context = {"form_title": _("Add a measurement")}
    success_message = _("The measurement was saved.")

    def get_success_url(self) -> str:
        return indicator_url(self.get_parent())


urlpatterns = [
    *generic.record_urls(
        "indicators", IndicatorCreateView, IndicatorDetailView, IndicatorEditView, parent=IN_PROGRAM
    ),
    path(
        "indicators/<int:pk>/measurements/new/",
        MeasurementCreateView.as_view(),
        name="measurement_create",
    ),
]
