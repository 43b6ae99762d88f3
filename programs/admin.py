"""Admin for programmes and everything that belongs to one.

Every domain model shows its audit history (SimpleHistoryAdmin). Rights on a programme are
granted on its "Object permissions" page (guardian) and listed in the two permission tables.
Foreign keys to large or growing tables (regions, partners, meetings…) are autocompletes, and
every changelist selects its related rows in the same query, so no list runs a query per row.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from guardian.admin import (
    AdminGroupObjectPermissionsForm,
    AdminUserObjectPermissionsForm,
    GuardedModelAdminMixin,
)
from simple_history.admin import SimpleHistoryAdmin

from collab.admin_audit import DeletedRecordsAdminMixin, VersionCheckAdminMixin
from collab.permissions import OBJECT_CODENAMES
from collab.templatetags.collab_tags import rupiah
from partners.admin import DirectoryImportMixin

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
    ProgramGroupObjectPermission,
    ProgramPartner,
    ProgramUserObjectPermission,
    Signatory,
    Site,
)
from .resources import CommitmentResource
from .services import check_pdf_scan, file_sha256

# The object rights the application reads (collab.permissions); guardian would also offer
# add/change/delete on a single programme, which nothing in the application honours.
RIGHT_CODENAMES: tuple[str, ...] = tuple(
    sorted({codename for codenames in OBJECT_CODENAMES.values() for codename in codenames})
)


def program_rights() -> QuerySet[Permission]:
    return Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(Program), codename__in=RIGHT_CODENAMES
    ).order_by("codename")


class DomainAdmin(VersionCheckAdminMixin, DeletedRecordsAdminMixin, SimpleHistoryAdmin):
    """A domain model: history visible (deleted records too), paged lists, and no change saved
    over somebody else's newer one (collab.admin_audit)."""

    list_per_page = 50


class Inline(admin.TabularInline):
    """A tabular inline whose rows are titled by `__str__`: join what that reads, once."""

    select_related: tuple[str, ...] = ()
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset


# ---------------------------------------------------------------------------------------------
# Programmes and their rights


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
    list_display = ("name", "status", "starts_on", "ends_on", "meeting_cadence_months")
    list_filter = ("status", "sdg_goals")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sdg_goals", "sdg_targets")
    inlines = (ProgramPartnerInline, SiteInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "status", "description")}),
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


# ---------------------------------------------------------------------------------------------
# Meetings and the work plan


class AttendanceInline(Inline):
    model = Attendance
    fields = ("partner", "contact", "role")
    select_related = ("partner", "meeting")
    autocomplete_fields = ("partner", "contact")


class DecisionInline(Inline):
    model = Decision
    fields = ("number", "text")
    ordering = ("number",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Meeting)
class MeetingAdmin(DomainAdmin):
    list_display = (
        "title",
        "program",
        "kind",
        "starts_on",
        "ends_on",
        "venue",
        "participant_count",
    )
    list_filter = ("kind", "program")
    list_select_related = ("program",)
    date_hierarchy = "starts_on"
    search_fields = ("title", "venue", "chair", "program__name")
    autocomplete_fields = ("program",)
    inlines = (AttendanceInline, DecisionInline)


@admin.register(Attendance)
class AttendanceAdmin(DomainAdmin):
    list_display = ("partner", "contact", "role", "meeting", "program")
    list_filter = ("meeting__program",)
    list_select_related = ("partner", "contact", "meeting__program")
    search_fields = ("partner__name", "partner__acronym", "contact__name", "meeting__title")
    autocomplete_fields = ("meeting", "partner", "contact")

    @admin.display(description=_("programme"), ordering="meeting__program__name")
    def program(self, obj: Attendance) -> Program:
        return obj.meeting.program


@admin.register(Decision)
class DecisionAdmin(DomainAdmin):
    list_display = ("number", "text", "meeting", "program")
    list_filter = ("meeting__program",)
    list_select_related = ("meeting__program",)
    search_fields = ("text", "meeting__title")
    autocomplete_fields = ("meeting",)

    @admin.display(description=_("programme"), ordering="meeting__program__name")
    def program(self, obj: Decision) -> Program:
        return obj.meeting.program


@admin.register(ActionItem)
class ActionItemAdmin(DomainAdmin):
    list_display = (
        "title",
        "program",
        "meeting",
        "responsible",
        "starts_on",
        "due_on",
        "status",
        "order",
    )
    list_filter = ("status", "program")
    list_select_related = ("program", "meeting", "responsible")
    date_hierarchy = "due_on"
    search_fields = ("title", "description", "responsible__name", "program__name")
    autocomplete_fields = ("program", "meeting", "responsible")


# ---------------------------------------------------------------------------------------------
# Commitments


def apply_update_status(update: CommitmentUpdate) -> None:
    """A new progress entry moves its commitment to the reported status.

    The admin saves the entry through its own form, so it cannot call
    `services.record_commitment_update`; this keeps the same rule.
    """
    commitment = update.commitment
    if commitment.status != update.status:
        commitment.status = update.status
        commitment.save(update_fields=["status", "updated_at"])


class CommitmentUpdateInline(Inline):
    model = CommitmentUpdate
    fields = ("status", "progress", "note", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    select_related = ("commitment__partner", "created_by")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Commitment)
class CommitmentAdmin(DirectoryImportMixin, DomainAdmin):
    resource_classes = [CommitmentResource]
    import_template_name = "admin/programs/commitment_import.html"
    list_display = (
        "title",
        "program",
        "partner",
        "kind",
        "amount_display",
        "starts_on",
        "due_on",
        "status",
    )
    list_filter = ("status", "kind", "program")
    list_select_related = ("program", "partner")
    date_hierarchy = "due_on"
    search_fields = ("title", "description", "partner__name", "partner__acronym", "program__name")
    autocomplete_fields = ("program", "partner", "meeting", "site", "agreement")
    inlines = (CommitmentUpdateInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Commitment]:
        # `__str__` names the partner, which autocomplete results read too. (A queryset that
        # already selects related rows makes the changelist skip `list_select_related`.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import only adds commitments; it never changes one.
        return self.has_add_permission(request)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj: Commitment) -> str:
        return rupiah(obj.amount)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not CommitmentUpdate:
            super().save_formset(request, form, formset, change)
            return
        updates = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for update in updates:
            is_new = update.pk is None
            if is_new:
                update.created_by = request.user
            update.save()
            if is_new:
                apply_update_status(update)


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(DomainAdmin):
    list_display = ("commitment", "status", "progress", "created_by", "created_at")
    list_filter = ("status", "commitment__program")
    list_select_related = ("commitment__partner", "created_by")
    date_hierarchy = "created_at"
    search_fields = ("note", "commitment__title", "commitment__partner__name")
    autocomplete_fields = ("commitment",)
    readonly_fields = ("created_by", "created_at")

    def save_model(
        self, request: HttpRequest, obj: CommitmentUpdate, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            apply_update_status(obj)


# ---------------------------------------------------------------------------------------------
# Agreements


class CheckedFile:
    """What the file widget shows of a private scan: its name, linked to a checked view."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url

    def __str__(self) -> str:
        return self.name


class PrivateFileWidget(AdminFileWidget):
    """The signed scan has no public URL (private storage): link a permission-checked page.

    Django's widget asks the file for `.url`, which private storage refuses with an error.
    """

    def is_initial(self, value: Any) -> bool:
        return bool(value and getattr(value, "name", ""))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = CheckedFile(value.name, agreement_document_url(value))
        return context


def agreement_document_url(value: Any) -> str:
    """The scan's permission-checked URL; the agreement's page while that view is missing."""
    pk = getattr(getattr(value, "instance", None), "pk", None)
    if pk is None:
        return ""
    for name in ("programs:agreement_document", "programs:agreement_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


class AgreementAdminForm(forms.ModelForm):
    """Checks an uploaded scan is a PDF and records its SHA-256 (the model's audit checksum)."""

    class Meta:
        model = Agreement
        fields = (
            "program",
            "kind",
            "number",
            "title",
            "signed_on",
            "signed_at",
            "effective_from",
            "expires_on",
            "status",
            "meeting",
            "document",
        )
        widgets = {"document": PrivateFileWidget}

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):
            # The same size and PDF rule as the coordinators' agreement form.
            check_pdf_scan(document)
            self.instance.document_sha256 = file_sha256(document)
        elif not document:
            self.instance.document_sha256 = ""
        return document


class SignatoryInline(Inline):
    model = Signatory
    fields = ("order", "partner", "signer_name", "signer_position", "signed_on")
    select_related = ("partner",)
    autocomplete_fields = ("partner",)
    ordering = ("order", "id")


class ClauseForm(forms.ModelForm):
    """A clause's section must be another clause of the same agreement, and no loop."""

    class Meta:
        model = Clause
        fields = ("agreement", "parent", "number", "text", "order")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parent: Clause | None = cleaned.get("parent")
        if parent is None:
            return cleaned
        agreement = cleaned.get("agreement") or getattr(self.instance, "agreement", None)
        if agreement is not None and parent.agreement_id != agreement.pk:
            self.add_error("parent", _("The section must belong to the same agreement."))
            return cleaned
        ancestor: Clause | None = parent
        while ancestor is not None and self.instance.pk is not None:
            if ancestor.pk == self.instance.pk:
                self.add_error("parent", _("A clause cannot be placed inside itself."))
                break
            ancestor = ancestor.parent
        return cleaned


class ClauseInline(Inline):
    model = Clause
    form = ClauseForm
    fields = ("order", "number", "parent", "text")
    ordering = ("order",)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name != "parent":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        object_id = (request.resolver_match.kwargs if request.resolver_match else {}).get(
            "object_id", ""
        )
        sections = (
            Clause.objects.filter(agreement_id=object_id).order_by("order")
            if str(object_id).isdigit()
            else Clause.objects.none()
        )
        kwargs["queryset"] = sections
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            # Evaluated once for the formset: otherwise every clause row re-runs the query.
            field.choices = [("", "---------"), *((c.pk, str(c)) for c in sections)]
        return field


@admin.register(Agreement)
class AgreementAdmin(DomainAdmin):
    form = AgreementAdminForm
    list_display = (
        "title",
        "number",
        "program",
        "kind",
        "signed_on",
        "effective_from",
        "expires_on",
        "status",
        "has_document",
    )
    list_filter = ("status", "kind", "program")
    list_select_related = ("program",)
    date_hierarchy = "signed_on"
    search_fields = ("title", "number", "signed_at", "program__name")
    autocomplete_fields = ("program", "meeting")
    readonly_fields = ("document_sha256",)
    inlines = (SignatoryInline, ClauseInline)

    @admin.display(description=_("signed scan"), boolean=True)
    def has_document(self, obj: Agreement) -> bool:
        return bool(obj.document)

    @admin.display(description=_("signed scan (PDF)"))
    def document_file(self, obj: Agreement) -> str:
        return obj.document.name if obj.document else "—"

    def get_readonly_fields(self, request: HttpRequest, obj: Agreement | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_change_permission(request, obj):
            readonly.append("document_file")
        return readonly

    def get_fields(self, request: HttpRequest, obj: Agreement | None = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        # Read-only display would link `document.url`, which private storage refuses.
        if not self.has_change_permission(request, obj) and "document" in fields:
            fields.remove("document")
        return fields


@admin.register(Signatory)
class SignatoryAdmin(DomainAdmin):
    list_display = ("signer_name", "signer_position", "partner", "agreement", "signed_on")
    list_filter = ("agreement__program",)
    list_select_related = ("partner", "agreement")
    search_fields = ("signer_name", "signer_position", "partner__name", "agreement__title")
    autocomplete_fields = ("agreement", "partner")


@admin.register(Clause)
class ClauseAdmin(DomainAdmin):
    form = ClauseForm
    list_display = ("agreement", "order", "number", "text", "parent")
    list_filter = ("agreement__program",)
    list_select_related = ("agreement", "parent")
    search_fields = ("number", "text", "agreement__title")
    autocomplete_fields = ("agreement", "parent")
    ordering = ("agreement", "order")


# ---------------------------------------------------------------------------------------------
# Indicators


class MeasurementInline(Inline):
    model = Measurement
    fields = ("measured_on", "value", "note")
    select_related = ("indicator",)
    ordering = ("measured_on",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Indicator)
class IndicatorAdmin(DomainAdmin):
    list_display = (
        "name",
        "program",
        "sdg_indicator",
        "unit",
        "direction",
        "baseline_value",
        "baseline_on",
        "target_value",
        "target_on",
    )
    list_filter = ("direction", "program")
    list_select_related = ("program", "sdg_indicator")
    search_fields = ("name", "program__name", "^sdg_indicator__code")
    autocomplete_fields = ("program", "sdg_indicator")
    inlines = (MeasurementInline,)


@admin.register(Measurement)
class MeasurementAdmin(DomainAdmin):
    list_display = ("indicator", "program", "measured_on", "value")
    list_filter = ("indicator__program",)
    list_select_related = ("indicator__program",)
    date_hierarchy = "measured_on"
    search_fields = ("indicator__name", "note")
    autocomplete_fields = ("indicator",)

    @admin.display(description=_("programme"), ordering="indicator__program__name")
    def program(self, obj: Measurement) -> Program:
        return obj.indicator.program
