"""The partner directory and partner pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from collab.permissions import Action, restrict
from collab.views import ObjectDetailView, ObjectListView

from .exports import PARTNER_COLUMNS
from .filtersets import PartnerFilterSet
from .models import Contact, Partner


class PartnerListView(ObjectListView):
    queryset = Partner.objects.for_list()
    filterset_class = PartnerFilterSet
    export_spec = PARTNER_COLUMNS
    template_name = "partners/partner_list.html"
    extra_context = {"list_title": _("Partners")}


class PartnerDetailView(ObjectDetailView):
    queryset = Partner.objects.for_list()
    template_name = "partners/partner_detail.html"
    history_children = ()  # contacts are personal data: their history stays in the admin

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(self.object.page_sections(user))
        context["contacts"] = restrict(
            Contact.objects.filter(partner=self.object), user, Action.VIEW
        )
        return context
