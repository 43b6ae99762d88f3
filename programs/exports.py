"""What each programme list exports (`?export=`): columns and the annotations they read.

The writers are in collab.exports. Values across relations are joins or correlated subqueries
(constant queries per chunk, never one per row).
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from collab.columns import AMOUNT, Column, ColumnSpec
from collab.exports import JoinedText, count_of
from partners.models import Partner, Pillar

from .models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    Decision,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)

# --- agreements ----------------------------------------------------------------------------------


def signatory_text() -> Concat:
    """The cell text of one signatory: organisation — name (position), leaving out what was
    not recorded."""
    # A scalar subquery rather than a join: PostgreSQL then always looks the partner up by its
    # primary key, where a join let it hash the whole partner table once per agreement.
    partner_name = Subquery(
        Partner.objects.filter(pk=OuterRef("partner_id")).order_by().values("name")
    )
    organisation = Case(
        When(partner__isnull=True, then=Value("")),
        default=Concat(partner_name, Value(" — ")),
    )
    position = Case(
        When(signer_position="", then=Value("")),
        default=Concat(Value(" ("), F("signer_position"), Value(")")),
    )
    return Concat(organisation, F("signer_name"), position)


def annotate_agreements(queryset: QuerySet) -> QuerySet:
    signatories = Signatory.objects.filter(agreement=OuterRef("pk")).order_by("order", "id")
    return queryset.annotate(
        export_signatories=JoinedText(signatories.values(part=signatory_text()), "; "),
        export_clauses=count_of(Clause.objects.all(), "agreement"),
        export_commitments=count_of(Commitment.objects.all(), "agreement"),
        export_has_scan=ExpressionWrapper(~Q(document=""), output_field=BooleanField()),
    )


AGREEMENT_COLUMNS = ColumnSpec(
    filename="perjanjian",
    columns=(
        Column("number", _("Number")),
        Column("title", _("Title")),
        Column("kind", _("Kind"), choices=Agreement.Kind.choices),
        Column("programme", _("Programme"), source="program__name"),
        Column("status", _("Status"), choices=Agreement.Status.choices),
        Column("signed_on", _("Signed on")),
        Column("signed_at", _("Signed at")),
        Column("effective_from", _("Effective from")),
        Column("expires_on", _("Expires on")),
        Column("signatories", _("Signatories"), source="export_signatories"),
        Column("clauses", _("Number of clauses"), source="export_clauses"),
        Column("meeting", _("Meeting"), source="meeting__title"),
        Column("commitments", _("Number of linked commitments"), source="export_commitments"),
        Column("has_scan", _("Signed scan attached"), source="export_has_scan"),
        Column("scan_sha256", _("SHA-256 of the signed scan"), source="document_sha256"),
        Column("url", _("Record URL"), source="pk", link="programs:agreement_detail"),
    ),
    annotate=annotate_agreements,
)

# --- commitments ---------------------------------------------------------------------------------

COMMITMENT_COLUMNS = ColumnSpec(
    filename="komitmen",
    columns=(
        Column("title", _("Title")),
        Column("programme", _("Programme"), source="program__name"),
        Column("partner", _("Partner"), source="partner__name"),
        Column("pillar", _("Pillar"), source="partner__pillar", choices=Pillar.choices),
        Column("kind", _("Kind"), choices=Commitment.Kind.choices),
        Column("amount", _("Amount (Rp)"), kind=AMOUNT),
        Column("starts_on", _("Starts on")),
        Column("due_on", _("Due on")),
        Column("status", _("Status"), choices=Commitment.Status.choices),
        Column("meeting", _("Meeting"), source="meeting__title"),
        Column("site", _("Site"), source="site__name"),
        Column("agreement", _("Agreement"), source="agreement__title"),
        Column("description", _("Description")),
        Column("url", _("Record URL"), source="pk", link="programs:commitment_detail"),
    ),
)

# --- meetings ------------------------------------------------------------------------------------


def annotate_meetings(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        export_attendances=count_of(Attendance.objects.all(), "meeting"),
        export_decisions=count_of(Decision.objects.all(), "meeting"),
    )


MEETING_COLUMNS = ColumnSpec(
    filename="rapat",
    columns=(
        Column("title", _("Title")),
        Column("programme", _("Programme"), source="program__name"),
        Column("kind", _("Kind"), choices=Meeting.Kind.choices),
        Column("starts_on", _("Starts on")),
        Column("ends_on", _("Ends on")),
        Column("venue", _("Venue")),
        Column("chair", _("Chair")),
        Column("moderator", _("Moderator")),
        Column("participants", _("Number of participants"), source="participant_count"),
        Column("organisations", _("Attending organisations"), source="export_attendances"),
        Column("decisions", _("Number of decisions"), source="export_decisions"),
        Column("summary", _("Summary")),
        Column("url", _("Record URL"), source="pk", link="programs:meeting_detail"),
    ),
    annotate=annotate_meetings,
)

# --- work plan (action items) --------------------------------------------------------------------

ACTION_ITEM_COLUMNS = ColumnSpec(
    filename="rencana-kerja",
    columns=(
        Column("title", _("Title")),
        Column("programme", _("Programme"), source="program__name"),
        Column("meeting", _("Meeting"), source="meeting__title"),
        Column("responsible", _("Responsible"), source="responsible__name"),
        Column("starts_on", _("Starts on")),
        Column("due_on", _("Due on")),
        Column("status", _("Status"), choices=ActionItem.Status.choices),
        Column("description", _("Description")),
        # Action items have no page of their own: the programme's page shows the work plan.
        Column(
            "programme_url",
            _("Programme URL"),
            source="program__slug",
            link="programs:program_detail",
            link_kwarg="slug",
        ),
    ),
)

# --- sites ---------------------------------------------------------------------------------------

SITE_COLUMNS = ColumnSpec(
    filename="lokasi",
    columns=(
        Column("name", _("Name")),
        Column("programme", _("Programme"), source="program__name"),
        Column("region_code", _("Region code"), source="region__code"),
        Column("region", _("Region"), source="region__name"),
        Column("status", _("Status"), choices=Site.Status.choices),
        Column("rationale", _("Why this site")),
        Column("priority_issues", _("Priority issues")),
        Column("url", _("Record URL"), source="pk", link="programs:site_detail"),
    ),
)

# --- programmes ----------------------------------------------------------------------------------


def annotate_programs(queryset: QuerySet) -> QuerySet:
    goals = (
        Program.sdg_goals.through.objects.filter(program_id=OuterRef("pk"))
        .order_by("sdggoal__number")
        .values("sdggoal__code")
    )
    return queryset.annotate(
        export_goals=JoinedText(goals, ", "),
        export_partners=count_of(ProgramPartner.objects.all(), "program"),
    )


PROGRAM_COLUMNS = ColumnSpec(
    filename="program",
    columns=(
        Column("name", _("Name")),
        Column("slug", _("Short name (slug)")),
        Column("status", _("Status"), choices=Program.Status.choices),
        Column("starts_on", _("Starts on")),
        Column("ends_on", _("Ends on")),
        Column("sdg_goals", _("SDG goals"), source="export_goals"),
        Column("partner_roles", _("Partner roles"), source="export_partners"),
        Column("cadence", _("Meeting every (months)"), source="meeting_cadence_months"),
        Column("description", _("Description")),
        Column(
            "url", _("Record URL"), source="slug", link="programs:program_detail", link_kwarg="slug"
        ),
    ),
    annotate=annotate_programs,
)
