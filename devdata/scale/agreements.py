"""Agreements (MoU, PKS…) with their signatories and their clauses under sections."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence

from programs.models import Agreement, Clause, Signatory

from .core import ScaleGenerator, pick
from .rows import Row
from .words import FIRST_NAMES, LAST_NAMES, TOPICS, place

POSITIONS = ("Kepala", "Sekretaris", "Direktur", "Ketua", "Wakil Ketua", "Koordinator")

CLAUSE_SECTIONS = ("Maksud dan Tujuan", "Ruang Lingkup", "Hak dan Kewajiban Para Pihak")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def create_agreements(gen: ScaleGenerator) -> None:
    rng = gen.rng
    total = gen.counts.agreements
    planned = []
    for index in gen.program_choices(total):
        day = gen.day_between(gen.programs[index].starts_on, gen.anchor)
        planned.append((gen.stamp(day), day, rng.random() < 0.05, index))
    planned.sort()
    kinds = (
        (0.3, Agreement.Kind.MOU),
        (0.6, Agreement.Kind.NOTA_KESEPAKATAN),
        (0.8, Agreement.Kind.PKS),
        (0.9, Agreement.Kind.BERITA_ACARA),
        (1.0, Agreement.Kind.RUMUSAN_KESEPAKATAN),
    )
    codes = {
        Agreement.Kind.MOU: "MoU",
        Agreement.Kind.NOTA_KESEPAKATAN: "NK",
        Agreement.Kind.PKS: "PKS",
        Agreement.Kind.BERITA_ACARA: "BA",
        Agreement.Kind.RUMUSAN_KESEPAKATAN: "RK",
    }
    labels = dict(Agreement.Kind.choices)
    sequence = [0] * len(gen.programs)

    def rows() -> Iterator[Row]:
        for stamp, day, draft, index in planned:
            info = gen.programs[index]
            sequence[index] += 1
            kind = pick(rng, kinds)
            expires_on = None
            if rng.random() < 0.7:
                expires_on = day + datetime.timedelta(days=365 * rng.randint(1, 5))
            status = Agreement.Status.SIGNED
            if draft:
                status = Agreement.Status.DRAFT
            elif expires_on and expires_on < gen.anchor:
                status = Agreement.Status.EXPIRED
            elif rng.random() < 0.02:
                status = Agreement.Status.TERMINATED
            meeting_id = None
            if info.meetings and rng.random() < 0.3:
                meeting_id = rng.choice(info.meetings)
            yield {
                "program_id": info.id,
                "kind": kind,
                "number": (
                    f"{sequence[index]:03d}/{codes[kind]}/{ROMAN_MONTHS[day.month - 1]}/{day.year}"
                ),
                "title": f"{labels[kind]} {rng.choice(TOPICS)} — {info.name}",
                "signed_on": None if draft else day,
                "signed_at": "" if draft else place(info.home[2]),
                "effective_from": None if draft else day,
                "expires_on": None if draft else expires_on,
                "status": status,
                "meeting_id": meeting_id,
                "document": "",
                "document_sha256": "",
                "created_at": stamp,
                "updated_at": stamp,
            }

    ids = gen.write_table(Agreement, rows(), total)
    created = []
    for agreement_id, (_stamp, day, draft, index) in zip(ids, planned, strict=True):
        gen.programs[index].agreements.append(agreement_id)
        created.append((agreement_id, index, None if draft else day))
    _signatories(gen, created)
    _clauses(gen, ids)


def _signatories(
    gen: ScaleGenerator, agreements: Sequence[tuple[int, int, datetime.date | None]]
) -> None:
    rng = gen.rng
    plan = []
    for agreement_id, index, signed_on in agreements:
        members = gen.programs[index].members
        count = rng.randint(min(2, len(members)), min(4, len(members)))
        plan.append((agreement_id, signed_on, rng.sample(members, count)))

    def rows() -> Iterator[Row]:
        for agreement_id, signed_on, partners in plan:
            for order, partner_id in enumerate(partners, start=1):
                yield {
                    "agreement_id": agreement_id,
                    "partner_id": partner_id,
                    "signer_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "signer_position": rng.choice(POSITIONS),
                    "signed_on": signed_on,
                    "order": order,
                }

    total = sum(len(partners) for _a, _d, partners in plan)
    gen.write_table(Signatory, rows(), total)


def _clauses(gen: ScaleGenerator, agreement_ids: Sequence[int]) -> None:
    """One to three sections (BAB) per agreement, each with one to three numbered clauses.

    Sections first, batch by batch, then their clauses pointing at the sections' new ids.
    """
    rng = gen.rng
    layouts = [
        (agreement_id, [rng.randint(1, 3) for _ in range(rng.randint(1, 3))])
        for agreement_id in agreement_ids
    ]
    total = sum(len(sections) + sum(sections) for _a, sections in layouts)
    per_batch = max(1, gen.batch_size // 6)  # ≈ batch_size rows per round
    with gen.step("programs_clause", total) as written:
        for start in range(0, len(layouts), per_batch):
            part = layouts[start : start + per_batch]
            sections: list[Row] = []
            for agreement_id, clause_counts in part:
                order = 0
                for number, count in enumerate(clause_counts):
                    sections.append(
                        {
                            "agreement_id": agreement_id,
                            "parent_id": None,
                            "number": f"BAB {ROMAN_MONTHS[number]}",
                            "text": CLAUSE_SECTIONS[number % len(CLAUSE_SECTIONS)],
                            "order": order,
                        }
                    )
                    order += count + 1
            section_ids = iter(gen.insert(Clause, sections))
            clauses: list[Row] = []
            for agreement_id, clause_counts in part:
                order = article = 0
                for count in clause_counts:
                    section_id = next(section_ids)
                    for offset in range(1, count + 1):
                        article += 1
                        clauses.append(
                            {
                                "agreement_id": agreement_id,
                                "parent_id": section_id,
                                "number": f"Pasal {article}",
                                "text": (
                                    f"Para pihak mendukung {rng.choice(TOPICS)} sesuai tugas "
                                    "dan fungsi masing-masing."
                                ),
                                "order": order + offset,
                            }
                        )
                    order += count + 1
            gen.insert(Clause, clauses)
        written.append(total)
