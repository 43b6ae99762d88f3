"""`/sitemap.xml`: the public pages, each section's items read from its model's `public()`."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from partners.models import Partner

from ..models import Agreement, Meeting, Program


class LatestFromAggregate(Sitemap):
    """Django's default get_latest_lastmod() walks every item; one aggregate instead."""

    lastmod_field = "updated_at"

    def lastmod(self, item: Any) -> Any:
        return getattr(item, self.lastmod_field)

    def get_latest_lastmod(self) -> Any:
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["public:program_list", "public:data_index"]

    def location(self, item: str) -> str:
        return reverse(item)


class PublicSitemap(LatestFromAggregate):
    """The public records of `model` (its QuerySet's `public()`), each at the page `url_name`
    named by its `url_field`."""

    model: ClassVar[Any]
    url_name: ClassVar[str]
    url_field: ClassVar[str] = "pk"

    def items(self) -> QuerySet:
        fields = (self.url_field, self.lastmod_field)
        return self.model.objects.public().order_by("pk").only(*fields)

    def location(self, item: Any) -> str:
        return reverse(self.url_name, args=[getattr(item, self.url_field)])


class ProgramSitemap(PublicSitemap):
    model, url_name, url_field = Program, "public:program_detail", "slug"
    changefreq = "weekly"
    priority = 0.8


class MeetingSitemap(PublicSitemap):
    model, url_name = Meeting, "public:meeting_detail"


class AgreementSitemap(PublicSitemap):
    model, url_name = Agreement, "public:agreement_detail"


class PartnerSitemap(PublicSitemap):
    model, url_name = Partner, "public:partner_detail"


SITEMAPS = {
    "pages": StaticSitemap,
    "programmes": ProgramSitemap,
    "meetings": MeetingSitemap,
    "agreements": AgreementSitemap,
    "partners": PartnerSitemap,
}
