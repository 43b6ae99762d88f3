"""Forms of the programme pages; choices limited to what the user may see (collab.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collab.forms import ProgramScopedForm, style_fields
from collab.models import Region

from .models import ActionItem, Agreement, Commitment, CommitmentUpdate, Meeting, Site


class CommitmentForm(ProgramScopedForm):
    class Meta:
        model = Commitment
        fields = [
            "program",
            "partner",
            "title",
            "description",
            "kind",
            "amount",
            "starts_on",
            "due_on",
            "status",
            "meeting",
            "site",
            "agreement",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CommitmentCreateForm(CommitmentForm):
    class Meta(CommitmentForm.Meta):
        fields = [f for f in CommitmentForm.Meta.fields if f != "program"]


class CommitmentUpdateForm(forms.ModelForm):
    """One progress entry; the commitment takes its status (programs.services)."""

    class Meta:
        model = CommitmentUpdate
        fields = ["status", "progress", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"progress": _("Percentage done, 0 to 100.")}

    def __init__(self, *args, user=None, program=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update(min=0, max=100)
        style_fields(self)


class ActionItemForm(ProgramScopedForm):
    class Meta:
        model = ActionItem
        fields = [
            "program",
            "title",
            "description",
            "responsible",
            "meeting",
            "starts_on",
            "due_on",
            "status",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActionItemCreateForm(ActionItemForm):
    class Meta(ActionItemForm.Meta):
        fields = [f for f in ActionItemForm.Meta.fields if f != "program"]


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

    class Meta:
        model = Site
        fields = ["program", "region", "name", "status", "rationale", "priority_issues"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "priority_issues": forms.Textarea(attrs={"rows": 3}),
        }


class SiteCreateForm(SiteForm):
    class Meta(SiteForm.Meta):
        fields = [f for f in SiteForm.Meta.fields if f != "program"]


class MeetingForm(ProgramScopedForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "chair",
            "moderator",
            "participant_count",
            "summary",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class AgreementForm(ProgramScopedForm):
    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "title",
            "status",
            "signed_on",
            "signed_at",
            "effective_from",
            "expires_on",
            "meeting",
        ]
