"""The partner type-ahead's endpoint (collab.lookups), registered in PartnersConfig.ready()."""

from __future__ import annotations

from collab.lookups import LookupView

from .models import Partner


class PartnerLookupView(LookupView):
    model = Partner
    search_fields = ("name", "acronym")
    only = ("pk", "name", "acronym")
