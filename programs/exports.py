"""What each programme list shows and exports (`?export=`): one column spec per list
(collab.columns), the page's cells and the annotations the export reads.

A column with a `cell` is in the page's table; a column is exported unless `exported=False`.
The writers are in collab.exports, the table in templates/collab/list.html. Values the export
reads across relations are joins or correlated subqueries (constant queries per chunk, never
one per row); the page's cells read the list's own queryset (its select_related and counts).
"""

from __future__ import annotations

from typing import Any

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

from collab.columns import (
    AMOUNT,
    Column,
    ColumnSpec,
    StrOrPromise,
    badge,
    day,
    label,
    link,
    note,
    text,
)
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

# Cells every list shows alike.
PROGRAMME = link("program.name", to="program")
NOWRAP = "text-nowrap"
END = "text-end"


# --- columns the lists' exports and the open data (programs.public.opendata) declare alike -------
# One field's column, declared once; a list adds its page cell (`cell=`, `heading=`, `css=`).


def programme(source: str = "program__name", **page: Any) -> Column:
    """The programme's name (`source`: its path from the list's model)."""
    return Column("programme", _("Programme"), source=source, **page)


def status(choices: Any, **page: Any) -> Column:
    return Column("status", _("Status"), choices=choices, **page)


def kind(choices: Any, **page: Any) -> Column:
    return Column("kind", _("Kind"), choices=choices, **page)


STARTS_ON = Column("starts_on", _("Starts on"))
ENDS_ON = Column("ends_on", _("Ends on"))
DESCRIPTION = Column("description", _("Description"))
PARTNER = Column("partner", _("Partner"), source="partner__name")
PILLAR = Column("pillar", _("Pillar"), source="partner__pillar", choices=Pillar.choices)
AGREEMENT_DATES = (
    Column("signed_on", _("Signed on")),
    Column("signed_at", _("Signed at")),
    Column("effective_from", _("Effective from")),
    Column("expires_on", _("Expires on")),
)
MEETING_PEOPLE = (
    Column("chair", _("Chair")),
    Column("moderator", _("Moderator")),
    Column("participants", _("Number of participants"), source="participant_count"),
)
SITE_REGION_CODE = Column("region_code", _("Region code"), source="region__code")
SITE_REGION_NAME = Column("region", _("Region"), source="region__name")
SITE_REASONS = (
    Column("rationale", _("Why this site")),
    Column("priority_issues", _("Priority issues")),
)


def counted(
    key: str, label: StrOrPromise, source: str, count: str, heading: StrOrPromise = ""
) -> Column:
    """A number of related rows: exported from the spec's annotation `source`, shown on the page
    from the list queryset's own count `count`, right-aligned."""
    return Column(key, label, source=source, heading=heading, cell=text(count, None), css=END)


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
        Column("signed_on", _("Signed on"), exported=False, cell=day("signed_on"), css=NOWRAP),
        Column("number", _("Number"), cell=text("number"), css="text-break"),
        Column("title", _("Title"), cell=link("title") + note("signed_at")),
        kind(Agreement.Kind.choices, cell=label("kind")),
        programme(cell=PROGRAMME),
        status(Agreement.Status.choices, cell=badge("status")),
        *AGREEMENT_DATES,
        counted("signatories", _("Signatories"), "export_signatories", "signatory_count"),
        counted("clauses", _("Number of clauses"), "export_clauses", "clause_count", _("Clauses")),
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
        Column("partner", _("Partner"), exported=False, cell=text("partner", None)),
        Column(
            "title",
            _("Title"),
            heading=_("Commitment"),
            cell=link("title") + note("site.name", test="site"),
        ),
        programme(cell=PROGRAMME),
        PARTNER,
        PILLAR,
        kind(Commitment.Kind.choices, cell=label("kind")),
        Column(
            "amount",
            _("Amount (Rp)"),
            kind=AMOUNT,
            heading=_("Amount"),
            cell="{{ row.amount|rupiah }}",
            css=f"{END} {NOWRAP}",
        ),
        STARTS_ON,
        Column("due_on", _("Due on"), heading=_("Due"), cell=day("due_on"), css=NOWRAP),
        status(Commitment.Status.choices, cell=badge("status")),
        Column("meeting", _("Meeting"), source="meeting__title"),
        Column("site", _("Site"), source="site__name"),
        Column("agreement", _("Agreement"), source="agreement__title"),
        DESCRIPTION,
        Column("url", _("Record URL"), source="pk", link="programs:commitment_detail"),
    ),
)

# --- meetings ------------------------------------------------------------------------------------


def annotate_meetings(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        export_attendances=count_of(Attendance.objects.all(), "meeting"),
        export_decisions=count_of(Decision.objects.all(), "meeting"),
    )


MEETING_DATES = (
    "{{ row.starts_on|date }}{% if row.ends_on and row.ends_on != row.starts_on %}"
    '<div class="small text-muted">– {{ row.ends_on|date }}</div>{% endif %}'
)

MEETING_COLUMNS = ColumnSpec(
    filename="rapat",
    columns=(
        Column("date", _("Date"), exported=False, cell=MEETING_DATES, css=NOWRAP),
        Column("title", _("Title"), heading=_("Meeting"), cell=link("title")),
        programme(cell=PROGRAMME),
        kind(Meeting.Kind.choices, cell=label("kind")),
        STARTS_ON,
        ENDS_ON,
        Column("venue", _("Venue"), cell=text("venue")),
        *MEETING_PEOPLE,
        counted(
            "organisations",
            _("Attending organisations"),
            "export_attendances",
            "attendance_count",
            _("Organisations"),
        ),
        counted(
            "decisions",
            _("Number of decisions"),
            "export_decisions",
            "decision_count",
            _("Decisions"),
        ),
        Column("summary", _("Summary")),
        Column("url", _("Record URL"), source="pk", link="programs:meeting_detail"),
    ),
    annotate=annotate_meetings,
)

# --- work plan (action items) --------------------------------------------------------------------

ACTION_ITEM_COLUMNS = ColumnSpec(
    filename="rencana-kerja",
    columns=(
        Column(
            "title",
            _("Title"),
            heading=_("Activity"),
            cell=text("title", None)
            + '{% if row.meeting %}<div class="small">'
            + link("meeting.title", to="meeting")
            + "</div>{% endif %}",
        ),
        programme(cell=link("program.name", to="program", anchor="work-plan")),
        Column("meeting", _("Meeting"), source="meeting__title"),
        Column(
            "responsible", _("Responsible"), source="responsible__name", cell=text("responsible")
        ),
        Column("starts_on", _("Starts on"), heading=_("Start"), cell=day("starts_on"), css=NOWRAP),
        Column("due_on", _("Due on"), heading=_("Due"), cell=day("due_on"), css=NOWRAP),
        status(ActionItem.Status.choices, cell=badge("status")),
        DESCRIPTION,
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

SITE_REGION = (
    '{{ row.region.name }} <span class="small text-muted">{{ row.region.code }}'
    "{% if row.region.parent %} · {{ row.region.parent.name }}{% endif %}</span>"
)

SITE_COLUMNS = ColumnSpec(
    filename="lokasi",
    columns=(
        Column("name", _("Name"), heading=_("Site"), cell=link("name")),
        Column("region", _("Region"), exported=False, cell=SITE_REGION),
        programme(cell=PROGRAMME),
        SITE_REGION_CODE,
        SITE_REGION_NAME,
        status(Site.Status.choices, cell=badge("status")),
        *SITE_REASONS,
        Column("url", _("Record URL"), source="pk", link="programs:site_detail"),
    ),
)

# --- programmes ----------------------------------------------------------------------------------


def sdg_codes(through: Any, entry: str, order: str) -> JoinedText:
    """The codes of a programme's SDG goals or targets (`through`: the relation's table, `entry`
    its goal or target), "3, 11, 17" in the official order."""
    codes = (
        through.objects.filter(program_id=OuterRef("pk"))
        .order_by(f"{entry}__{order}")
        .values(f"{entry}__code")
    )
    return JoinedText(codes, ", ")


def annotate_programs(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        export_goals=sdg_codes(Program.sdg_goals.through, "sdggoal", "number"),
        export_partners=count_of(ProgramPartner.objects.all(), "program"),
    )


PROGRAM_GOALS = (
    "{% for goal in row.sdg_goals.all %}"
    '<span class="badge text-bg-light border" title="{{ goal.short_title }}">{{ goal.code }}</span>'
    " {% endfor %}"
)

PROGRAM_COLUMNS = ColumnSpec(
    filename="program",
    columns=(
        Column("name", _("Name"), heading=_("Programme"), cell=link("name")),
        Column("slug", _("Short name (slug)")),
        status(Program.Status.choices, cell=badge("status")),
        Column(
            "starts_on",
            _("Starts on"),
            heading=_("Period"),
            cell=day("starts_on") + " – " + day("ends_on", default="…"),
            css=NOWRAP,
        ),
        ENDS_ON,
        Column("sdg_goals", _("SDG goals"), source="export_goals", cell=PROGRAM_GOALS),
        Column("partner_roles", _("Partner roles"), source="export_partners"),
        Column("cadence", _("Meeting every (months)"), source="meeting_cadence_months"),
        DESCRIPTION,
        Column(
            "url", _("Record URL"), source="slug", link="programs:program_detail", link_kwarg="slug"
        ),
    ),
    annotate=annotate_programs,
)
