"""What the API shows of each record, and what a write accepts.

Choice fields give the code (`status`) and its label in the request's language
(`status_label`); dates are ISO 8601; amounts are whole rupiah. Related records appear as brief
objects; lists of child rows (attendance, decisions, progress updates, signatories, clauses,
measurements, SDG targets) are nested, prefetched by the viewset from restricted querysets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from collab.models import Region, SdgGoal, SdgIndicator, SdgTarget
from partners.models import Partner

from ..models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    CommitmentUpdate,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    Program,
    Signatory,
    Site,
)

# The largest id a write may name (PostgreSQL bigint); anything above is no record of ours.
MAX_ID = 2**63 - 1
# The largest amount in rupiah the model stores (max_digits 18, 2 decimal places).
MAX_AMOUNT = 10**16 - 1


class LabelField(serializers.CharField):
    """The label of a choice field in the request's language ("Dijanjikan" for `pledged`).

    Reads `get_<field>_display()` itself: DRF's own path to a callable source inspects the
    method's signature on every row, which was most of a 50-row list's serialising time.
    """

    def __init__(self, field: str) -> None:
        self.choice_field = field
        super().__init__(read_only=True)

    def get_attribute(self, instance: Any) -> str:
        return instance._get_FIELD_display(instance._meta.get_field(self.choice_field))


def label(field: str) -> LabelField:
    """The Indonesian (or requested) label of choice field `field`."""
    return LabelField(field)


def archived_flag() -> serializers.BooleanField:
    """Whether an archivable record (programs.models.base.ArchivableModel) is archived."""
    return serializers.BooleanField(source="is_archived", read_only=True)


class RupiahField(serializers.IntegerField):
    """An amount as a whole number of rupiah (stored as a decimal)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> int:
        return int(value)

    def to_internal_value(self, data: Any) -> Decimal:
        return Decimal(super().to_internal_value(data))


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A related record's id in a write (resolved through the rights chokepoint by the form)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- brief forms of related records ---------------------------------------------------------


class ProgramBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "slug", "name"]


class PartnerBriefSerializer(serializers.ModelSerializer):
    pillar_label = label("pillar")

    class Meta:
        model = Partner
        fields = ["id", "name", "acronym", "pillar", "pillar_label"]


class RegionBriefSerializer(serializers.ModelSerializer):
    level_label = label("level")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label"]


class SiteBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name"]


# --- reference data --------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    level_label = label("level")
    kind_label = label("kind")
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "kind", "kind_label", "parent"]


class SdgIndicatorSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = SdgIndicator
        fields = ["code", "title", "title_en", "title_id"]


class SdgTargetSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    indicators = SdgIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = SdgTarget
        fields = ["code", "title", "title_en", "title_id", "indicators"]


class SdgGoalSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    short_title = serializers.CharField(read_only=True)
    targets = SdgTargetSerializer(many=True, read_only=True)

    class Meta:
        model = SdgGoal
        fields = ["code", "number", "short_title", "title", "title_en", "title_id", "targets"]


# --- programmes, partners, sites ---------------------------------------------------------------


class ProgramSerializer(serializers.ModelSerializer):
    status_label = label("status")
    sdg_goals = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            *("id", "slug", "name", "description", "status", "status_label"),
            *("starts_on", "ends_on", "sdg_goals", "meeting_cadence_months"),
        ]


class PartnerSerializer(serializers.ModelSerializer):
    pillar_label = label("pillar")
    kind_label = label("kind")
    region = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Partner
        fields = [
            *("id", "name", "acronym", "pillar", "pillar_label", "kind", "kind_label"),
            *("parent", "region", "website", "email", "phone", "address", "description"),
            "is_active",
        ]


class SiteSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True)
    status_label = label("status")

    class Meta:
        model = Site
        fields = [
            *("id", "program", "region", "name", "status", "status_label"),
            *("rationale", "priority_issues"),
        ]


# --- meetings and the work plan ----------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    partner = PartnerBriefSerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "partner", "role"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "number", "text"]


class MeetingSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer(read_only=True)
    kind_label = label("kind")
    archived = archived_flag()
    attendances = AttendanceSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            *("id", "program", "kind", "kind_label", "title", "starts_on", "ends_on", "venue"),
            *("chair", "moderator", "participant_count", "summary", "archived"),
            *("attendances", "decisions"),
        ]


class ActionItemSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer(read_only=True)
    responsible = PartnerBriefSerializer(read_only=True, allow_null=True)
    status_label = label("status")

    class Meta:
        model = ActionItem
        fields = [
            *("id", "program", "meeting", "title", "description", "responsible"),
            *("starts_on", "due_on", "status", "status_label", "order"),
        ]


class ActionItemStatusSerializer(serializers.ModelSerializer):
    """A change of an action item's status (PATCH)."""

    class Meta:
        model = ActionItem
        fields = ["status"]
        extra_kwargs = {"status": {"required": True}}


# --- commitments -------------------------------------------------------------------------------


class CommitmentUpdateSerializer(serializers.ModelSerializer):
    status_label = label("status")

    class Meta:
        model = CommitmentUpdate
        fields = ["id", "status", "status_label", "progress", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"progress": {"min_value": 0, "max_value": 100}}


class CommitmentSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer(read_only=True)
    partner = PartnerBriefSerializer(read_only=True)
    site = SiteBriefSerializer(read_only=True, allow_null=True)
    kind_label = label("kind")
    status_label = label("status")
    amount = RupiahField(read_only=True, allow_null=True)
    archived = archived_flag()
    updates = CommitmentUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            *("id", "program", "partner", "meeting", "site", "agreement", "title"),
            *("description", "kind", "kind_label", "amount", "starts_on", "due_on"),
            *("status", "status_label", "archived", "created_at", "updated_at", "updates"),
        ]


class CommitmentWriteSerializer(serializers.Serializer):
    """A new commitment, or a change (PATCH: only the fields given). Related records by id:
    each is resolved through the chokepoint by the page's form (programs.forms.commitments)."""

    program = serializers.SlugField(
        max_length=100, help_text=_("The programme's slug; one you coordinate.")
    )
    partner = id_field()
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    kind = serializers.ChoiceField(choices=Commitment.Kind.choices, required=False)
    amount = RupiahField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Commitment.Status.choices, required=False)
    meeting = id_field(required=False, allow_null=True)
    site = id_field(required=False, allow_null=True)
    agreement = id_field(required=False, allow_null=True)


# --- agreements --------------------------------------------------------------------------------


class SignatorySerializer(serializers.ModelSerializer):
    partner = PartnerBriefSerializer(read_only=True)

    class Meta:
        model = Signatory
        fields = ["id", "partner", "signer_name", "signer_position", "signed_on", "order"]


class ClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clause
        fields = ["id", "parent", "number", "text", "order"]


class AgreementSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer(read_only=True)
    kind_label = label("kind")
    status_label = label("status")
    archived = archived_flag()
    signatories = SignatorySerializer(many=True, read_only=True)
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            *("id", "program", "kind", "kind_label", "number", "title", "signed_on"),
            *("signed_at", "effective_from", "expires_on", "status", "status_label"),
            *("meeting", "archived", "signatories", "clauses"),
        ]


# --- indicators --------------------------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer(read_only=True)
    sdg_indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    direction_label = label("direction")
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            *("id", "program", "sdg_indicator", "name", "unit", "direction", "direction_label"),
            *("baseline_value", "baseline_on", "target_value", "target_on", "measurements"),
        ]
