"""What the partner directory exports (`?export=`); the writers are in collab.exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from collab.columns import URL, Column, ColumnSpec

from .models import PartnerKind, Pillar

PARTNER_COLUMNS = ColumnSpec(
    filename="mitra",
    columns=(
        Column("name", _("Name")),
        Column("acronym", _("Acronym")),
        Column("pillar", _("Pillar"), choices=Pillar.choices),
        Column("kind", _("Kind"), choices=PartnerKind.choices),
        Column("parent", _("Parent organisation"), source="parent__name"),
        Column("region_code", _("Region code"), source="region__code"),
        Column("region", _("Region"), source="region__name"),
        Column("website", _("Website"), kind=URL),
        Column("email", _("E-mail")),
        Column("phone", _("Phone")),
        Column("address", _("Address")),
        Column("is_active", _("Active")),
        Column("url", _("Record URL"), source="pk", link="partners:partner_detail"),
    ),
)
