"""The API's endpoints: one declaration per listed model on collab.api.viewsets, plus the writes
integrations make (commitments, progress, action item status, a meeting with its outcomes).

Reads are the pages' querysets and FilterSets, restricted first; every write goes through the
page's form (restricted choices, the same validation and messages) and service, in one
transaction that re-checks the result lies in a programme the caller coordinates.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collab.api.viewsets import ReadOnlyRestrictedViewSet
from collab.filtersets import RegionFilterSet
from collab.models import Region, SdgGoal, SdgIndicator, SdgTarget
from collab.permissions import Action, can, restrict
from partners.filtersets import PartnerFilterSet
from partners.models import Partner

from .. import filtersets
from ..forms import commitments as commitment_forms
from ..forms import meetings as meeting_forms
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
from ..services import commitments as commitment_services
from . import serializers as s
from .forms import errors_of, form_data, formset_data, formset_errors, query_dict
from .meetings import MeetingWriteSerializer


class ErrorSerializer(serializers.Serializer):
    """Every error answer: what went wrong, and on 400 which field and why."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def error(description: str, example: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(description, value={"detail": example})],
    )


ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="Invalid input: nothing saved; `errors` names each field and why.",
        examples=[
            OpenApiExample(
                "Invalid field",
                value={
                    "detail": "Tidak ada yang disimpan. Perbaiki isian yang tercantum di errors.",
                    "errors": {"due_on": ["Komitmen tidak dapat jatuh tempo sebelum dimulai."]},
                },
            )
        ],
    ),
    401: error("No credentials, or an invalid or expired token.", "Invalid or expired API token."),
    403: error(
        "Signed in, but without the right for this.", "You do not coordinate this programme."
    ),
    404: error("No such record, or none you may see.", "Not found."),
    412: error("If-Match is not the current version: nothing saved.", "Someone else changed it."),
    428: error("A change without If-Match.", "This change needs the record's version."),
    429: error("Too many requests: wait Retry-After seconds.", "Request was throttled."),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in (401, 429, *codes)}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as last read (its version). Stale: 412; missing: 428.",
)
LIST_ERRORS = errors(400, 403)
READ_ERRORS = errors(403, 404)


def documented(serializer: type, *, name: str) -> Any:
    """List and read answers of a read-only endpoint, with their errors."""
    return extend_schema_view(
        list=extend_schema(summary=f"List {name}", responses={200: serializer, **LIST_ERRORS}),
        retrieve=extend_schema(
            summary=f"Read one of {name}", responses={200: serializer, **READ_ERRORS}
        ),
    )


# --- reference data --------------------------------------------------------------------------


@documented(s.RegionSerializer, name="regions")
class RegionViewSet(ReadOnlyRestrictedViewSet):
    """Indonesia's administrative regions (Kemendagri codes): `?level=`, `?parent=<code>`."""

    queryset = Region.objects.select_related("parent")
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}(\.[0-9]{1,4}){0,3}"
    cursor_ordering = "code"
    needs_program_right = False


@documented(s.SdgGoalSerializer, name="SDG goals")
class SdgGoalViewSet(ReadOnlyRestrictedViewSet):
    """The 17 goals with their targets and indicators."""

    queryset = SdgGoal.objects.all()
    serializer_class = s.SdgGoalSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}"
    cursor_ordering = "number"
    needs_program_right = False
    filterset_class = None

    def prepare(self, queryset: QuerySet) -> QuerySet:
        indicators = SdgIndicator.objects.order_by("order")
        targets = SdgTarget.objects.order_by("order").prefetch_related(
            Prefetch("indicators", queryset=indicators)
        )
        return queryset.prefetch_related(Prefetch("targets", queryset=targets))


# --- programmes, partners, sites ---------------------------------------------------------------


@documented(s.ProgramSerializer, name="programmes")
class ProgramViewSet(ReadOnlyRestrictedViewSet):
    queryset = Program.objects.for_list()
    serializer_class = s.ProgramSerializer
    filterset_class = filtersets.ProgramFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,100}"
    cursor_ordering = "slug"


@documented(s.PartnerSerializer, name="partners")
class PartnerViewSet(ReadOnlyRestrictedViewSet):
    queryset = Partner.objects.for_list()
    serializer_class = s.PartnerSerializer
    filterset_class = PartnerFilterSet
    cursor_ordering = "id"


@documented(s.SiteSerializer, name="pilot sites")
class SiteViewSet(ReadOnlyRestrictedViewSet):
    queryset = Site.objects.for_list()
    serializer_class = s.SiteSerializer
    filterset_class = filtersets.SiteFilterSet
    cursor_ordering = "id"


# --- agreements and indicators ------------------------------------------------------------------


@documented(s.AgreementSerializer, name="agreements")
class AgreementViewSet(ReadOnlyRestrictedViewSet):
    """Agreements with their signatories and their clauses in order."""

    queryset = Agreement.objects.select_related("program")
    serializer_class = s.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet

    def prepare(self, queryset: QuerySet) -> QuerySet:
        signatories = Signatory.objects.select_related("partner").order_by("order", "id")
        return queryset.prefetch_related(
            Prefetch("signatories", queryset=self.restricted(signatories, Action.VIEW)),
            Prefetch(
                "clauses", queryset=self.restricted(Clause.objects.order_by("order"), Action.VIEW)
            ),
        )


@documented(s.IndicatorSerializer, name="indicators")
class IndicatorViewSet(ReadOnlyRestrictedViewSet):
    """A programme's indicators with their measurements."""

    queryset = Indicator.objects.select_related("program", "sdg_indicator")
    serializer_class = s.IndicatorSerializer
    filterset_class = filtersets.IndicatorFilterSet

    def prepare(self, queryset: QuerySet) -> QuerySet:
        measurements = Measurement.objects.order_by("measured_on", "id")
        return queryset.prefetch_related(
            Prefetch("measurements", queryset=self.restricted(measurements, Action.VIEW))
        )


# --- writes ------------------------------------------------------------------------------------


def invalid(errors: dict[str, list]) -> exceptions.ValidationError:
    return exceptions.ValidationError(errors)


def coordinated_program(request: Request, slug: str, field: str = "program") -> Program:
    """The programme `slug` if the caller coordinates it: 403 if they only see it, 400 (on the
    field) if they cannot see it, as if it did not exist."""
    programs = Program.objects.all()
    program = restrict(programs, request.user, Action.COORDINATE).filter(slug=slug).first()
    if program is not None:
        return program
    if restrict(programs, request.user, Action.VIEW).filter(slug=slug).exists():
        raise exceptions.PermissionDenied(_("You do not coordinate this programme."))
    raise invalid({field: [_("No programme has this slug.")]})


class WritableViewSet(ReadOnlyRestrictedViewSet):
    """Reads plus changes; every change runs in one transaction that ends by re-checking that the
    record lies in a programme the caller coordinates (STYLE rule 4), else rolls back (403)."""

    versioned = True

    def recheck(self, record: Model) -> None:
        if not can(self.request.user, Action.COORDINATE, record.program):
            transaction.set_rollback(True)
            raise exceptions.PermissionDenied(
                _("You may only record data in programmes you coordinate.")
            )

    def answer(self, record: Model, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.prepare(type(record)._default_manager.filter(pk=record.pk)).get()
        response = Response(self.get_serializer(fresh).data, status=code)
        response["ETag"] = self.etag(fresh)
        return response


@documented(s.ActionItemSerializer, name="action items")
@extend_schema_view(
    partial_update=extend_schema(
        summary="Change an action item's status",
        parameters=[IF_MATCH],
        request=s.ActionItemStatusSerializer,
        responses={200: s.ActionItemSerializer, **errors(400, 403, 404, 412, 428)},
    )
)
class ActionItemViewSet(mixins.UpdateModelMixin, WritableViewSet):
    """The work plan and meeting follow-ups; PATCH changes the status."""

    queryset = ActionItem.objects.for_list()
    serializer_class = s.ActionItemSerializer
    filterset_class = filtersets.ActionItemFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ActionItemStatusSerializer(data=request.data)
        with transaction.atomic():
            item = self.get_editable(lock=True)
            data.is_valid(raise_exception=True)
            self.check_if_match(item)
            if item.status != data.validated_data["status"]:
                item.status = data.validated_data["status"]
                item.full_clean()
                item.save(update_fields=["status", "updated_at"])
            self.recheck(item)
        return self.answer(item)


@documented(s.CommitmentSerializer, name="commitments")
@extend_schema_view(
    create=extend_schema(
        summary="Add a commitment to a programme you coordinate",
        request=s.CommitmentWriteSerializer,
        responses={201: s.CommitmentSerializer, **errors(400, 403)},
        examples=[
            OpenApiExample(
                "Funding pledged",
                request_only=True,
                value={
                    "program": "kota-sdgs-bengkulu",
                    "partner": 12,
                    "title": "Dana hibah pelatihan kader",
                    "kind": "funding",
                    "amount": 150000000,
                    "due_on": "2026-12-31",
                },
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change a commitment",
        parameters=[IF_MATCH],
        request=s.CommitmentWriteSerializer,
        responses={200: s.CommitmentSerializer, **errors(400, 403, 404, 412, 428)},
    ),
    add_update=extend_schema(
        summary="Add a progress update (the commitment takes its status)",
        request=s.CommitmentUpdateSerializer,
        responses={201: s.CommitmentUpdateSerializer, **errors(400, 403, 404)},
    ),
)
class CommitmentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, WritableViewSet):
    """Partners' commitments with their progress updates (`?status=`, `?kind=`, `?program=`,
    `?pillar=`, … as on the commitment list page)."""

    queryset = Commitment.objects.select_related("program", "partner", "site")
    # The list page's order: its indexes (programme, kind, status with -created_at, -id) serve
    # the filtered lists; DRF's cursor keeps created_at and an offset among equal ones.
    cursor_ordering = ("-created_at", "-id")
    serializer_class = s.CommitmentSerializer
    filterset_class = filtersets.CommitmentFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    form_fields = commitment_forms.CommitmentForm.Meta.fields

    def prepare(self, queryset: QuerySet) -> QuerySet:
        updates = CommitmentUpdate.objects.order_by("-created_at", "-id")
        return queryset.prefetch_related(
            Prefetch("updates", queryset=self.restricted(updates, Action.VIEW))
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.CommitmentWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        program = coordinated_program(request, values.pop("program"))
        values.setdefault("kind", Commitment.Kind.PROGRAMME)
        values.setdefault("status", Commitment.Status.PLEDGED)
        form = commitment_forms.CommitmentCreateForm(
            query_dict(form_data(values)), user=request.user, program=program
        )
        with transaction.atomic():
            if not form.is_valid():
                raise invalid(errors_of(form))
            commitment = form.save()
            self.recheck(commitment)
        response = self.answer(commitment, status.HTTP_201_CREATED)
        response["Location"] = reverse("api:commitment-detail", args=[commitment.pk])
        return response

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.CommitmentWriteSerializer(data=request.data, partial=True)
        with transaction.atomic():
            commitment = self.get_editable(lock=True)
            given.is_valid(raise_exception=True)
            self.check_if_match(commitment)
            values = model_to_dict(commitment, fields=self.form_fields)
            changes = dict(given.validated_data)
            if "program" in changes:
                changes["program"] = coordinated_program(request, changes["program"]).pk
            values.update(changes)
            form = commitment_forms.CommitmentForm(
                query_dict(form_data(values)), instance=commitment, user=request.user
            )
            if not form.is_valid():
                raise invalid(errors_of(form))
            if form.has_changed():
                commitment = form.save()
            self.recheck(commitment)
        return self.answer(commitment)

    @action(detail=True, methods=["post"], url_path="updates")
    def add_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.CommitmentUpdateSerializer(data=request.data)
        with transaction.atomic():
            commitment = self.get_editable(lock=True)
            given.is_valid(raise_exception=True)
            form = commitment_forms.CommitmentUpdateForm(
                query_dict(form_data(given.validated_data)), user=request.user
            )
            if not form.is_valid():
                raise invalid(errors_of(form))
            update = commitment_services.record_commitment_update(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
            self.recheck(commitment)
        return Response(s.CommitmentUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


@documented(s.MeetingSerializer, name="meetings")
@extend_schema_view(
    create=extend_schema(
        summary="Record a meeting with its attendance, decisions, action items and commitments",
        request=MeetingWriteSerializer,
        responses={201: s.MeetingSerializer, **errors(400, 403)},
    )
)
class MeetingViewSet(mixins.CreateModelMixin, WritableViewSet):
    """Meetings with their attendance and decisions; POST records one with all its outcomes,
    all or nothing (the meeting page's forms and programs.services.meetings.record_meeting)."""

    queryset = Meeting.objects.select_related("program")
    serializer_class = s.MeetingSerializer
    filterset_class = filtersets.MeetingFilterSet
    version_children = tuple(meeting_forms.MEETING_FORMSETS)
    http_method_names = ["get", "post", "head", "options"]

    def prepare(self, queryset: QuerySet) -> QuerySet:
        attendances = Attendance.objects.select_related("partner").order_by("partner__name", "id")
        decisions = Decision.objects.order_by("number")
        return queryset.prefetch_related(
            Prefetch("attendances", queryset=self.restricted(attendances, Action.VIEW)),
            Prefetch("decisions", queryset=self.restricted(decisions, Action.VIEW)),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = MeetingWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        program = coordinated_program(request, values.pop("program"))
        rows = {prefix: values.pop(prefix, []) for prefix in meeting_forms.MEETING_FORMSETS}
        data = form_data(values)
        for prefix, prefix_rows in rows.items():
            data.update(formset_data(prefix, prefix_rows))
        bound = query_dict(data)
        form = meeting_forms.MeetingForm(
            bound, user=request.user, program=program, instance=Meeting(program=program)
        )
        formsets = {
            prefix: formset_class(
                bound,
                instance=form.instance,
                prefix=prefix,
                form_kwargs={"user": request.user, "program": program},
            )
            for prefix, formset_class in meeting_forms.MEETING_FORMSETS.items()
        }
        try:
            with transaction.atomic():
                meeting = meeting_forms.save_meeting_forms(
                    program=program, user=request.user, form=form, formsets=formsets
                )
                self.recheck(meeting)
        except ValidationError:
            found = errors_of(form)
            for prefix, formset in formsets.items():
                found.update(formset_errors(prefix, formset))
            raise invalid(found or {"non_field_errors": [_("Nothing was saved.")]}) from None
        response = self.answer(meeting, status.HTTP_201_CREATED)
        response["Location"] = reverse("api:meeting-detail", args=[meeting.pk])
        return response
