"""Form plumbing shared by every app: Bootstrap widgets and choices limited to the user's rights."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from collab.models import Region, UserPreference
from collab.permissions import Action, restrict, rights_root


class DateInput(forms.DateInput):
    """The browser's date picker; submits ISO dates whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# Widgets whose markup FormRenderer writes in Python (their Django templates, in
# django/forms/templates/django/forms/widgets/, hold nothing more than this).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "date", "checkbox", "hidden")
)
SELECT_TEMPLATES = frozenset({"django/forms/widgets/select.html"})


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with selects and plain inputs written in Python.

    A select renders each of its options through two template includes; a filter form with a
    hundred choices spends more time there than the whole list's queries. The markup is the
    same as the templates': `<select name … attrs>` with `<option value … attrs>label</option>`,
    optgroups, and `<input type name value attrs>`.
    """

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is not None and template_name in SELECT_TEMPLATES:
            return render_select(widget)
        if widget is not None and template_name in INPUT_TEMPLATES:
            return render_input(widget)
        return super().render(template_name, context, request)


def render_input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        format_html(' value="{}"', str(value)) if value is not None else "",
        flatatt(widget["attrs"]),
    )


def render_select(widget: dict[str, Any]) -> str:
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        rendered = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for option in options
            ),
        )
        if group_name:
            rendered = format_html('<optgroup label="{}">\n{}\n</optgroup>', group_name, rendered)
        parts.append(rendered)
    return format_html(
        '<select name="{}"{}>\n{}\n</select>',
        widget["name"],
        flatatt(widget["attrs"]),
        mark_safe("\n".join(parts)),  # noqa: S308 — each part built by format_html above
    )


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput) and not isinstance(widget, DateInput):
            field.widget = widget = DateInput(attrs=widget.attrs)
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class DateOrderMixin:
    """`date_order = (start, end, message)`: the model's constraint that `end` does not precede
    `start`, checked by the form so that its message stands beside the end field (and under
    its name in the API) instead of above the form."""

    date_order: tuple[str, str, Any] | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        if self.date_order is not None:
            start, end, message = self.date_order
            starts_on, ends_on = cleaned.get(start), cleaned.get(end)
            if starts_on and ends_on and ends_on < starts_on:
                self.add_error(end, message)  # type: ignore[attr-defined]
        return cleaned


class ProgramScopedForm(DateOrderMixin, forms.ModelForm):
    """A ModelForm of a programme's record whose choices show only what the user may see.

    `program` (from the URL) fixes the programme of a new record; on edit, the `program` field,
    when the form has one, lists only programmes the user coordinates. Meetings, sites and
    agreements offered must belong to the record's programme.
    """

    # Fields whose choices are records of a programme (declared by each form): they offer only
    # records of programmes the user coordinates, and must belong to the record's programme.
    program_scoped_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, program: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programs = rights_root()._default_manager
        self.user = user
        self.program = program or getattr(self.instance, "program", None)
        if program is not None and self.instance.program_id is None:
            self.instance.program = program
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name == "program":
                field.queryset = restrict(programs.all(), user, Action.COORDINATE)
                continue
            field.queryset = restrict(field.queryset, user, Action.VIEW)
            if name in self.program_scoped_fields:
                field.queryset = field.queryset.filter(
                    program__in=restrict(programs.all(), user, Action.COORDINATE)
                )
                if "program" not in self.fields and self.program is not None:
                    field.queryset = field.queryset.filter(program=self.program)
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        program = cleaned.get("program") or self.program
        for name in self.program_scoped_fields:
            value = cleaned.get(name)
            if value is not None and program is not None and value.program_id != program.pk:
                self.add_error(name, _("Choose one that belongs to the same programme."))
        return cleaned


class PreferencesForm(forms.ModelForm):
    """The signed-in user's own settings (collab.UserPreference)."""

    class Meta:
        model = UserPreference
        fields = ["reminders_enabled"]
        help_texts = {
            "reminders_enabled": _(
                "One e-mail a day, only when something in your programmes is overdue or due "
                "within 14 days, or a coordination meeting is due."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ProvinceFilterForm(StyledForm):
    """The SDG overview's filter: programmes with a pilot site in one province."""

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All provinces"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
        self.fields["province"].queryset = provinces


class ApiTokenForm(StyledForm):
    """A new personal API token (collab.api.tokens): a name, an optional last day, read-only."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. the system that uses it."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for a key without an end date."),
    )
    read_only = forms.BooleanField(
        label=_("Read only"), required=False, help_text=_("The key may read but never change data.")
    )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return value

    def expires_at(self):
        """The end of the chosen day, Jakarta time (None: no end)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        end = datetime.datetime.combine(day, datetime.time.max)
        return timezone.make_aware(end)
