"""Forms of the programme itself: its sites, and the region field other forms share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collab.forms import ProgramScopedForm
from collab.models import Region
from collab.permissions import Action

from ..lookups import ProgramSelect
from ..models import Site


class RegionCodeField(forms.ModelChoiceField):
    """A region typed as its Kemendagri code: a select of 91,599 regions would not load."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "35.77.03.1009"}))
        kwargs.setdefault(
            "help_text", _("Kemendagri code of the province, regency, district or village.")
        )
        kwargs.setdefault("error_messages", {"invalid_choice": _("No region has this code.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)


class SiteForm(ProgramScopedForm):
    region = RegionCodeField(label=_("Region"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.region_id and "region" not in self.data:
            # The field speaks codes; the instance's initial value would be the primary key.
            self.initial["region"] = self.instance.region.code

    class Meta:
        model = Site
        fields = ["program", "region", "name", "status", "rationale", "priority_issues"]
        widgets = {
            "program": ProgramSelect(action=Action.COORDINATE),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "priority_issues": forms.Textarea(attrs={"rows": 3}),
        }


class SiteCreateForm(SiteForm):
    class Meta(SiteForm.Meta):
        fields = [f for f in SiteForm.Meta.fields if f != "program"]
