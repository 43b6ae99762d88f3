"""Reads behind the follow-through pages: the numbers of the pictures, indicator progress and the
calendar feed's rows.

Every function runs a fixed number of queries whatever the number of rows: counts are aggregated
in the database (`.values().annotate(Count())`), never counted row by row in Python. The pictures
themselves are drawn by collab.charts from the plain values returned here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collab import identity
from collab.charts import Bar, Chart, Point, Span, bar_chart, line_chart, number, timeline_chart
from collab.ical import CalendarEvent
from partners.models import Partner, Pillar

from .models import (
    ActionItem,
    CommitmentStatus,
    Indicator,
    Measurement,
    Meeting,
    Program,
    ProgramPartner,
)
from .models.commitments import CommitmentTally

# Distinct hues that stay readable as text on white; the number beside each bar carries the
# meaning, so colour is never the only cue.
# The pillars' colours are the project's identity (collab/identity.py reads them from app.css).
PILLAR_FILLS = {pillar: identity.pillar_colour(pillar) for pillar in Pillar.values}
STATUS_FILLS = {
    CommitmentStatus.PLEDGED: "#0b7285",
    CommitmentStatus.IN_PROGRESS: "#3949ab",
    CommitmentStatus.FULFILLED: "#2b8a3e",
    CommitmentStatus.CANCELLED: "#868e96",
}
ITEM_FILLS = {"open": "#3949ab", "overdue": "#c92a2a", "done": "#2b8a3e", "cancelled": "#adb5bd"}

TIMELINE_MEETINGS = 60
TIMELINE_ITEMS = 20
DASHBOARD_PILLAR_PROGRAMS = 10


# --- counts ---------------------------------------------------------------------------------------


def pillar_counts(program_ids: Iterable[int] | QuerySet) -> dict[int, dict[str, int]]:
    """Distinct partners per pillar for each programme (one query).

    A partner with two roles in a programme counts once: the picture is about who takes part.
    """
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # The pillar as a subquery, not a join: PostgreSQL then looks up each membership's
    # partner by primary key (0.6 ms for ten programmes at national scale) instead of hashing
    # the whole partner directory (2 ms).
    pillar = Partner.objects.filter(pk=OuterRef("partner_id")).values("pillar")
    rows = (
        ProgramPartner.objects.filter(program__in=program_ids)
        .order_by()
        .annotate(pillar=Subquery(pillar))
        .values("program_id", "pillar")
        .annotate(partners=Count("partner", distinct=True))
    )
    for row in rows:
        counts[row["program_id"]][row["pillar"]] = row["partners"]
    return counts


# --- pictures -------------------------------------------------------------------------------------


def pillar_chart(chart_id: str, counts: Mapping[str, int], *, title: str = "") -> Chart:
    """One bar per pillar, in the fixed order of the four pillars; an empty one is a gap."""
    bars = [
        Bar(str(label), counts.get(value, 0), PILLAR_FILLS[value])
        for value, label in Pillar.choices
    ]
    gaps = [bar.label for bar in bars if not bar.value]
    description = "; ".join(f"{bar.label}: {number(bar.value)}" for bar in bars) + "."
    if gaps:
        description += " " + _("No partner yet from: %(pillars)s.") % {"pillars": ", ".join(gaps)}
    return bar_chart(
        chart_id=chart_id,
        title=title or _("Partners by SDG pillar"),
        description=description,
        bars=bars,
        label_header=_("Pillar"),
        value_header=_("Partners"),
        gap_text=_("gap: no partner yet"),
    )


def status_chart(chart_id: str, counts: Mapping[str, int], *, title: str = "") -> Chart:
    """One bar per commitment status, including the empty ones (zero is worth seeing)."""
    bars = [
        Bar(str(label), counts.get(value, 0), STATUS_FILLS[value])
        for value, label in CommitmentStatus.choices
    ]
    total = sum(bar.value for bar in bars)
    description = _("%(total)s commitments: %(counts)s.") % {
        "total": number(total),
        "counts": "; ".join(f"{bar.label} {number(bar.value)}" for bar in bars),
    }
    return bar_chart(
        chart_id=chart_id,
        title=title or _("Commitments by status"),
        description=description,
        bars=bars,
        label_header=_("Status"),
        value_header=_("Commitments"),
    )


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator with its measurements, latest value, progress and picture."""

    indicator: Indicator
    points: tuple[Point, ...]
    progress: Decimal | None
    chart: Chart

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def indicator_results(
    indicators: Sequence[Indicator], *, id_prefix: str = "indicator", compact: bool = False
) -> list[IndicatorResult]:
    """Progress and a line picture for each indicator; their measurements in one query."""
    series: dict[int, list[Point]] = defaultdict(list)
    if indicators:
        rows = (
            Measurement.objects.filter(indicator__in=[indicator.pk for indicator in indicators])
            .order_by("indicator_id", "measured_on")
            .values_list("indicator_id", "measured_on", "value")
        )
        for indicator_id, measured_on, value in rows:
            series[indicator_id].append(Point(measured_on, value))
    return [
        indicator_result(indicator, series[indicator.pk], id_prefix=id_prefix, compact=compact)
        for indicator in indicators
    ]


def indicator_result(
    indicator: Indicator,
    points: Sequence[Point],
    *,
    id_prefix: str = "indicator",
    compact: bool = False,
) -> IndicatorResult:
    points = tuple(points)
    first, latest = (points[0], points[-1]) if points else (None, None)
    progress = indicator.progress(
        latest.value if latest else None, first_value=first.value if first else None
    )
    unit = f" {indicator.unit}" if indicator.unit else ""
    parts = [str(indicator.get_direction_display()) + "."]
    if latest:
        parts.append(
            _("Latest value %(value)s on %(date)s.")
            % {"value": number(latest.value) + unit, "date": date_format(latest.on)}
        )
    else:
        parts.append(_("No measurement yet."))
    if indicator.target_value is not None:
        target = number(indicator.target_value) + unit
        if indicator.target_on:
            parts.append(
                _("Target %(value)s by %(date)s.")
                % {"value": target, "date": date_format(indicator.target_on)}
            )
        else:
            parts.append(_("Target %(value)s.") % {"value": target})
    if progress is not None:
        parts.append(_("%(percent)s%% of the way to the target.") % {"percent": number(progress)})
    chart = line_chart(
        chart_id=f"{id_prefix}-{indicator.pk}",
        title=_("%(indicator)s over time") % {"indicator": indicator.name},
        description=" ".join(parts),
        points=points,
        target=indicator.target_value,
        target_on=indicator.target_on,
        target_label=_("target"),
        unit=indicator.unit,
        date_header=_("Date"),
        value_header=_("Value"),
        **({"width": 360, "height": 150} if compact else {}),
    )
    return IndicatorResult(indicator, points, progress, chart)


def item_state(status: str, due_on: datetime.date | None, today: datetime.date) -> str:
    if status == ActionItem.Status.DONE:
        return "done"
    if status == ActionItem.Status.CANCELLED:
        return "cancelled"
    return "overdue" if due_on and due_on < today else "open"


def program_timeline(program: Program, *, today: datetime.date) -> Chart:
    """Meetings and dated work-plan items of a programme on one date axis (three queries)."""
    meetings = list(
        Meeting.objects.filter(program=program)
        .active()
        .order_by("-starts_on", "-id")
        .values_list("title", "starts_on", "ends_on")[:TIMELINE_MEETINGS]
    )
    items = list(
        ActionItem.objects.filter(program=program, due_on__isnull=False)
        .order_by("order", "due_on", "id")
        .values_list("title", "starts_on", "due_on", "status")[: TIMELINE_ITEMS + 1]
    )
    undated = ActionItem.objects.filter(program=program, due_on__isnull=True).count()
    more_items = len(items) > TIMELINE_ITEMS
    items = items[:TIMELINE_ITEMS]
    description = _("%(meetings)s meetings and %(items)s dated work-plan items on a time axis.") % {
        "meetings": len(meetings),
        "items": len(items),
    }
    notes = []
    if undated:
        notes.append(
            ngettext(
                "%(count)s work-plan item without a due date is not drawn.",
                "%(count)s work-plan items without a due date are not drawn.",
                undated,
            )
            % {"count": undated}
        )
    if more_items:
        notes.append(
            _("Only the first %(count)s work-plan items are drawn.") % {"count": TIMELINE_ITEMS}
        )
    chart = timeline_chart(
        chart_id=f"timeline-{program.pk}",
        title=_("Timeline of meetings and the work plan"),
        description=" ".join([description, *notes]),
        meetings=[
            Span(label=title, starts_on=starts_on, ends_on=ends_on or starts_on)
            for title, starts_on, ends_on in reversed(meetings)
        ],
        items=[
            Span(
                label=title,
                starts_on=starts_on,
                ends_on=due_on,
                fill=ITEM_FILLS[item_state(status, due_on, today)],
            )
            for title, starts_on, due_on, status in items
        ],
        meetings_label=_("Meetings"),
        headers=(_("What"), _("From"), _("To / due")),
        today=today,
        today_label=_("today"),
    )
    return Chart(chart.svg, chart.title, chart.headers, chart.rows, note=" ".join(notes))


def program_pictures(
    program: Program, *, pillars: Sequence[Mapping[str, Any]], today: datetime.date
) -> dict[str, Any]:
    """The programme page's pictures. Pillar counts come from the page's sections
    (programs.views.program.page_sections), which counted each pillar's partners already."""
    counts = {pillar["value"]: pillar["partners"] for pillar in pillars}
    return {
        "pillar_chart": pillar_chart(f"pillars-{program.pk}", counts),
        "status_chart": status_chart(
            f"statuses-{program.pk}",
            CommitmentTally.objects.filter(program=program).by_status(),
        ),
        "timeline_chart": program_timeline(program, today=today),
    }


def dashboard_pictures(
    programs: Sequence[Program], tallies: QuerySet[CommitmentTally]
) -> dict[str, Any]:
    """Commitments by status across the user's programmes (`tallies`: their counters) and the
    pillar balance of the first programmes (two queries, whatever the number of programmes)."""
    shown = list(programs[:DASHBOARD_PILLAR_PROGRAMS])
    counts = pillar_counts([program.pk for program in shown])
    return {
        "status_chart": status_chart(
            "statuses-mine",
            tallies.by_status(),
            title=_("Commitments in my programmes by status"),
        ),
        "pillar_charts": [
            (
                program,
                pillar_chart(
                    f"pillars-{program.pk}", counts.get(program.pk, {}), title=str(program)
                ),
            )
            for program in shown
        ],
        "pillar_charts_more": len(programs) > DASHBOARD_PILLAR_PROGRAMS,
    }


# --- the calendar feed ----------------------------------------------------------------------------


def calendar_events(program: Program, *, base_url: str) -> list[CalendarEvent]:
    """The programme's meetings and work-plan due dates as all-day events (two queries).

    UIDs are the record's kind and id, so an edited meeting moves in the subscriber's calendar
    instead of appearing twice.
    """
    base_url = base_url.rstrip("/")
    events = []
    meetings = (
        Meeting.objects.filter(program=program)
        .active()  # an archived meeting was withdrawn: it leaves the subscribers' calendars
        .order_by("starts_on", "id")
        .values("pk", "title", "kind", "starts_on", "ends_on", "venue", "summary", "updated_at")
    )
    kinds = dict(Meeting.Kind.choices)
    for meeting in meetings:
        url = base_url + reverse("programs:meeting_detail", args=[meeting["pk"]])
        events.append(
            CalendarEvent(
                uid=f"meeting-{meeting['pk']}@collab-registry",
                summary=meeting["title"],
                starts_on=meeting["starts_on"],
                ends_on=meeting["ends_on"],
                stamp=meeting["updated_at"],
                location=meeting["venue"],
                description="\n".join(
                    part for part in (str(program), meeting["summary"], url) if part
                ),
                url=url,
                categories=str(kinds.get(meeting["kind"], "")),
            )
        )
    items = (
        ActionItem.objects.filter(program=program, due_on__isnull=False)
        .order_by("due_on", "id")
        .values("pk", "title", "due_on", "status", "updated_at", "responsible__name")
    )
    statuses = dict(ActionItem.Status.choices)
    page = base_url + reverse("programs:program_detail", args=[program.slug]) + "#work-plan"
    for item in items:
        responsible = item["responsible__name"]
        details = [str(program), f"{_('Status')}: {statuses.get(item['status'], '')}"]
        if responsible:
            details.append(f"{_('Responsible')}: {responsible}")
        events.append(
            CalendarEvent(
                uid=f"actionitem-{item['pk']}@collab-registry",
                summary=_("Due: %(title)s") % {"title": item["title"]},
                starts_on=item["due_on"],
                stamp=item["updated_at"],
                description="\n".join([*details, page]),
                url=page,
                categories=_("Work plan"),
                cancelled=item["status"] == ActionItem.Status.CANCELLED,
            )
        )
    return events
