"""The partner directory and partner pages.

A partner page shows what other apps know of the partner (a programme app: its programmes,
commitments and agreements). partners knows no such app: each registers a function that adds
its sections to the page (`register_page_sections`), so the page's URL stays partners'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from collab.permissions import Action, restrict
from collab.views import ObjectDetailView, ObjectListView

from .exports import PARTNER_COLUMNS
from .filtersets import PartnerFilterSet
from .models import Contact, Partner

# (partner, user) -> the context a section adds; every row in it restricted for `user`.
PageSections = Callable[[Partner, Any], dict[str, Any]]
_page_sections: list[PageSections] = []


def register_page_sections(sections: PageSections) -> None:
    """Add `sections` to every partner page (called from the other app's AppConfig.ready())."""
    if sections not in _page_sections:
        _page_sections.append(sections)


class PartnerListView(ObjectListView):
    queryset = Partner.objects.for_list()
    filterset_class = PartnerFilterSet
    columns = PARTNER_COLUMNS
    extra_context = {"list_title": _("Partners")}


class PartnerDetailView(ObjectDetailView):
    # Longer than a declaration: the sections other apps register, and the contacts.
    queryset = Partner.objects.for_list()
    history_children = ()  # contacts are personal data: their history stays in the admin

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for sections in _page_sections:
            context.update(sections(self.object, user))
        context["contacts"] = restrict(
            Contact.objects.filter(partner=self.object), user, Action.VIEW
        )
        return context
