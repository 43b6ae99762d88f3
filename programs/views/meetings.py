"""Meetings with their attendance, decisions, action items and commitments; the work plan."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from collab import views as generic
from collab.permissions import Action
from partners.models import Contact

from .. import exports, filtersets
from ..forms import meetings as forms
from ..models import ActionItem, Meeting, Program
from . import IN_PROGRAM


class MeetingListView(generic.ObjectListView):
    queryset = Meeting.objects.for_list()
    filterset_class = filtersets.MeetingFilterSet
    columns = exports.MEETING_COLUMNS
    extra_context = {"list_title": _("Meetings")}


class MeetingDetailView(generic.ObjectDetailView):
    # Longer than a declaration: representatives are personal data (show_contacts).
    queryset = Meeting.objects.for_detail()
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


class MeetingFormMixin(generic.RowFormsetsMixin):
    """The meeting with attendance, decisions, action items and commitments, in one form.
    Longer than a declaration: the row formsets and their save, shared by create and edit."""

    form_class = forms.MeetingForm
    formset_classes = forms.MEETING_FORMSETS
    details_title = _("Meeting details")
    success_message = _("The meeting was saved.")

    def save_form(self, form: forms.MeetingForm) -> Meeting:
        program, formsets = self.get_program(), self.formsets  # type: ignore[attr-defined]
        user = self.request.user
        return forms.save_meeting_forms(program=program, user=user, form=form, formsets=formsets)


class MeetingCreateView(MeetingFormMixin, generic.ObjectCreateView):
    model = Meeting
    extra_context = {"form_title": _("Record a meeting")}


class MeetingEditView(MeetingFormMixin, generic.ObjectEditView):
    queryset = Meeting.objects.all()
    extra_context = {"form_title": _("Edit meeting")}
    version_children = tuple(forms.MEETING_FORMSETS)


class MeetingArchiveView(generic.ObjectArchiveView):
    queryset = Meeting.objects.all()


# --- work plan (action items) ------------------------------------------------------------------


class ActionItemListView(generic.ObjectListView):
    queryset = ActionItem.objects.for_list()
    filterset_class = filtersets.ActionItemFilterSet
    columns = exports.ACTION_ITEM_COLUMNS
    extra_context = {"list_title": _("Work plan and follow-ups")}


def work_plan_url(program: Program) -> str:
    return reverse("programs:program_detail", args=[program.slug]) + "#work-plan"


class ActionItemFormMixin:
    """Action items have no page of their own: after saving, the programme's work plan."""

    def get_success_url(self) -> str:
        return work_plan_url(self.object.program)  # type: ignore[attr-defined]


class ActionItemCreateView(ActionItemFormMixin, generic.ObjectCreateView):
    model = ActionItem
    form_class = forms.ActionItemCreateForm
    extra_context = {"form_title": _("Add an action item")}
    success_message = _("The action item was saved.")


class ActionItemEditView(ActionItemFormMixin, generic.ObjectEditView):
    queryset = ActionItem.objects.all()
    form_class = forms.ActionItemForm
    extra_context = {"form_title": _("Edit action item")}
    success_message = _("The action item was saved.")


class ActionItemDoneView(generic.ObjectActionView):
    """Mark an action item done; then back where the button was (`next`), else the work plan.
    Longer than a declaration: the change itself."""

    queryset = ActionItem.objects.all()

    def perform(self, item: ActionItem) -> str:
        if item.status != ActionItem.Status.DONE:
            item.status = ActionItem.Status.DONE
            item.save(update_fields=["status", "updated_at"])
        return _("The action item is marked done.")

    def redirect_url(self, item: ActionItem) -> str:
        return work_plan_url(item.program)


urlpatterns = [
    *generic.record_urls(
        "meetings",
        MeetingCreateView,
        MeetingListView,
        MeetingDetailView,
        MeetingEditView,
        MeetingArchiveView,
        parent=IN_PROGRAM,
    ),
    *generic.record_urls(
        "actions", ActionItemCreateView, ActionItemListView, ActionItemEditView, parent=IN_PROGRAM
    ),
    path("actions/<int:pk>/done/", ActionItemDoneView.as_view(), name="actionitem_done"),
]
