"""Programme pages. Per-model views are declarations on the generic family in collab.views."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms import BaseForm, BaseInlineFormSet
from django.forms.formsets import all_valid
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from collab.charts import Point
from collab.ical import calendar
from collab.models import ReminderLog, UserPreference
from collab.permissions import Action, restrict
from collab.views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RightsMixin,
)
from partners.models import Contact

from . import exports, filtersets, followup, forms, reminders, services
from .models import (
    ActionItem,
    Agreement,
    Clause,
    Commitment,
    Indicator,
    Measurement,
    Meeting,
    Program,
    Site,
)
from .models.commitments import CommitmentTally

logger = logging.getLogger(__name__)

# --- programmes ------------------------------------------------------------------------------


class ProgramListView(ObjectListView):
    queryset = Program.objects.for_list()
    filterset_class = filtersets.ProgramFilterSet
    export_spec = exports.PROGRAM_COLUMNS
    template_name = "programs/program_list.html"
    extra_context = {"list_title": _("Programmes")}


class ProgramDetailView(ObjectDetailView):
    queryset = Program.objects.for_detail()
    slug_field = "slug"
    template_name = "programs/program_detail.html"
    history_children = ("memberships",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.object.page_sections(self.request))
        context.update(program_follow_through(self.request, self.object, context))
        return context


# --- meetings --------------------------------------------------------------------------------


class MeetingListView(ObjectListView):
    queryset = Meeting.objects.for_list()
    filterset_class = filtersets.MeetingFilterSet
    export_spec = exports.MEETING_COLUMNS
    template_name = "programs/meeting_list.html"
    extra_context = {"list_title": _("Meetings")}


class MeetingDetailView(ObjectDetailView):
    queryset = Meeting.objects.for_detail()
    template_name = "programs/meeting_detail.html"
    history_children = ("attendances", "decisions")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["show_contacts"] = self.show_contacts()
        return context

    def show_contacts(self) -> bool:
        # Representatives are personal data: shown only to those the chokepoint lets see contacts.
        if not hasattr(self, "_show_contacts"):
            self._show_contacts = self.restricted(Contact.objects.all(), Action.VIEW).exists()
        return self._show_contacts

    def history_hidden(self) -> tuple[str, ...]:
        return () if self.show_contacts() else ("programs.attendance.contact",)


class RowFormsetsMixin:
    """A create or edit page whose main form has row formsets beneath it, saved all or nothing.

    Declare `formset_classes` ({prefix: inline formset class}); `save_form` finds the bound
    formsets in `self.formsets`. Placed before ObjectCreateView/ObjectEditView, which decide the
    rights and wrap the save in a transaction: a `ValidationError` from the save rolls it back
    and shows the page again, with every error beside its field and listed at the top.
    """

    formset_classes: ClassVar[dict[str, type[BaseInlineFormSet]]] = {}
    details_title: ClassVar[str] = _("Details")
    request: HttpRequest
    formsets: dict[str, BaseInlineFormSet]

    def get_form(self, form_class: type[BaseForm] | None = None) -> BaseForm:
        form = super().get_form(form_class)  # type: ignore[misc]
        bound = {}
        if self.request.method == "POST":
            bound = {"data": self.request.POST, "files": self.request.FILES}
        form_kwargs = {"user": self.request.user, "program": self.get_program()}  # type: ignore[attr-defined]
        # The rows hang on the form's own instance: a new record's rows get it once it is saved.
        self.formsets = {
            prefix: formset_class(
                instance=form.instance, prefix=prefix, form_kwargs=form_kwargs, **bound
            )
            for prefix, formset_class in self.formset_classes.items()
        }
        return form

    def form_valid(self, form: BaseForm) -> HttpResponse:
        if not all_valid(self.formsets.values()):
            return self.form_invalid(form)  # type: ignore[attr-defined]
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError:
            return self.form_invalid(form)  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        form = context["form"]
        context["formsets"] = self.formsets
        context["details_title"] = self.details_title
        context["error_summary"] = self.error_summary(form) if form.is_bound else []
        return context

    def error_summary(self, form: BaseForm) -> list[dict[str, Any]]:
        """Every error of the page by section (title, anchor, lines) for the top of the page."""
        sections = []
        lines = describe_errors(form)
        if lines:
            sections.append({"title": self.details_title, "anchor": "details", "errors": lines})
        for prefix, formset in self.formsets.items():
            lines = [str(error) for error in formset.non_form_errors()]
            # Rows numbered as the user sees them: rows removed in the browser are hidden.
            shown = [
                row
                for row in formset.forms
                if not (formset.can_delete and formset._should_delete_form(row))
            ]
            for number, row in enumerate(shown, start=1):
                lines.extend(describe_errors(row, _("Row %(number)s") % {"number": number}))
            if lines:
                title = getattr(formset, "title", "") or capfirst(
                    formset.model._meta.verbose_name_plural
                )
                sections.append({"title": title, "anchor": prefix, "errors": lines})
        return sections


def describe_errors(form: BaseForm, row: str = "") -> list[str]:
    """A form's errors as "Row 2: Due on: <message>" lines."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        parts = [row, field.label if field is not None else ""]
        where = ": ".join(str(part) for part in parts if part)
        lines.extend(f"{where}: {error}" if where else str(error) for error in errors)
    return lines


class MeetingFormMixin(RowFormsetsMixin):
    """The meeting with attendance, decisions, action items and commitments, in one form."""

    form_class = forms.MeetingForm
    formset_classes = forms.MEETING_FORMSETS
    template_name = "programs/meeting_form.html"
    details_title = _("Meeting details")
    success_message = _("The meeting was saved.")

    def save_form(self, form: forms.MeetingForm) -> Meeting:
        return services.record_meeting(
            program=self.get_program(),  # type: ignore[attr-defined]
            user=self.request.user,
            form=form,
            formsets=self.formsets,
        )


class MeetingCreateView(MeetingFormMixin, ObjectCreateView):
    model = Meeting
    extra_context = {"form_title": _("Record a meeting")}


class MeetingEditView(MeetingFormMixin, ObjectEditView):
    queryset = Meeting.objects.all()
    extra_context = {"form_title": _("Edit meeting")}
    version_children = tuple(forms.MEETING_FORMSETS)


class MeetingArchiveView(ObjectArchiveView):
    queryset = Meeting.objects.all()


class MeetingUnarchiveView(ObjectArchiveView):
    queryset = Meeting.objects.all()
    archive = False


# --- commitments -----------------------------------------------------------------------------


class CommitmentListView(ObjectListView):
    queryset = Commitment.objects.for_list()
    filterset_class = filtersets.CommitmentFilterSet
    export_spec = exports.COMMITMENT_COLUMNS
    template_name = "programs/commitment_list.html"
    extra_context = {"list_title": _("Commitments")}

    def known_count(self) -> int | None:
        # Narrowed by programme and status only (or not at all), the list holds exactly what
        # the maintained tallies count: one sum over at most 4 rows per programme, exact where
        # the planner's estimate of a coordinator's rows can be several times off.
        in_use = self.filters_in_use()
        if in_use is None or not in_use <= {"program", "status"}:
            return None
        chosen = self.filterset.form.cleaned_data if in_use else {}
        tallies = self.restricted(CommitmentTally.objects.all(), Action.VIEW)
        return tallies.total(program=chosen.get("program"), status=chosen.get("status"))


class CommitmentDetailView(ObjectDetailView):
    queryset = Commitment.objects.for_detail()
    template_name = "programs/commitment_detail.html"
    history_children = ("updates",)


class CommitmentCreateView(ObjectCreateView):
    model = Commitment
    form_class = forms.CommitmentCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add a commitment")}
    success_message = _("The commitment was saved.")


class CommitmentEditView(ObjectEditView):
    queryset = Commitment.objects.all()
    form_class = forms.CommitmentForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit commitment")}
    success_message = _("The commitment was saved.")


class CommitmentArchiveView(ObjectArchiveView):
    queryset = Commitment.objects.all()


class CommitmentUnarchiveView(ObjectArchiveView):
    queryset = Commitment.objects.all()
    archive = False


class CommitmentUpdateCreateView(ObjectEditView):
    """Add a progress entry to a commitment (the URL's pk is the commitment's)."""

    queryset = Commitment.objects.all()
    form_class = forms.CommitmentUpdateForm
    versioned = False  # adds a progress entry; the commitment's own fields are not edited
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add progress")}
    success_message = _("The progress was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = None
        kwargs["initial"] = {"status": self.object.status, "progress": self.latest_progress()}
        return kwargs

    def latest_progress(self) -> int:
        latest = self.object.updates.order_by("-created_at", "-id").first()
        return latest.progress if latest else 0

    def save_form(self, form):
        services.record_commitment_update(
            commitment=self.object, user=self.request.user, **form.cleaned_data
        )
        return self.object

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


# --- agreements ------------------------------------------------------------------------------


class AgreementListView(ObjectListView):
    queryset = Agreement.objects.for_list()
    filterset_class = filtersets.AgreementFilterSet
    export_spec = exports.AGREEMENT_COLUMNS
    export_action = Action.EXPORT  # staff, and coordinators for their own programmes
    template_name = "programs/agreement_list.html"
    extra_context = {"list_title": _("Agreements")}


class AgreementDetailView(ObjectDetailView):
    queryset = Agreement.objects.for_detail()
    template_name = "programs/agreement_detail.html"
    history_children = ("signatories", "clauses")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["clause_outline"] = clause_outline(self.object.clauses.all())
        return context


@dataclass(frozen=True)
class OutlineEntry:
    clause: Clause
    depth: int
    is_section: bool


def clause_outline(clauses: Iterable[Clause]) -> list[OutlineEntry]:
    """Clauses in reading order, each section followed by its own clauses one level deeper.

    Works on the prefetched clauses (no query). A clause whose section is not among them, or a
    loop entered through the admin, is shown at the top level rather than lost.
    """
    ordered = sorted(clauses, key=lambda clause: (clause.order, clause.pk))
    ids = {clause.pk for clause in ordered}
    children: dict[int | None, list[Clause]] = defaultdict(list)
    for clause in ordered:
        parent = clause.parent_id if clause.parent_id in ids else None
        children[parent].append(clause)
    outline: list[OutlineEntry] = []
    seen: set[int] = set()

    def visit(clause: Clause, depth: int) -> None:
        if clause.pk in seen:
            return
        seen.add(clause.pk)
        outline.append(OutlineEntry(clause, depth, bool(children.get(clause.pk))))
        for child in children.get(clause.pk, []):
            visit(child, depth + 1)

    for clause in [*children[None], *ordered]:
        visit(clause, 0)
    return outline


# Model fields whose errors belong beside another field of the agreement forms.
AGREEMENT_ERROR_FIELDS = {"parent": "parent_number", "document": "scan"}


def add_model_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a model's validation errors beside the form's fields, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = AGREEMENT_ERROR_FIELDS.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


class AgreementFormMixin(RowFormsetsMixin):
    """The agreement with its signatories, clauses and signed scan, saved all or nothing."""

    form_class = forms.AgreementForm
    formset_classes = forms.AGREEMENT_FORMSETS
    template_name = "programs/agreement_form.html"
    details_title = _("Agreement")
    success_message = _("The agreement was saved.")

    def save_form(self, form: forms.AgreementForm) -> Agreement:
        rows = {prefix: formset.kept_forms() for prefix, formset in self.formsets.items()}
        try:
            return services.save_agreement(
                user=self.request.user,
                agreement=form.instance,
                fields=form.agreement_fields(),
                signatories=[row.row() for row in rows["signatories"]],
                clauses=[row.row() for row in rows["clauses"]],
                scan=form.cleaned_data.get("scan"),
                remove_scan=form.cleaned_data.get("remove_scan", False),
            )
        except services.AgreementInvalid as invalid:
            # The forms passed, the service refused (a concurrent edit, a crafted post): say
            # which row, as the forms would have.
            target = form if invalid.index is None else rows[invalid.part][invalid.index]
            add_model_errors(target, invalid.error)
            raise ValidationError(_("Nothing was saved.")) from invalid
        except PermissionDenied as denied:
            form.add_error(None, _("You may only record data in programmes you coordinate."))
            raise ValidationError(_("Nothing was saved.")) from denied


class AgreementCreateView(AgreementFormMixin, ObjectCreateView):
    model = Agreement
    extra_context = {"form_title": _("Add an agreement")}


class AgreementEditView(AgreementFormMixin, ObjectEditView):
    queryset = Agreement.objects.all()
    extra_context = {"form_title": _("Edit agreement")}
    version_children = tuple(forms.AGREEMENT_FORMSETS)


class AgreementArchiveView(ObjectArchiveView):
    queryset = Agreement.objects.all()


class AgreementUnarchiveView(ObjectArchiveView):
    queryset = Agreement.objects.all()
    archive = False


def document_filename(agreement: Agreement) -> str:
    """A download name from the number and title, reduced to ASCII letters, digits and dashes:
    nothing a browser or a file system could misread, whatever was typed."""
    label = " ".join(part for part in (agreement.number, agreement.title) if part)
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9]+", "-", ascii_label).strip("-")[:100].rstrip("-")
    return f"{safe or f'agreement-{agreement.pk}'}.pdf"


class AgreementDocumentView(RightsMixin, View):
    """The signed scan, served only through the rights chokepoint (the files have no URL)."""

    action = Action.VIEW
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        with_scan = Agreement.objects.exclude(document="")
        agreement = get_object_or_404(self.restricted(with_scan, Action.VIEW), pk=pk)
        try:
            scan = agreement.document.storage.open(agreement.document.name, "rb")
        except FileNotFoundError:
            logger.error("Agreement %s names a scan that is missing from storage.", agreement.pk)
            raise Http404(_("Not found.")) from None
        response = FileResponse(
            scan,
            as_attachment=True,
            filename=document_filename(agreement),
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        # Signed documents stay out of shared caches and are fetched afresh after an edit.
        patch_cache_control(response, private=True, no_cache=True)
        return response


class AgreementPrintView(ObjectDetailView):
    """The agreement record laid out for A4 paper, in the interface language."""

    queryset = Agreement.objects.for_detail()
    template_name = "programs/agreement_print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["clause_outline"] = clause_outline(self.object.clauses.all())
        context["record_url"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        context["printed_on"] = timezone.localdate()
        return context


# --- work plan (action items) ------------------------------------------------------------------


class ActionItemListView(ObjectListView):
    queryset = ActionItem.objects.for_list()
    filterset_class = filtersets.ActionItemFilterSet
    export_spec = exports.ACTION_ITEM_COLUMNS
    template_name = "programs/actionitem_list.html"
    extra_context = {"list_title": _("Work plan and follow-ups")}


class ActionItemCreateView(ObjectCreateView):
    model = ActionItem
    form_class = forms.ActionItemCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add an action item")}
    success_message = _("The action item was saved.")

    def get_success_url(self) -> str:
        return reverse("programs:program_detail", args=[self.object.program.slug]) + "#work-plan"


class ActionItemEditView(ObjectEditView):
    queryset = ActionItem.objects.all()
    form_class = forms.ActionItemForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit action item")}
    success_message = _("The action item was saved.")

    def get_success_url(self) -> str:
        return reverse("programs:program_detail", args=[self.object.program.slug]) + "#work-plan"


class ActionItemDoneView(RightsMixin, View):
    """POST only: mark an action item done."""

    action = Action.COORDINATE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        with transaction.atomic():
            item = get_object_or_404(
                self.restricted(ActionItem.objects.select_for_update(), Action.COORDINATE), pk=pk
            )
            if item.status != ActionItem.Status.DONE:
                item.status = ActionItem.Status.DONE
                item.save(update_fields=["status", "updated_at"])
        messages.success(request, _("The action item is marked done."))
        fallback = reverse("programs:program_detail", args=[item.program.slug]) + "#work-plan"
        target = request.POST.get("next", "")
        from django.utils.http import url_has_allowed_host_and_scheme

        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = fallback
        return HttpResponseRedirect(target)


# --- sites -----------------------------------------------------------------------------------


class SiteListView(ObjectListView):
    queryset = Site.objects.for_list()
    filterset_class = filtersets.SiteFilterSet
    export_spec = exports.SITE_COLUMNS
    template_name = "programs/site_list.html"
    extra_context = {"list_title": _("Pilot sites")}


class SiteDetailView(ObjectDetailView):
    queryset = Site.objects.for_list()
    template_name = "programs/site_detail.html"
    history_children = ()


class SiteCreateView(ObjectCreateView):
    model = Site
    form_class = forms.SiteCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add a pilot site")}
    success_message = _("The site was saved.")


class SiteEditView(ObjectEditView):
    queryset = Site.objects.all()
    form_class = forms.SiteForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit pilot site")}
    success_message = _("The site was saved.")


# --- results: indicators and their measurements ------------------------------------------------


def indicator_url(indicator: Indicator) -> str:
    return reverse("programs:indicator_detail", args=[indicator.pk])


class IndicatorDetailView(ObjectDetailView):
    queryset = Indicator.objects.for_detail()
    template_name = "programs/indicator_detail.html"
    history_children = ("measurements",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measurements = list(self.object.measurements.order_by("measured_on", "id"))
        points = [Point(row.measured_on, row.value) for row in measurements]
        context["result"] = followup.indicator_result(self.object, points)
        context["measurements"] = measurements[::-1]  # the table: newest first
        return context


class IndicatorCreateView(ObjectCreateView):
    model = Indicator
    form_class = forms.IndicatorCreateForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add an indicator")}
    success_message = _("The indicator was saved.")

    def get_success_url(self) -> str:
        return indicator_url(self.object)


class IndicatorEditView(ObjectEditView):
    queryset = Indicator.objects.all()
    form_class = forms.IndicatorForm
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Edit indicator")}
    success_message = _("The indicator was saved.")

    def get_success_url(self) -> str:
        return indicator_url(self.object)


class MeasurementCreateView(ObjectEditView):
    """Add a measurement to an indicator (the URL's pk is the indicator's)."""

    queryset = Indicator.objects.all()
    form_class = forms.MeasurementForm
    versioned = False  # adds a measurement; the indicator's own fields are not edited
    template_name = "collab/form.html"
    extra_context = {"form_title": _("Add a measurement")}
    success_message = _("The measurement was saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Measurement(indicator=self.object)
        return kwargs

    def save_form(self, form: forms.MeasurementForm) -> Indicator:
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # Another coordinator recorded the same date between the form's check and the save.
            form.add_error("measured_on", _("This indicator already has a value for this date."))
            raise ValidationError(_("Nothing was saved.")) from None
        return self.object

    def form_valid(self, form: forms.MeasurementForm) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)

    def get_success_url(self) -> str:
        return indicator_url(self.object)


# --- follow-through on the programme page: pictures, indicator progress, calendar link ---------


def program_follow_through(request: HttpRequest, program: Program, sections: dict) -> dict:
    """What the programme page adds to Program.page_sections: its pictures, the progress of the
    indicators it lists, and the signed-in user's calendar link."""
    today = timezone.localdate()
    token = UserPreference.for_user(request.user).calendar_token
    calendar_url = (
        request.build_absolute_uri(reverse("programs:program_calendar", args=[program.slug]))
        + f"?token={token}"
    )
    return {
        **followup.program_pictures(program, pillars=sections["pillars"], today=today),
        "indicator_results": followup.indicator_results(
            sections["indicators"]["rows"], id_prefix="indicator", compact=True
        ),
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
    }


class ProgramCalendarView(View):
    """The programme's meetings and work-plan due dates as an iCalendar feed.

    A calendar app cannot sign in, so the link carries the user's secret calendar key
    (collab.UserPreference) instead of a session. The key's user must still be allowed to see
    the programme: a wrong or missing key and a programme outside that user's rights are the
    same 404, so the link reveals nothing either way.
    """

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        token = request.GET.get("token", "")
        if not token or len(token) > 64:
            raise Http404(_("Not found."))
        preference = UserPreference.for_calendar_token(token)
        if preference is None:
            raise Http404(_("Not found."))
        visible = restrict(Program.objects.filter(slug=slug), preference.user, Action.VIEW)
        program = visible.first()
        if program is None:
            raise Http404(_("Not found."))
        body = calendar(
            name=f"{program.name} · Collab Registry",
            events=followup.calendar_events(program, base_url=request.build_absolute_uri("/")),
            now=timezone.now(),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{program.slug}.ics"'
        # The URL is a credential: keep it out of shared caches and of other sites' logs.
        patch_cache_control(response, private=True, no_cache=True)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        return response


# --- reminders -----------------------------------------------------------------------------------


class RemindersPreviewView(RightsMixin, TemplateView):
    """The digest the signed-in coordinator would receive today, as it would be sent."""

    action = Action.COORDINATE
    template_name = "programs/reminders_preview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        digest = reminders.digest_for(self.request.user, today)
        subject, body = reminders.render_digest(digest)
        context.update(
            digest=digest,
            subject=subject,
            body=body,
            horizon=reminders.HORIZON_DAYS,
            sent_today=ReminderLog.objects.filter(user=self.request.user, sent_on=today).first(),
        )
        return context
