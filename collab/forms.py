"""Form plumbing shared by every app: Bootstrap widgets and choices limited to the user's rights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collab.models import Region, UserPreference
from collab.permissions import Action, restrict


class DateInput(forms.DateInput):
    """The browser's date picker; submits ISO dates whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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


class ProgramScopedForm(forms.ModelForm):
    """A ModelForm of a programme's record whose choices show only what the user may see.

    `program` (from the URL) fixes the programme of a new record; on edit, the `program` field,
    when the form has one, lists only programmes the user coordinates. Meetings, sites and
    agreements offered must belong to the record's programme.
    """

    program_scoped_fields: tuple[str, ...] = ("meeting", "site", "agreement")

    def __init__(self, *args: Any, user: Any, program: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from programs.models import Program

        self.user = user
        self.program = program or getattr(self.instance, "program", None)
        if program is not None and self.instance.program_id is None:
            self.instance.program = program
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name == "program":
                field.queryset = restrict(Program.objects.all(), user, Action.COORDINATE)
                continue
            field.queryset = restrict(field.queryset, user, Action.VIEW)
            if name in self.program_scoped_fields:
                field.queryset = field.queryset.filter(
                    program__in=restrict(Program.objects.all(), user, Action.COORDINATE)
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
