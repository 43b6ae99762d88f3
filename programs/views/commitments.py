"""Commitments and their progress log."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from collab import views as generic
from collab.permissions import Action

from .. import exports, filtersets
from ..forms import commitments as forms
from ..models import Commitment, CommitmentUpdate
from ..models.commitments import CommitmentTally
from ..services import commitments as services
from . import IN_PROGRAM


class CommitmentListView(generic.ObjectListView):
    # Longer than a declaration: its count comes from the maintained tallies (known_count).
    queryset = Commitment.objects.for_list()
    filterset_class = filtersets.CommitmentFilterSet
    columns = exports.COMMITMENT_COLUMNS
    extra_context = {"list_title": _("Commitments")}

    def known_count(self) -> int | None:
        # Narrowed by programme and status only (or not at all), the list holds exactly what
        # the maintained tallies count: one sum over at most 4 rows per programme, exact where
        # the planner's estimate of a coordinator's rows can be several times off.
        in_use = self.filters_in_use()
        if in_use is None or not in_use <= {"program", "status"}:
            return None
        chosen = self.filterset.form.cleaned_data if in_use else {}
        tallies = self.restricted(CommitmentTally.objects.all(), Action.VIEW)
        return tallies.total(program=chosen.get("program"), status=chosen.get("status"))


class CommitmentDetailView(generic.ObjectDetailView):
    queryset = Commitment.objects.for_detail()
    history_children = ("updates",)


class CommitmentCreateView(generic.ObjectCreateView):
    model = Commitment
    form_class = forms.CommitmentCreateForm
    extra_context = {"form_title": _("Add a commitment")}
    success_message = _("The commitment was saved.")


class CommitmentEditView(generic.ObjectEditView):
    queryset = Commitment.objects.all()
    form_class = forms.CommitmentForm
    extra_context = {"form_title": _("Edit commitment")}
    success_message = _("The commitment was saved.")


class CommitmentArchiveView(generic.ObjectArchiveView):
    queryset = Commitment.objects.all()


class CommitmentUpdateCreateView(generic.ChildCreateView):
    """Add a progress entry to a commitment. Longer than a declaration: the form starts from the
    commitment's status and latest progress, and the service also moves the commitment."""

    parent_queryset = Commitment.objects.all()
    parent_field = "commitment"
    form_class = forms.CommitmentUpdateForm
    extra_context = {"form_title": _("Add progress")}
    success_message = _("The progress was recorded.")

    def get_initial(self) -> dict[str, Any]:
        commitment = self.get_parent()
        latest = commitment.updates.order_by("-created_at", "-id").first()
        return {"status": commitment.status, "progress": latest.progress if latest else 0}

    def save_form(self, form: forms.CommitmentUpdateForm) -> CommitmentUpdate:
        fields = form.cleaned_data
        return services.record_commitment_update(
            commitment=self.get_parent(), user=self.request.user, **fields
        )


urlpatterns = [
    *generic.record_urls(
        "commitments",
        CommitmentCreateView,
        CommitmentListView,
        CommitmentDetailView,
        CommitmentEditView,
        CommitmentArchiveView,
        parent=IN_PROGRAM,
    ),
    path(
        "commitments/<int:pk>/updates/new/",
        CommitmentUpdateCreateView.as_view(),
        name="commitmentupdate_create",
    ),
]
