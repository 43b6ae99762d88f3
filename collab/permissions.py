"""The one permission chokepoint (DESIGN "Rights").

Every read of domain data goes through `restrict(queryset, user, action)`. Rights live on the
programme (the aggregate root); a child record follows its programme through the lookup path
named by its model's `program_path`. The programme ids a user may act on are expressed as a
SQL subquery over guardian's direct-foreign-key tables, never loaded into Python.

collab knows no domain app: the app that owns the root registers it (`register_rights_root`,
from its AppConfig.ready()), and a shared directory model (visible to whoever holds a right on
some programme) says so by declaring `directory_right` on itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


# Object permissions on the root that grant each action, and the model-level permissions
# ("<app>.<codename>") that grant an action on every programme (staff, or a custom role). Filled
# by register_rights_root.
OBJECT_CODENAMES: dict[Action, tuple[str, ...]] = {}
GLOBAL_PERMS: dict[Action, str] = {}


@dataclass(frozen=True)
class RightsRoot:
    """The aggregate root that carries the rights, and guardian's direct-FK permission tables."""

    model: type[Model]
    user_permissions: type[Model]
    group_permissions: type[Model]


_root: RightsRoot | None = None


def register_rights_root(
    model: type[Model],
    *,
    user_permissions: type[Model],
    group_permissions: type[Model],
    codenames: Mapping[Action, tuple[str, ...]],
    global_codenames: Mapping[Action, str],
) -> None:
    """Name the model whose rows carry the rights (called once, by the app that owns it).

    `codenames[action]`: the object permissions on a row that grant `action` on that row;
    `global_codenames[action]`: the model-level permission that grants it on every row.
    """
    global _root
    if _root is not None and _root.model is not model:
        raise RuntimeError(f"The rights root is already {_root.model._meta.label}.")
    _root = RightsRoot(model, user_permissions, group_permissions)
    OBJECT_CODENAMES.clear()
    OBJECT_CODENAMES.update({Action(action): tuple(names) for action, names in codenames.items()})
    GLOBAL_PERMS.clear()
    GLOBAL_PERMS.update(
        {
            Action(action): f"{model._meta.app_label}.{codename}"
            for action, codename in global_codenames.items()
        }
    )


def registered_root() -> RightsRoot:
    if _root is None:
        raise RuntimeError(
            "No rights root is registered: the app that owns it calls "
            "collab.permissions.register_rights_root() in its AppConfig.ready()."
        )
    return _root


def rights_root() -> type[Model]:
    """The model that carries the rights (the programme)."""
    return registered_root().model


def program_path(model: type[Model]) -> str | None:
    """Lookup from `model` to the rights root: "" for the root itself, None if not under it."""
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

    root = registered_root()
    codenames = OBJECT_CODENAMES[Action(action)]
    marks = ", ".join(["%s"] * len(codenames))
    permissions = Permission._meta.db_table
    memberships = get_user_model().groups.through._meta.db_table
    # The shape matters: two IN lists joined by OR stay hashed filters in PostgreSQL's plan, so
    # a list walks its ordering index and tests each row; a UNION would be pulled up into a
    # join that the planner, guessing two programmes, drives from the programmes instead.
    sql = (
        f"SELECT v.id FROM {root.model._meta.db_table} v WHERE v.id IN ("
        f"SELECT u.content_object_id FROM {root.user_permissions._meta.db_table} u"
        f" INNER JOIN {permissions} p ON p.id = u.permission_id"
        f" WHERE u.user_id = %s AND p.codename IN ({marks})"
        f") OR v.id IN ("
        f"SELECT g.content_object_id FROM {root.group_permissions._meta.db_table} g"
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

    Programme-scoped models follow their programme. A directory model (one that declares
    `directory_right`, e.g. partners and their contact persons) is readable by anybody who holds
    that right on at least one programme, or its model-level view permission; only admins and
    holders of the model permission change it.
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
    needed = getattr(model, "directory_right", None)
    if needed is not None:
        if action is not Action.VIEW:
            return queryset.none()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            return queryset
        root = rights_root()._default_manager
        if root.filter(pk__in=program_ids(user, Action(needed))).exists():
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
