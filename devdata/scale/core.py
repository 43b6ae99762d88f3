"""What every step of a run shares: the counts asked for, the markers that find the data again,
the report, and `ScaleGenerator`, the state one run carries from table to table."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from collab.models import Region, SdgGoal, SdgTarget

from .rows import HistoryMode, Row, RowWriter, WriterMode, chunks

SLUG_PREFIX = "skala-"
STAFF_USERNAME = "skala-staf"
COORDINATOR_USERNAME = "skala-koordinator-{}"
EMAIL_DOMAIN = "skala.invalid"

# Weight of the programme of rank r (0 = largest) is 1 / (r + 1) ** ZIPF_EXPONENT.
ZIPF_EXPONENT = 1.0
# Some partners (a national foundation, a ministry) sit in many programmes, most in one or two.
PARTNER_POPULARITY_EXPONENT = 0.7
DEFAULT_BATCH_SIZE = 5_000
DEFAULT_SEED = 20_180_514  # the day Kota SDGs Bengkulu was signed; any fixed number would do


@dataclass(frozen=True)
class ScaleCounts:
    """How many rows of each kind to create; children (attendance, clauses…) follow these."""

    partners: int = 10_000
    programs: int = 1_000
    sites: int = 20_000
    meetings: int = 50_000
    action_items: int = 150_000
    commitments: int = 500_000
    agreements: int = 50_000
    coordinators: int = 500
    # Programmes on which `skala-koordinator-0` holds coordinate_program (the largest among them).
    coordinator_programs: int = 50


@dataclass
class TableReport:
    label: str
    rows: int
    seconds: float


@dataclass
class ScaleReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0
    writer: str = ""
    largest_program_slug: str = ""
    largest_program_commitments: int = 0


class Progress(Protocol):
    """Where the generator reports what it is doing (the command draws a progress line)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...

    def finish(self) -> None: ...


class SilentProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class ProgramInfo:
    """What the generator remembers of a programme to keep its children inside it."""

    rank: int
    name: str
    starts_on: datetime.date
    home: tuple[int, str, str]  # the home regency (id, code, name)
    id: int = 0
    slug: str = ""
    members: list[int] = field(default_factory=list)
    sites: list[int] = field(default_factory=list)
    meetings: list[int] = field(default_factory=list)
    agreements: list[int] = field(default_factory=list)
    coordinator_id: int | None = None


def pick(rng: random.Random, roll_to_value: Sequence[tuple[float, Any]]) -> Any:
    """The value of the first threshold above a uniform roll: [(0.55, a), (0.7, b), (1, c)]."""
    roll = rng.random()
    for threshold, value in roll_to_value:
        if roll < threshold:
            return value
    return roll_to_value[-1][1]


class ScaleGenerator:
    """The state of one run, carried from table to table: the random source, the dates, the
    writer, the reference data and what the earlier tables created (the steps in
    `devdata.scale.generator` fill it in order)."""

    # Set by the steps, read by the later ones.
    coordinator_ids: list[int]
    partner_ids: list[int]
    partner_cum_weights: list[float]
    site_names: dict[int, str]

    def __init__(
        self,
        counts: ScaleCounts,
        *,
        seed: int = DEFAULT_SEED,
        anchor: datetime.date | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        history: HistoryMode = HistoryMode.SQL,
        writer: WriterMode = WriterMode.AUTO,
        password: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.counts = counts
        self.rng = random.Random(seed)
        self.anchor = anchor or timezone.localdate()
        self.batch_size = batch_size
        self.history = HistoryMode(history)
        self.password = password
        self.progress = progress or SilentProgress()
        self.report = ScaleReport()
        self.zone = ZoneInfo(settings.TIME_ZONE)
        anchor_end = datetime.datetime.combine(self.anchor, datetime.time(17), tzinfo=self.zone)
        # Nothing is "created" after the moment the command runs, whatever the anchor day.
        self.now = min(anchor_end, timezone.now())
        self.writer = RowWriter(
            mode=WriterMode(writer), history=self.history, batch_size=batch_size, now=self.now
        )
        self.report.writer = self.writer.mode.value
        self.programs: list[ProgramInfo] = []
        self.program_cum_weights: list[float] = []

    # --- helpers -------------------------------------------------------------------------------

    def insert(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        ids = self.writer.insert(model, rows)
        self.progress.advance(len(rows))
        return ids

    def insert_all(self, model: type[models.Model], rows: Iterable[Row]) -> list[int]:
        ids: list[int] = []
        for batch in chunks(rows, self.batch_size):
            ids.extend(self.insert(model, batch))
        return ids

    def write_table(self, model: type[models.Model], rows: Iterable[Row], total: int) -> list[int]:
        """All `rows` of `model` (about `total`), timed as one step of the report; their ids."""
        with self.step(model._meta.db_table, total) as written:
            ids = self.insert_all(model, rows)
            written.append(len(ids))
        return ids

    def stamp(self, day: datetime.date) -> datetime.datetime:
        """A working-hours moment on `day`, never after the generation's `now`."""
        rng = self.rng
        moment = datetime.datetime(
            day.year,
            day.month,
            day.day,
            rng.randrange(7, 18),
            rng.randrange(60),
            rng.randrange(60),
            tzinfo=self.zone,
        )
        return min(moment, self.now)

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = (end - start).days
        return start + datetime.timedelta(days=self.rng.randrange(span + 1)) if span > 0 else start

    def program_choices(self, k: int) -> list[int]:
        """`k` programme indexes drawn by size (rank 0 the most likely)."""
        return self.rng.choices(
            range(len(self.programs)), cum_weights=self.program_cum_weights, k=k
        )

    @contextmanager
    def step(self, label: str, total: int = 0) -> Iterator[list[int]]:
        """Times one table for the report; the body appends the number of rows it wrote."""
        started = time.perf_counter()
        self.progress.start(label, total)
        written: list[int] = []
        yield written
        self.progress.finish()
        self.report.tables.append(TableReport(label, sum(written), time.perf_counter() - started))

    def load_reference(self) -> None:
        """The regions and SDG goals the rows point at."""
        self.regencies = list(
            Region.objects.filter(level=Region.Level.REGENCY)
            .order_by("code")
            .values_list("id", "code", "name")
        )
        self.villages: list[tuple[int, str, str, str]] = list(
            Region.objects.filter(level=Region.Level.VILLAGE)
            .order_by("code")
            .values_list("id", "code", "name", "kind")
        )
        self.provinces = list(
            Region.objects.filter(level=Region.Level.PROVINCE)
            .order_by("code")
            .values_list("id", "code", "name")
        )
        # Villages grouped by regency and by province (their codes' prefixes): a programme's
        # sites cluster where it works.
        self.villages_by_regency: dict[str, list[int]] = {}
        self.villages_by_province: dict[str, list[int]] = {}
        for index, (_id, code, _name, _kind) in enumerate(self.villages):
            self.villages_by_regency.setdefault(code[:5], []).append(index)
            self.villages_by_province.setdefault(code[:2], []).append(index)
        self.goals = list(SdgGoal.objects.order_by("number").values_list("id", flat=True))
        self.targets_by_goal: dict[int, list[int]] = {}
        for target_id, goal_id in SdgTarget.objects.order_by("order").values_list("id", "goal_id"):
            self.targets_by_goal.setdefault(goal_id, []).append(target_id)
