"""Admin for meetings with their attendance and decisions, and the work plan's action items."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from collab.admin_base import DomainAdmin, Inline

from ..forms.meetings import MEETING_ROW_LIMIT
from ..models import ActionItem, Attendance, Decision, Meeting, Program


class AttendanceInline(Inline):
    model = Attendance
    max_num = MEETING_ROW_LIMIT  # as on the meeting page
    fields = ("partner", "contact", "role")
    select_related = ("partner", "meeting")
    autocomplete_fields = ("partner", "contact")


class DecisionInline(Inline):
    model = Decision
    max_num = MEETING_ROW_LIMIT  # as on the meeting page
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
