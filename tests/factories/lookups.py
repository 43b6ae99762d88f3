"""Factories of the rows looked up by a natural key: users, regions, SDG goals."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from zeal import zeal_ignore

from collab.models import Region, SdgGoal

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
