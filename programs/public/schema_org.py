"""schema.org descriptions of public records, as Python data (collab.jsonld serialises them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from partners.models import Partner

from ..models import Meeting, Program

Url = Callable[[str, Any], str]


def organization(partner: Partner, url: str, *, full: bool = True) -> dict[str, Any]:
    """A partner as a schema.org Organization; `full=False` names it only (name, acronym,
    page), from the fields a list reads."""
    data = {
        "@type": "Organization",
        "@id": url,
        "url": url,
        "name": partner.name,
        "alternateName": partner.acronym,
    }
    if full:
        data.update(description=partner.description, sameAs=partner.website or None)
    return data


def event(
    meeting: Meeting,
    *,
    url: str,
    program: Program,
    program_url: str,
    organisations: Iterable[tuple[Partner, str]],
) -> dict[str, Any]:
    """A meeting as a schema.org Event: where, when, what it decided is in its description."""
    return {
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": meeting.title,
        "startDate": meeting.starts_on,
        "endDate": meeting.ends_on or meeting.starts_on,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {"@type": "Place", "name": meeting.venue} if meeting.venue else None,
        "description": meeting.summary,
        "superEvent": None,
        "organizer": {"@type": "Organization", "name": program.name, "url": program_url},
        "attendee": [
            {"@type": "Organization", "name": partner.name, "url": partner_url}
            for partner, partner_url in organisations
        ],
    }
