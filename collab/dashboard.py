"""The dashboard: what a signed-in user should look at first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from collab.permissions import Action, restrict

PER_SECTION = 10


class DashboardView(LoginRequiredMixin, TemplateView):
    """My programmes, upcoming meetings, overdue commitments and action items, recent agreements.

    Open to every signed-in user: someone without rights sees empty sections and who to ask.
    """

    template_name = "collab/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from programs.models import ActionItem, Agreement, Commitment, Meeting, Program

        user = self.request.user
        today = timezone.localdate()

        def visible(queryset):
            return restrict(queryset, user, Action.VIEW)

        context = super().get_context_data(**kwargs)
        context.update(
            today=today,
            programs=list(visible(Program.objects.for_list()).order_by("name")[:50]),
            upcoming_meetings=list(
                visible(Meeting.objects.active().select_related("program"))
                .filter(starts_on__gte=today)
                .order_by("starts_on", "id")[:PER_SECTION]
            ),
            overdue_commitments=list(
                visible(Commitment.objects.for_list())
                .overdue(today)
                .order_by("due_on", "id")[:PER_SECTION]
            ),
            overdue_actions=list(
                visible(ActionItem.objects.for_list())
                .overdue(today)
                .order_by("due_on", "id")[:PER_SECTION]
            ),
            recent_agreements=list(
                visible(Agreement.objects.active().select_related("program"))
                .filter(signed_on__isnull=False)
                .order_by("-signed_on", "-id")[:PER_SECTION]
            ),
        )
        # Pictures: commitments by status across the user's programmes, pillar balance of the
        # first programmes (programs.followup; two aggregate queries).
        from programs.followup import dashboard_pictures

        context.update(dashboard_pictures(context["programs"], visible(Commitment.objects.all())))
        return context
