"""Meetings with their attendance, decisions, action items and commitments; the work plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View

from collab.permissions import Action
from collab.views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RightsMixin,
    RowFormsetsMixin,
)
from partners.models import Contact

from .. import exports, filtersets
from ..forms import meetings as forms
from ..models import ActionItem, Meeting


class MeetingListView(ObjectListView):
    queryset = Meeting.objects.for_list()
    filterset_class = filtersets.MeetingFilterSet
    export_spec = exports.MEETING_COLUMNS
    template_name = "programs/meeting_list.html"
    extra_context = {"list_title": _("Meetings")}


class MeetingDetailView(ObjectDetailView):
    queryset = Meeting.objects.for_detail()
    template_name = "programs/meeting_detail.html"
    history_children = ("attendances", "decisions")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["show_contacts"] = self.show_contacts()
        return context

    def show_contacts(self) -> bool:
        # Representatives are personal data: shown only to those the chokepoint lets see contacts.
        if not hasattr(self, "_show_contacts"):
            self._show_contacts = self.restricted(Contact.objects.all(), Action.VIEW).exists()
        return self._show_contacts

    def history_hidden(self) -> tuple[str, ...]:
        return () if self.show_contacts() else ("programs.attendance.contact",)


class MeetingFormMixin(RowFormsetsMixin):
    """The meeting with attendance, decisions, action items and commitments, in one form."""

    form_class = forms.MeetingForm
    formset_classes = forms.MEETING_FORMSETS
    template_name = "programs/meeting_form.html"
    details_title = _("Meeting details")
    success_message = _("The meeting was saved.")

    def save_form(self, form: forms.MeetingForm) -> Meeting:
        return forms.save_meeting_forms(
            program=self.get_program(),  # type: ignore[attr-defined]
            user=self.request.user,
            form=form,
            formsets=self.formsets,
        )


class MeetingCreateView(MeetingFormMixin, ObjectCreateView):
    model = Meeting
    extra_context = {"form_title": _("Record a meeting")}


class MeetingEditView(MeetingFormMixin, ObjectEditView):
    queryset = Meeting.objects.all()
    extra_context = {"form_title": _("Edit meeting")}
    version_children = tuple(forms.MEETING_FORMSETS)


class MeetingArchiveView(ObjectArchiveView):
    queryset = Meeting.objects.all()


class MeetingUnarchiveView(ObjectArchiveView):
    queryset = Meeting.objects.all()
    archive = False


# --- work plan (action items) ------------------------------------------------------------------


class ActionItemListView(ObjectListView):
    queryset = ActionItem.objects.for_list()
    filterset_class = filtersets.ActionItemFilterSet
    export_spec = exports.ACTION_ITEM_COLUMNS
    template_name = "programs/actionitem_list.html"
    extra_context = {"list_title": _("Work plan and follow-ups")}


class ActionItemCreateView(ObjectCreateView):
    model = ActionItem
    form_class = forms.ActionItemCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add an action item")}
    success_message = _("The action item was saved.")

    def get_success_url(self) -> str:
        return reverse("programs:program_detail", args=[self.object.program.slug]) + "#work-plan"


class ActionItemEditView(ObjectEditView):
    queryset = ActionItem.objects.all()
    form_class = forms.ActionItemForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit action item")}
    success_message = _("The action item was saved.")

    def get_success_url(self) -> str:
        return reverse("programs:program_detail", args=[self.object.program.slug]) + "#work-plan"


class ActionItemDoneView(RightsMixin, View):
    """POST only: mark an action item done."""

    action = Action.COORDINATE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        with transaction.atomic():
            item = get_object_or_404(
                self.restricted(ActionItem.objects.select_for_update(), Action.COORDINATE), pk=pk
            )
            if item.status != ActionItem.Status.DONE:
                item.status = ActionItem.Status.DONE
                item.save(update_fields=["status", "updated_at"])
        messages.success(request, _("The action item is marked done."))
        fallback = reverse("programs:program_detail", args=[item.program.slug]) + "#work-plan"
        target = request.POST.get("next", "")

        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = fallback
        return HttpResponseRedirect(target)


urlpatterns = [
    path("programs/<slug:slug>/meetings/new/", MeetingCreateView.as_view(), name="meeting_create"),
    path(
        "programs/<slug:slug>/actions/new/",
        ActionItemCreateView.as_view(),
        name="actionitem_create",
    ),
    path("meetings/", MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/archive/", MeetingArchiveView.as_view(), name="meeting_archive"),
    path("meetings/<int:pk>/unarchive/", MeetingUnarchiveView.as_view(), name="meeting_unarchive"),
    path("actions/", ActionItemListView.as_view(), name="actionitem_list"),
    path("actions/<int:pk>/edit/", ActionItemEditView.as_view(), name="actionitem_edit"),
    path("actions/<int:pk>/done/", ActionItemDoneView.as_view(), name="actionitem_done"),
]
