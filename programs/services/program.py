"""Rights on programmes, and the staff group that reads everything."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from collab.permissions import STAFF_GROUP

from ..models import Program

# Apps whose every model staff may read.
STAFF_READABLE_APPS = ("collab", "partners", "programs")


@transaction.atomic
def grant_coordinator(*, program: Program, user: AbstractBaseUser | Group) -> None:
    """Make `user` (or a group) a coordinator of `program`."""
    assign_perm("programs.coordinate_program", user, program)


@transaction.atomic
def grant_viewer(*, program: Program, user: AbstractBaseUser | Group) -> None:
    """Let `user` (or a group) read `program`."""
    assign_perm("programs.view_program", user, program)


@transaction.atomic
def revoke_program_rights(*, program: Program, user: AbstractBaseUser | Group) -> None:
    """Take every right on `program` away from `user` (or a group)."""
    for codename in ("coordinate_program", "view_program", "export_agreement"):
        remove_perm(f"programs.{codename}", user, program)


@transaction.atomic
def ensure_staff_group() -> Group:
    """The `Staf` group: read everything, export agreement records. Idempotent."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    perms = Permission.objects.filter(
        content_type__app_label__in=STAFF_READABLE_APPS, codename__startswith="view_"
    ) | Permission.objects.filter(content_type__app_label="programs", codename="export_agreement")
    group.permissions.add(*perms)
    return group
