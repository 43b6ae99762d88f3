"""Meetings with their attendance and decisions, and the action items (the work plan)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence

from programs.models import ActionItem, Attendance, Decision, Meeting

from .core import ScaleGenerator, pick
from .rows import Row
from .words import FIRST_NAMES, LAST_NAMES, TOPICS, place

ACTION_TITLES = (
    "Menyusun rencana aksi {}",
    "Mendata sasaran {}",
    "Menyelenggarakan pelatihan {}",
    "Menyiapkan laporan {}",
    "Mengundang mitra untuk {}",
    "Memantau pelaksanaan {}",
)
DECISION_TEXTS = (
    "Forum menyepakati pembagian peran mitra dalam {}.",
    "Sekretariat menyiapkan rencana kerja {} untuk triwulan berikutnya.",
    "Mitra menyampaikan data capaian {} paling lambat akhir bulan.",
    "Rapat berikutnya membahas hasil pemantauan {}.",
    "Pemerintah daerah mengalokasikan anggaran pendamping untuk {}.",
)

CHAIRS = ("Kepala Bappeda", "Sekretaris Daerah", "Wali Kota", "Bupati", "Lurah", "Camat")
VENUES = ("Aula Bappeda {}", "Balai Kota {}", "Kantor Kelurahan {}", "Hotel Santika {}", "Daring")


def create_meetings(gen: ScaleGenerator) -> None:
    rng = gen.rng
    total = gen.counts.meetings
    horizon = gen.anchor + datetime.timedelta(days=120)
    planned = []
    for index in gen.program_choices(total):
        day = gen.day_between(gen.programs[index].starts_on, horizon)
        # Recorded the day after they took place; upcoming ones some days before.
        recorded = min(day + datetime.timedelta(days=1), gen.anchor)
        if day > gen.anchor:
            recorded = gen.day_between(gen.anchor - datetime.timedelta(days=30), gen.anchor)
        planned.append((gen.stamp(recorded), day, index))
    planned.sort()
    kinds = (
        (0.55, Meeting.Kind.COORDINATION),
        (0.7, Meeting.Kind.WORKSHOP),
        (0.8, Meeting.Kind.FGD),
        (0.9, Meeting.Kind.TRAINING),
        (0.95, Meeting.Kind.KICKOFF),
        (1.0, Meeting.Kind.SIGNING),
    )
    labels = dict(Meeting.Kind.choices)
    sequence = [0] * len(gen.programs)

    def rows() -> Iterator[Row]:
        for stamp, day, index in planned:
            info = gen.programs[index]
            sequence[index] += 1
            kind = pick(rng, kinds)
            yield {
                "program_id": info.id,
                "kind": kind,
                "title": f"{labels[kind]} {info.name} ke-{sequence[index]}",
                "starts_on": day,
                "ends_on": day if rng.random() < 0.8 else day + datetime.timedelta(days=1),
                "venue": rng.choice(VENUES).format(place(info.home[2])),
                "chair": rng.choice(CHAIRS),
                "moderator": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "participant_count": rng.randint(8, 120),
                "summary": f"Membahas kemajuan {rng.choice(TOPICS)}.",
                "created_at": stamp,
                "updated_at": stamp,
            }

    ids = gen.write_table(Meeting, rows(), total)
    meeting_rows = []
    for meeting_id, (_stamp, _day, index) in zip(ids, planned, strict=True):
        gen.programs[index].meetings.append(meeting_id)
        meeting_rows.append((meeting_id, index))
    _meeting_outcomes(gen, meeting_rows)


def _meeting_outcomes(gen: ScaleGenerator, meeting_rows: Sequence[tuple[int, int]]) -> None:
    rng = gen.rng
    attendance_plan = []
    decision_plan = []
    for meeting_id, index in meeting_rows:
        members = gen.programs[index].members
        present = rng.randint(min(2, len(members)), min(10, len(members)))
        attendance_plan.append((meeting_id, rng.sample(members, present)))
        decision_plan.append((meeting_id, rng.choice((0, 1, 2, 2, 3, 3, 4, 5))))
    roles = ("", "", "Narasumber", "Peserta", "Notulis")

    def attendance() -> Iterator[Row]:
        for meeting_id, partners in attendance_plan:
            for partner_id in partners:
                yield {
                    "meeting_id": meeting_id,
                    "partner_id": partner_id,
                    "contact_id": None,
                    "role": rng.choice(roles),
                }

    def decisions() -> Iterator[Row]:
        for meeting_id, count in decision_plan:
            for number in range(1, count + 1):
                yield {
                    "meeting_id": meeting_id,
                    "number": number,
                    "text": rng.choice(DECISION_TEXTS).format(rng.choice(TOPICS)),
                }

    total = sum(len(partners) for _m, partners in attendance_plan)
    gen.write_table(Attendance, attendance(), total)
    total = sum(count for _m, count in decision_plan)
    gen.write_table(Decision, decisions(), total)


def create_action_items(gen: ScaleGenerator) -> None:
    rng = gen.rng
    total = gen.counts.action_items
    planned = []
    for index in gen.program_choices(total):
        day = gen.day_between(gen.programs[index].starts_on, gen.anchor)
        planned.append((gen.stamp(day), day, index))
    planned.sort()
    past = (
        (0.6, ActionItem.Status.DONE),
        (0.68, ActionItem.Status.CANCELLED),
        (0.85, ActionItem.Status.IN_PROGRESS),
        (1.0, ActionItem.Status.PLANNED),
    )
    future = ((0.6, ActionItem.Status.PLANNED), (1.0, ActionItem.Status.IN_PROGRESS))
    sequence = [0] * len(gen.programs)

    def rows() -> Iterator[Row]:
        for stamp, day, index in planned:
            info = gen.programs[index]
            sequence[index] += 1
            due_on = day + datetime.timedelta(days=rng.randint(14, 240))
            meeting_id = None
            if info.meetings and rng.random() < 0.5:
                meeting_id = rng.choice(info.meetings)
            yield {
                "program_id": info.id,
                "meeting_id": meeting_id,
                "title": rng.choice(ACTION_TITLES).format(rng.choice(TOPICS)),
                "description": "",
                "responsible_id": rng.choice(info.members) if rng.random() < 0.8 else None,
                "starts_on": day,
                "due_on": due_on if rng.random() < 0.9 else None,
                "status": pick(rng, past if due_on < gen.anchor else future),
                "order": sequence[index],
                "created_at": stamp,
                "updated_at": stamp,
            }

    gen.write_table(ActionItem, rows(), total)
