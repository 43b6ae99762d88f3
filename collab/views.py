"""The one family of generic views (STYLE rule 2).

Every per-model page is a declaration on top of these classes: a queryset (a QuerySet method of
the model), a FilterSet, a form and a template. Access is decided in one place:

- anonymous → redirect to the login page;
- signed in, but no right to this kind of page anywhere → 403;
- an object outside the user's programmes → 404 (its existence is not revealed);
- an object the user may see but not change → 403 on its edit pages.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm, BaseInlineFormSet, ModelForm
from django.forms.formsets import all_valid
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from collab import export_jobs, exports
from collab.columns import ColumnSpec
from collab.concurrency import VERSION_FIELD, Conflict, VersionField, check_version, make_version
from collab.files import private_file_response
from collab.history import HISTORY_LIMIT, record_history
from collab.models import ExportJob
from collab.pagination import CURSOR_PARAMS, RowCount, SeekPaginator
from collab.permissions import Action, restrict, rights_root
from collab.rescue import take_rescued


def has_any_right(user: Any, action: Action | str) -> bool:
    """Whether `user` holds `action` on at least one programme (the right to the kind of page)."""
    if not user.is_authenticated:
        return False
    return restrict(rights_root()._default_manager.all(), user, action).exists()


def fetch_for(
    user: Any, queryset: QuerySet, action: Action, *, lock: bool = False, **lookup: Any
) -> Model:
    """The row of `queryset` matching `lookup` that `user` may act on with `action`.

    The one place that decides 403 or 404 (DESIGN "Rights"): a row the user may see but not act
    on is a 403; a row outside the user's programmes, or none at all, is a 404 (its existence is
    not revealed). `lock` takes the row with SELECT … FOR UPDATE (inside a transaction).
    """
    rows = queryset.select_for_update() if lock else queryset
    obj = restrict(rows, user, action).filter(**lookup).first()
    if obj is not None:
        return obj
    if (
        action is not Action.VIEW
        and restrict(queryset, user, Action.VIEW).filter(**lookup).exists()
    ):
        raise PermissionDenied(_("You do not coordinate this programme."))
    raise Http404(_("Not found."))


# Browser drafts of the long forms (collab/app.js): their keys, and the session entry that names
# the one a successful save makes obsolete.
DRAFT_PREFIX = "collab-draft:"
DRAFT_SAVED_SESSION_KEY = "collab_draft_saved"


class RightsMixin(LoginRequiredMixin):
    """Login required; 403 when the user has no right of `action` on any programme."""

    action: ClassVar[Action] = Action.VIEW
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_any_right(request.user, self.action):
            raise PermissionDenied(_("You have no right to this page."))
        return super().dispatch(request, *args, **kwargs)

    def restricted(self, queryset: QuerySet, action: Action | str | None = None) -> QuerySet:
        return restrict(queryset, self.request.user, action or self.action)


class FallbackTemplateMixin:
    """The template Django's naming finds (`<app>/<model>_list.html`, `<model>_form.html`…)
    when the app has one, else the generic `fallback_template`; `template_name` still wins."""

    fallback_template: ClassVar[str]

    def get_template_names(self) -> list[str]:
        try:
            names = super().get_template_names()  # type: ignore[misc]
        except ImproperlyConfigured:  # neither a template_name nor a model to name one after
            names = []
        return [*names, self.fallback_template]


class ObjectListView(RightsMixin, FallbackTemplateMixin, generic.ListView):
    """A filtered, restricted, paginated list. Declare `queryset`, `filterset_class` and
    `columns` (the spec of its table and export, from the app's exports.py; collab.columns).
    The page is `<app>/<model>_list.html` when the app has one, else collab/list.html.

    `?export=csv|xlsx|json` returns every filtered row the user may act on with
    `export_action`, streamed, instead of the page (DESIGN "Pages and URLs").
    """

    url_page = "list"  # its page in record_urls()

    filterset_class: ClassVar[type | None] = None
    columns: ClassVar[ColumnSpec | None] = None
    export_action: ClassVar[Action] = Action.VIEW
    fallback_template = "collab/list.html"
    paginate_by = 50
    # Page numbers as typed, seek cursors on the next/previous links, estimated counts on
    # PostgreSQL for long lists (collab/pagination.py).
    paginator_class = SeekPaginator
    page_kwarg = "page"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if exports.EXPORT_PARAM in request.GET:
            return self.export(request.GET[exports.EXPORT_PARAM])
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        return self.queryset.all()

    def get_export_queryset(self) -> QuerySet:
        """The page's rows without its select_related and counts (the spec annotates what it
        needs with subqueries), in the page's order."""
        queryset = self.queryset.model._default_manager.all()
        ordering = self.queryset.query.order_by
        return queryset.order_by(*ordering) if ordering else queryset

    def export(self, export_format: str) -> HttpResponseBase:
        queryset, errors = self.export_plan(export_format)
        if errors:
            return self.export_refused(errors)
        # Past the threshold the file is built by a task; the user watches its page.
        if export_jobs.too_large(queryset, export_format):
            return export_jobs.start(self.request, export_format)
        return exports.export_response(self.columns, queryset, self.request, export_format)

    def export_plan(self, export_format: str) -> tuple[QuerySet | None, list[str]]:
        """The rows `?export=` writes (restricted to the user, filtered), or why not. The same
        for the request and for the task that builds a large export (collab.export_jobs)."""
        if self.export_action is not Action.VIEW and not has_any_right(
            self.request.user, self.export_action
        ):
            raise PermissionDenied(_("You have no right to export these records."))
        if self.columns is None or export_format not in exports.FORMATS:
            return None, [
                _("Unknown export format “%(format)s”. Choose CSV, Excel (xlsx) or JSON.")
                % {"format": export_format[:20]}
            ]
        queryset = self.filtered(self.get_export_queryset(), self.export_action)
        if self.filterset is not None and self.filterset.is_bound and not self.filterset.is_valid():
            # An empty file would read as "no records"; say which filter is wrong instead.
            errors = [
                f"{self.filterset.form.fields[name].label}: {error}" if name != "__all__" else error
                for name, field_errors in self.filterset.form.errors.items()
                for error in field_errors
            ]
            return None, errors
        return queryset, []

    def export_refused(self, errors: list[str]) -> HttpResponse:
        query = self.request.GET.copy()
        query.pop(exports.EXPORT_PARAM, None)
        for param in (self.page_kwarg, *CURSOR_PARAMS):  # they choose the page, not the rows
            query.pop(param, None)
        context = {"errors": errors, "back_url": f"{self.request.path}?{query.urlencode()}"}
        return render(self.request, "collab/export_error.html", context, status=400)

    def get_queryset(self) -> QuerySet:
        return self.filtered(self.get_base_queryset(), Action.VIEW)

    def filtered(self, base: QuerySet, action: Action) -> QuerySet:
        """`base` restricted to the rows the user may act on with `action`, then filtered."""
        queryset = self.restricted(base, action)
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            if self.filterset.is_bound and not self.filterset.is_valid():
                # Explain the bad filter beside its field, list nothing rather than everything.
                return queryset.none()
            queryset = self.filterset.qs
        return queryset

    def paginate_queryset(self, queryset: QuerySet, page_size: int):  # type: ignore[override]
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        known = self.known_count()
        if known is not None:
            paginator.row_count = RowCount(known)
        page = paginator.page_for(self.request.GET, self.page_kwarg)
        return paginator, page, page.object_list, page.has_other_pages()

    def known_count(self) -> int | None:
        """The exact number of listed rows when a view can tell it cheaply (None: count them,
        or on PostgreSQL estimate them past collab.pagination.EXACT_COUNT_LIMIT)."""
        return None

    def filters_in_use(self) -> set[str] | None:
        """The names of the filters that narrow the list (None: a filter is invalid)."""
        if self.filterset is None or not self.filterset.is_bound:
            return set()
        if not self.filterset.is_valid():
            return None
        return {
            name
            for name, value in self.filterset.form.cleaned_data.items()
            if value not in (None, "", [], (), False)
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for param in (self.page_kwarg, *CURSOR_PARAMS):  # they choose the page, not the rows
            query.pop(param, None)
        context.update(
            filterset=self.filterset,
            filter_form=self.filterset.form if self.filterset else None,
            query_without_page=query.urlencode(),
            can_coordinate=has_any_right(self.request.user, Action.COORDINATE),
            table_columns=self.columns.shown if self.columns else (),
            table_template=self.columns.table_template if self.columns else None,
            # The page itself needs VIEW; only a stricter export right costs a query.
            can_export=self.columns is not None
            and (
                self.export_action is Action.VIEW
                or has_any_right(self.request.user, self.export_action)
            ),
        )
        return context


class ObjectDetailView(RightsMixin, generic.DetailView):
    """One record, fetched through the restricted queryset (outside the user's rights → 404).

    A record page that declares `history_children` (reverse relations whose rows the page
    shows, possibly none) lists the record's history with theirs (templates/includes/history.html).
    """

    url_page = "detail"  # its page in record_urls()

    history_children: ClassVar[tuple[str, ...] | None] = None

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        return fetch_for(self.request.user, self.queryset.all(), Action.VIEW, **self.lookup())

    def lookup(self) -> dict[str, Any]:
        if self.slug_url_kwarg in self.kwargs:
            return {self.slug_field: self.kwargs[self.slug_url_kwarg]}
        return {"pk": self.kwargs[self.pk_url_kwarg]}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        program = getattr(self.object, "program", None)
        if program is None and isinstance(self.object, rights_root()):
            program = self.object
        context["program"] = program
        context["can_edit"] = (
            program is not None
            and self.restricted(
                type(program)._default_manager.filter(pk=program.pk), Action.COORDINATE
            ).exists()
        )
        if self.history_children is not None:
            context["history"] = record_history(
                self.object, children=self.history_children, hidden=self.history_hidden()
            )
            context["history_limit"] = HISTORY_LIMIT
        return context

    def history_hidden(self) -> tuple[str, ...]:
        """Fields ("<app>.<model>.<field>") the reader may not see in the history."""
        return ()


class ProgramScopedFormMixin(FallbackTemplateMixin):
    """Passes the user and programme to the form, whose choices are limited to the user's rights.

    After the write, inside the same transaction, the record must still belong to a programme the
    user coordinates (STYLE rule 4): a crafted POST cannot move a record elsewhere.
    """

    request: HttpRequest
    object: Model | None
    success_message: ClassVar[str] = ""
    fallback_template = "collab/form.html"

    def get_program(self):
        return None

    def submitted(self) -> dict[str, Any]:
        """What binds the page's forms: the POST, or on a GET the fields a POST made after the
        session ended left for this user (collab.rescue); empty for a fresh form."""
        if not hasattr(self, "_submitted"):
            self._submitted: dict[str, Any] = {}
            if self.request.method in ("POST", "PUT"):
                self._submitted = {"data": self.request.POST, "files": self.request.FILES}
            else:
                rescued = take_rescued(self.request)
                if rescued is not None:
                    self._submitted = {"data": rescued, "files": MultiValueDict()}
        return self._submitted

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs.update(self.submitted())
        kwargs["user"] = self.request.user
        kwargs["program"] = self.get_program()
        return kwargs

    def draft_key(self) -> str:
        """The browser's key for this form's draft (collab/app.js): per user and per record."""
        return f"{DRAFT_PREFIX}{self.request.user.pk}:{self.request.path}"

    def form_valid(self, form: ModelForm) -> HttpResponse:
        try:
            with transaction.atomic():
                conflict = self.check_version(form)
                if conflict is not None:
                    return self.version_conflict(form, conflict)
                self.object = self.save_form(form)
                if not self.still_coordinated(self.object):
                    transaction.set_rollback(True)
                    form.add_error(
                        None, _("You may only record data in programmes you coordinate.")
                    )
                    return self.form_invalid(form)  # type: ignore[attr-defined]
        except ValidationError as refused:
            # The save refused (rolled back): its errors are on the forms, beside their fields,
            # or, when it put none there, above the form.
            if not form.errors:
                form.add_error(None, refused.messages)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        if self.success_message:
            messages.success(self.request, self.success_message)
        # The next page tells the browser to drop this form's draft (collab.context_processors).
        self.request.session[DRAFT_SAVED_SESSION_KEY] = self.draft_key()
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]

    def still_coordinated(self, obj: Model) -> bool:
        """Whether the saved record belongs to a programme the user coordinates (its programme
        as saved, so that a crafted POST cannot move it elsewhere)."""
        saved = type(obj)._default_manager.filter(pk=obj.pk)
        return restrict(saved, self.request.user, Action.COORDINATE).exists()

    def save_form(self, form: ModelForm) -> Model:
        """The form's record saved. A unique value taken by a concurrent save between the form's
        check and this one: validated again, the form says which field (nothing is saved)."""
        try:
            with transaction.atomic():
                return form.save()
        except IntegrityError:
            form.full_clean()
            if form.is_valid():
                form.add_error(None, _("Someone else saved the same record at the same time."))
            raise ValidationError(_("Nothing was saved.")) from None

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def check_version(self, form: ModelForm) -> Conflict | None:
        """Inside the saving transaction: was the record saved by someone since the form was
        opened? (Only edits of an existing record have a version; see ObjectEditView.)"""
        return None

    def version_conflict(self, form: ModelForm, conflict: Conflict) -> HttpResponse:
        """Nothing saved: the form again with the user's input, what changed meanwhile, and the
        current version, so saving again is a deliberate choice to overwrite. 409 Conflict."""
        transaction.set_rollback(True)
        form.add_error(None, str(conflict.message().splitlines()[0]))
        data = form.data.copy()
        data[form.add_prefix(VERSION_FIELD)] = conflict.current_version
        form.data = data
        messages.error(self.request, _("Nothing was saved: someone else changed this record."))
        context = self.get_context_data(form=form, conflict=conflict)  # type: ignore[attr-defined]
        return self.render_to_response(context, status=409)  # type: ignore[attr-defined]

    def form_invalid(self, form: ModelForm) -> HttpResponse:
        messages.error(self.request, _("Nothing was saved. Please correct the marked fields."))
        return super().form_invalid(form)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("cancel_url", self.cancel_url())
        return context

    def cancel_url(self) -> str:
        """Back to the record, else its programme, else the dashboard."""
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        program = self.get_program()
        return program.get_absolute_url() if program is not None else "/"


class ObjectCreateView(RightsMixin, ProgramScopedFormMixin, generic.CreateView):
    """Add a record to a programme: `/programs/<slug>/<things>/new/`."""

    url_page = "create"  # its page in record_urls()

    action = Action.COORDINATE

    def get_program(self):
        if not hasattr(self, "_program"):
            programs = rights_root()._default_manager.all()
            self._program = fetch_for(
                self.request.user, programs, Action.COORDINATE, slug=self.kwargs["slug"]
            )
        return self._program

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_program()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_program()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["program"] = self.get_program()
        return context


class ObjectEditView(RightsMixin, ProgramScopedFormMixin, generic.UpdateView):
    """Edit a record of a programme the user coordinates (visible but not editable → 403).

    The form carries the record's version (collab.concurrency): a save over somebody else's
    newer save is refused with what they changed. `version_children` names the reverse
    relations whose rows the page edits too; a page that adds something to the record rather
    than editing it sets `versioned = False`.
    """

    url_page = "edit"  # its page in record_urls()

    action = Action.COORDINATE
    versioned: ClassVar[bool] = True
    version_children: ClassVar[tuple[str, ...]] = ()

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        return fetch_for(
            self.request.user, self.queryset.all(), Action.COORDINATE, pk=self.kwargs["pk"]
        )

    def get_program(self):
        return getattr(self.object, "program", None)

    def get_form(self, form_class: type[forms.BaseForm] | None = None) -> forms.BaseForm:
        form = super().get_form(form_class)
        if self.versioned:
            # Computed when the form is shown; a posted form carries the version it was shown with.
            initial = "" if form.is_bound else make_version(self.object, self.version_children)
            form.fields[VERSION_FIELD] = VersionField(initial=initial)
        return form

    def check_version(self, form: ModelForm) -> Conflict | None:
        if not self.versioned:
            return None
        locked = type(self.object)._default_manager.select_for_update().get(pk=self.object.pk)
        return check_version(locked, form.cleaned_data.get(VERSION_FIELD), self.version_children)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["program"] = self.get_program()
        return context


class ChildCreateView(RightsMixin, ProgramScopedFormMixin, generic.CreateView):
    """Add a row to a record of a programme the user coordinates (a measurement to an indicator,
    a progress entry to a commitment): `/<records>/<pk>/<rows>/new/`, the pk being the record's.

    Declare `parent_queryset` and `parent_field` (the row's foreign key to the record). Rights
    are those of editing the record (visible but not coordinated → 403, else 404); after saving,
    back to the record's page.
    """

    action = Action.COORDINATE
    parent_queryset: ClassVar[QuerySet]
    parent_field: ClassVar[str]

    def get_parent(self) -> Model:
        if not hasattr(self, "_parent"):
            self._parent = fetch_for(
                self.request.user,
                self.parent_queryset.all(),
                Action.COORDINATE,
                pk=self.kwargs["pk"],
            )
        return self._parent

    def get_program(self):
        return self.get_parent().program

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.form_class._meta.model(**{self.parent_field: self.get_parent()})
        return kwargs

    def get_success_url(self) -> str:
        return self.get_parent().get_absolute_url()

    def cancel_url(self) -> str:
        """Back to the record, else its programme."""
        parent = self.get_parent()
        if hasattr(parent, "get_absolute_url"):
            return parent.get_absolute_url()
        return self.get_program().get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(program=self.get_program(), parent=self.get_parent())
        return context


class ObjectActionView(RightsMixin, generic.View):
    """POST only: one change to one record, by its coordinators (archive it, mark it done).

    The record is taken through the one 403-or-404 decision with a row lock; `perform` changes
    it inside that transaction and returns the message to show (or None); then back to the
    posted `next` when it is this site's, else to `redirect_url`, by default the record's page.
    """

    action = Action.COORDINATE
    http_method_names = ["post"]
    queryset: ClassVar[QuerySet | None] = None

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        with transaction.atomic():
            base = self.queryset.all()
            obj = fetch_for(request.user, base, Action.COORDINATE, lock=True, pk=pk)
            message = self.perform(obj)
        if message:
            messages.success(request, message)
        # Back to the page the button was on when it says so (and it is this site's).
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = self.redirect_url(obj)
        return HttpResponseRedirect(target)

    def perform(self, obj: Model) -> str | None:
        raise NotImplementedError

    def redirect_url(self, obj: Model) -> str:
        return obj.get_absolute_url()


class ObjectArchiveView(ObjectActionView):
    """Archive a record, or with `.as_view(archive=False)` bring it back.

    Archived records leave the lists (their FilterSet hides them unless asked) but keep their
    page and history; deleting is left to admins, in the admin.
    """

    url_page = "archive"  # its page in record_urls()

    archive: ClassVar[bool] = True

    def perform(self, obj: Model) -> str | None:
        if not obj.set_archived(self.archive, user=self.request.user):
            return None
        if self.archive:
            return _("Archived: it no longer appears in lists. Its page and history remain.")
        return _("Restored from the archive.")


def record_urls(prefix: str, *views: Any, parent: str = "") -> list[URLPattern]:
    """A model's pages under the one URL scheme, named `<model>_<page>` (STYLE rule 11).

    Each view's `url_page`, set by the generic view it is built on, says which page it is:
    `create` at `<parent><prefix>/new/` (under the record it belongs to), `list` at
    `<prefix>/`, `detail` at `<prefix>/<pk>/`, `edit` at `<prefix>/<pk>/edit/`, `archive` at
    `<prefix>/<pk>/archive/` and `unarchive/` (one view, both ways). The model is the view's
    `model` or its queryset's. Any other page is a `path()` of its own.
    """
    routes = {
        "create": f"{parent}{prefix}/new/",
        "list": f"{prefix}/",
        "detail": f"{prefix}/<int:pk>/",
        "edit": f"{prefix}/<int:pk>/edit/",
        "archive": f"{prefix}/<int:pk>/archive/",
    }
    patterns = []
    for view in views:
        model = getattr(view, "model", None) or view.queryset.model
        page, name = view.url_page, model._meta.model_name
        patterns.append(path(routes[page], view.as_view(), name=f"{name}_{page}"))
        if page == "archive":
            unarchive = view.as_view(archive=False)
            patterns.append(
                path(f"{prefix}/<int:pk>/unarchive/", unarchive, name=f"{name}_unarchive")
            )
    return patterns


class RowFormsetsMixin:
    """A create or edit page whose main form has row formsets beneath it, saved all or nothing.

    Declare `formset_classes` ({prefix: inline formset class}); `save_form` finds the bound
    formsets in `self.formsets`. Placed before ObjectCreateView/ObjectEditView, which decide the
    rights and wrap the save in a transaction: a `ValidationError` from the save rolls it back
    and shows the page again, with every error beside its field and listed at the top.
    """

    formset_classes: ClassVar[dict[str, type[BaseInlineFormSet]]] = {}
    details_title: ClassVar[str] = gettext_lazy("Details")
    request: HttpRequest
    formsets: dict[str, BaseInlineFormSet]

    def get_form(self, form_class: type[BaseForm] | None = None) -> BaseForm:
        form = super().get_form(form_class)  # type: ignore[misc]
        bound = self.submitted()  # type: ignore[attr-defined]
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
        return super().form_valid(form)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        form = context["form"]
        context["formsets"] = self.formsets
        context["details_title"] = self.details_title
        context["error_summary"] = self.error_summary(form) if form.is_bound else []
        # The long forms keep a draft in the browser while being filled (collab/app.js).
        context["draft_key"] = self.draft_key()  # type: ignore[attr-defined]
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


# --- exports made in the background (collab.export_jobs) ----------------------------------------

EXPORT_CONTENT_TYPES = {
    "csv": exports.CSV_TYPE,
    "json": exports.JSON_TYPE,
    "xlsx": exports.XLSX_TYPE,
}


class ExportJobView(LoginRequiredMixin, generic.DetailView):
    """An export's page: its progress, then its download link. Its owner's only (else 404)."""

    template_name = "collab/export_job.html"
    context_object_name = "job"
    refresh_seconds = 3

    def get_queryset(self) -> QuerySet:
        return ExportJob.objects.filter(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.object
        ready = export_jobs.file_path(job) is not None and not export_jobs.expired(job)
        context.update(
            refresh_seconds=self.refresh_seconds,
            download_url=reverse("export_download", args=[job.pk]) if ready else None,
            expires_at=export_jobs.expires_at(job),
            list_url=f"{job.path}?{job.query}" if job.query else job.path,
        )
        return context


class ExportDownloadView(LoginRequiredMixin, generic.View):
    """The finished file of an export, to its owner only, until it expires (else 404)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        job = get_object_or_404(ExportJob, pk=pk, user=request.user, state=ExportJob.State.DONE)
        path = export_jobs.file_path(job)
        if path is None or export_jobs.expired(job):
            raise Http404
        try:
            return private_file_response(
                path,
                filename=job.file_name,
                content_type=EXPORT_CONTENT_TYPES.get(job.format, "application/octet-stream"),
                no_store=True,
            )
        except FileNotFoundError:  # deleted by the sweep since it was looked up
            raise Http404 from None
