"""What recording a meeting through the API accepts: the meeting and its four row sections,
as the meeting page takes them (programs.forms.meetings), ids for partners and sites."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..forms.meetings import MEETING_ROW_LIMIT
from ..models import ActionItem, Commitment, Meeting
from .serializers import RupiahField, id_field


def rows(child: serializers.Serializer) -> serializers.ListField:
    return serializers.ListField(
        child=child, required=False, max_length=MEETING_ROW_LIMIT, default=list
    )


class AttendanceRowSerializer(serializers.Serializer):
    partner = id_field()
    role = serializers.CharField(required=False, allow_blank=True, max_length=255)


class DecisionRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text=_("Left out: numbered in row order."),
    )
    text = serializers.CharField(max_length=20_000)


class ActionItemRowSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    responsible = id_field(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=ActionItem.Status.choices, default=ActionItem.Status.PLANNED
    )


class CommitmentRowSerializer(serializers.Serializer):
    partner = id_field()
    title = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(
        choices=Commitment.Kind.choices, default=Commitment.Kind.PROGRAMME
    )
    amount = RupiahField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    site = id_field(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=Commitment.Status.choices, default=Commitment.Status.PLEDGED
    )


class MeetingWriteSerializer(serializers.Serializer):
    """A meeting of a programme the caller coordinates, with everything decided at it."""

    program = serializers.SlugField(max_length=100)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    title = serializers.CharField(max_length=500)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    venue = serializers.CharField(required=False, allow_blank=True, max_length=255)
    chair = serializers.CharField(required=False, allow_blank=True, max_length=255)
    moderator = serializers.CharField(required=False, allow_blank=True, max_length=255)
    participant_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2_147_483_647
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    attendances = rows(AttendanceRowSerializer())
    decisions = rows(DecisionRowSerializer())
    action_items = rows(ActionItemRowSerializer())
    commitments = rows(CommitmentRowSerializer())
