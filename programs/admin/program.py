"""Admin for programmes, their partners and sites, and the rights on a programme.

Rights on a programme are granted on its "Object permissions" page (guardian) and listed in the
two permission tables.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from guardian.admin import (
    AdminGroupObjectPermissionsForm,
    AdminUserObjectPermissionsForm,
    GuardedModelAdminMixin,
)

from collab.admin_base import DomainAdmin, Inline

from ..models import (
    Program,
    ProgramGroupObjectPermission,
    ProgramPartner,
    ProgramUserObjectPermission,
    Site,
)
from ..models.program import RIGHT_CODENAMES as RIGHTS_BY_ACTION

# The object rights the application reads (collab.permissions); guardian would also offer
# add/change/delete on a single programme, which nothing in the application honours.
RIGHT_CODENAMES: tuple[str, ...] = tuple(
    sorted({codename for codenames in RIGHTS_BY_ACTION.values() for codename in codenames})
)


def program_rights() -> QuerySet[Permission]:
    return Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(Program), codename__in=RIGHT_CODENAMES
    ).order_by("codename")


class ProgramUserRightsForm(AdminUserObjectPermissionsForm):
    def get_obj_perms_field_choices(self) -> list[tuple[str, str]]:
        return [(perm.codename, perm.name) for perm in program_rights()]


class ProgramGroupRightsForm(AdminGroupObjectPermissionsForm):
    def get_obj_perms_field_choices(self) -> list[tuple[str, str]]:
        return [(perm.codename, perm.name) for perm in program_rights()]


class ProgramRightsMixin(GuardedModelAdminMixin):
    """Guardian's object-permission pages, open only to those who may manage rights.

    Guardian itself only asks for the right to change the programme; handing out rights is a
    separate power, carried by the permissions on the two direct permission tables.
    """

    def _require(self, request: HttpRequest, action: str, *models_: type[models.Model]) -> None:
        for model in models_:
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
                raise PermissionDenied

    def obj_perms_manage_view(self, request: HttpRequest, object_pk: str) -> HttpResponse:
        self._require(request, "view", ProgramUserObjectPermission, ProgramGroupObjectPermission)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(
        self, request: HttpRequest, object_pk: str, user_id: str
    ) -> HttpResponse:
        self._require(request, "change", ProgramUserObjectPermission)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(
        self, request: HttpRequest, object_pk: str, group_id: str
    ) -> HttpResponse:
        self._require(request, "change", ProgramGroupObjectPermission)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)

    def get_obj_perms_manage_user_form(self, request: HttpRequest) -> type[forms.Form]:
        return ProgramUserRightsForm

    def get_obj_perms_manage_group_form(self, request: HttpRequest) -> type[forms.Form]:
        return ProgramGroupRightsForm


class ProgramPartnerInline(Inline):
    model = ProgramPartner
    fields = ("partner", "role", "joined_on", "note")
    select_related = ("partner", "program")
    autocomplete_fields = ("partner",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class SiteInline(Inline):
    model = Site
    fields = ("name", "region", "status")
    autocomplete_fields = ("region",)
    show_change_link = True  # rationale and priority issues are edited on the site's own page


@admin.register(Program)
class ProgramAdmin(ProgramRightsMixin, DomainAdmin):
    list_display = ("name", "status", "is_public", "starts_on", "ends_on", "meeting_cadence_months")
    list_filter = ("status", "is_public", "sdg_goals")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sdg_goals", "sdg_targets")
    inlines = (ProgramPartnerInline, SiteInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "status", "is_public", "description")}),
        (_("Dates"), {"fields": ("starts_on", "ends_on", "meeting_cadence_months")}),
        (_("SDGs"), {"fields": ("sdg_goals", "sdg_targets")}),
    )


class RightListFilter(admin.SimpleListFilter):
    """By right (coordinate, view, export) rather than over every permission of the site."""

    title = _("right")
    parameter_name = "right"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(perm.codename, perm.name) for perm in program_rights()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(permission__codename=self.value())
        return queryset


class ProgramRightAdmin(admin.ModelAdmin):
    """Who holds which right on which programme; editable for corrections."""

    list_filter = (RightListFilter, ("content_object", admin.RelatedOnlyFieldListFilter))
    list_per_page = 100

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "permission":
            # Any other permission would fail guardian's content-type check on save.
            kwargs["queryset"] = program_rights()
            kwargs["label"] = _("right")
        elif db_field.name == "content_object":
            kwargs["label"] = _("programme")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "permission" and field is not None:
            # "Can coordinate the programme", not "programs | programme | …" read per option.
            field.label_from_instance = lambda permission: permission.name
        return field

    @admin.display(description=_("right"), ordering="permission__codename")
    def right(self, obj: ProgramUserObjectPermission | ProgramGroupObjectPermission) -> str:
        return obj.permission.name

    @admin.display(description=_("programme"), ordering="content_object__name")
    def program(self, obj: ProgramUserObjectPermission | ProgramGroupObjectPermission) -> Program:
        return obj.content_object


@admin.register(ProgramUserObjectPermission)
class ProgramUserObjectPermissionAdmin(ProgramRightAdmin):
    list_display = ("user", "right", "program")
    list_select_related = ("user", "permission", "content_object")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "content_object__name",
    )
    autocomplete_fields = ("user", "content_object")
    fields = ("user", "permission", "content_object")


@admin.register(ProgramGroupObjectPermission)
class ProgramGroupObjectPermissionAdmin(ProgramRightAdmin):
    list_display = ("group", "right", "program")
    list_select_related = ("group", "permission", "content_object")
    search_fields = ("group__name", "content_object__name")
    autocomplete_fields = ("group", "content_object")
    fields = ("group", "permission", "content_object")


@admin.register(ProgramPartner)
class ProgramPartnerAdmin(DomainAdmin):
    list_display = ("partner", "role", "program", "joined_on")
    list_filter = ("role", "partner__pillar", "program")
    list_select_related = ("program", "partner")
    search_fields = ("partner__name", "partner__acronym", "program__name")
    autocomplete_fields = ("program", "partner")


@admin.register(Site)
class SiteAdmin(DomainAdmin):
    list_display = ("name", "program", "region", "status")
    list_filter = ("status", "region__level", "program")
    list_select_related = ("program", "region")
    search_fields = ("name", "^region__code", "region__name", "program__name")
    autocomplete_fields = ("program", "region")
