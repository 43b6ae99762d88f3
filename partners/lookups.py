"""The partner type-ahead (collab.lookups): its select and its endpoint, registered in
PartnersConfig.ready()."""

from __future__ import annotations

from collab.lookups import LookupSelect, LookupView

from .models import Partner


class PartnerSelect(LookupSelect):
    """Partners: the whole directory is visible to anybody with a right on a programme."""

    url_name = "collab:partner_lookup"


class PartnerLookupView(LookupView):
    model = Partner
    search_fields = ("name", "acronym")
    only = ("pk", "name", "acronym")
