"""factory-boy factories for the domain models (small, valid defaults)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from zeal import zeal_ignore

from collab.models import Region, SdgGoal
from partners.models import Contact, Partner, PartnerKind, Pillar
from programs.models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    CommitmentUpdate,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)

PASSWORD = "rahasia-uji-123"


class LookupFactory(factory.django.DjangoModelFactory):
    """A factory that reuses the row with the same natural key (`django_get_or_create`).

    Its look-up is one `.get()` per object built, on purpose: building rows in a loop must not
    read as an N+1 to django-zeal (tests/conftest.py), which would flag the test's own line.
    """

    class Meta:
        abstract = True

    @classmethod
    def _get_or_create(cls, model_class, *args, **kwargs):
        with zeal_ignore([{"model": model_class._meta.label, "field": "get()"}]):
            return super()._get_or_create(model_class, *args, **kwargs)


class UserFactory(LookupFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class RegionFactory(LookupFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90 + n % 9}")
    name = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    level = Region.Level.PROVINCE
    kind = Region.Kind.PROVINSI


class SdgGoalFactory(LookupFactory):
    class Meta:
        model = SdgGoal
        django_get_or_create = ("code",)

    number = 11
    code = factory.LazyAttribute(lambda g: str(g.number))
    title_en = "Make cities and human settlements inclusive, safe, resilient and sustainable"


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


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program Uji {n}")
    slug = factory.Sequence(lambda n: f"program-uji-{n}")
    starts_on = datetime.date(2024, 1, 1)


class ProgramPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramPartner

    program = factory.SubFactory(ProgramFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = ProgramPartner.Role.MEMBER


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    program = factory.SubFactory(ProgramFactory)
    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Lokasi {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Rapat koordinasi {n}")
    starts_on = datetime.date(2024, 2, 6)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    partner = factory.SubFactory(PartnerFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Menyepakati rencana kerja"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Tindak lanjut {n}")
    due_on = datetime.date(2024, 6, 30)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Nota Kesepakatan {n}")
    signed_on = datetime.date(2024, 2, 6)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    partner = factory.SubFactory(PartnerFactory)
    signer_name = factory.Sequence(lambda n: f"Penanda Tangan {n}")


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    agreement = factory.SubFactory(AgreementFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda c: str(c.order))
    text = "Para pihak sepakat bekerja sama."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    program = factory.SubFactory(ProgramFactory)
    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Komitmen {n}")


class CommitmentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    status = Commitment.Status.IN_PROGRESS
    progress = 50


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "ha"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(n))
    value = 10
