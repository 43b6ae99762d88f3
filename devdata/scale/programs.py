"""Programmes (sized by a Zipf law), their goals and targets, their partners and their
pilot sites."""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence

from django.utils.text import slugify

from collab.models import Region
from programs.models import Program, ProgramPartner, Site

from .core import SLUG_PREFIX, ZIPF_EXPONENT, ProgramInfo, ScaleGenerator, pick
from .rows import Row, chunks
from .words import TOPICS

PROGRAM_THEMES = (
    "Kota SDGs",
    "Kelurahan Mandiri",
    "Kota Tanpa Kumuh",
    "Desa Sehat",
    "Percepatan Penurunan Stunting",
    "Air Minum dan Sanitasi",
    "Kampung Iklim",
    "Ekonomi Sirkular",
    "Sekolah Inklusif",
    "Pemberdayaan Perempuan",
    "Ketahanan Pangan",
    "Energi Bersih Desa",
    "Literasi Digital",
    "Pengelolaan Sampah Terpadu",
    "Mangrove Lestari",
    "Kesehatan Ibu dan Anak",
    "UMKM Naik Kelas",
)


def create_programs(gen: ScaleGenerator) -> None:
    total = gen.counts.programs
    rng = gen.rng
    gen.program_cum_weights = list(
        itertools.accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(total))
    )
    for rank in range(total):
        home = rng.choice(gen.regencies)
        theme = rng.choice(PROGRAM_THEMES)
        # The handful of largest programmes are national, the long tail local.
        name = f"{theme} Nasional {rank + 1}" if rank < 10 else f"{theme} {home[2]}"
        starts_on = gen.day_between(datetime.date(2015, 1, 1), datetime.date(2024, 6, 30))
        gen.programs.append(ProgramInfo(rank, name, starts_on, home))
    # Created in the order they started, not by size: the largest is not simply the first.
    order = sorted(range(total), key=lambda index: gen.programs[index].starts_on)
    statuses = (
        (0.6, Program.Status.ACTIVE),
        (0.8, Program.Status.COMPLETED),
        (0.9, Program.Status.PLANNED),
        (1.0, Program.Status.SUSPENDED),
    )

    def rows() -> Iterator[Row]:
        for index in order:
            info = gen.programs[index]
            status = Program.Status.ACTIVE if info.rank < 10 else pick(rng, statuses)
            ends_on = None
            if status == Program.Status.COMPLETED:
                ends_on = gen.day_between(info.starts_on, gen.anchor)
            elif rng.random() < 0.5:
                ends_on = info.starts_on + datetime.timedelta(days=365 * rng.randint(3, 10))
            stamp = gen.stamp(info.starts_on)
            info.slug = f"{SLUG_PREFIX}{info.rank + 1:04d}-{slugify(info.name)}"[:100]
            yield {
                "name": info.name,
                "slug": info.slug,
                "description": (
                    f"Kolaborasi multipihak {info.name} untuk {rng.choice(TOPICS)} "
                    f"dan {rng.choice(TOPICS)}."
                ),
                "status": status,
                "starts_on": info.starts_on,
                "ends_on": ends_on,
                "meeting_cadence_months": rng.choice((None, 1, 3, 3, 6)),
                "created_at": stamp,
                "updated_at": stamp,
            }

    with gen.step("programs_program", total) as written:
        for index, program_id in zip(order, gen.insert_all(Program, rows()), strict=True):
            gen.programs[index].id = program_id
        written.append(total)
        goal_links: list[Row] = []
        target_links: list[Row] = []
        for info in gen.programs:
            for goal_id in rng.sample(gen.goals, min(len(gen.goals), rng.randint(1, 3))):
                goal_links.append({"program_id": info.id, "sdggoal_id": goal_id})
                targets = gen.targets_by_goal.get(goal_id, [])
                for target_id in rng.sample(targets, min(len(targets), 2)):
                    target_links.append({"program_id": info.id, "sdgtarget_id": target_id})
        # Written past the progress line: it counts programmes, not their links.
        for through, links in (
            (Program.sdg_goals.through, goal_links),
            (Program.sdg_targets.through, target_links),
        ):
            for batch in chunks(links, gen.batch_size):
                gen.writer.insert(through, batch)


def add_members(gen: ScaleGenerator) -> None:
    """Partners' roles: a programme's size sets how many partners it has (3 to ~300)."""
    rng = gen.rng
    total_weight = gen.program_cum_weights[-1]
    partner_range = range(len(gen.partner_ids))
    for index, info in enumerate(gen.programs):
        expected = gen.counts.commitments / ((index + 1) ** ZIPF_EXPONENT * total_weight)
        wanted = min(len(gen.partner_ids), 3 + round(1.2 * math.sqrt(expected)))
        chosen: dict[int, None] = {}
        # Draw by popularity until enough distinct partners (bounded: never loops forever).
        for _attempt in range(20):
            if len(chosen) >= wanted:
                break
            for partner_index in rng.choices(
                partner_range, cum_weights=gen.partner_cum_weights, k=wanted - len(chosen)
            ):
                chosen[gen.partner_ids[partner_index]] = None
        info.members = list(chosen)[:wanted]
    total = sum(len(info.members) for info in gen.programs)
    roles = (
        (0.35, ProgramPartner.Role.IMPLEMENTING),
        (0.6, ProgramPartner.Role.MEMBER),
        (0.75, ProgramPartner.Role.TECHNICAL),
        (0.92, ProgramPartner.Role.FUNDER),
        (1.0, ProgramPartner.Role.OBSERVER),
    )

    def rows() -> Iterator[Row]:
        for info in gen.programs:
            for position, partner_id in enumerate(info.members):
                joined = gen.day_between(info.starts_on, gen.anchor)
                stamp = gen.stamp(joined)
                yield {
                    "program_id": info.id,
                    "partner_id": partner_id,
                    "role": ProgramPartner.Role.CONVENOR if position == 0 else pick(rng, roles),
                    "joined_on": joined,
                    "created_at": stamp,
                    "updated_at": stamp,
                }

    gen.write_table(ProgramPartner, rows(), total)


def create_sites(gen: ScaleGenerator) -> None:
    rng = gen.rng
    counts = _counter(gen.program_choices(gen.counts.sites), len(gen.programs))
    planned: list[tuple[datetime.datetime, int, int]] = []  # (created, programme, village)
    for index, wanted in enumerate(counts):
        info = gen.programs[index]
        home_code = info.home[1]
        pool: Sequence[int] = gen.villages_by_regency.get(home_code, [])
        if len(pool) < wanted:
            pool = gen.villages_by_province.get(home_code[:2], [])
        if len(pool) < wanted:
            pool = range(len(gen.villages))
        for village_index in rng.sample(pool, min(wanted, len(pool))):
            day = gen.day_between(info.starts_on, gen.anchor)
            planned.append((gen.stamp(day), index, village_index))
    planned.sort()
    statuses = (
        (0.7, Site.Status.ACTIVE),
        (0.8, Site.Status.PROPOSED),
        (0.95, Site.Status.COMPLETED),
        (1.0, Site.Status.DROPPED),
    )
    names = []
    for _stamp, _index, village_index in planned:
        _id, _code, village, kind = gen.villages[village_index]
        names.append(f"{'Kelurahan' if kind == Region.Kind.KELURAHAN else 'Desa'} {village}")

    def rows() -> Iterator[Row]:
        for (stamp, index, village_index), name in zip(planned, names, strict=True):
            yield {
                "program_id": gen.programs[index].id,
                "region_id": gen.villages[village_index][0],
                "name": name,
                "status": pick(rng, statuses),
                "rationale": f"Prioritas {rng.choice(TOPICS)} menurut data kemiskinan.",
                "priority_issues": ", ".join(rng.sample(TOPICS, 2)),
                "created_at": stamp,
                "updated_at": stamp,
            }

    ids = gen.write_table(Site, rows(), len(planned))
    gen.site_names: dict[int, str] = {}
    for site_id, (_stamp, index, _village), name in zip(ids, planned, names, strict=True):
        gen.programs[index].sites.append(site_id)
        gen.site_names[site_id] = name


def _counter(indexes: Iterable[int], size: int) -> list[int]:
    counts = [0] * size
    for index in indexes:
        counts[index] += 1
    return counts
