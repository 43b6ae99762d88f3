"""Forms of the programme pages; choices limited to what the user may see (collab.forms)."""

from __future__ import annotations

from functools import cache, partial
from typing import Any, ClassVar

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Model, QuerySet
from django.forms import BoundField
from django.template.defaultfilters import filesizeformat
from django.utils.choices import CallableChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from collab.forms import ProgramScopedForm, style_fields
from collab.lookups import LookupChoices, LookupSelect, PartnerSelect, ProgramSelect
from collab.models import Region
from collab.permissions import Action, restrict
from partners.models import Contact

from . import services
from .models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    CommitmentUpdate,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    Program,
    Signatory,
    Site,
)


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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "program": ProgramSelect(action=Action.COORDINATE),
            "partner": PartnerSelect,
        }


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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "program": ProgramSelect(action=Action.COORDINATE),
            "responsible": PartnerSelect,
        }


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


# --- results: indicators and their measurements --------------------------------------------------


class IndicatorForm(ProgramScopedForm):
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _end_not_before_start(
            self, "baseline_on", "target_on", _("The target date cannot precede the baseline date.")
        )
        return cleaned


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


# --- recording a meeting: the meeting form and its four row formsets ----------------------------


class LayoutMixin:
    """Column classes per field, so one row template lays out every row form (phone: stacked)."""

    columns: ClassVar[dict[str, str]] = {}

    def layout(self) -> list[tuple[BoundField, str]]:
        return [
            (self[name], self.columns.get(name, "col-12 col-md-6"))  # type: ignore[index]
            for name in self.fields  # type: ignore[attr-defined]
            if name in self.columns
        ]


def _end_not_before_start(form: forms.BaseForm, start: str, end: str, message: str) -> None:
    """The model's constraint, but as an error beside the end field instead of above the form."""
    starts_on = form.cleaned_data.get(start)
    ends_on = form.cleaned_data.get(end)
    if starts_on and ends_on and ends_on < starts_on:
        form.add_error(end, message)


class MeetingForm(LayoutMixin, ProgramScopedForm):
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _end_not_before_start(
            self, "starts_on", "ends_on", _("A meeting cannot end before it starts.")
        )
        return cleaned


class MeetingRowForm(LayoutMixin, forms.ModelForm):
    """A row beneath a meeting: attendance, decision, action item or commitment.

    Its choices go through the rights chokepoint, and `program_scoped_fields` offer only this
    programme's records. The formset hands every row the same `restricted` dict, so the
    querysets are restricted once per formset, not once per row (restrict() may query).
    """

    program_scoped_fields: ClassVar[tuple[str, ...]] = ("site",)

    def __init__(
        self,
        *args: Any,
        user: Any,
        program: Program | None = None,
        restricted: dict[str, QuerySet] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.program = program
        if program is not None and getattr(self.instance, "program_id", False) is None:
            self.instance.program = program  # action items and commitments
        restricted = {} if restricted is None else restricted
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name not in restricted:
                queryset = restrict(field.queryset, user, Action.VIEW)
                if name in self.program_scoped_fields:
                    queryset = queryset.filter(program=program) if program else queryset.none()
                restricted[name] = queryset
            field.queryset = restricted[name]
        style_fields(self)


class PrefetchedChoiceField(forms.ModelChoiceField):
    """A choice in a formset row. MeetingRowFormSet fetches the values submitted in all its rows
    in one query and hands them over in `known`, instead of one look-up per row."""

    known: dict[str, Model] | None = None

    def to_python(self, value: Any) -> Model | None:
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        if str(value) in self.known:
            return self.known[str(value)]
        # Not among the user's choices (the formset looked every submitted value up already):
        # an error without another query, which a post of 200 bad rows would repeat 200 times.
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ContactChoiceField(PrefetchedChoiceField):
    """A representative labelled with the organisation, since several share a name."""

    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj} — {obj.partner}"


class AttendanceRowForm(MeetingRowForm):
    columns = {
        "partner": "col-12 col-lg-4",
        "contact": "col-12 col-lg-4",
        "role": "col-12 col-lg-3",
    }

    class Meta:
        model = Attendance
        fields = ["partner", "contact", "role"]
        field_classes = {"partner": PrefetchedChoiceField, "contact": ContactChoiceField}
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
    columns = {"number": "col-3 col-md-2 col-lg-1", "text": "col-9 col-md-10 col-lg-10"}

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
        field_classes = {"responsible": PrefetchedChoiceField}
        widgets = {"responsible": PartnerSelect}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _end_not_before_start(
            self, "starts_on", "due_on", _("An action item cannot be due before it starts.")
        )
        return cleaned


class CommitmentRowForm(MeetingRowForm):
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
        field_classes = {"partner": PrefetchedChoiceField, "site": PrefetchedChoiceField}
        widgets = {"partner": PartnerSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(min=0, step="any", inputmode="decimal")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _end_not_before_start(
            self, "starts_on", "due_on", _("A commitment cannot be due before it starts.")
        )
        amount = cleaned.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", _("An amount cannot be negative."))
        return cleaned


class MeetingRowFormSet(forms.BaseInlineFormSet):
    """Rows of one kind beneath a meeting, added and removed in the browser (collab/app.js).

    `unique_key` names the field that must differ between the meeting's rows; the check runs on
    the rows as submitted (not against the database), so rows may swap values in one save.
    """

    unique_key: ClassVar[str | None] = None
    duplicate_message: ClassVar[str] = ""
    ordering: ClassVar[tuple[str, ...]] = ("id",)
    heading: ClassVar[str] = ""  # the card's title; the model's plural name when empty

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", self.model._default_manager.order_by(*self.ordering))
        super().__init__(*args, **kwargs)
        self._restricted: dict[str, QuerySet] = {}
        self._shared_choices: dict[str, CallableChoiceIterator] = {}
        self._submitted: dict[str, dict[str, Model]] = {}

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if issubclass(self.form, MeetingRowForm):
            kwargs["restricted"] = self._restricted
        return kwargs

    @property
    def title(self) -> str:
        return self.heading or capfirst(self.model._meta.verbose_name_plural)

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        pk_name = self._pk_field.name
        pk_field = form.fields.get(pk_name)
        if type(pk_field) is forms.ModelChoiceField:
            # The hidden id of a row may name only this meeting's rows (Django's own field
            # accepts any row of the table), found among the rows the formset loaded already.
            row_id = PrefetchedChoiceField(
                self.get_queryset(),
                initial=pk_field.initial,
                required=False,
                widget=pk_field.widget,
            )
            if self.is_bound:
                row_id.known = self.loaded_rows()
            form.fields[pk_name] = row_id
        # Every row offers the same choices and looks its value up among the same objects: one
        # query per field for the whole formset, not one per row.
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.widget.is_hidden:
                continue
            if name not in self._shared_choices and isinstance(field.widget, LookupSelect):
                # At most the inline limit, and every row's choice in one query (collab.lookups).
                self._shared_choices[name] = LookupChoices.for_rows(self, name, field)
            if name not in self._shared_choices:
                # Fetched on first render only: a valid POST redirects without rendering.
                fetch = cache(partial(list, field.choices))
                self._shared_choices[name] = CallableChoiceIterator(fetch)
            field.widget.choices = self._shared_choices[name]
            if self.is_bound and isinstance(field, PrefetchedChoiceField):
                field.known = self.submitted_choices(name, field)

    def loaded_rows(self) -> dict[str, Model]:
        return {str(row.pk): row for row in self.get_queryset()}

    def submitted_choices(self, name: str, field: PrefetchedChoiceField) -> dict[str, Model]:
        """The objects chosen in field `name` in all submitted rows, among the user's choices."""
        if name not in self._submitted:
            pk = field.queryset.model._meta.pk
            values = set()
            for index in range(self.total_form_count()):
                try:
                    value = pk.to_python(self.data.get(f"{self.add_prefix(index)}-{name}"))
                    if value is not None:
                        # A number past the column's range would make the database refuse
                        # the whole look-up (an error, not "no such choice").
                        pk.run_validators(value)
                except forms.ValidationError:
                    continue  # not a key: the row's own validation reports it
                if value is not None:
                    values.add(value)
            found = field.queryset.filter(pk__in=values) if values else []
            self._submitted[name] = {str(obj.pk): obj for obj in found}
        return self._submitted[name]

    def fill_in_row_order(self, field: str) -> None:
        """Give each kept row left without a `field` value (a decision number, a position) the
        next free one after the row above it."""
        kept = [form for form in self.kept_forms() if field not in form.errors]
        taken = {form.cleaned_data.get(field) for form in kept} - {None}
        following = 1
        for form in kept:
            value = form.cleaned_data.get(field)
            if value is None:
                while following in taken:
                    following += 1
                value = following
                taken.add(value)
                form.cleaned_data[field] = value
                setattr(form.instance, field, value)
            following = value + 1

    def kept_forms(self) -> list[forms.BaseForm]:
        """The rows to keep, in the order shown: not removed, and not blank new rows."""
        initial = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            if not (self.can_delete and self._should_delete_form(form))
            and (index < initial or form.has_changed())
        ]

    def clean(self) -> None:
        # Not super().clean(): Django's duplicate message names the hidden meeting field.
        key = self.unique_key
        if key is None:
            return
        seen: set[Any] = set()
        duplicate = False
        for form in self.kept_forms():
            value = form.cleaned_data.get(key)
            if value is None:
                continue
            if value in seen:
                form.add_error(key, self.duplicate_message)
                duplicate = True
            seen.add(value)
        if duplicate:
            raise forms.ValidationError(self.duplicate_message)


class AttendanceFormSet(MeetingRowFormSet):
    heading = _("Attending organisations")
    unique_key = "partner"
    duplicate_message = _("This organisation is already listed as attending.")
    ordering = ("partner__name", "id")


class DecisionFormSet(MeetingRowFormSet):
    unique_key = "number"
    duplicate_message = _("Two decisions of a meeting cannot share a number.")
    ordering = ("number", "id")

    def clean(self) -> None:
        self.fill_in_row_order("number")
        super().clean()


def row_formsets(
    parent: type, fk_name: str, limit: int, rows: tuple[tuple[str, type, type], ...]
) -> dict[str, type[forms.BaseInlineFormSet]]:
    """One inline formset per (prefix, row form, formset class): rows can be added and removed,
    none is shown empty, and more than `limit` rows is refused."""
    return {
        prefix: forms.inlineformset_factory(
            parent,
            form.Meta.model,
            form=form,
            formset=formset,
            fk_name=fk_name,
            extra=0,
            can_delete=True,
            max_num=limit,
            validate_max=True,
        )
        for prefix, form, formset in rows
    }


MEETING_ROW_LIMIT = 200

MEETING_FORMSETS: dict[str, type[MeetingRowFormSet]] = row_formsets(
    Meeting,
    "meeting",
    MEETING_ROW_LIMIT,
    (
        ("attendances", AttendanceRowForm, AttendanceFormSet),
        ("decisions", DecisionRowForm, DecisionFormSet),
        ("action_items", ActionItemRowForm, MeetingRowFormSet),
        ("commitments", CommitmentRowForm, MeetingRowFormSet),
    ),
)
"""The row formsets of the meeting page, by prefix (the prefix is also the related name)."""


# --- agreements: the agreement with its signatories, clauses and signed scan --------------------


class AgreementForm(LayoutMixin, ProgramScopedForm):
    """The agreement's own fields and its signed scan (a PDF, checked by its content)."""

    columns = {
        "kind": "col-12 col-md-6",
        "status": "col-12 col-md-6",
        "number": "col-12 col-md-4",
        "title": "col-12 col-md-8",
        "signed_on": "col-6 col-md-3",
        "signed_at": "col-6 col-md-3",
        "effective_from": "col-6 col-md-3",
        "expires_on": "col-6 col-md-3",
        "meeting": "col-12",
        "scan": "col-12 col-md-8",
        "remove_scan": "col-12 col-md-4 align-self-end",
    }

    scan = forms.FileField(
        label=_("Signed scan (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    remove_scan = forms.BooleanField(label=_("Remove the current scan"), required=False)

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "status",
            "number",
            "title",
            "signed_on",
            "signed_at",
            "effective_from",
            "expires_on",
            "meeting",
        ]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read at request time, so a patched limit shows in the help as well.
        limit = filesizeformat(services.AGREEMENT_SCAN_MAX_BYTES)
        self.fields["scan"].help_text = _("PDF only, at most %(limit)s.") % {"limit": limit}
        if self.instance.document:
            self.fields["scan"].help_text += " " + _("A new file replaces the current scan.")
        else:
            del self.fields["remove_scan"]

    def clean_scan(self) -> Any:
        scan = self.cleaned_data.get("scan")
        if scan:
            services.check_pdf_scan(scan)
        return scan

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        effective_from, expires_on = cleaned.get("effective_from"), cleaned.get("expires_on")
        if effective_from and expires_on and expires_on < effective_from:
            # The model's constraint, beside the field rather than above the form.
            self.add_error("expires_on", _("An agreement cannot expire before it takes effect."))
        number = (cleaned.get("number") or "").strip()
        if number and self.program is not None:
            # The unique constraint involves the programme, which is not a field of this form,
            # so Django's own check would skip it and the database would refuse instead.
            taken = Agreement.objects.filter(program=self.program, number=number)
            if self.instance.pk is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "number", _("This programme already has an agreement with this number.")
                )
        if cleaned.get("scan") and cleaned.get("remove_scan"):
            self.add_error(
                "remove_scan", _("Either upload a new scan or remove the current one, not both.")
            )
        return cleaned

    def agreement_fields(self) -> dict[str, Any]:
        """The cleaned values of the agreement's own fields, for programs.services."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class RowChoiceField(forms.ModelChoiceField):
    """A choice of a formset row, resolved from the options the formset loaded once.

    Django looks each submitted value up with its own query: one per row, an N+1 that
    django-zeal refuses. `known` (value → object) is filled by AgreementRowFormSet.
    """

    known: dict[str, Any] | None = None

    def to_python(self, value: Any) -> Any:
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class AgreementRowForm(LayoutMixin, forms.ModelForm):
    """A signatory or clause row. Its choices go through the rights chokepoint."""

    def __init__(self, *args: Any, user: Any, program: Program | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = restrict(field.queryset, user, Action.VIEW)
        # Left empty, the position follows the row above (MeetingRowFormSet.fill_in_row_order).
        self.fields["order"].required = False
        self.fields["order"].initial = None
        # Placeholders, not help texts: a help text repeated on every row crowds a phone.
        self.fields["order"].widget.attrs.update(min=0, placeholder=_("after the row above"))
        style_fields(self)


class SignatoryForm(AgreementRowForm):
    columns = {
        "partner": "col-12 col-md-6 col-xl-3",
        "signer_name": "col-12 col-md-6 col-xl-3",
        "signer_position": "col-12 col-md-6 col-xl-2",
        "signed_on": "col-7 col-md-3 col-xl-2",
        "order": "col-5 col-md-3 col-xl-1",
    }

    class Meta:
        model = Signatory
        fields = ["partner", "signer_name", "signer_position", "signed_on", "order"]
        field_classes = {"partner": RowChoiceField}
        widgets = {"partner": PartnerSelect}

    def row(self) -> services.SignatoryRow:
        data = self.cleaned_data
        return services.SignatoryRow(
            id=self.instance.pk,
            partner=data.get("partner"),
            signer_name=data["signer_name"],
            signer_position=data.get("signer_position") or "",
            signed_on=data.get("signed_on"),
            order=data["order"],
        )


class ClauseForm(AgreementRowForm):
    columns = {
        "number": "col-4 col-md-2",
        "order": "col-4 col-md-2",
        "parent_number": "col-4 col-md-3",
        "text": "col-12",
    }

    parent_number = forms.CharField(
        label=_("In section no."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("none")}),
    )

    class Meta:
        model = Clause
        fields = ["number", "order", "parent_number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.parent_id is not None:
            # The formset's queryset brings the parent along (no query per row).
            self.initial.setdefault("parent_number", self.instance.parent.number)

    def row(self) -> services.ClauseRow:
        data = self.cleaned_data
        return services.ClauseRow(
            id=self.instance.pk,
            number=(data.get("number") or "").strip(),
            text=data.get("text") or "",
            order=data["order"],
            parent_number=(data.get("parent_number") or "").strip(),
        )


class AgreementRowFormSet(MeetingRowFormSet):
    """Signatories or clauses beneath an agreement, added and removed in the browser."""

    ordering = ("order", "id")

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        known: dict[str, dict[str, Any]] = self.__dict__.setdefault("_known_choices", {})
        pk_name = self._pk_field.name
        pk_field = form.fields.get(pk_name)
        if type(pk_field) is forms.ModelChoiceField:
            # The hidden id of each row: Django checks it with a query per row, though the
            # formset has loaded its rows already.
            if pk_name not in known:
                known[pk_name] = {str(row.pk): row for row in self.get_queryset()}
            form.fields[pk_name] = RowChoiceField(
                pk_field.queryset,
                initial=pk_field.initial,
                required=False,
                widget=pk_field.widget,
            )
        for name, field in form.fields.items():
            if isinstance(field, RowChoiceField):
                if name not in known:
                    # The values submitted in all rows, among the user's choices, in one query
                    # (a LookupSelect does not load every option, collab.lookups).
                    known[name] = self.submitted_choices(name, field) if self.is_bound else None
                field.known = known[name]

    def clean(self) -> None:
        self.fill_in_row_order("order")
        super().clean()


class ClauseFormSet(AgreementRowFormSet):
    """Clauses in reading order; positions differ and sections resolve between the rows as
    submitted (programs.services.check_clause_rows), so rows may swap positions in one save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Clause.objects.select_related("parent").order_by("order"))
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        checked = [
            form
            for form in self.kept_forms()
            if not any(name in form.errors for name in ("number", "order", "parent_number"))
        ]
        _, errors = services.check_clause_rows([form.row() for form in checked])
        for index, field_errors in errors.items():
            for name, error in field_errors.items():
                checked[index].add_error(name, error)


AGREEMENT_ROW_LIMIT = 300

AGREEMENT_FORMSETS: dict[str, type[MeetingRowFormSet]] = row_formsets(
    Agreement,
    "agreement",
    AGREEMENT_ROW_LIMIT,
    (
        ("signatories", SignatoryForm, AgreementRowFormSet),
        ("clauses", ClauseForm, ClauseFormSet),
    ),
)
"""The row formsets of the agreement page, by prefix (the prefix is also the related name)."""
