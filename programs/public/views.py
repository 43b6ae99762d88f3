"""The anonymous public pages (DESIGN "Pages and URLs": /public/…).

Every object is fetched through a model's `public()` method: a private programme, an archived
record or a draft agreement is a 404 here, exactly as if it did not exist. Pages carry nothing
per visitor (no CSRF token, no user, no session), so they are answered from the shared cache
(collab.public_cache) with public HTTP caching; the language is in the URL (`?lang=en`), never
in a cookie, so the cache is keyed by it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import generic

from collab import exports
from collab.jsonld import json_ld
from collab.permissions import Action, restrict
from collab.public_cache import cached_response, max_age
from collab.views import RightsMixin
from partners.models import Partner

from ..models import Agreement, Meeting, Program
from . import iati, opendata, schema_org, sections
from .filtersets import PublicProgramFilterSet
from .sitemaps import SITEMAPS

LANG_PARAM = "lang"


def request_language(request: HttpRequest) -> str:
    """The language a public URL asks for: `?lang=en`, else Indonesian (cookies are ignored,
    so one URL is one page for every visitor)."""
    wanted = request.GET.get(LANG_PARAM, "")
    supported = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in supported else settings.LANGUAGE_CODE


def public_path(name: str, *args: Any, language: str | None = None) -> str:
    """The path of a public page in `language` (the active one by default)."""
    path = reverse(name, args=args)
    language = language or translation.get_language()
    if language and language != settings.LANGUAGE_CODE:
        path += f"?{LANG_PARAM}={language}"
    return path


class PublicPage(generic.TemplateView):
    """GET/HEAD only, rendered in the URL's language, cached and validated."""

    http_method_names = ["get", "head"]
    description: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request_language(request)
        # Only the page's own URLs are stored (its path, with a valid language or none): a
        # query string a visitor writes (a search, an unknown language) is rendered each time,
        # so nobody can fill the shared cache with variants.
        extra = set(request.GET) - {LANG_PARAM}
        if request.GET.get(LANG_PARAM, language) != language:
            extra.add(LANG_PARAM)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = cached_response(
                request,
                lambda: super(PublicPage, self).dispatch(request, *args, **kwargs),
                store=not extra,
            )
        response["Content-Language"] = language
        return response

    def canonical_path(self) -> str:
        return self.request.path

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        language = translation.get_language()
        canonical = self.canonical_path()
        context.update(
            canonical_url=self.request.build_absolute_uri(
                canonical
                + (f"?{LANG_PARAM}={language}" if language != settings.LANGUAGE_CODE else "")
            ),
            alternates=[
                (
                    code,
                    name,
                    self.request.build_absolute_uri(
                        canonical + ("" if code == settings.LANGUAGE_CODE else f"?lang={code}")
                    ),
                )
                for code, name in settings.LANGUAGES
            ],
            switch_languages=[
                (code, translation.get_language_info(code)["name_local"])
                for code, _name in settings.LANGUAGES
                if code != language
            ],
        )
        return context

    def absolute(self, name: str, *args: Any) -> str:
        return self.request.build_absolute_uri(public_path(name, *args))


class ProgramListView(PublicPage):
    template_name = "programs/public/program_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = PublicProgramFilterSet(
            self.request.GET or None, queryset=Program.objects.public().for_list()
        )
        # Unbound: every public programme; an invalid filter shows its error and no row.
        valid = not filterset.is_bound or filterset.is_valid()
        queryset = filterset.qs.order_by("name", "id") if valid else Program.objects.none()
        page = Paginator(queryset, 50).get_page(self.request.GET.get("page"))
        context.update(
            filterset=filterset,
            page_obj=page,
            programs=list(page.object_list),
            meta_description=_(
                "Multi-stakeholder SDG collaborations in Indonesia: their partners, sites, "
                "meetings, agreements and commitments."
            ),
        )
        return context


class ProgramDetailView(PublicPage):
    template_name = "programs/public/program_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        program = get_object_or_404(Program.objects.public().for_detail(), slug=kwargs["slug"])
        context.update(sections.program_sections(program))
        context.update(
            program=program,
            meta_description=(program.description or program.name)[:300],
            json_ld=json_ld(
                {
                    "@type": "Project",
                    "@id": self.absolute("public:program_detail", program.slug),
                    "url": self.absolute("public:program_detail", program.slug),
                    "name": program.name,
                    "description": program.description,
                    "foundingDate": program.starts_on,
                    "member": [
                        schema_org.organization(
                            m.partner,
                            self.absolute("public:partner_detail", m.partner.pk),
                            full=False,
                        )
                        for pillar in context["pillars"]
                        for m in pillar["memberships"]
                    ],
                }
            ),
        )
        return context


class MeetingDetailView(PublicPage):
    template_name = "programs/public/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(
            Meeting.objects.public().select_related("program"), pk=kwargs["pk"]
        )
        context.update(sections.meeting_sections(meeting))
        program = meeting.program
        context.update(
            meeting=meeting,
            program=program,
            meta_description=(meeting.summary or meeting.title)[:300],
            json_ld=json_ld(
                schema_org.event(
                    meeting,
                    url=self.absolute("public:meeting_detail", meeting.pk),
                    program=program,
                    program_url=self.absolute("public:program_detail", program.slug),
                    organisations=[
                        (partner, self.absolute("public:partner_detail", partner.pk))
                        for partner in context["organisations"]
                    ],
                )
            ),
        )
        return context


class AgreementDetailView(PublicPage):
    template_name = "programs/public/agreement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement = get_object_or_404(
            Agreement.objects.public().select_related("program"), pk=kwargs["pk"]
        )
        context.update(sections.agreement_sections(agreement))
        context.update(
            agreement=agreement,
            program=agreement.program,
            # An archived meeting is not named.
            meeting=(
                Meeting.objects.public().filter(pk=agreement.meeting_id).first()
                if agreement.meeting_id
                else None
            ),
            scan_is_public=bool(agreement.scan_is_public and agreement.document),
            meta_description=agreement.title[:300],
        )
        return context


class AgreementDocumentView(generic.View):
    """The signed scan of a public agreement whose scan is public; anything else is a 404."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = get_object_or_404(
            Agreement.objects.public().filter(scan_is_public=True).exclude(document=""), pk=pk
        )
        try:
            handle = agreement.document.open("rb")
        except FileNotFoundError:
            raise Http404(_("Not found.")) from None
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="perjanjian-{agreement.pk}.pdf"'
        if agreement.document_sha256:
            response["ETag"] = f'"{agreement.document_sha256}"'
        patch_cache_control(response, public=True, max_age=3600)
        return response


class PartnerDetailView(PublicPage):
    template_name = "programs/public/partner_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partner = get_object_or_404(
            Partner.objects.public()
            .select_related("region")
            .only(
                *sections.PARTNER_FIELDS,
                "website",
                "description",
                "region__id",
                "region__name",
                "region__code",
            ),
            pk=kwargs["pk"],
        )
        context.update(sections.partner_sections(partner))
        context.update(
            partner=partner,
            meta_description=(partner.description or partner.name)[:300],
            json_ld=json_ld(
                schema_org.organization(partner, self.absolute("public:partner_detail", partner.pk))
            ),
        )
        return context


class ProgramPublishView(RightsMixin, generic.View):
    """Publish or withdraw a programme (POST `publish=1|0`): its coordinators and admins only.
    The change is saved through the model, so the programme's history records who made it."""

    action = Action.COORDINATE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        with transaction.atomic():
            program = get_object_or_404(
                restrict(Program.objects.select_for_update(), request.user, Action.COORDINATE),
                slug=slug,
            )
            wanted = request.POST.get("publish") == "1"
            if program.is_public != wanted:
                program.is_public = wanted
                program.save(update_fields=["is_public", "updated_at"])
        if wanted:
            messages.success(request, _("The programme is published on the public pages."))
        else:
            messages.success(request, _("The programme is no longer public."))
        return HttpResponseRedirect(program.get_absolute_url())


# --- open data ----------------------------------------------------------------------------------


class DataIndexView(PublicPage):
    """Every open data file: for all public programmes and for each one."""

    template_name = "programs/public/data_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        slug = kwargs.get("slug")
        program = (
            get_object_or_404(Program.objects.public(), slug=slug) if slug is not None else None
        )
        context.update(
            program=program,
            datasets=opendata.DATASETS,
            formats=("csv", "json"),
            programs=list(Program.objects.public().order_by("name").only("id", "name", "slug")),
            iati_org_id=settings.COLLAB_IATI_ORG_ID,
            meta_description=_(
                "Open data of the public programmes: CSV, JSON and IATI activity files."
            ),
        )
        return context


class DataFileView(generic.View):
    """One open data list as CSV or JSON (streamed), all public programmes or one."""

    http_method_names = ["get", "head"]

    def get(
        self, request: HttpRequest, dataset: str, fmt: str, slug: str | None = None
    ) -> HttpResponse:
        spec = opendata.DATASET_BY_NAME.get(dataset)
        if spec is None or fmt not in ("csv", "json"):
            raise Http404(_("Not found."))
        with translation.override(request_language(request)):
            rows = spec.rows()
            name = spec.spec.filename
            if slug is not None:
                program = get_object_or_404(Program.objects.public(), slug=slug)
                rows = rows.filter(**{spec.program_field: program.pk})
                name = f"{program.slug}-{name}"
            response = exports.WRITERS[fmt](
                exports.ExportRows(spec.spec, rows, request), f"{name}.{fmt}"
            )
        # Public data: the writers' private, no-store default gives way to public caching.
        del response["Cache-Control"]
        patch_cache_control(response, public=True, max_age=max_age())
        response["Access-Control-Allow-Origin"] = "*"
        return response


def sitemap(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml` of the public pages, from the shared cache like the pages."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if set(request.GET) - {"p"}:
        raise Http404(_("Not found."))
    return cached_response(request, lambda: sitemap_views.sitemap(request, sitemaps=SITEMAPS))


class IatiFileView(generic.View):
    """The IATI 2.03 activity file: all public programmes, or one. Validated before it is
    served; an invalid file is refused with a page naming each record and the rule it breaks."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str | None = None) -> HttpResponse:
        programs = Program.objects.public().for_detail().order_by("name", "id")
        if slug is not None:
            programs = programs.filter(slug=slug)
            if not programs.exists():
                raise Http404(_("Not found."))
        with translation.override(settings.LANGUAGE_CODE):
            return cached_response(request, lambda: self.render(request, list(programs)))

    def render(self, request: HttpRequest, programs: list[Program]) -> HttpResponse:
        def absolute(name: str, *args: Any) -> str:
            return request.build_absolute_uri(reverse(name, args=args))

        try:
            body = iati.build_file(programs, absolute=absolute, now=timezone.now())
        except iati.IatiInvalid as invalid:
            return TemplateResponse(
                request,
                "programs/public/iati_invalid.html",
                {"errors": invalid.errors, "meta_description": ""},
                status=422,
            ).render()
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
        name = f"{programs[0].slug}-iati.xml" if len(programs) == 1 else "iati-activities.xml"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        response["Access-Control-Allow-Origin"] = "*"
        return response
