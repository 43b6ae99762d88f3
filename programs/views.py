"""Programme pages. Per-model views are declarations on the generic family in collab.views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from collab.permissions import Action
from collab.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RightsMixin,
)

from . import filtersets, forms, services
from .models import ActionItem, Agreement, Commitment, Meeting, Program, Site

# --- programmes ------------------------------------------------------------------------------


class ProgramListView(ObjectListView):
    queryset = Program.objects.for_list()
    filterset_class = filtersets.ProgramFilterSet
    template_name = "programs/program_list.html"
    extra_context = {"list_title": _("Programmes")}


class ProgramDetailView(ObjectDetailView):
    queryset = Program.objects.for_detail()
    slug_field = "slug"
    template_name = "programs/program_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.object.page_sections(self.request))
        return context


# --- meetings --------------------------------------------------------------------------------


class MeetingListView(ObjectListView):
    queryset = Meeting.objects.for_list()
    filterset_class = filtersets.MeetingFilterSet
    template_name = "programs/meeting_list.html"
    extra_context = {"list_title": _("Meetings")}


class MeetingDetailView(ObjectDetailView):
    queryset = Meeting.objects.for_detail()
    template_name = "programs/meeting_detail.html"


class MeetingCreateView(ObjectCreateView):
    model = Meeting
    form_class = forms.MeetingForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Record a meeting")}
    success_message = _("The meeting was saved.")


class MeetingEditView(ObjectEditView):
    queryset = Meeting.objects.all()
    form_class = forms.MeetingForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit meeting")}
    success_message = _("The meeting was saved.")


# --- commitments -----------------------------------------------------------------------------


class CommitmentListView(ObjectListView):
    queryset = Commitment.objects.for_list()
    filterset_class = filtersets.CommitmentFilterSet
    template_name = "programs/commitment_list.html"
    extra_context = {"list_title": _("Commitments")}


class CommitmentDetailView(ObjectDetailView):
    queryset = Commitment.objects.for_detail()
    template_name = "programs/commitment_detail.html"


class CommitmentCreateView(ObjectCreateView):
    model = Commitment
    form_class = forms.CommitmentCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add a commitment")}
    success_message = _("The commitment was saved.")


class CommitmentEditView(ObjectEditView):
    queryset = Commitment.objects.all()
    form_class = forms.CommitmentForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit commitment")}
    success_message = _("The commitment was saved.")


class CommitmentUpdateCreateView(ObjectEditView):
    """Add a progress entry to a commitment (the URL's pk is the commitment's)."""

    queryset = Commitment.objects.all()
    form_class = forms.CommitmentUpdateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add progress")}
    success_message = _("The progress was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = None
        kwargs["initial"] = {"status": self.object.status, "progress": self.latest_progress()}
        return kwargs

    def latest_progress(self) -> int:
        latest = self.object.updates.order_by("-created_at", "-id").first()
        return latest.progress if latest else 0

    def save_form(self, form):
        services.record_commitment_update(
            commitment=self.object, user=self.request.user, **form.cleaned_data
        )
        return self.object

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


# --- agreements ------------------------------------------------------------------------------


class AgreementListView(ObjectListView):
    queryset = Agreement.objects.for_list()
    filterset_class = filtersets.AgreementFilterSet
    template_name = "programs/agreement_list.html"
    extra_context = {"list_title": _("Agreements")}


class AgreementDetailView(ObjectDetailView):
    queryset = Agreement.objects.for_detail()
    template_name = "programs/agreement_detail.html"


class AgreementCreateView(ObjectCreateView):
    model = Agreement
    form_class = forms.AgreementForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add an agreement")}
    success_message = _("The agreement was saved.")


class AgreementEditView(ObjectEditView):
    queryset = Agreement.objects.all()
    form_class = forms.AgreementForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit agreement")}
    success_message = _("The agreement was saved.")


# --- work plan (action items) ------------------------------------------------------------------


class ActionItemListView(ObjectListView):
    queryset = ActionItem.objects.for_list()
    filterset_class = filtersets.ActionItemFilterSet
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
        from django.utils.http import url_has_allowed_host_and_scheme

        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = fallback
        return HttpResponseRedirect(target)


# --- sites -----------------------------------------------------------------------------------


class SiteListView(ObjectListView):
    queryset = Site.objects.for_list()
    filterset_class = filtersets.SiteFilterSet
    template_name = "programs/site_list.html"
    extra_context = {"list_title": _("Pilot sites")}


class SiteDetailView(ObjectDetailView):
    queryset = Site.objects.for_list()
    template_name = "programs/site_detail.html"


class SiteCreateView(ObjectCreateView):
    model = Site
    form_class = forms.SiteCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add a pilot site")}
    success_message = _("The site was saved.")


class SiteEditView(ObjectEditView):
    queryset = Site.objects.all()
    form_class = forms.SiteForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit pilot site")}
    success_message = _("The site was saved.")
