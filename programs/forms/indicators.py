"""Forms of results: indicators and their measurements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collab.forms import ProgramScopedForm, style_fields
from collab.permissions import Action

from ..lookups import ProgramSelect
from ..models import Indicator, Measurement


class IndicatorForm(ProgramScopedForm):
    date_order = (
        "baseline_on",
        "target_on",
        _("The target date cannot precede the baseline date."),
    )

    class Meta:
        model = Indicator
        fields = [
            "program",
            "name",
            "sdg_indicator",
            "unit",
            "direction",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_on",
        ]
        widgets = {"program": ProgramSelect(action=Action.COORDINATE)}
        help_texts = {
            "direction": _(
                "Lower is better for a quantity to reduce, such as the area of slums (target 0 ha)."
            ),
            "baseline_value": _("Empty: the first measurement is taken as the baseline."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("baseline_value", "target_value"):
            # "12,5" as Indonesians write it, or "12.5".
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class IndicatorCreateForm(IndicatorForm):
    class Meta(IndicatorForm.Meta):
        fields = [f for f in IndicatorForm.Meta.fields if f != "program"]


class MeasurementForm(forms.ModelForm):
    """A dated value of the indicator given as the instance's indicator (from the URL)."""

    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any = None, program: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        value = self.fields["value"]
        value.localize = True
        value.widget.is_localized = True
        value.widget.attrs["inputmode"] = "decimal"
        style_fields(self)

    def clean_measured_on(self) -> Any:
        # The unique constraint involves the indicator, which is not a field of this form, so
        # Django's own check skips it; say it beside the date instead of failing on save.
        measured_on = self.cleaned_data["measured_on"]
        taken = Measurement.objects.filter(
            indicator_id=self.instance.indicator_id, measured_on=measured_on
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("This indicator already has a value for this date."), code="duplicate"
            )
        return measured_on
