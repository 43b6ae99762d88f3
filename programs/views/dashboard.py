"""The dashboard (what a signed-in user should look at first) and the reminder digest preview."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, OuterRef, QuerySet
from django.utils import timezone
from django.views.generic import TemplateView

from collab.models import ReminderLog
from collab.permissions import Action, has_global_right, restrict
from collab.views import RightsMixin

from .. import reminders
from ..followup import dashboard_pictures
from ..models import ActionItem, Agreement, Commitment, Meeting, Program
from ..models.commitments import CommitmentTally

PER_SECTION = 10
PROGRAMS_SHOWN = 50


class EqualsAny(Func):
    """`expression = ANY(array)`, a condition to filter on (PostgreSQL)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def first_across_programs(
    queryset: QuerySet, programs: QuerySet, order: Sequence[str], limit: int
) -> QuerySet:
    """`queryset` narrowed to its first `limit` rows (in `order`) across `programs`, found
    from each programme's own first rows (PostgreSQL).

    Why: the first rows across a few programmes, taken from one index in global order, mean
    walking past every other programme's rows (a coordinator of two small programmes: 50 ms
    over 500,000 commitments). Here each programme's first `limit` ids cost one probe of an
    index that starts with the programme (`ARRAY(… LIMIT n)`, unnested); those at most
    `limit` × programmes rows are fetched by primary key (`= ANY(array)`: with `IN (subquery)`
    the planner walks the global index again, testing each row) and cut to `limit` before
    the joins of `queryset`. Its filters apply in the per-programme probes.
    """
    from django.contrib.postgres.expressions import ArraySubquery

    firsts = queryset.filter(program=OuterRef("pk")).order_by(*order).values("pk")[:limit]
    unnested = Func(ArraySubquery(firsts), function="unnest", output_field=BigIntegerField())
    candidates = ArraySubquery(programs.annotate(first=unnested).values("first"))
    chosen = queryset.model._base_manager.filter(EqualsAny(F("pk"), candidates))
    return queryset.filter(pk__in=chosen.order_by(*order).values("pk")[:limit])


class DashboardView(LoginRequiredMixin, TemplateView):
    """My programmes, upcoming meetings, overdue commitments and action items, recent agreements.
    Not a declaration: a page of its own, across every kind of record.

    Open to every signed-in user: someone without rights sees empty sections and who to ask.
    Seven queries whatever the data: each section's first rows through an index, the pictures
    from the maintained status counters (CommitmentTally) and one aggregate of memberships.
    """

    template_name = "programs/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()

        def visible(queryset: QuerySet) -> QuerySet:
            return restrict(queryset, user, Action.VIEW)

        my_programs = visible(Program.objects.all())
        programs = list(my_programs.order_by("name")[:PROGRAMS_SHOWN])
        # Each section's first rows: walking the section's global index until enough visible
        # rows turn up is quick when they are common (staff, or rights on a full list of
        # programmes); with rights on fewer programmes their rows may be rare, so each
        # programme's first rows are taken instead (first_across_programs).
        per_program = (
            connection.vendor == "postgresql"
            and len(programs) < PROGRAMS_SHOWN
            and not has_global_right(user, Action.VIEW)
        )

        def first_rows(queryset: QuerySet, *order: str) -> list:
            if per_program:  # restricted through the programmes: only theirs can come out
                rows = first_across_programs(queryset, my_programs, order, PER_SECTION)
            else:
                rows = visible(queryset)
            return list(rows.order_by(*order)[:PER_SECTION])

        context = super().get_context_data(**kwargs)
        context.update(
            today=today,
            programs=programs,
            upcoming_meetings=first_rows(Meeting.objects.upcoming(today), "starts_on", "id"),
            overdue_commitments=first_rows(
                Commitment.objects.for_list().overdue(today), "due_on", "id"
            ),
            overdue_actions=first_rows(
                ActionItem.objects.for_list().overdue(today), "due_on", "id"
            ),
            recent_agreements=first_rows(Agreement.objects.recently_signed(), "-signed_on", "-id"),
            # Pictures: commitments by status across the user's programmes (their counters),
            # the pillar balance of the first programmes (two aggregate queries).
            **dashboard_pictures(programs, visible(CommitmentTally.objects.all())),
        )
        return context


class RemindersPreviewView(RightsMixin, TemplateView):
    """The digest the signed-in coordinator would receive today, as it would be sent (not a
    declaration: the digest is rendered by programs.reminders)."""

    action = Action.COORDINATE
    template_name = "programs/reminders_preview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        digest = reminders.digest_for(self.request.user, today)
        subject, body = reminders.render_digest(digest)
        context.update(
            digest=digest,
            subject=subject,
            body=body,
            horizon=reminders.HORIZON_DAYS,
            sent_today=ReminderLog.objects.filter(user=self.request.user, sent_on=today).first(),
        )
        return context
