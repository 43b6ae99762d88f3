"""Admin pieces for trust: the same no-lost-updates rule as the pages, and deleted records.

- `VersionCheckAdminMixin`: a change form carries the record's version (collab.concurrency);
  saving over somebody else's newer save, on a page or in the admin, is refused with what they
  changed, and the admin's input stays in the form.
- `DeletedRecordsAdminMixin`: only admins delete, and a deleted record's history stays readable:
  a "Deleted records" page per model lists the deletions, each linked to simple-history's history
  view, which still opens for a row that no longer exists.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms.models import _get_foreign_key
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from collab.concurrency import VERSION_FIELD, VersionField, check_version, make_version

# The first of these a deleted row has names it in the list of deleted records. Own fields only:
# a name read through a foreign key would cost a query per row.
LABEL_FIELDS = ("title", "name", "signer_name", "text", "number")


class VersionCheckAdminMixin:
    """For a ModelAdmin: refuse a change saved over a newer save (rows of its inlines included).

    The check runs in the form's clean(), which the admin calls inside the transaction of its
    change view, after locking the record (select_for_update) until that transaction ends.
    """

    model: type[Model]
    inlines: Any

    def version_children(self) -> tuple[str, ...]:
        """The reverse relations the change page edits through its inlines."""
        names = []
        for inline in self.inlines:
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            names.append(fk.remote_field.name)
        return tuple(names)

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is not None and VERSION_FIELD not in flatten_fieldsets(fieldsets):
            fieldsets.append((None, {"fields": [VERSION_FIELD]}))
        return fieldsets

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if kwargs.get("fields"):
            # Not a model field: declared on the subclass below, not asked of the model.
            kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        form_class = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        if obj is None:
            return form_class
        return versioned_admin_form(form_class, self.version_children())


def versioned_admin_form(
    form_class: type[forms.ModelForm], children: tuple[str, ...]
) -> type[forms.ModelForm]:
    """`form_class` with the hidden version and the check in clean()."""

    class VersionedAdminForm(form_class):  # type: ignore[valid-type, misc]
        version = VersionField()

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if not self.is_bound and self.instance.pk is not None:
                self.fields[VERSION_FIELD].initial = make_version(self.instance, children)

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean()
            if self.instance.pk is None:
                return cleaned
            model = type(self.instance)
            locked = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
            if locked is None:
                raise ValidationError(_("This record was deleted meanwhile."))
            conflict = check_version(locked, cleaned.get(VERSION_FIELD), children)
            if conflict is not None:
                # Saving again after reading what changed is a deliberate overwrite.
                data = self.data.copy()
                data[self.add_prefix(VERSION_FIELD)] = conflict.current_version
                self.data = data
                raise ValidationError(conflict.message().splitlines())
            return cleaned

    VersionedAdminForm.__name__ = f"Versioned{form_class.__name__}"
    return VersionedAdminForm


class DeletedRecordsAdminMixin:
    """For a SimpleHistoryAdmin: a "Deleted records" page, linked from the changelist."""

    model: type[Model]
    admin_site: Any
    deleted_records_per_page = 100

    def get_urls(self) -> list:
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        opts = self.model._meta
        extra_context = {
            **(extra_context or {}),
            "deleted_records_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted"
            ),
        }
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    def deleted_records_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        opts = self.model._meta
        deletions = (
            self.model.history.filter(history_type="-")  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        page = Paginator(deletions, self.deleted_records_per_page).get_page(request.GET.get("p"))
        rows = [
            {
                "label": deleted_label(record),
                "pk": record.id,
                "when": record.history_date,
                "user": record.history_user,
                "history_url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[record.id],
                ),
            }
            for record in page.object_list
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted records: %(models)s") % {"models": opts.verbose_name_plural},
            "opts": opts,
            "rows": rows,
            "page_obj": page,
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)


def deleted_label(record: Any) -> str:
    for name in LABEL_FIELDS:
        value = getattr(record, name, None)
        if value not in (None, ""):
            return Truncator(str(value)).chars(120)
    return f"#{record.id}"
