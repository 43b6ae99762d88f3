"""Results: indicators and their measurements."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from collab.charts import Point
from collab.views import ObjectCreateView, ObjectDetailView, ObjectEditView

from .. import followup
from ..forms import indicators as forms
from ..models import Indicator, Measurement


def indicator_url(indicator: Indicator) -> str:
    return reverse("programs:indicator_detail", args=[indicator.pk])


class IndicatorDetailView(ObjectDetailView):
    queryset = Indicator.objects.for_detail()
    template_name = "programs/indicator_detail.html"
    history_children = ("measurements",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measurements = list(self.object.measurements.order_by("measured_on", "id"))
        points = [Point(row.measured_on, row.value) for row in measurements]
        context["result"] = followup.indicator_result(self.object, points)
        context["measurements"] = measurements[::-1]  # the table: newest first
        return context


class IndicatorCreateView(ObjectCreateView):
    model = Indicator
    form_class = forms.IndicatorCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add an indicator")}
    success_message = _("The indicator was saved.")

    def get_success_url(self) -> str:
        return indicator_url(self.object)


class IndicatorEditView(ObjectEditView):
    queryset = Indicator.objects.all()
    form_class = forms.IndicatorForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit indicator")}
    success_message = _("The indicator was saved.")

    def get_success_url(self) -> str:
        return indicator_url(self.object)


class MeasurementCreateView(ObjectEditView):
    """Add a measurement to an indicator (the URL's pk is the indicator's)."""

    queryset = Indicator.objects.all()
    form_class = forms.MeasurementForm
    versioned = False  # adds a measurement; the indicator's own fields are not edited
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add a measurement")}
    success_message = _("The measurement was saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Measurement(indicator=self.object)
        return kwargs

    def save_form(self, form: forms.MeasurementForm) -> Indicator:
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # Another coordinator recorded the same date between the form's check and the save.
            form.add_error("measured_on", _("This indicator already has a value for this date."))
            raise ValidationError(_("Nothing was saved.")) from None
        return self.object

    def form_valid(self, form: forms.MeasurementForm) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)

    def get_success_url(self) -> str:
        return indicator_url(self.object)


urlpatterns = [
    path(
        "programs/<slug:slug>/indicators/new/",
        IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path("indicators/<int:pk>/", IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", IndicatorEditView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/measurements/new/",
        MeasurementCreateView.as_view(),
        name="measurement_create",
    ),
]
