"""The one permission chokepoint (DESIGN "Rights").

Every read of domain data goes through `restrict(queryset, user, action)`. Rights live on the
programme (the aggregate root); a child record follows its programme through the lookup path
named by its model's `program_path`. The programme ids a user may act on are expressed as a
SQL subquery over guardian's direct-foreign-key tables, never loaded into Python.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

M = TypeVar("M", bound=Model)

STAFF_GROUP = "Staf"

# Reference data (SDG taxonomy, regions): public knowledge, read-only in the pages. Other collab
# models (user preferences with calendar tokens, reminder logs) are never restricted through here.
REFERENCE_MODELS = frozenset(
    {"collab.SdgGoal", "collab.SdgTarget", "collab.SdgIndicator", "collab.Region"}
)


class Action(StrEnum):
    VIEW = "view"
    COORDINATE = "coordinate"  # record and edit a programme's meetings, commitments, agreements…
    EXPORT = "export"  # export agreement records


# Object permissions on a Program that grant each action.
OBJECT_CODENAMES: dict[Action, tuple[str, ...]] = {
    Action.VIEW: ("view_program", "coordinate_program"),
    Action.COORDINATE: ("coordinate_program",),
    Action.EXPORT: ("coordinate_program", "export_agreement"),
}
# Model-level permissions that grant an action on every programme (staff, or a custom role).
GLOBAL_PERMS: dict[Action, str] = {
    Action.VIEW: "programs.view_program",
    Action.COORDINATE: "programs.coordinate_program",
    Action.EXPORT: "programs.export_agreement",
}


def program_path(model: type[Model]) -> str | None:
    """Lookup from `model` to its Program: "" for Program itself, None if not programme-scoped."""
    return getattr(model, "program_path", None)


def program_ids(user: AbstractBaseUser | AnonymousUser, action: Action | str) -> RawSQL:
    """A subquery of the ids of programmes on which `user` holds an object right for `action`:
    granted to the user, or to one of the user's groups, in guardian's direct-FK tables.

    Written as SQL rather than built from querysets: it is part of nearly every query of every
    page of a coordinator, and the ORM spent more time composing its three nested queries
    than the database spends running it. Plain SQL that SQLite and PostgreSQL both run.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from programs.models import (
        Program,
        ProgramGroupObjectPermission,
        ProgramUserObjectPermission,
    )

    codenames = OBJECT_CODENAMES[Action(action)]
    marks = ", ".join(["%s"] * len(codenames))
    permissions = Permission._meta.db_table
    memberships = get_user_model().groups.through._meta.db_table
    # The shape matters: two IN lists joined by OR stay hashed filters in PostgreSQL's plan, so
    # a list walks its ordering index and tests each row; a UNION would be pulled up into a
    # join that the planner, guessing two programmes, drives from the programmes instead.
    sql = (
        f"SELECT v.id FROM {Program._meta.db_table} v WHERE v.id IN ("
        f"SELECT u.content_object_id FROM {ProgramUserObjectPermission._meta.db_table} u"
        f" INNER JOIN {permissions} p ON p.id = u.permission_id"
        f" WHERE u.user_id = %s AND p.codename IN ({marks})"
        f") OR v.id IN ("
        f"SELECT g.content_object_id FROM {ProgramGroupObjectPermission._meta.db_table} g"
        f" INNER JOIN {permissions} p ON p.id = g.permission_id"
        f" INNER JOIN {memberships} m ON m.group_id = g.group_id"
        f" WHERE m.user_id = %s AND p.codename IN ({marks}))"
    )
    return RawSQL(sql, (user.pk, *codenames, user.pk, *codenames))


def has_global_right(user: AbstractBaseUser | AnonymousUser, action: Action | str) -> bool:
    """True for superusers and for users whose model-level permission covers every programme."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(GLOBAL_PERMS[Action(action)])


def restrict(
    queryset: QuerySet[M], user: AbstractBaseUser | AnonymousUser, action: Action | str = "view"
) -> QuerySet[M]:
    """`queryset` narrowed to the rows `user` may act on with `action`.

    Programme-scoped models follow their programme. Partners (the shared directory) are visible
    to anybody who holds a right on at least one programme, contacts (personal data) to
    coordinators; only admins and holders of the model permission change them.
    """
    action = Action(action)
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if has_global_right(user, action):
        return queryset
    model = queryset.model
    path = program_path(model)
    if path is not None:
        lookup = f"{path}__in" if path else "pk__in"
        return queryset.filter(**{lookup: program_ids(user, action)})
    if model._meta.label in REFERENCE_MODELS:  # readable by every signed-in user
        return queryset if action is Action.VIEW else queryset.none()
    if model._meta.label in {"partners.Partner", "partners.Contact"}:
        if action is not Action.VIEW:
            return queryset.none()
        needed = Action.VIEW if model._meta.label == "partners.Partner" else Action.COORDINATE
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            return queryset
        from programs.models import Program

        if Program.objects.filter(pk__in=program_ids(user, needed)).exists():
            return queryset
        return queryset.none()
    raise TypeError(f"{model._meta.label} is not covered by the rights rules")


def can(user: AbstractBaseUser | AnonymousUser, action: Action | str, program: Model) -> bool:
    """Whether `user` may act on `program` with `action` (one query at most)."""
    if has_global_right(user, action):
        return True
    if not user.is_authenticated:
        return False
    return restrict(type(program)._default_manager.filter(pk=program.pk), user, action).exists()
