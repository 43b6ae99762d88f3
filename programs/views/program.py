"""Programme pages: the list, the programme page with its sections, pilot sites, the calendar
feed."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views import View

from collab import views as generic
from collab.ical import calendar
from collab.models import UserPreference
from collab.permissions import Action, restrict
from partners.models import Partner, Pillar

from .. import exports, filtersets, followup
from ..forms import program as forms
from ..models import (
    ActionItem,
    Agreement,
    Commitment,
    Indicator,
    Meeting,
    Program,
    ProgramPartner,
    Site,
)
from . import IN_PROGRAM


class ProgramListView(generic.ObjectListView):
    queryset = Program.objects.for_list()
    filterset_class = filtersets.ProgramFilterSet
    columns = exports.PROGRAM_COLUMNS
    extra_context = {"list_title": _("Programmes")}


class ProgramDetailView(generic.ObjectDetailView):
    # Longer than a declaration: the page's bounded sections and pictures (page_sections).
    queryset = Program.objects.for_detail()
    slug_field = "slug"
    history_children = ("memberships",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(page_sections(self.object))
        context.update(program_follow_through(self.request, self.object, context))
        return context


def page_sections(program: Program, per_section: int = 10, per_pillar: int = 12) -> dict:
    """What the programme page shows: partners by pillar and the latest of each section.

    Each section is bounded (`per_section` rows and a count) and links to its list page
    filtered by this programme, so a programme with 10,000 commitments loads as fast as
    one with ten.
    """
    # A national programme has hundreds of partners: each pillar shows its first
    # `per_pillar` (by name; one more is fetched to know there are more), the number of its
    # partners, and links to the partner directory for the rest.
    memberships = list(
        program.memberships.select_related("partner")
        .annotate(
            rank=models.Window(
                RowNumber(),
                partition_by=[models.F("partner__pillar")],
                order_by=[models.F("partner__name").asc(), "role", "id"],
            )
        )
        .filter(rank__lte=per_pillar + 1)
        .order_by("partner__name", "role", "id")
    )
    partners = followup.pillar_counts([program.pk]).get(program.pk, {})
    pillars = []
    for value, label in Pillar.choices:
        rows = [m for m in memberships if m.partner.pillar == value]
        pillars.append(
            {
                "value": value,
                "label": label,
                "memberships": rows[:per_pillar],
                "partners": partners.get(value, 0),
                "more": len(rows) > per_pillar,
            }
        )

    def section(queryset: models.QuerySet) -> dict:
        rows = list(queryset[: per_section + 1])
        return {"rows": rows[:per_section], "more": len(rows) > per_section}

    return {
        "pillars": pillars,
        "sites": section(program.sites.select_related("region").order_by("name")),
        # Archived records leave the page as they leave the lists.
        "meetings": section(
            Meeting.objects.filter(program=program).active().order_by("-starts_on", "-id")
        ),
        "commitments": section(
            Commitment.objects.filter(program=program)
            .active()
            .for_list()
            .order_by("-created_at", "-id")
        ),
        "agreements": section(
            Agreement.objects.filter(program=program).active().order_by("-signed_on", "-id")
        ),
        "action_items": section(
            ActionItem.objects.filter(program=program)
            .select_related("responsible")
            .order_by("order", "due_on", "id")
        ),
        "indicators": section(
            Indicator.objects.filter(program=program)
            .select_related("sdg_indicator")
            .order_by("name")
        ),
    }


class SiteListView(generic.ObjectListView):
    queryset = Site.objects.for_list()
    filterset_class = filtersets.SiteFilterSet
    columns = exports.SITE_COLUMNS
    extra_context = {"list_title": _("Pilot sites")}


class SiteDetailView(generic.ObjectDetailView):
    queryset = Site.objects.for_list()
    history_children = ()


class SiteCreateView(generic.ObjectCreateView):
    model = Site
    form_class = forms.SiteCreateForm
    extra_context = {"form_title": _("Add a pilot site")}
    success_message = _("The site was saved.")


class SiteEditView(generic.ObjectEditView):
    queryset = Site.objects.all()
    form_class = forms.SiteForm
    extra_context = {"form_title": _("Edit pilot site")}
    success_message = _("The site was saved.")


# --- follow-through on the programme page: pictures, indicator progress, calendar link ---------


def program_follow_through(request: HttpRequest, program: Program, sections: dict) -> dict:
    """What the programme page adds to page_sections: its pictures, the progress of the
    indicators it lists, and the signed-in user's calendar link."""
    today = timezone.localdate()
    token = UserPreference.for_user(request.user).calendar_token
    calendar_url = (
        request.build_absolute_uri(reverse("programs:program_calendar", args=[program.slug]))
        + f"?token={token}"
    )
    return {
        **followup.program_pictures(program, pillars=sections["pillars"], today=today),
        "indicator_results": followup.indicator_results(
            sections["indicators"]["rows"], id_prefix="indicator", compact=True
        ),
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
    }


class ProgramCalendarView(View):
    """The programme's meetings and work-plan due dates as an iCalendar feed. Not a declaration:
    a feed authenticated by the key in its URL, not by a session.

    A calendar app cannot sign in, so the link carries the user's secret calendar key
    (collab.UserPreference) instead of a session. The key's user must still be allowed to see
    the programme: a wrong or missing key and a programme outside that user's rights are the
    same 404, so the link reveals nothing either way.
    """

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        token = request.GET.get("token", "")
        if not token or len(token) > 64:
            raise Http404(_("Not found."))
        preference = UserPreference.for_calendar_token(token)
        if preference is None:
            raise Http404(_("Not found."))
        visible = restrict(Program.objects.filter(slug=slug), preference.user, Action.VIEW)
        program = visible.first()
        if program is None:
            raise Http404(_("Not found."))
        body = calendar(
            name=f"{program.name} · Collab Registry",
            events=followup.calendar_events(program, base_url=request.build_absolute_uri("/")),
            now=timezone.now(),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{program.slug}.ics"'
        # The URL is a credential: keep it out of shared caches and of other sites' logs.
        patch_cache_control(response, private=True, no_cache=True)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        return response


# --- the partner page's programme sections ---------------------------------------------------


def partner_sections(partner: Partner, user: Any, per_section: int = 20) -> dict:
    """What the partner page (partners.views, through register_page_sections) shows of
    programmes: its programmes, commitments and signed agreements that `user` may
    see, each bounded to `per_section` rows with a flag when there are more."""

    def section(queryset: models.QuerySet) -> dict:
        rows = list(restrict(queryset, user, Action.VIEW)[: per_section + 1])
        return {"rows": rows[:per_section], "more": len(rows) > per_section}

    return {
        "memberships": section(
            ProgramPartner.objects.filter(partner=partner)
            .select_related("program")
            .order_by("program__name", "role")
        ),
        "commitments": section(
            Commitment.objects.filter(partner=partner)
            .active()
            .for_list()
            .order_by("-created_at", "-id")
        ),
        "agreements": section(
            Agreement.objects.filter(signatories__partner=partner)
            .active()
            .select_related("program")
            .distinct()
            .order_by("-signed_on", "-id")
        ),
    }


urlpatterns = [
    path("programs/", ProgramListView.as_view(), name="program_list"),
    path(IN_PROGRAM, ProgramDetailView.as_view(), name="program_detail"),
    path(f"{IN_PROGRAM}calendar.ics", ProgramCalendarView.as_view(), name="program_calendar"),
    *generic.record_urls(
        "sites", SiteCreateView, SiteListView, SiteDetailView, SiteEditView, parent=IN_PROGRAM
    ),
]
