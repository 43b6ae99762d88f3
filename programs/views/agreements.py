"""The agreement register: records with signatories and clauses, the signed scan, the printable
record."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from collab import views as generic
from collab.files import private_file_response
from collab.permissions import Action

from .. import exports, filtersets
from ..forms import agreements as forms
from ..models import Agreement, Clause
from . import IN_PROGRAM

logger = logging.getLogger(__name__)


class AgreementListView(generic.ObjectListView):
    queryset = Agreement.objects.for_list()
    filterset_class = filtersets.AgreementFilterSet
    columns = exports.AGREEMENT_COLUMNS
    # Longer than a declaration: exporting agreements takes the export right (staff, and
    # coordinators for their own programmes).
    export_action = Action.EXPORT
    extra_context = {"list_title": _("Agreements")}


class AgreementDetailView(generic.ObjectDetailView):
    # Longer than a declaration: the clauses shown as an outline (clause_outline).
    queryset = Agreement.objects.for_detail()
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


class AgreementFormMixin(generic.RowFormsetsMixin):
    """The agreement with its signatories, clauses and signed scan, saved all or nothing.
    Longer than a declaration: the row formsets and their save, shared by create and edit."""

    form_class = forms.AgreementForm
    formset_classes = forms.AGREEMENT_FORMSETS
    details_title = _("Agreement")
    success_message = _("The agreement was saved.")

    def save_form(self, form: forms.AgreementForm) -> Agreement:
        user, formsets = self.request.user, self.formsets
        return forms.save_agreement_forms(user=user, form=form, formsets=formsets)


class AgreementCreateView(AgreementFormMixin, generic.ObjectCreateView):
    model = Agreement
    extra_context = {"form_title": _("Add an agreement")}


class AgreementEditView(AgreementFormMixin, generic.ObjectEditView):
    queryset = Agreement.objects.all()
    extra_context = {"form_title": _("Edit agreement")}
    version_children = tuple(forms.AGREEMENT_FORMSETS)


class AgreementArchiveView(generic.ObjectArchiveView):
    queryset = Agreement.objects.all()


def document_filename(agreement: Agreement) -> str:
    """A download name from the number and title, reduced to ASCII letters, digits and dashes:
    nothing a browser or a file system could misread, whatever was typed."""
    label = " ".join(part for part in (agreement.number, agreement.title) if part)
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9]+", "-", ascii_label).strip("-")[:100].rstrip("-")
    return f"{safe or f'agreement-{agreement.pk}'}.pdf"


class AgreementDocumentView(generic.RightsMixin, View):
    """The signed scan, served only through the rights chokepoint (the files have no URL).
    Longer than a declaration: a file from storage, which may be missing, not a page."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        with_scan = Agreement.objects.exclude(document="")
        agreement = generic.fetch_for(request.user, with_scan, Action.VIEW, pk=pk)
        try:
            return private_file_response(
                Path(agreement.document.storage.path(agreement.document.name)),
                filename=document_filename(agreement),
                content_type="application/pdf",
            )
        except FileNotFoundError:
            logger.error("Agreement %s names a scan that is missing from storage.", agreement.pk)
            raise Http404(_("Not found.")) from None


class AgreementPrintView(generic.ObjectDetailView):
    """The agreement record laid out for A4 paper, in the interface language. Longer than a
    declaration: the clause outline, the record's address and the day it was printed."""

    queryset = Agreement.objects.for_detail()
    template_name = "programs/agreement_print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["clause_outline"] = clause_outline(self.object.clauses.all())
        context["record_url"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        context["printed_on"] = timezone.localdate()
        return context


urlpatterns = [
    *generic.record_urls(
        "agreements",
        AgreementCreateView,
        AgreementListView,
        AgreementDetailView,
        AgreementEditView,
        AgreementArchiveView,
        parent=IN_PROGRAM,
    ),
    path(
        "agreements/<int:pk>/document/", AgreementDocumentView.as_view(), name="agreement_document"
    ),
    path("agreements/<int:pk>/print/", AgreementPrintView.as_view(), name="agreement_print"),
]
