"""Admin for the reference data (the SDG taxonomy and the administrative regions) and the
e-mail outbox.

Reference rows are loaded by `load_reference` and linked from programmes, sites and partners, so
the admin offers them for lookup and small corrections, never for deletion (a deleted goal would
cascade into programme links; regions are protected anyway). Region has 83,762 villages: every
foreign key to it, here and in the other apps, is an autocomplete, never a select.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import outbox
from .models import ApiToken, OutboxMessage, Region, SdgGoal, SdgIndicator, SdgTarget


class ReferenceAdmin(admin.ModelAdmin):
    """Read-mostly: searchable, editable by admins, never deleted (reloads would diverge)."""

    list_per_page = 50

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    @admin.display(description=_("title"))
    def title_display(self, obj: SdgGoal | SdgTarget | SdgIndicator) -> str:
        """An SDG goal's, target's or indicator's title in the interface language."""
        return obj.title


@admin.register(SdgGoal)
class SdgGoalAdmin(ReferenceAdmin):
    list_display = ("code", "short_title_display", "title_display")
    search_fields = ("code", "short_title_en", "short_title_id", "title_en", "title_id")
    ordering = ("number",)

    @admin.display(description=_("short title"))
    def short_title_display(self, obj: SdgGoal) -> str:
        return obj.short_title


@admin.register(SdgTarget)
class SdgTargetAdmin(ReferenceAdmin):
    # The model's order (its shared fields come from collab.models.SdgEntry, listed first).
    fields = ("goal", "code", "order", "title_en", "title_id")
    list_display = ("code", "title_display", "goal")
    list_filter = ("goal",)
    list_select_related = ("goal",)
    search_fields = ("^code", "title_en", "title_id")
    autocomplete_fields = ("goal",)
    ordering = ("order",)


@admin.register(SdgIndicator)
class SdgIndicatorAdmin(ReferenceAdmin):
    fields = ("target", "code", "unsd_code", "order", "title_en", "title_id")
    list_display = ("code", "unsd_code", "title_display", "target")
    list_filter = ("target__goal",)
    list_select_related = ("target",)
    # Prefix search on codes: "11.1" finds 11.1.1 without matching 1.11.x.
    search_fields = ("^code", "^unsd_code", "title_en", "title_id")
    autocomplete_fields = ("target",)
    ordering = ("order",)


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ("code", "name", "level", "kind", "parent")
    list_filter = ("level", "kind")
    list_select_related = ("parent",)
    # A code prefix ("35.77") lists a regency and everything under it; names match anywhere.
    search_fields = ("^code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)
    # The unfiltered total is a second COUNT over 83,762 rows on every page; not worth it.
    show_full_result_count = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The e-mail outbox, read only: what was sent, what waits, what failed and why.

    Messages are written by the code that causes them (collab.outbox), never by hand; the one
    action puts failed messages back in the queue with a fresh set of attempts."""

    list_display = ("created_at", "kind", "to", "subject", "state", "attempts", "error", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("to", "subject", "idempotency_key")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    list_per_page = 50
    show_full_result_count = False
    actions = ("retry_failed",)
    fields = (
        "kind",
        "to",
        "subject",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "idempotency_key",
        "body",
        "html",
    )
    readonly_fields = fields

    @admin.display(description=_("last error"))
    def error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("collab.change_outboxmessage")

    @admin.action(description=_("Retry the selected failed e-mails"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = outbox.retry_failed(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed e-mail queued again.",
                "%(count)d failed e-mails queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.site_header = _("Collab Registry administration")
admin.site.site_title = _("Collab Registry")
admin.site.index_title = _("Administration")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's API tokens: admins see who holds which (never the key: it is not stored)
    and revoke any by deleting it."""

    list_display = ("name", "user", "prefix", "read_only", "expires_at", "last_used_at")
    list_filter = ("read_only",)
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "read_only", "expires_at", "created_at")
    fields = ("user", "name", "prefix", "read_only", "expires_at", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a key is created by its owner, who alone sees it once

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
