"""Forms of commitments and of their progress entries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collab.forms import ProgramScopedForm, style_fields
from collab.permissions import Action
from partners.lookups import PartnerSelect

from ..lookups import ProgramSelect
from ..models import Commitment, CommitmentUpdate


class CommitmentForm(ProgramScopedForm):
    program_scoped_fields = ("meeting", "site", "agreement")
    date_order = ("starts_on", "due_on", _("A commitment cannot be due before it starts."))

    class Meta:
        model = Commitment
        fields = [*Commitment.own_fields, "meeting", "site", "agreement"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "program": ProgramSelect(action=Action.COORDINATE),
            "partner": PartnerSelect,
        }


class CommitmentCreateForm(CommitmentForm):
    class Meta(CommitmentForm.Meta):
        fields = [f for f in CommitmentForm.Meta.fields if f != "program"]


class CommitmentUpdateForm(forms.ModelForm):
    """One progress entry; the commitment takes its status (programs.services.commitments)."""

    class Meta:
        model = CommitmentUpdate
        fields = ["status", "progress", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"progress": _("Percentage done, 0 to 100.")}

    def __init__(self, *args, user=None, program=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update(min=0, max=100)
        style_fields(self)
