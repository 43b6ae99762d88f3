"""Forms of meetings: the meeting with its four row formsets, and action items on their own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db.models import QuerySet
from django.forms.formsets import all_valid
from django.utils.translation import gettext_lazy as _

from collab.forms import ProgramScopedForm
from collab.formsets import (
    LayoutMixin,
    RowChoiceField,
    RowForm,
    RowFormSet,
    add_refusal_errors,
    row_formsets,
)
from collab.permissions import Action
from partners.lookups import PartnerSelect
from partners.models import Contact

from ..lookups import ProgramSelect
from ..models import ActionItem, Attendance, Commitment, Decision, Meeting, Program
from ..services import meetings as services


class ActionItemForm(ProgramScopedForm):
    program_scoped_fields = ("meeting",)

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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "program": ProgramSelect(action=Action.COORDINATE),
            "responsible": PartnerSelect,
        }


class ActionItemCreateForm(ActionItemForm):
    class Meta(ActionItemForm.Meta):
        fields = [f for f in ActionItemForm.Meta.fields if f != "program"]


# --- recording a meeting: the meeting form and its four row formsets ----------------------------


class MeetingForm(LayoutMixin, ProgramScopedForm):
    date_order = ("starts_on", "ends_on", _("A meeting cannot end before it starts."))
    columns = {
        "kind": "col-12 col-md-4",
        "title": "col-12 col-md-8",
        "starts_on": "col-6 col-md-3",
        "ends_on": "col-6 col-md-3",
        "venue": "col-12 col-md-6",
        "chair": "col-12 col-md-5",
        "moderator": "col-12 col-md-4",
        "participant_count": "col-12 col-md-3",
        "summary": "col-12",
    }

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

    def meeting_fields(self) -> dict[str, Any]:
        """The cleaned values of the meeting's own fields, for programs.services.meetings."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MeetingRowForm(RowForm):
    """A row beneath a meeting: attendance, decision, action item or commitment.

    Its choices go through the rights chokepoint (collab.formsets.RowForm), and
    `program_scoped_fields` offer only this programme's records.
    """

    program_scoped_fields: ClassVar[tuple[str, ...]] = ("site",)

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        self.program = program
        super().__init__(*args, **kwargs)
        if program is not None and getattr(self.instance, "program_id", False) is None:
            self.instance.program = program  # action items and commitments

    def narrow(self, name: str, queryset: QuerySet) -> QuerySet:
        if name in self.program_scoped_fields:
            return queryset.filter(program=self.program) if self.program else queryset.none()
        return queryset


class ContactChoiceField(RowChoiceField):
    """A representative labelled with the organisation, since several share a name."""

    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj} — {obj.partner}"


class AttendanceRowForm(MeetingRowForm):
    row_class = services.AttendanceRow
    columns = {
        "partner": "col-12 col-lg-4",
        "contact": "col-12 col-lg-4",
        "role": "col-12 col-lg-3",
    }

    class Meta:
        model = Attendance
        fields = ["partner", "contact", "role"]
        field_classes = {"partner": RowChoiceField, "contact": ContactChoiceField}
        widgets = {"partner": PartnerSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = self.fields["contact"].queryset.select_related("partner")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        partner, contact = cleaned.get("partner"), cleaned.get("contact")
        if partner and contact and contact.partner_id != partner.pk:
            self.add_error("contact", _("Choose a representative of this organisation."))
        return cleaned


class DecisionRowForm(MeetingRowForm):
    row_class = services.DecisionRow
    columns = {"number": "col-5 col-sm-3 col-md-2 col-lg-1", "text": "col-12 col-sm-9 col-md-10"}

    class Meta:
        model = Decision
        fields = ["number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = self.fields["number"]
        # Left empty, the decision is numbered in row order (DecisionFormSet.clean).
        number.required = False
        number.validators.append(MinValueValidator(1))
        number.widget.attrs.update(min=1, placeholder=_("auto"))


class ActionItemRowForm(MeetingRowForm):
    row_class = services.ActionItemRow
    date_order = ("starts_on", "due_on", _("An action item cannot be due before it starts."))
    columns = {
        "title": "col-12 col-lg-3",
        "responsible": "col-12 col-md-6 col-lg-3",
        "starts_on": "col-6 col-md-3 col-lg-2",
        "due_on": "col-6 col-md-3 col-lg-2",
        "status": "col-12 col-md-6 col-lg-2",
    }

    class Meta:
        model = ActionItem
        fields = ["title", "responsible", "starts_on", "due_on", "status"]
        field_classes = {"responsible": RowChoiceField}
        widgets = {"responsible": PartnerSelect}


class CommitmentRowForm(MeetingRowForm):
    row_class = services.CommitmentRow
    date_order = ("starts_on", "due_on", _("A commitment cannot be due before it starts."))
    columns = {
        "partner": "col-12 col-md-6 col-lg-3",
        "title": "col-12 col-md-6 col-lg-5",
        "kind": "col-6 col-lg-2",
        "amount": "col-6 col-lg-2",
        "starts_on": "col-6 col-md-3 col-lg-2",
        "due_on": "col-6 col-md-3 col-lg-2",
        "site": "col-12 col-md-6 col-lg-4",
        "status": "col-12 col-md-6 col-lg-2",
    }

    class Meta:
        model = Commitment
        fields = ["partner", "title", "kind", "amount", "starts_on", "due_on", "site", "status"]
        field_classes = {"partner": RowChoiceField, "site": RowChoiceField}
        widgets = {"partner": PartnerSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(min=0, step="any", inputmode="decimal")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", _("An amount cannot be negative."))
        return cleaned


class AttendanceFormSet(RowFormSet):
    heading = _("Attending organisations")
    unique_key = "partner"
    duplicate_message = _("This organisation is already listed as attending.")
    ordering = ("partner__name", "id")


class DecisionFormSet(RowFormSet):
    unique_key = "number"
    duplicate_message = _("Two decisions of a meeting cannot share a number.")
    ordering = ("number", "id")

    def clean(self) -> None:
        self.fill_in_row_order("number")
        super().clean()


MEETING_ROW_LIMIT = 200

MEETING_FORMSETS: dict[str, type[RowFormSet]] = row_formsets(
    Meeting,
    "meeting",
    MEETING_ROW_LIMIT,
    (
        ("attendances", AttendanceRowForm, AttendanceFormSet),
        ("decisions", DecisionRowForm, DecisionFormSet),
        ("action_items", ActionItemRowForm, RowFormSet),
        ("commitments", CommitmentRowForm, RowFormSet),
    ),
)
"""The row formsets of the meeting page, by prefix (the prefix is also the related name and the
service's name for the list of rows)."""


def save_meeting_forms(
    *,
    program: Program,
    user: AbstractBaseUser,
    form: MeetingForm,
    formsets: Mapping[str, RowFormSet],
) -> Meeting:
    """Save the meeting page (`form` and the MEETING_FORMSETS bound beside it) through
    programs.services.meetings.record_meeting, all of it or nothing.

    Records a new meeting (`form.instance` not yet saved) or edits one. When anything is wrong
    this raises `ValidationError` and the forms hold every error beside its field or row,
    whether the forms found it or the service refused; the caller's transaction (or the
    service's own) is rolled back: not the meeting, not one row is written.
    """
    if not all_valid([form, *formsets.values()]):
        raise ValidationError(_("Nothing was saved. Please correct the marked fields."))
    kept = {prefix: formset.kept_forms() for prefix, formset in formsets.items()}
    rows = {prefix: [row.row() for row in prefix_rows] for prefix, prefix_rows in kept.items()}
    try:
        return services.record_meeting(
            user=user,
            program=program,
            meeting=None if form.instance._state.adding else form.instance,
            fields=form.meeting_fields(),
            attendances=rows["attendances"],
            decisions=rows["decisions"],
            action_items=rows["action_items"],
            commitments=rows["commitments"],
        )
    except services.MeetingInvalid as invalid:
        # The forms passed, the service refused (a concurrent edit, a crafted post): say where,
        # as the forms would have.
        add_refusal_errors(form, kept, part=invalid.part, index=invalid.index, error=invalid.error)
        raise ValidationError(_("Nothing was saved.")) from invalid
    except PermissionDenied as denied:
        message = _("You may only record data in programmes you coordinate.")
        form.add_error(None, message)
        raise ValidationError(message) from denied
