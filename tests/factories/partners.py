"""Factories of partners (partners/models.py)."""

from __future__ import annotations

import factory

from partners.models import Contact, Partner, PartnerKind, Pillar


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Yayasan Mitra {n}")
    pillar = Pillar.CIVIL_SOCIETY_MEDIA
    kind = PartnerKind.CSO


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Kontak {n}")
    position = "Direktur"
