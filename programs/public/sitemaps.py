"""`/sitemap.xml`: the public pages, each section's items read from its model's `public()`."""

from __future__ import annotations

from typing import Any

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


class ProgramSitemap(LatestFromAggregate):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet:
        return Program.objects.public().order_by("pk").only("slug", "updated_at")

    def location(self, item: Program) -> str:
        return reverse("public:program_detail", args=[item.slug])


class MeetingSitemap(LatestFromAggregate):
    def items(self) -> QuerySet:
        return Meeting.objects.public().order_by("pk").only("pk", "updated_at")

    def location(self, item: Meeting) -> str:
        return reverse("public:meeting_detail", args=[item.pk])


class AgreementSitemap(LatestFromAggregate):
    def items(self) -> QuerySet:
        return Agreement.objects.public().order_by("pk").only("pk", "updated_at")

    def location(self, item: Agreement) -> str:
        return reverse("public:agreement_detail", args=[item.pk])


class PartnerSitemap(LatestFromAggregate):
    def items(self) -> QuerySet:
        return Partner.objects.public().order_by("pk").only("pk", "updated_at")

    def location(self, item: Partner) -> str:
        return reverse("public:partner_detail", args=[item.pk])


SITEMAPS = {
    "pages": StaticSitemap,
    "programmes": ProgramSitemap,
    "meetings": MeetingSitemap,
    "agreements": AgreementSitemap,
    "partners": PartnerSitemap,
}
