"""Open data: the public lists as CSV and JSON, for each public programme and for all of them.

Explicit public column lists, written by the same writers as the lists' exports
(collab.exports) from querysets that start at the models' `public()` methods. They name no
contact person, no attendance representative, no history, no archived or draft record: a link
to an archived meeting or agreement becomes an empty cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from collab.columns import AMOUNT, Column, ColumnSpec
from collab.exports import JoinedText, count_of
from partners.models import PartnerKind

from ..exports import (
    AGREEMENT_DATES,
    DESCRIPTION,
    ENDS_ON,
    MEETING_PEOPLE,
    PARTNER,
    PILLAR,
    SITE_REASONS,
    SITE_REGION_CODE,
    SITE_REGION_NAME,
    STARTS_ON,
    kind,
    programme,
    sdg_codes,
    signatory_text,
    status,
)
from ..models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)
from .sections import public_meeting_title


def _public_agreement_title() -> Case:
    """A commitment's agreement title when that agreement is public, else ""."""
    return Case(
        When(
            Q(agreement__archived_at__isnull=True) & ~Q(agreement__status=Agreement.Status.DRAFT),
            then=F("agreement__title"),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def _programs(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        open_goals=sdg_codes(Program.sdg_goals.through, "sdggoal", "number"),
        open_targets=sdg_codes(Program.sdg_targets.through, "sdgtarget", "order"),
        open_partners=count_of(ProgramPartner.objects.all(), "program"),
    )


def _meetings(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        open_organisations=count_of(Attendance.objects.all(), "meeting"),
        open_decisions=count_of(Decision.objects.all(), "meeting"),
    )


def _agreements(queryset: QuerySet) -> QuerySet:
    signatories = Signatory.objects.filter(agreement=OuterRef("pk")).order_by("order", "id")
    return queryset.annotate(
        open_signatories=JoinedText(signatories.values(part=signatory_text()), "; "),
        open_clauses=count_of(Clause.objects.all(), "agreement"),
        open_meeting=public_meeting_title(),
        open_has_scan=ExpressionWrapper(
            Q(scan_is_public=True) & ~Q(document=""), output_field=BooleanField()
        ),
        open_sha256=Case(
            When(Q(scan_is_public=True) & ~Q(document=""), then=F("document_sha256")),
            default=Value(""),
            output_field=CharField(),
        ),
    )


def _commitments(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        open_meeting=public_meeting_title(), open_agreement=_public_agreement_title()
    )


def _action_items(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(open_meeting=public_meeting_title())


def _program_link(key: str = "programme_url") -> Column:
    return Column(
        key,
        _("Programme page"),
        source="program__slug",
        link="public:program_detail",
        link_kwarg="slug",
    )


@dataclass(frozen=True)
class Dataset:
    """One open data list: its name in URLs, its title, its columns and its public rows."""

    name: str
    title: object
    spec: ColumnSpec
    rows: Callable[[], QuerySet]
    program_field: str = "program"


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "programmes",
        _("Programmes"),
        ColumnSpec(
            filename="program",
            columns=(
                Column("name", _("Name")),
                Column("slug", _("Short name (slug)")),
                status(Program.Status.choices),
                STARTS_ON,
                ENDS_ON,
                Column("sdg_goals", _("SDG goals"), source="open_goals"),
                Column("sdg_targets", _("SDG targets"), source="open_targets"),
                Column("partner_roles", _("Partner roles"), source="open_partners"),
                DESCRIPTION,
                Column(
                    "url",
                    _("Programme page"),
                    source="slug",
                    link="public:program_detail",
                    link_kwarg="slug",
                ),
            ),
            annotate=_programs,
        ),
        lambda: Program.objects.public().order_by("name", "id"),
        program_field="pk",
    ),
    Dataset(
        "partners",
        _("Partners and their roles"),
        ColumnSpec(
            filename="mitra",
            columns=(
                programme(),
                PARTNER,
                Column("acronym", _("Acronym"), source="partner__acronym"),
                PILLAR,
                Column("kind", _("Kind"), source="partner__kind", choices=PartnerKind.choices),
                Column("role", _("Role"), choices=ProgramPartner.Role.choices),
                Column("joined_on", _("Joined on")),
                Column(
                    "partner_url",
                    _("Partner page"),
                    source="partner_id",
                    link="public:partner_detail",
                ),
            ),
        ),
        lambda: ProgramPartner.objects.public().order_by("program__name", "partner__name", "id"),
    ),
    Dataset(
        "sites",
        _("Pilot sites"),
        ColumnSpec(
            filename="lokasi",
            columns=(
                Column("name", _("Name")),
                programme(),
                SITE_REGION_CODE,
                SITE_REGION_NAME,
                status(Site.Status.choices),
                *SITE_REASONS,
                _program_link(),
            ),
        ),
        lambda: Site.objects.public().order_by("program__name", "name", "id"),
    ),
    Dataset(
        "meetings",
        _("Meetings"),
        ColumnSpec(
            filename="rapat",
            columns=(
                Column("title", _("Title")),
                programme(),
                kind(Meeting.Kind.choices),
                STARTS_ON,
                ENDS_ON,
                Column("venue", _("Venue")),
                *MEETING_PEOPLE,
                Column("organisations", _("Attending organisations"), source="open_organisations"),
                Column("decisions", _("Number of decisions"), source="open_decisions"),
                Column("summary", _("Summary")),
                Column("url", _("Meeting page"), source="pk", link="public:meeting_detail"),
            ),
            annotate=_meetings,
        ),
        lambda: Meeting.objects.public().order_by("program__name", "starts_on", "id"),
    ),
    Dataset(
        "decisions",
        _("Decisions"),
        ColumnSpec(
            filename="keputusan",
            columns=(
                programme("meeting__program__name"),
                Column("meeting", _("Meeting"), source="meeting__title"),
                Column("meeting_date", _("Meeting date"), source="meeting__starts_on"),
                Column("number", _("Number")),
                Column("text", _("Decision")),
                Column(
                    "meeting_url",
                    _("Meeting page"),
                    source="meeting_id",
                    link="public:meeting_detail",
                ),
            ),
        ),
        lambda: Decision.objects.public().order_by("meeting__starts_on", "meeting_id", "number"),
        program_field="meeting__program",
    ),
    Dataset(
        "work-plan",
        _("Work plan"),
        ColumnSpec(
            filename="rencana-kerja",
            columns=(
                Column("title", _("Title")),
                programme(),
                Column("meeting", _("Meeting"), source="open_meeting"),
                Column("responsible", _("Responsible"), source="responsible__name"),
                STARTS_ON,
                Column("due_on", _("Due on")),
                status(ActionItem.Status.choices),
                DESCRIPTION,
                _program_link(),
            ),
            annotate=_action_items,
        ),
        lambda: ActionItem.objects.public().order_by("program__name", "order", "due_on", "id"),
    ),
    Dataset(
        "commitments",
        _("Commitments"),
        ColumnSpec(
            filename="komitmen",
            columns=(
                Column("title", _("Title")),
                programme(),
                PARTNER,
                PILLAR,
                kind(Commitment.Kind.choices),
                Column("amount", _("Amount (Rp)"), kind=AMOUNT),
                STARTS_ON,
                Column("due_on", _("Due on")),
                status(Commitment.Status.choices),
                Column("meeting", _("Meeting"), source="open_meeting"),
                Column("site", _("Site"), source="site__name"),
                Column("agreement", _("Agreement"), source="open_agreement"),
                DESCRIPTION,
                _program_link(),
            ),
            annotate=_commitments,
        ),
        lambda: Commitment.objects.public().order_by("program__name", "created_at", "id"),
    ),
    Dataset(
        "agreements",
        _("Agreements"),
        ColumnSpec(
            filename="perjanjian",
            columns=(
                Column("number", _("Number")),
                Column("title", _("Title")),
                kind(Agreement.Kind.choices),
                programme(),
                status(Agreement.Status.choices),
                *AGREEMENT_DATES,
                Column("signatories", _("Signatories"), source="open_signatories"),
                Column("clauses", _("Number of clauses"), source="open_clauses"),
                Column("meeting", _("Meeting"), source="open_meeting"),
                Column("has_scan", _("Signed scan published"), source="open_has_scan"),
                Column("scan_sha256", _("SHA-256 of the signed scan"), source="open_sha256"),
                Column("url", _("Agreement page"), source="pk", link="public:agreement_detail"),
            ),
            annotate=_agreements,
        ),
        lambda: Agreement.objects.public().order_by("program__name", "signed_on", "id"),
    ),
    Dataset(
        "indicators",
        _("Indicators"),
        ColumnSpec(
            filename="indikator",
            columns=(
                Column("name", _("Name")),
                programme(),
                Column("sdg_indicator", _("SDG indicator"), source="sdg_indicator__code"),
                Column("unit", _("Unit")),
                Column("direction", _("Direction"), choices=Indicator.Direction.choices),
                Column("baseline", _("Baseline"), source="baseline_value"),
                Column("baseline_on", _("Baseline date")),
                Column("target", _("Target"), source="target_value"),
                Column("target_on", _("Target date")),
                _program_link(),
            ),
        ),
        lambda: Indicator.objects.public().order_by("program__name", "name", "id"),
    ),
    Dataset(
        "measurements",
        _("Indicator measurements"),
        ColumnSpec(
            filename="pengukuran",
            columns=(
                Column("indicator", _("Indicator"), source="indicator__name"),
                programme("indicator__program__name"),
                Column("measured_on", _("Measured on")),
                Column("value", _("Value")),
                Column("unit", _("Unit"), source="indicator__unit"),
            ),
        ),
        lambda: Measurement.objects.public().order_by(
            "indicator__program__name", "indicator__name", "measured_on", "id"
        ),
        program_field="indicator__program",
    ),
)
DATASET_BY_NAME = {dataset.name: dataset for dataset in DATASETS}
