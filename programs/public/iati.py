"""IATI 2.03 activity files of the public programmes: built, validated, and only then served.

One `iati-activity` per programme, its elements built by one function each (in the schema's
order, listed in `ELEMENTS`), each returning the elements to add (none: the element is left out;
an unknown value is omitted, never written as an invented 0). The file is validated twice: against
the official XSD (`iati_schema/`, lxml) and every coded value against its code list, which the
XSD does not check. A file with any error is not served: `IatiInvalid` names the programme and
the rule instead. The mapping of roles, kinds, pillars and statuses to codes is one table,
`iati_schema/mapping.toml` (docs/iati.md).

Every read starts at the models' `public()` methods, in a constant number of queries whatever
the number of programmes.
"""

from __future__ import annotations

import datetime
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from collab.models import SdgGoal, SdgTarget

from ..models import (
    Agreement,
    Commitment,
    Indicator,
    Measurement,
    Meeting,
    Program,
    ProgramPartner,
    Site,
)

SCHEMA_DIR = Path(__file__).with_name("iati_schema")
VERSION = "2.03"
LANGUAGE = "id"  # the narratives' language: the registry's records are written in Indonesian
COUNTRY = "ID"  # ISO 3166-1 alpha-2: every programme is in Indonesia
CURRENCY = "IDR"  # ISO 4217: amounts are in rupiah
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ALLOWED_COUNTRIES = frozenset({COUNTRY})
ALLOWED_CURRENCIES = frozenset({CURRENCY})


class IatiInvalid(Exception):
    """The file failed validation; `errors` are (record, rule) pairs for the page."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{record}: {rule}" for record, rule in errors))
        self.errors = list(errors)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


@cache
def codes(name: str) -> frozenset[str]:
    """The codes of one code list in `iati_schema/codelists/`."""
    tree = etree.parse(str(SCHEMA_DIR / "codelists" / f"{name}.xml"))
    return frozenset(code.strip() for code in tree.xpath("//codelist-item/code/text()"))


@cache
def mapping() -> dict[str, dict[str, str]]:
    with (SCHEMA_DIR / "mapping.toml").open("rb") as handle:
        return tomllib.load(handle)


def organisation_type(kind: str, pillar: str) -> str:
    """The IATI OrganisationType of a partner, from its kind and pillar (mapping.toml)."""
    table = mapping()
    return table["kind_pillar"].get(f"{kind}.{pillar}") or table["kind"][kind]


# --- the data of the activities, read in a constant number of queries --------------------------


@dataclass
class ActivityData:
    program: Program
    memberships: list[ProgramPartner] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    first_meeting: datetime.date | None = None
    commitments: list[Commitment] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    measurements: dict[int, list[Measurement]] = field(default_factory=dict)


def activity_data(programs: Sequence[Program]) -> list[ActivityData]:
    """The public records of `programs` (already from Program.objects.public()), grouped."""
    data = {program.pk: ActivityData(program) for program in programs}
    ids = list(data)
    for membership in (
        ProgramPartner.objects.public()
        .filter(program_id__in=ids)
        .select_related("partner")
        .order_by("program_id", "role", "partner__name", "id")
    ):
        data[membership.program_id].memberships.append(membership)
    for site in (
        Site.objects.public()
        .filter(program_id__in=ids)
        .select_related("region")
        .order_by("program_id", "name", "id")
    ):
        data[site.program_id].sites.append(site)
    for row in (
        Meeting.objects.public()
        .filter(program_id__in=ids)
        .order_by()
        .values("program_id")
        .annotate(first=Min("starts_on"))
    ):
        data[row["program_id"]].first_meeting = row["first"]
    public_meetings = Meeting.objects.public().filter(program_id__in=ids)
    for commitment in (
        Commitment.objects.public()
        .filter(
            program_id__in=ids,
            kind=Commitment.Kind.FUNDING,
            amount__isnull=False,
            status__in=list(mapping()["transaction"]),
        )
        .select_related("partner")
        .order_by("program_id", "created_at", "id")
    ):
        data[commitment.program_id].commitments.append(commitment)
    meeting_dates = dict(
        public_meetings.filter(
            pk__in=[c.meeting_id for d in data.values() for c in d.commitments if c.meeting_id]
        ).values_list("pk", "starts_on")
    )
    for values in data.values():
        for commitment in values.commitments:
            commitment.iati_date = meeting_dates.get(commitment.meeting_id) or timezone.localdate(
                commitment.created_at
            )
    for agreement in (
        Agreement.objects.public()
        .filter(program_id__in=ids, scan_is_public=True)
        .exclude(document="")
        .order_by("program_id", "signed_on", "id")
    ):
        data[agreement.program_id].agreements.append(agreement)
    indicators = list(
        Indicator.objects.public()
        .filter(program_id__in=ids)
        .select_related("sdg_indicator")
        .order_by("program_id", "name", "id")
    )
    for indicator in indicators:
        data[indicator.program_id].indicators.append(indicator)
    series: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in (
        Measurement.objects.public()
        .filter(indicator__in=[indicator.pk for indicator in indicators])
        .order_by("indicator_id", "measured_on")
    ):
        series[measurement.indicator_id].append(measurement)
    for values in data.values():
        values.measurements = {i.pk: series.get(i.pk, []) for i in values.indicators}
    return [data[program.pk] for program in programs]


# --- the elements ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text XML can hold: control characters other than tab and newlines dropped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32).strip()


def _el(tag: str, attrs: dict[str, Any] | None = None, *children: etree._Element) -> Any:
    element = etree.Element(tag, {k: str(v) for k, v in (attrs or {}).items() if v is not None})
    element.extend(children)
    return element


def _narrative(text: str, lang: str | None = None) -> Any:
    element = etree.Element("narrative", {XML_LANG: lang} if lang else {})
    element.text = _clean(text)
    return element


def _number(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


@dataclass(frozen=True)
class Context:
    org_id: str
    org_name: str
    org_type: str
    absolute: Callable[..., str]  # (URL name, *args) -> absolute URL


def identifier(data: ActivityData, ctx: Context) -> list:
    element = _el("iati-identifier")
    element.text = f"{ctx.org_id}-{data.program.slug}"
    return [element]


def reporting_org(data: ActivityData, ctx: Context) -> list:
    return [
        _el("reporting-org", {"ref": ctx.org_id, "type": ctx.org_type}, _narrative(ctx.org_name))
    ]


def title(data: ActivityData, ctx: Context) -> list:
    return [_el("title", None, _narrative(data.program.name))]


def description(data: ActivityData, ctx: Context) -> list:
    if not data.program.description.strip():
        return []  # the schema requires one: validation names the programme
    return [_el("description", {"type": "1"}, _narrative(data.program.description))]


def participating_orgs(data: ActivityData, ctx: Context) -> list:
    roles = mapping()["role"]
    elements = []
    for membership in data.memberships:
        role = roles.get(membership.role)
        if role is None:
            continue  # observers take no part in the activity
        partner = membership.partner
        elements.append(
            _el(
                "participating-org",
                {"role": role, "type": organisation_type(partner.kind, partner.pillar)},
                _narrative(partner.name),
            )
        )
    return elements


def activity_status(data: ActivityData, ctx: Context) -> list:
    return [_el("activity-status", {"code": mapping()["status"][data.program.status]})]


def activity_dates(data: ActivityData, ctx: Context) -> list:
    program = data.program
    started = program.status != Program.Status.PLANNED
    elements = []
    if program.starts_on:
        kind = "2" if started else "1"
        elements.append(_el("activity-date", {"type": kind, "iso-date": program.starts_on}))
    elif started and data.first_meeting:
        # No start date recorded: the first public meeting is when the activity was under way.
        elements.append(
            _el(
                "activity-date",
                {"type": "2", "iso-date": data.first_meeting},
                _narrative(_("Date of the first recorded meeting")),
            )
        )
    if program.ends_on:
        kind = "4" if program.status == Program.Status.COMPLETED else "3"
        elements.append(_el("activity-date", {"type": kind, "iso-date": program.ends_on}))
    return elements


def recipient_country(data: ActivityData, ctx: Context) -> list:
    return [_el("recipient-country", {"code": COUNTRY, "percentage": "100"})]


def locations(data: ActivityData, ctx: Context) -> list:
    elements = []
    for site in data.sites:
        region = site.region
        # No IATI geographic vocabulary covers Kemendagri codes: the code is the location's ref.
        elements.append(
            _el(
                "location",
                {"ref": region.code},
                _el("location-reach", {"code": "1"}),
                _el("name", None, _narrative(site.name)),
                _el("description", None, _narrative(f"{region.name} ({region.code})")),
                _el("exactness", {"code": "2"}),
                _el("location-class", {"code": "1"}),
            )
        )
    return elements


def tags(data: ActivityData, ctx: Context) -> list:
    program = data.program
    elements = [
        _el("tag", {"vocabulary": "2", "code": goal.code}, _narrative(goal.title_en, "en"))
        for goal in program.sdg_goals.all()
    ]
    elements += [
        _el("tag", {"vocabulary": "3", "code": target.code}, _narrative(target.title_en, "en"))
        for target in program.sdg_targets.all()
    ]
    return elements


def transactions(data: ActivityData, ctx: Context) -> list:
    types = mapping()["transaction"]
    elements = []
    for commitment in data.commitments:
        partner = commitment.partner
        value = _el("value", {"currency": CURRENCY, "value-date": commitment.iati_date})
        value.text = _number(commitment.amount)
        elements.append(
            _el(
                "transaction",
                None,
                _el("transaction-type", {"code": types[commitment.status]}),
                _el("transaction-date", {"iso-date": commitment.iati_date}),
                value,
                _el("description", None, _narrative(commitment.title)),
                _el(
                    "provider-org",
                    {"type": organisation_type(partner.kind, partner.pillar)},
                    _narrative(partner.name),
                ),
            )
        )
    return elements


def document_links(data: ActivityData, ctx: Context) -> list:
    elements = []
    for agreement in data.agreements:
        children = [
            _el("title", None, _narrative(agreement.title)),
            _el("category", {"code": "A09"}),
            _el("language", {"code": LANGUAGE}),
        ]
        if agreement.signed_on:
            children.append(_el("document-date", {"iso-date": agreement.signed_on}))
        elements.append(
            _el(
                "document-link",
                {
                    "url": ctx.absolute("public:agreement_document", agreement.pk),
                    "format": "application/pdf",
                },
                *children,
            )
        )
    return elements


def results(data: ActivityData, ctx: Context) -> list:
    elements = []
    for indicator in data.indicators:
        name = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
        children: list = [_el("title", None, _narrative(name))]
        if indicator.sdg_indicator_id:
            children.append(
                _el("reference", {"vocabulary": "9", "code": indicator.sdg_indicator.code})
            )
        if indicator.baseline_value is not None and indicator.baseline_on:
            children.append(
                _el(
                    "baseline",
                    {
                        "year": indicator.baseline_on.year,
                        "iso-date": indicator.baseline_on,
                        "value": _number(indicator.baseline_value),
                    },
                )
            )
        measurements = data.measurements.get(indicator.pk, [])
        # The target applies from the baseline (else the first measurement, else the activity's
        # start) to its date.
        start = (
            indicator.baseline_on
            or (measurements[0].measured_on if measurements else None)
            or data.program.starts_on
            or data.first_meeting
        )
        if indicator.target_value is not None and indicator.target_on and start:
            children.append(
                _el(
                    "period",
                    None,
                    _el("period-start", {"iso-date": min(start, indicator.target_on)}),
                    _el("period-end", {"iso-date": indicator.target_on}),
                    _el("target", {"value": _number(indicator.target_value)}),
                )
            )
        previous = indicator.baseline_on
        for measurement in measurements:
            begin = previous if previous and previous < measurement.measured_on else None
            children.append(
                _el(
                    "period",
                    None,
                    _el("period-start", {"iso-date": begin or measurement.measured_on}),
                    _el("period-end", {"iso-date": measurement.measured_on}),
                    _el("actual", {"value": _number(measurement.value)}),
                )
            )
            previous = measurement.measured_on
        ascending = "1" if indicator.direction == Indicator.Direction.INCREASE else "0"
        elements.append(
            _el(
                "result",
                {"type": "2"},
                _el("title", None, _narrative(indicator.name)),
                _el("indicator", {"measure": "1", "ascending": ascending}, *children),
            )
        )
    return elements


# The schema's order (iati-activities-schema.xsd, element iati-activity).
ELEMENTS: tuple[Callable[[ActivityData, Context], list], ...] = (
    identifier,
    reporting_org,
    title,
    description,
    participating_orgs,
    activity_status,
    activity_dates,
    recipient_country,
    locations,
    tags,
    transactions,
    document_links,
    results,
)


def activity(data: ActivityData, ctx: Context) -> Any:
    element = _el(
        "iati-activity",
        {
            "last-updated-datetime": data.program.updated_at.isoformat(timespec="seconds"),
            XML_LANG: LANGUAGE,
            "default-currency": CURRENCY,
            "hierarchy": "1",
        },
    )
    for build in ELEMENTS:
        element.extend(build(data, ctx))
    return element


def root(activities: Iterable[Any], now: datetime.datetime) -> Any:
    element = _el(
        "iati-activities",
        {"version": VERSION, "generated-datetime": now.isoformat(timespec="seconds")},
    )
    element.extend(activities)
    return element


# --- validation --------------------------------------------------------------------------------

# (path below iati-activity, attribute, code list) for every coded value the files write.
CODED: tuple[tuple[str, str, str], ...] = (
    ("reporting-org", "type", "OrganisationType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("location/location-reach", "code", "GeographicLocationReach"),
    ("location/exactness", "code", "GeographicExactness"),
    ("location/location-class", "code", "GeographicLocationClass"),
    ("tag", "vocabulary", "TagVocabulary"),
    ("transaction/transaction-type", "code", "TransactionType"),
    ("transaction/provider-org", "type", "OrganisationType"),
    ("document-link/category", "code", "DocumentCategory"),
    ("result", "type", "ResultType"),
    ("result/indicator", "measure", "IndicatorMeasure"),
    ("result/indicator/reference", "vocabulary", "IndicatorVocabulary"),
)


def _sdg_codes() -> dict[str, frozenset[str]]:
    return {
        "2": frozenset(SdgGoal.objects.values_list("code", flat=True)),
        "3": frozenset(SdgTarget.objects.values_list("code", flat=True)),
    }


def code_errors(element: Any, sdg: dict[str, frozenset[str]]) -> list[str]:
    """Every coded value of one iati-activity that its code list does not hold (`sdg`: the SDG
    goal and target codes, tag vocabularies 2 and 3)."""
    errors = []

    def wrong(path: str, attribute: str, value: str | None, listname: str) -> str:
        return _("%(path)s/@%(attribute)s: “%(value)s” is not a code of %(list)s") % {
            "path": path,
            "attribute": attribute,
            "value": value or "",
            "list": listname,
        }

    for path, attribute, listname in CODED:
        for node in element.iterfind(path):
            value = node.get(attribute)
            if value is not None and value not in codes(listname):
                errors.append(wrong(path, attribute, value, listname))
    for node in element.iterfind("tag"):
        vocabulary = node.get("vocabulary")
        allowed = sdg.get(vocabulary)
        if allowed is not None and node.get("code") not in allowed:
            errors.append(wrong("tag", "code", node.get("code"), f"SDG vocabulary {vocabulary}"))
    for node in element.iterfind("recipient-country"):
        if node.get("code") not in ALLOWED_COUNTRIES:
            errors.append(wrong("recipient-country", "code", node.get("code"), "Country"))
    for node in element.iter("value"):
        currency = node.get("currency") or element.get("default-currency")
        if currency not in ALLOWED_CURRENCIES:
            errors.append(wrong("value", "currency", currency, "Currency"))
    if element.get("default-currency") not in ALLOWED_CURRENCIES:
        errors.append(
            wrong("iati-activity", "default-currency", element.get("default-currency"), "Currency")
        )
    return errors


def validate(document: Any, names: dict[str, str]) -> list[tuple[str, str]]:
    """(record, rule) for every error of `document`: each activity is checked against the XSD
    on its own (so an error names its programme) and its codes against the code lists."""
    errors: list[tuple[str, str]] = []
    if document.get("version") not in codes("Version"):
        errors.append(
            (_("File"), _("IATI version %(v)s is unknown") % {"v": document.get("version")})
        )
    xsd = schema()
    sdg = _sdg_codes()
    for element in document.iterfind("iati-activity"):
        record = names.get(element.findtext("iati-identifier") or "", _("Activity"))
        alone = _el("iati-activities", dict(document.attrib))
        alone.append(etree.fromstring(etree.tostring(element)))
        if not xsd.validate(etree.ElementTree(alone)):
            for error in xsd.error_log:
                errors.append((record, error.message))
        errors += [(record, message) for message in code_errors(element, sdg)]
    if not len(document):
        errors.append((_("File"), _("There is no public programme to report.")))
    return errors


def build_file(
    programs: Sequence[Program], *, absolute: Callable[..., str], now: datetime.datetime
) -> bytes:
    """The IATI activity file of `programs`, validated; IatiInvalid when it does not validate."""
    ctx = Context(
        org_id=settings.COLLAB_IATI_ORG_ID,
        org_name=settings.COLLAB_IATI_ORG_NAME,
        org_type=settings.COLLAB_IATI_ORG_TYPE,
        absolute=absolute,
    )
    document = root((activity(data, ctx) for data in activity_data(programs)), now)
    names = {f"{ctx.org_id}-{program.slug}": program.name for program in programs}
    errors = validate(document, names)
    if errors:
        raise IatiInvalid(errors)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
