"""The accounts: one staff member, the coordinators, and their rights on the programmes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from programs.models import ProgramUserObjectPermission
from programs.services.program import ensure_staff_group

from .core import COORDINATOR_USERNAME, EMAIL_DOMAIN, STAFF_USERNAME, ScaleGenerator


def create_users(gen: ScaleGenerator) -> None:
    user_model = get_user_model()
    names = [STAFF_USERNAME] + [
        COORDINATOR_USERNAME.format(n) for n in range(gen.counts.coordinators)
    ]
    with gen.step("auth_user", len(names)) as written:
        existing = dict(user_model.objects.filter(username__in=names).values_list("username", "pk"))
        # One hash for every account: hashing is deliberately slow (≈0.5 s each).
        encoded = make_password(gen.password) if gen.password else None
        new_users = [
            user_model(
                username=name,
                email=f"{name}@{EMAIL_DOMAIN}",
                first_name="Staf" if name == STAFF_USERNAME else "Koordinator",
                last_name="Skala",
                password=encoded or make_password(None),
            )
            for name in names
            if name not in existing
        ]
        user_model.objects.bulk_create(new_users, batch_size=gen.batch_size)
        if encoded and existing:
            user_model.objects.filter(pk__in=existing.values()).update(password=encoded)
        gen.progress.advance(len(names))
        ids = dict(user_model.objects.filter(username__in=names).values_list("username", "pk"))
        gen.coordinator_ids = [
            ids[COORDINATOR_USERNAME.format(n)] for n in range(gen.counts.coordinators)
        ]
        ensure_staff_group().user_set.add(ids[STAFF_USERNAME])
        written.append(len(new_users))


def grant_rights(gen: ScaleGenerator) -> None:
    """coordinate_program: `skala-koordinator-0` on the largest programme and 49 others;
    every programme has one or two of the other coordinators."""
    permission = Permission.objects.get(
        content_type__app_label="programs", codename="coordinate_program"
    )
    pairs: set[tuple[int, int]] = set()
    coordinators = gen.coordinator_ids
    if coordinators:
        first = coordinators[0]
        wanted = min(gen.counts.coordinator_programs, len(gen.programs))
        others = gen.rng.sample(range(1, len(gen.programs)), max(wanted - 1, 0))
        pairs.update((first, index) for index in [0, *others][:wanted])
        rest = coordinators[1:]
        order = list(range(len(gen.programs)))
        gen.rng.shuffle(order)
        for position, index in enumerate(order):
            if not rest:
                break
            user_id = rest[position % len(rest)]
            pairs.add((user_id, index))
            gen.programs[index].coordinator_id = user_id
            if len(rest) > 1 and gen.rng.random() < 0.25:
                pairs.add((gen.rng.choice(rest), index))
    rows = [
        {
            "user_id": user_id,
            "permission_id": permission.pk,
            "content_object_id": gen.programs[index].id,
        }
        for user_id, index in sorted(pairs)
    ]
    gen.write_table(ProgramUserObjectPermission, rows, len(rows))
