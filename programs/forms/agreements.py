"""Forms of agreements: the agreement with its signatories, clauses and signed scan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
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
from partners.lookups import PartnerSelect

from ..models import Agreement, Clause, Program, Signatory
from ..services import agreements as services


class AgreementForm(LayoutMixin, ProgramScopedForm):
    """The agreement's own fields and its signed scan (a PDF, checked by its content)."""

    program_scoped_fields = ("meeting",)
    date_order = (
        "effective_from",
        "expires_on",
        _("An agreement cannot expire before it takes effect."),
    )

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
        "scan_is_public": "col-12",
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
            "scan_is_public",
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
        """The cleaned values of the agreement's own fields, for programs.services.agreements."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class AgreementRowForm(RowForm):
    """A signatory or clause row. Its choices go through the rights chokepoint (RowForm)."""

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the position follows the row above (RowFormSet.fill_in_row_order).
        self.fields["order"].required = False
        self.fields["order"].initial = None
        # Placeholders, not help texts: a help text repeated on every row crowds a phone.
        self.fields["order"].widget.attrs.update(min=0, placeholder=_("after the row above"))


class SignatoryForm(AgreementRowForm):
    row_class = services.SignatoryRow
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


class AgreementRowFormSet(RowFormSet):
    """Signatories or clauses beneath an agreement, added and removed in the browser."""

    ordering = ("order", "id")

    def clean(self) -> None:
        self.fill_in_row_order("order")
        super().clean()


class ClauseFormSet(AgreementRowFormSet):
    """Clauses in reading order; positions differ and sections resolve between the rows as
    submitted (programs.services.agreements.check_clause_rows), so rows may swap positions in
    one save."""

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

AGREEMENT_FORMSETS: dict[str, type[RowFormSet]] = row_formsets(
    Agreement,
    "agreement",
    AGREEMENT_ROW_LIMIT,
    (
        ("signatories", SignatoryForm, AgreementRowFormSet),
        ("clauses", ClauseForm, ClauseFormSet),
    ),
)
"""The row formsets of the agreement page, by prefix (the prefix is also the related name)."""


# Model fields whose errors belong beside another field of the agreement forms.
AGREEMENT_ERROR_FIELDS = {"parent": "parent_number", "document": "scan"}


def save_agreement_forms(
    *, user: AbstractBaseUser, form: AgreementForm, formsets: Mapping[str, RowFormSet]
) -> Agreement:
    """Save the agreement page (`form`, its signed scan and the AGREEMENT_FORMSETS bound beside
    it, all valid) through programs.services.agreements.save_agreement, all of it or nothing.

    When the service refuses, this raises `ValidationError` with the refusal beside its field
    or row, as the forms would have said it; the caller's transaction is rolled back.
    """
    rows = {prefix: formset.kept_forms() for prefix, formset in formsets.items()}
    try:
        return services.save_agreement(
            user=user,
            agreement=form.instance,
            fields=form.agreement_fields(),
            signatories=[row.row() for row in rows["signatories"]],
            clauses=[row.row() for row in rows["clauses"]],
            scan=form.cleaned_data.get("scan"),
            remove_scan=form.cleaned_data.get("remove_scan", False),
        )
    except services.AgreementInvalid as invalid:
        # The forms passed, the service refused (a concurrent edit, a crafted post).
        where = {"part": invalid.part, "index": invalid.index, "error": invalid.error}
        add_refusal_errors(form, rows, **where, renamed=AGREEMENT_ERROR_FIELDS)
        raise ValidationError(_("Nothing was saved.")) from invalid
    except PermissionDenied as denied:
        form.add_error(None, _("You may only record data in programmes you coordinate."))
        raise ValidationError(_("Nothing was saved.")) from denied
