"""What the partner directory shows and exports (`?export=`): its column spec (collab.columns);
the writers are in collab.exports, the table in templates/collab/list.html."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from collab.columns import URL, Column, ColumnSpec, label, link, pillar, text

from .models import PartnerKind, Pillar

# Translated when the page is rendered; named here for makemessages, which reads no cell.
INACTIVE = gettext_noop("inactive")
NAME = link("") + (
    "{% if not row.is_active %} "
    f'<span class="badge text-bg-secondary">{{% translate "{INACTIVE}" %}}</span>{{% endif %}}'
)

PARTNER_COLUMNS = ColumnSpec(
    filename="mitra",
    columns=(
        Column("name", _("Name"), heading=_("Organisation"), cell=NAME),
        Column("acronym", _("Acronym")),
        Column("pillar", _("Pillar"), choices=Pillar.choices, cell=pillar("pillar")),
        Column("kind", _("Kind"), choices=PartnerKind.choices, cell=label("kind")),
        Column("parent", _("Parent organisation"), source="parent__name"),
        Column("region_code", _("Region code"), source="region__code"),
        Column("region", _("Region"), source="region__name", cell=text("region.name")),
        Column("website", _("Website"), kind=URL),
        Column("email", _("E-mail")),
        Column("phone", _("Phone")),
        Column("address", _("Address")),
        Column("description", _("Description"), cell=text("description|truncatewords:12")),
        Column("is_active", _("Active")),
        Column("url", _("Record URL"), source="pk", link="partners:partner_detail"),
    ),
)
