"""What each public page shows, read only through the models' `public()` methods.

Each section is bounded (`LIMIT` rows, one more fetched to know there are more): the open data
files carry every row.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from partners.models import Partner, Pillar

from .. import followup
from ..models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    Decision,
    Indicator,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)

# Rows per section of a page (the private programme page shows 10): enough to read, few enough
# that the page of a national programme renders as fast as a small one's.
LIMIT = 25
PARTNER_LIMIT = 100
# What a public page may read of a partner: never its e-mail, phone, address or contacts.
PARTNER_FIELDS = ("id", "name", "acronym", "pillar", "kind")


def with_partner(rows: models.QuerySet, *fields: str) -> models.QuerySet:
    """`rows` with their partner, reading only their `fields` and the partner's PARTNER_FIELDS."""
    return rows.select_related("partner").only(*fields, *(f"partner__{f}" for f in PARTNER_FIELDS))


def bounded(queryset: models.QuerySet, limit: int = LIMIT) -> dict[str, Any]:
    rows = list(queryset[: limit + 1])
    return {"rows": rows[:limit], "more": len(rows) > limit}


def public_meeting_title() -> models.Case:
    """The title of a record's meeting when that meeting is public (not archived), else ""."""
    return models.Case(
        models.When(meeting__archived_at__isnull=True, then=models.F("meeting__title")),
        default=models.Value(""),
        output_field=models.CharField(),
    )


def program_sections(program: Program) -> dict[str, Any]:
    """The public programme page: partners by pillar, sites, meetings, work plan, commitments,
    agreements and indicators."""
    memberships = list(
        with_partner(
            ProgramPartner.objects.public().filter(program=program),
            *("id", "role", "joined_on", "program_id"),
        ).order_by("partner__name", "role", "id")[: PARTNER_LIMIT + 1]
    )
    more_partners = len(memberships) > PARTNER_LIMIT
    memberships = memberships[:PARTNER_LIMIT]
    pillars = [
        {
            "value": value,
            "label": label,
            "memberships": [m for m in memberships if m.partner.pillar == value],
        }
        for value, label in Pillar.choices
    ]
    indicators = bounded(
        Indicator.objects.public()
        .filter(program=program)
        .select_related("sdg_indicator")
        .order_by("name")
    )
    return {
        "pillars": pillars,
        "more_partners": more_partners,
        "sites": bounded(
            Site.objects.public()
            .filter(program=program)
            .select_related("region__parent")
            .order_by("name")
        ),
        "meetings": bounded(
            Meeting.objects.public().filter(program=program).order_by("starts_on", "id")
        ),
        "action_items": bounded(
            ActionItem.objects.public()
            .filter(program=program)
            .select_related("responsible")
            .only(
                "id",
                "title",
                "starts_on",
                "due_on",
                "status",
                "order",
                "program_id",
                "responsible__id",
                "responsible__name",
                "responsible__acronym",
            )
            .order_by("order", "due_on", "id")
        ),
        "commitments": bounded(
            Commitment.objects.public()
            .filter(program=program)
            .select_related("partner")
            .only(
                "id",
                "title",
                "kind",
                "amount",
                "status",
                "starts_on",
                "due_on",
                "program_id",
                "partner__id",
                "partner__name",
                "partner__acronym",
            )
            .order_by("-created_at", "-id")
        ),
        "agreements": bounded(
            Agreement.objects.public().filter(program=program).order_by("-signed_on", "-id")
        ),
        "indicators": indicators,
        "indicator_results": followup.indicator_results(
            indicators["rows"], id_prefix="indicator", compact=True
        ),
    }


def meeting_sections(meeting: Meeting) -> dict[str, Any]:
    """The public meeting page: decisions and attending organisations (never representatives)."""
    return {
        "decisions": list(Decision.objects.public().filter(meeting=meeting).order_by("number")),
        "organisations": [
            attendance.partner
            for attendance in with_partner(
                Attendance.objects.public().filter(meeting=meeting), "id", "meeting_id"
            ).order_by("partner__name")
        ],
        "agreements": list(
            Agreement.objects.public().filter(meeting=meeting).order_by("-signed_on", "-id")
        ),
    }


def agreement_sections(agreement: Agreement) -> dict[str, Any]:
    """The public agreement page: signatories and every clause in reading order."""
    return {
        "signatories": list(
            with_partner(
                Signatory.objects.public().filter(agreement=agreement),
                *("id", "agreement_id", "signer_name", "signer_position", "signed_on", "order"),
            ).order_by("order", "id")
        ),
        "clauses": list(Clause.objects.public().filter(agreement=agreement).order_by("order")),
    }


def partner_sections(partner: Partner) -> dict[str, Any]:
    """The public partner page: its roles in public programmes and its public commitments."""
    return {
        "memberships": bounded(
            ProgramPartner.objects.public()
            .filter(partner=partner)
            .select_related("program")
            .only("id", "role", "partner_id", "program__id", "program__name", "program__slug")
            .order_by("program__name", "role")
        ),
        "commitments": bounded(
            Commitment.objects.public()
            .filter(partner=partner)
            .select_related("program")
            .only(
                "id",
                "title",
                "kind",
                "amount",
                "status",
                "due_on",
                "partner_id",
                "program__id",
                "program__name",
                "program__slug",
            )
            .order_by("-created_at", "-id")
        ),
    }
