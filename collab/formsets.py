"""Rows of one kind beneath a record, edited in one page (collab/app.js adds and removes them).

The machinery every page with rows shares: a row form whose choices go through the rights
chokepoint, an inline formset that looks each submitted choice up once for all its rows and
checks the rows against each other, a choice field that reads what the formset looked up, and
the way back from a service's refusal to the field or row it concerns. What a row means is the
subclass's business (declared in the app that owns the records).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from functools import cache, partial
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import BoundField
from django.utils.choices import CallableChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import ngettext_lazy

from collab.forms import DateOrderMixin, style_fields
from collab.lookups import LookupChoices, LookupSelect
from collab.permissions import Action, restrict


class LayoutMixin:
    """Column classes per field, so one row template lays out every row form (phone: stacked)."""

    columns: ClassVar[dict[str, str]] = {}

    def layout(self) -> list[tuple[BoundField, str]]:
        return [
            (self[name], self.columns.get(name, "col-12 col-md-6"))  # type: ignore[index]
            for name in self.fields  # type: ignore[attr-defined]
            if name in self.columns
        ]


class RowChoiceField(forms.ModelChoiceField):
    """A choice in a formset row. RowFormSet fetches the values submitted in all its rows in one
    query and hands them over in `known`, instead of one look-up per row (an N+1 that
    django-zeal refuses)."""

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


class RowForm(LayoutMixin, DateOrderMixin, forms.ModelForm):
    """A row of a RowFormSet. Its choices go through the rights chokepoint.

    The formset hands every row the same `restricted` dict, so each choice's queryset is
    restricted once per formset, not once per row (restrict() may query). `narrow` is where a
    subclass limits a choice further (to records that belong with the parent, say).
    """

    # The service's dataclass of one submitted row (see row()).
    row_class: ClassVar[type]

    def __init__(
        self,
        *args: Any,
        user: Any,
        restricted: dict[str, QuerySet] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        restricted = {} if restricted is None else restricted
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name not in restricted:
                restricted[name] = self.narrow(name, restrict(field.queryset, user, Action.VIEW))
            field.queryset = restricted[name]
        style_fields(self)

    def narrow(self, name: str, queryset: QuerySet) -> QuerySet:
        """The choices of field `name`, already limited to what the user may see."""
        return queryset

    def row(self) -> Any:
        """The valid row as its service takes it: `row_class` (a dataclass) with the row's `id`
        (None for a new one) and the cleaned value of each of its other fields."""
        data = self.cleaned_data
        names = [field.name for field in dataclasses.fields(self.row_class) if field.name != "id"]
        return self.row_class(id=self.instance.pk, **{name: data[name] for name in names})


class RowLimitMessages:
    """A formset refusing rows past its limit says so in the words of the page: which section
    (its card and the error summary name it) and how many rows it holds at most."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": ngettext_lazy(
            "This section holds at most %(num)d row. Remove rows to save; nothing was lost.",
            "This section holds at most %(num)d rows. Remove rows to save; nothing was lost.",
            "num",
        ),
    }


class SubmittedChoices:
    """Looks up the objects chosen in all submitted rows of a formset in one query per field."""

    def submitted_choices(self, name: str, field: forms.ModelChoiceField) -> dict[str, Model]:
        """The objects chosen in field `name` in all submitted rows, among the field's choices."""
        submitted = self.__dict__.setdefault("_submitted", {})
        if name not in submitted:
            pk = field.queryset.model._meta.pk
            values = set()
            for index in range(self.total_form_count()):  # type: ignore[attr-defined]
                key = f"{self.add_prefix(index)}-{name}"  # type: ignore[attr-defined]
                try:
                    value = pk.to_python(self.data.get(key))  # type: ignore[attr-defined]
                    if value is not None:
                        # A number past the column's range would make the database refuse
                        # the whole look-up (an error, not "no such choice").
                        pk.run_validators(value)
                except forms.ValidationError:
                    continue  # not a key: the row's own validation reports it
                if value is not None:
                    values.add(value)
            found = field.queryset.filter(pk__in=values) if values else []
            submitted[name] = {str(obj.pk): obj for obj in found}
        return submitted[name]


class LimitedInlineFormSet(RowLimitMessages, SubmittedChoices, forms.BaseInlineFormSet):
    """An admin inline's rows: refused past its `max_num` with the message above, and each
    choice field's submitted values looked up once for all rows (not once per row)."""

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        if not self.is_bound:
            return
        pk_name = self._pk_field.name
        for name, field in form.fields.items():
            if type(field) is not forms.ModelChoiceField:
                continue
            # The same field, reading its value from the formset's one look-up: the row's own
            # id among the rows loaded already, a choice among all rows' submitted values.
            field.__class__ = RowChoiceField
            if name == pk_name:
                field.known = self.__dict__.setdefault(
                    "_loaded", {str(row.pk): row for row in self.get_queryset()}
                )
            else:
                field.known = self.submitted_choices(name, field)


class RowFormSet(RowLimitMessages, SubmittedChoices, forms.BaseInlineFormSet):
    """Rows of one kind beneath a record, added and removed in the browser (collab/app.js).

    `unique_key` names the field that must differ between the record's rows; the check runs on
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

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if issubclass(self.form, RowForm):
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
            # The hidden id of a row may name only this record's rows (Django's own field
            # accepts any row of the table), found among the rows the formset loaded already.
            row_id = RowChoiceField(
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
            if self.is_bound and isinstance(field, RowChoiceField):
                field.known = self.submitted_choices(name, field)

    def loaded_rows(self) -> dict[str, Model]:
        return {str(row.pk): row for row in self.get_queryset()}

    def fill_in_row_order(self, field: str) -> None:
        """Give each kept row left without a `field` value (a number, a position) the next free
        one after the row above it."""
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
        # Not super().clean(): Django's duplicate message names the hidden parent field.
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


def row_formsets(
    parent: type[Model], fk_name: str, limit: int, rows: tuple[tuple[str, type, type], ...]
) -> dict[str, type[RowFormSet]]:
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


def add_model_errors(
    form: forms.BaseForm, error: ValidationError, renamed: Mapping[str, str] | None = None
) -> None:
    """A model's validation errors beside the form's fields, the rest above the form.

    `renamed` maps a model field to the form field its errors belong beside.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (renamed or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def add_refusal_errors(
    form: forms.BaseForm,
    rows: Mapping[str, Sequence[forms.BaseForm]],
    *,
    part: str,
    index: int | None,
    error: ValidationError,
    renamed: Mapping[str, str] | None = None,
) -> None:
    """Put a service's refusal of typed rows where the user typed them: beside a field of the
    main form (`index` None) or of row `index` of the rows given to the service as `part`
    (`rows`: the forms those rows were built from, in the same order, by part)."""
    target = form if index is None else rows[part][index]
    add_model_errors(target, error, renamed)


# Fields a page posts besides its forms' own: the CSRF token, the form owner (collab.rescue),
# the record's version (collab.concurrency), and room for a few more.
PAGE_FIELDS = 8
# Per row, besides its form's fields: the row's id, the key of its record, the "remove" box.
ROW_FIELDS = 3
MANAGEMENT_FIELDS = 4


def fields_at_limits(form: type[forms.BaseForm], formsets: Mapping[str, Any]) -> int:
    """How many fields a page with `form` and row `formsets` posts when every section holds
    as many rows as it accepts (for collab.checks.register_form_size)."""
    total = len(form.base_fields) + PAGE_FIELDS
    for formset in formsets.values():
        row = len(formset.form.base_fields) + ROW_FIELDS
        total += MANAGEMENT_FIELDS + formset.max_num * row
    return total
