"""A small iCalendar (RFC 5545) writer for subscribed calendar feeds.

Written by hand rather than with a library: the feed needs only all-day events, and the format's
rules are few — CRLF line ends, text escaping, and lines folded at 75 octets without splitting a
UTF-8 character (Indonesian titles are long, and partner names may carry any character).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
LINE_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    """An all-day event; `ends_on` is its last day (inclusive), as the records store it."""

    uid: str
    summary: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    stamp: datetime.datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    categories: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets (RFC 5545 §3.1).

    Continuation lines start with a space, which counts towards their 75 octets; a multi-byte
    character is never cut in two.
    """
    pieces: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    *,
    name: str,
    events: Iterable[CalendarEvent],
    now: datetime.datetime,
    product: str = "-//Collab Registry//Collab Registry//ID",
) -> str:
    """The whole VCALENDAR text, CRLF line ends included."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # Calendar apps poll a subscription; twice a day is plenty for meetings and due dates.
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    for event in events:
        last_day = event.ends_on if event.ends_on and event.ends_on >= event.starts_on else None
        # DTEND of an all-day event is exclusive: the day after the last day.
        ends = (last_day or event.starts_on) + datetime.timedelta(days=1)
        stamp = _utc(event.stamp or now)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(event.starts_on)}",
            f"DTEND;VALUE=DATE:{_date(ends)}",
            f"SUMMARY:{escape_text(event.summary)}",
            "TRANSP:TRANSPARENT",  # a due date does not make anybody busy
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.categories:
            lines.append(f"CATEGORIES:{escape_text(event.categories)}")
        if event.cancelled:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
