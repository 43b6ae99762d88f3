"""Commitments and their progress log."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from collab.permissions import Action
from collab.views import (
    ChildCreateView,
    ObjectArchiveView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    record_urls,
)

from .. import exports, filtersets
from ..forms import commitments as forms
from ..models import Commitment, CommitmentUpdate
from ..models.commitments import CommitmentTally
from ..services import commitments as services
from . import IN_PROGRAM


class CommitmentListView(ObjectListView):
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


class CommitmentDetailView(ObjectDetailView):
    queryset = Commitment.objects.for_detail()
    history_children = ("updates",)


class CommitmentCreateView(ObjectCreateView):
    model = Commitment
    form_class = forms.CommitmentCreateForm
    extra_context = {"form_title": _("Add a commitment")}
    success_message = _("The commitment was saved.")


class CommitmentEditView(ObjectEditView):
    queryset = Commitment.objects.all()
    form_class = forms.CommitmentForm
    extra_context = {"form_title": _("Edit commitment")}
    success_message = _("The commitment was saved.")


class CommitmentArchiveView(ObjectArchiveView):
    queryset = Commitment.objects.all()


class CommitmentUpdateCreateView(ChildCreateView):
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
    *record_urls(
        "commitment",
        "commitments",
        parent=IN_PROGRAM,
        create=CommitmentCreateView,
        list_view=CommitmentListView,
        detail=CommitmentDetailView,
        edit=CommitmentEditView,
        archive=CommitmentArchiveView,
    ),
    path(
        "commitments/<int:pk>/updates/new/",
        CommitmentUpdateCreateView.as_view(),
        name="commitmentupdate_create",
    ),
]
