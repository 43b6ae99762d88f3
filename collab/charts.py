"""Pictures drawn on the server as inline SVG: no JavaScript, nothing fetched, works offline.

Each builder is a pure function of plain data and returns a `Chart`: the `<svg>` markup (with a
`<title>` and a `<desc>` that screen readers announce) and the same numbers as a table, which
`templates/collab/includes/chart.html` puts beside the picture. Every piece of text goes through
`format_html`, so a partner called `<script>` is drawn as text. Only presentation attributes
(fill, stroke, x, y…) are used, never `style=`: the Content Security Policy forbids inline styles.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
GAP = "#9a6700"  # an empty pillar: dark amber, readable on white
LINE = "#0b4f8a"  # the primary colour; the pillar blue is the government's
TARGET = "#2b8a3e"
TODAY = "#c92a2a"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class Chart:
    """An SVG picture and its text equivalent (`headers` and `rows` of a table)."""

    svg: SafeString
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""

    def __html__(self) -> str:  # {{ chart }} alone draws the picture
        return self.svg


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    fill: str


@dataclass(frozen=True)
class Point:
    on: datetime.date
    value: Decimal


@dataclass(frozen=True)
class Span:
    """A meeting (`starts_on`…`ends_on`) or a work-plan item (start, if known, to due date)."""

    label: str
    ends_on: datetime.date
    starts_on: datetime.date | None = None
    detail: str = ""
    fill: str = LINE


@dataclass
class _Svg:
    """Accumulates escaped SVG elements; `parts` only ever holds format_html output."""

    chart_id: str
    width: int
    height: int
    title: str
    description: str
    parts: list[SafeString] = field(default_factory=list)

    def add(self, template: str, *args: object) -> None:
        self.parts.append(format_html(template, *args))

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: int = 13,
        fill: str = TEXT,
        anchor: str = "start",
        weight: str = "normal",
        css_class: str = "",
    ) -> None:
        self.add(
            '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{}" font-weight="{}"'
            ' class="{}">{}</text>',
            _n(x),
            _n(y),
            size,
            fill,
            anchor,
            weight,
            css_class,
            content,
        )

    def markup(self) -> SafeString:
        head = format_html(
            '<svg xmlns="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img"'
            ' aria-labelledby="{}-title {}-desc" class="chart-svg" font-family="{}">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            SVG_NS,
            self.width,
            self.height,
            self.width,
            self.height,
            self.chart_id,
            self.chart_id,
            FONT,
            self.chart_id,
            self.title,
            self.chart_id,
            self.description,
        )
        # Safe: `head` and every part were built by format_html, which escaped their values.
        return mark_safe(head + "".join(self.parts) + "</svg>")  # noqa: S308


def _n(value: float) -> str:
    """A coordinate with one decimal: short markup, and no locale's decimal comma."""
    return f"{value:.1f}"


def number(value: int | Decimal | float | None) -> str:
    """A value as people read it in the current language: `38.431` or `12,5` in Indonesian."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return floatformat(value, "g")
    return floatformat(value, "-2g")


def _clip(text: str, length: int) -> str:
    """A label shortened to fit its line; the full text is in the table and the tooltip."""
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- bars -----------------------------------------------------------------------------------------


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    label_header: str,
    value_header: str,
    gap_text: str = "",
    width: int = 480,
) -> Chart:
    """Horizontal bars, one per row, with the label above each bar and the number after it.

    A zero bar with `gap_text` is drawn as a dashed, empty box saying so: in a partnership an
    empty pillar is a finding, not a rounding error.
    """
    row_height, top = 42, 6
    value_room = 56
    height = top + row_height * max(len(bars), 1) + 4
    svg = _Svg(chart_id, width, height, title, description)
    longest = max((bar.value for bar in bars), default=0) or 1
    usable = width - value_room
    for index, bar in enumerate(bars):
        y = top + index * row_height
        svg.text(0, y + 13, _clip(bar.label, 60), css_class="bar-label")
        bar_y = y + 19
        if bar.value <= 0 and gap_text:
            svg.add(
                '<rect x="0.5" y="{}" width="{}" height="16" fill="none" stroke="{}"'
                ' stroke-width="1.5" stroke-dasharray="5 3" class="bar gap" data-label="{}"'
                ' data-value="0"/>',
                _n(bar_y),
                _n(usable),
                GAP,
                bar.label,
            )
            svg.text(8, bar_y + 12.5, gap_text, size=12, fill=GAP, weight="bold")
            svg.text(usable + 8, bar_y + 12.5, "0", weight="bold", css_class="bar-value")
            continue
        bar_width = max(usable * bar.value / longest, 2 if bar.value else 0)
        svg.add(
            '<rect x="0" y="{}" width="{}" height="16" rx="2" fill="{}" class="bar"'
            ' data-label="{}" data-value="{}"><title>{}: {}</title></rect>',
            _n(bar_y),
            _n(bar_width),
            bar.fill,
            bar.label,
            bar.value,
            bar.label,
            number(bar.value),
        )
        svg.text(
            bar_width + 6, bar_y + 12.5, number(bar.value), weight="bold", css_class="bar-value"
        )
    if not bars:
        svg.text(0, 20, description, fill=MUTED)
    return Chart(
        svg=svg.markup(),
        title=title,
        headers=(label_header, value_header),
        rows=tuple((bar.label, number(bar.value)) for bar in bars),
    )


# --- a line over time with its target -------------------------------------------------------------


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    date_header: str,
    value_header: str,
    target: Decimal | None = None,
    target_on: datetime.date | None = None,
    target_label: str = "",
    unit: str = "",
    width: int = 480,
    height: int = 220,
) -> Chart:
    """Measurements joined by a line, the target as a dashed horizontal line.

    The vertical axis spans the values and the target, so a falling line towards a target of
    0 ha (KOTAKU) reads as approaching the dashed line from above.
    """
    left, right, top, bottom = 64, 16, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    svg = _Svg(chart_id, width, height, title, description)
    values = [Decimal(point.value) for point in points]
    if target is not None:
        values.append(Decimal(target))
    dates = [point.on for point in points] + ([target_on] if target_on else [])
    suffix = f" {unit}" if unit else ""
    rows = [(date_format(point.on), number(point.value) + suffix) for point in points]
    if target is not None:
        rows.append(
            (
                date_format(target_on) if target_on else "—",
                f"{target_label}: {number(target)}{suffix}",
            )
        )
    if not points:
        svg.text(0, 20, description, fill=MUTED)
        return Chart(svg.markup(), title, (date_header, value_header), tuple(rows))

    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * Decimal("0.08")
    low, high = low - pad, high + pad
    if min(values) >= 0 > low:
        low = Decimal(0)  # no negative hectares on the axis when every value is positive
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)

    def x_of(on: datetime.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (on - first).days / days

    def y_of(value: Decimal) -> float:
        return top + plot_h * float((high - Decimal(value)) / (high - low))

    # Axes and the two extreme values.
    svg.add(
        '<path d="M{} {}V{}H{}" fill="none" stroke="{}" stroke-width="1"/>',
        _n(left),
        _n(top),
        _n(top + plot_h),
        _n(left + plot_w),
        MUTED,
    )
    # The extreme values themselves (not the padded axis ends) label the axis.
    for value in {max(values), min(values)}:
        svg.text(
            left - 6,
            y_of(value) + 4,
            number(value),
            size=11,
            fill=MUTED,
            anchor="end",
        )
    for on, anchor in ((first, "start"), (last, "end")):
        svg.text(
            x_of(on),
            top + plot_h + 18,
            date_format(on, "SHORT_DATE_FORMAT"),
            size=11,
            fill=MUTED,
            anchor=anchor,
        )

    if target is not None:
        y = y_of(Decimal(target))
        svg.add(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"'
            ' stroke-dasharray="6 4" class="target" data-value="{}"/>',
            _n(left),
            _n(y),
            _n(left + plot_w),
            _n(y),
            TARGET,
            target,
        )
        label = f"{target_label}: {number(target)}{suffix}"
        label_y = y - 5 if y - 5 > top + 8 else y + 14
        svg.text(left + plot_w, label_y, label, size=11, fill=TARGET, anchor="end", weight="bold")

    if points:
        coordinates = " ".join(f"{_n(x_of(p.on))},{_n(y_of(p.value))}" for p in points)
        svg.add(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"'
            ' stroke-linejoin="round" class="measurements"/>',
            coordinates,
            LINE,
        )
        for point in points:
            svg.add(
                '<circle cx="{}" cy="{}" r="4" fill="{}" class="measurement" data-value="{}">'
                "<title>{}: {}{}</title></circle>",
                _n(x_of(point.on)),
                _n(y_of(point.value)),
                LINE,
                point.value,
                date_format(point.on),
                number(point.value),
                suffix,
            )
    return Chart(svg.markup(), title, (date_header, value_header), tuple(rows))


# --- a timeline of meetings and work-plan items ---------------------------------------------------


def _ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """Year ticks over long spans, month ticks (every 1, 3 or 6 months) over short ones."""
    span = (last - first).days
    if span > 3 * 366:
        return [
            (datetime.date(year, 1, 1), str(year))
            for year in range(first.year + (first.month > 1 or first.day > 1), last.year + 1)
        ]
    step = 1 if span <= 200 else 3 if span <= 550 else 6
    ticks = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        on = datetime.date(year, month, 1)
        if on > last:
            break
        if (month - 1) % step == 0:
            ticks.append((on, format_date(on, "M Y")))
    return ticks


def timeline_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    meetings: Sequence[Span],
    items: Sequence[Span],
    meetings_label: str,
    headers: tuple[str, str, str],
    today: datetime.date | None = None,
    today_label: str = "",
    width: int = 900,
) -> Chart:
    """Meetings as diamonds on one lane, work-plan items as bars from start to due date."""
    lane, top, axis = 30, 8, 26
    lanes = (1 if meetings else 0) + len(items)
    height = top + lane * max(lanes, 1) + axis
    svg = _Svg(chart_id, width, height, title, description)
    rows = [
        (
            meeting.label,
            date_format(meeting.starts_on or meeting.ends_on),
            date_format(meeting.ends_on),
        )
        for meeting in meetings
    ] + [
        (
            item.label,
            date_format(item.starts_on) if item.starts_on else "—",
            date_format(item.ends_on),
        )
        for item in items
    ]
    dates = [d for span in [*meetings, *items] for d in (span.starts_on, span.ends_on) if d]
    if not dates:
        svg.text(0, 20, description, fill=MUTED)
        return Chart(svg.markup(), title, headers, tuple(rows))
    first, last = min(dates), max(dates)
    if today and (first - datetime.timedelta(days=60)) <= today <= (
        last + datetime.timedelta(days=60)
    ):
        first, last = min(first, today), max(last, today)
    margin = datetime.timedelta(days=max((last - first).days // 40, 10))
    first, last = first - margin, last + margin
    days = (last - first).days
    left, right = 8, 8
    plot_w = width - left - right

    def x_of(on: datetime.date) -> float:
        return left + plot_w * (on - first).days / days

    bottom = top + lane * lanes
    for on, label in _ticks(first, last):
        x = x_of(on)
        svg.add(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            _n(x),
            top,
            _n(x),
            _n(bottom),
            GRID,
        )
        svg.text(x, bottom + 16, label, size=11, fill=MUTED, anchor="middle", css_class="tick")
    svg.add(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
        left,
        _n(bottom),
        _n(left + plot_w),
        _n(bottom),
        MUTED,
    )

    y = top
    if meetings:
        svg.text(left, y + 11, meetings_label, size=11, fill=MUTED, weight="bold")
        for meeting in meetings:
            x = x_of(meeting.starts_on or meeting.ends_on)
            cy = y + 20
            svg.add(
                '<path d="M{} {}l6 6-6 6-6-6z" fill="{}" class="meeting">'
                "<title>{} — {}</title></path>",
                _n(x),
                _n(cy - 6),
                meeting.fill,
                date_format(meeting.starts_on or meeting.ends_on),
                meeting.label,
            )
        y += lane
    for item in items:
        end_x = x_of(item.ends_on)
        start_x = x_of(item.starts_on) if item.starts_on else end_x
        bar_y = y + 15
        if item.starts_on and end_x - start_x >= 2:
            svg.add(
                '<rect x="{}" y="{}" width="{}" height="10" rx="2" fill="{}" class="item">'
                "<title>{} — {} – {}</title></rect>",
                _n(start_x),
                _n(bar_y),
                _n(end_x - start_x),
                item.fill,
                item.label,
                date_format(item.starts_on),
                date_format(item.ends_on),
            )
        else:
            svg.add(
                '<circle cx="{}" cy="{}" r="5" fill="{}" class="item">'
                "<title>{} — {}</title></circle>",
                _n(end_x),
                _n(bar_y + 5),
                item.fill,
                item.label,
                date_format(item.ends_on),
            )
        # The label goes after the bar, else before it, else above it from its start, shortened
        # to fit (about 6 px a letter at this size); the table and the tooltip carry it whole.
        needed = len(item.label) * 6 + 4
        room_left, room_right = start_x - 6 - left, width - right - (end_x + 8)
        if room_right >= needed or room_right >= room_left and room_right >= 120:
            svg.text(end_x + 8, bar_y + 9, _clip(item.label, int(room_right / 6)), size=11)
        elif room_left >= needed or room_left >= 120:
            label = _clip(item.label, int(room_left / 6))
            svg.text(start_x - 6, bar_y + 9, label, size=11, anchor="end")
        else:
            room_above = width - right - start_x
            svg.text(start_x, bar_y - 3, _clip(item.label, max(int(room_above / 6), 8)), size=11)
        y += lane
    if today and first <= today <= last:
        x = x_of(today)
        svg.add(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"'
            ' stroke-dasharray="3 3" class="today"/>',
            _n(x),
            top,
            _n(x),
            _n(bottom),
            TODAY,
        )
        svg.text(x + 3, top + 9, today_label, size=10, fill=TODAY)
    return Chart(svg.markup(), title, headers, tuple(rows))
