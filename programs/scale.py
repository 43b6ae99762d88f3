"""Synthetic national-scale data for benchmarks: `manage.py generate_scale_data`.

What it builds (defaults): 10,000 partners, 1,000 programmes, 20,000 pilot sites, 50,000
meetings with attendance and decisions, 150,000 action items, 500,000 commitments with progress
updates, 50,000 agreements with signatories and clauses, and rights for 500 coordinators.

Realism that matters to the pages being measured:
- Programme sizes follow a Zipf law (weight 1/rank): the largest programme holds about 13 % of
  every table (≈67,000 commitments at the defaults), the median one about a hundred rows. Real
  registries look like this: a few national programmes, a long tail of local ones.
- Child rows stay inside their programme: a commitment's partner is a member of the programme,
  its meeting, site and agreement belong to the same programme; attendance and signatories are
  members too.
- Rows are inserted in the order of their `created_at`, which spans the programme's life, so
  the id order follows the time order as in a database filled by people over years, and the
  programmes' rows are interleaved on disk.
- Dates are relative to an anchor day (today by default): some meetings are upcoming, some
  commitments and action items overdue, as on a live dashboard.

How rows are written: the generator produces plain column values; on PostgreSQL they go in
with `COPY … FROM STDIN` (ids drawn from the table's sequence first), elsewhere, and with
`--writer orm`, with `bulk_create` in batches. Measured on the benchmark machine, bulk_create
costs ≈225 µs per commitment row (building the statement, adapting 17 parameters per row, and
PostgreSQL parsing and planning a 5,000-row `unnest` insert), which put the defaults at the
10-minute limit; COPY does the same work in a fraction of that.

History (DESIGN: never bulk write tracked models without recording history): by default the
creation record ("+") of every generated row is written by one `INSERT … SELECT` per history
table, in the database, after the rows exist — the same columns `bulk_create_with_history`
would fill, with the row's own `created_at` as the history date, and the programmes' goal and
target links as well. `--history orm` uses simple_history's `bulk_create_with_history` instead
(kept to measure its cost), `--history none` skips history.

Everything the command writes is marked so that it can be found again: programme slugs start
with `skala-`, users are `skala-…`, partners' e-mail addresses end in `@skala.invalid` (a
reserved domain: reminder e-mails can never reach anybody).
"""

from __future__ import annotations

import datetime
import decimal
import io
import itertools
import math
import random
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from collab.models import Region, SdgGoal, SdgTarget
from partners.models import Contact, Partner, PartnerKind, Pillar

from .models import (
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
    ProgramGroupObjectPermission,
    ProgramPartner,
    ProgramUserObjectPermission,
    Signatory,
    Site,
)
from .models.commitments import CommitmentTally
from .services import ensure_staff_group
from .signals import recount_commitment_tallies

SLUG_PREFIX = "skala-"
STAFF_USERNAME = "skala-staf"
COORDINATOR_USERNAME = "skala-koordinator-{}"
EMAIL_DOMAIN = "skala.invalid"
CHANGE_REASON = "Data skala sintetis (generate_scale_data)"

# Weight of the programme of rank r (0 = largest) is 1 / (r + 1) ** ZIPF_EXPONENT.
ZIPF_EXPONENT = 1.0
# Some partners (a national foundation, a ministry) sit in many programmes, most in one or two.
PARTNER_POPULARITY_EXPONENT = 0.7
DEFAULT_BATCH_SIZE = 5_000
DEFAULT_SEED = 20_180_514  # the day Kota SDGs Bengkulu was signed; any fixed number would do

Row = dict[str, Any]  # attname → value of one row to insert


class HistoryMode(StrEnum):
    SQL = "sql"  # creation records written set-based in the database (fast)
    ORM = "orm"  # simple_history.utils.bulk_create_with_history, batch by batch
    NONE = "none"


class WriterMode(StrEnum):
    AUTO = "auto"  # COPY on PostgreSQL, bulk_create elsewhere
    COPY = "copy"
    ORM = "orm"  # bulk_create in batches on every backend


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


class MissingReferenceData(Exception):
    """Regions or SDG goals are missing: `load_reference` has not been run."""


# --- SQL helpers ---------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return _quote(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    return _quote(model._meta.get_field(name).column)


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


# --- finding and removing earlier scale data ---------------------------------------------------


def scale_data_present() -> bool:
    """Whether an earlier run left its programmes, partners or staff account in the database."""
    return (
        Program.objects.filter(slug__startswith=SLUG_PREFIX).exists()
        or Partner.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()
        or get_user_model().objects.filter(username=STAFF_USERNAME).exists()
    )


def missing_reference() -> list[str]:
    """Labels of the reference tables the generator needs but finds empty."""
    missing = []
    if not Region.objects.filter(level=Region.Level.VILLAGE).exists():
        missing.append("desa/kelurahan")
    if not Region.objects.filter(level=Region.Level.REGENCY).exists():
        missing.append("kabupaten/kota")
    if not SdgGoal.objects.exists():
        missing.append("tujuan SDG")
    return missing


def delete_scale_data() -> None:
    """Remove everything an earlier run created, with its history rows.

    Set-based SQL in dependency order: the ORM's cascade would load every row into memory and
    write a "-" history record for each of ~3 million rows. The accounts are kept (the next run
    reuses them); their rights go with the programmes. Runs in the caller's transaction, so a
    failure (e.g. real data recorded against a synthetic partner) leaves everything as it was.
    """
    programs = (
        f"SELECT {_column(Program, 'id')} FROM {_table(Program)} "
        f"WHERE {_column(Program, 'slug')} LIKE %s"
    )
    by_program = [f"{SLUG_PREFIX}%"]

    def ids_of(model: type[models.Model], fk: str, parent_ids: str) -> str:
        return (
            f"SELECT {_column(model, 'id')} FROM {_table(model)} "
            f"WHERE {_column(model, fk)} IN ({parent_ids})"
        )

    commitments = ids_of(Commitment, "program", programs)
    agreements = ids_of(Agreement, "program", programs)
    meetings = ids_of(Meeting, "program", programs)
    indicators = ids_of(Indicator, "program", programs)
    partners = (
        f"SELECT {_column(Partner, 'id')} FROM {_table(Partner)} "
        f"WHERE {_column(Partner, 'email')} LIKE %s"
    )
    by_partner = [f"%@{EMAIL_DOMAIN}"]

    # (model, foreign key, subquery of the parent ids, its parameters): children first.
    steps: list[tuple[type[models.Model], str, str, list[str]]] = [
        (CommitmentUpdate, "commitment", commitments, by_program),
        (Commitment, "program", programs, by_program),
        (Clause, "agreement", agreements, by_program),
        (Signatory, "agreement", agreements, by_program),
        (Attendance, "meeting", meetings, by_program),
        (Decision, "meeting", meetings, by_program),
        (ActionItem, "program", programs, by_program),
        (Agreement, "program", programs, by_program),
        (Measurement, "indicator", indicators, by_program),
        (Indicator, "program", programs, by_program),
        (Meeting, "program", programs, by_program),
        (Site, "program", programs, by_program),
        (CommitmentTally, "program", programs, by_program),
        (ProgramPartner, "program", programs, by_program),
        (Program.sdg_goals.through, "program", programs, by_program),
        (Program.sdg_targets.through, "program", programs, by_program),
        (ProgramUserObjectPermission, "content_object", programs, by_program),
        (ProgramGroupObjectPermission, "content_object", programs, by_program),
        (Program, "id", programs, by_program),
        (Contact, "partner", partners, by_partner),
        (Partner, "id", partners, by_partner),
    ]
    with connection.cursor() as cursor:
        for model, fk, parent_ids, params in steps:
            where = f"{_column(model, fk)} IN ({parent_ids})"
            history = _history_model(model)
            if model is Program:
                # The goal/target links' history hangs on the programme's history rows.
                for attribute in ("sdg_goals", "sdg_targets"):
                    m2m = apps.get_model("programs", f"HistoricalProgram_{attribute}")
                    cursor.execute(
                        f"DELETE FROM {_table(m2m)} WHERE {_column(m2m, 'history')} IN "
                        f"(SELECT {_column(history, 'history_id')} FROM {_table(history)} "
                        f"WHERE {_column(history, 'id')} IN ({parent_ids}))",
                        params,
                    )
            if history is not None:
                cursor.execute(
                    f"DELETE FROM {_table(history)} WHERE {_column(history, 'id')} IN "
                    f"(SELECT {_column(model, 'id')} FROM {_table(model)} WHERE {where})",
                    params,
                )
            cursor.execute(f"DELETE FROM {_table(model)} WHERE {where}", params)


# --- names and words ---------------------------------------------------------------------------

MINISTRIES = (
    "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
    "Kementerian Kesehatan",
    "Kementerian Pendidikan Dasar dan Menengah",
    "Kementerian Pekerjaan Umum",
    "Kementerian Perumahan dan Kawasan Permukiman",
    "Kementerian Desa dan Pembangunan Daerah Tertinggal",
    "Kementerian Lingkungan Hidup",
    "Kementerian Sosial",
    "Kementerian Ketenagakerjaan",
    "Kementerian Kelautan dan Perikanan",
    "Kementerian Pertanian",
    "Kementerian Dalam Negeri",
    "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
    "Badan Pusat Statistik",
    "Badan Kependudukan dan Keluarga Berencana Nasional",
    "Badan Nasional Penanggulangan Bencana",
)
DIRECTORATES = (
    "Direktorat Perkotaan",
    "Direktorat Kesehatan Lingkungan",
    "Direktorat Penanggulangan Kemiskinan",
    "Direktorat Pengembangan Kawasan Permukiman",
    "Direktorat Gizi Masyarakat",
    "Direktorat Air Minum",
    "Sekretariat Nasional SDGs",
)
LOCAL_OFFICES = (
    ("Pemerintah", ""),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Perumahan dan Kawasan Permukiman", "Disperkim"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
    ("Dinas Koperasi dan Usaha Mikro", "Diskop"),
    ("Dinas Pertanian dan Ketahanan Pangan", "Distan"),
    ("Dinas Kelautan dan Perikanan", "DKP"),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB"),
)
STATE_ENTERPRISES = (
    "PT Bank Rakyat Indonesia (Persero) Tbk",
    "PT Pertamina (Persero)",
    "PT PLN (Persero)",
    "PT Telkom Indonesia (Persero) Tbk",
    "PT Pupuk Indonesia (Persero)",
    "PT Bank Negara Indonesia (Persero) Tbk",
    "PT Semen Indonesia (Persero) Tbk",
    "PT Permodalan Nasional Madani",
)
WORDS = [
    "Sinar",
    "Mitra",
    "Nusantara",
    "Sejahtera",
    "Abadi",
    "Maju",
    "Karya",
    "Indah",
    "Jaya",
    "Lestari",
    "Sentosa",
    "Makmur",
    "Bumi",
    "Agro",
    "Energi",
    "Persada",
    "Utama",
    "Mandiri",
    "Cipta",
    "Inti",
    "Harapan",
    "Bina",
    "Insan",
    "Cendekia",
    "Generasi",
    "Bangsa",
    "Hijau",
    "Sehat",
    "Peduli",
    "Kasih",
    "Samudra",
    "Rinjani",
    "Borneo",
    "Celebes",
    "Andalas",
    "Merapi",
]
FOUNDATION_HEADS = ("Yayasan", "Yayasan", "Yayasan", "Lembaga Amil Zakat", "Dompet")
UNIVERSITY_HEADS = (
    "Universitas",
    "Universitas Negeri",
    "Politeknik Negeri",
    "Institut Teknologi",
    "SDGs Center Universitas",
    "LPPM Universitas",
)
CSO_HEADS = ("Lembaga", "Perkumpulan", "Komunitas", "Aliansi", "Yayasan Swadaya")
CSO_TOPICS = (
    "Pemberdayaan Perempuan",
    "Lingkungan Hidup",
    "Perlindungan Anak",
    "Air Bersih",
    "Petani Mandiri",
    "Nelayan Tradisional",
    "Penyandang Disabilitas",
    "Kesehatan Masyarakat",
    "Tata Kelola Desa",
)
COMMUNITY_BODIES = (
    ("Badan Keswadayaan Masyarakat", "BKM"),
    ("Karang Taruna", ""),
    ("Tim Penggerak PKK", "TP PKK"),
    ("Kelompok Tani", "Poktan"),
    ("Badan Usaha Milik Desa", "BUMDes"),
    ("Kelompok Swadaya Masyarakat", "KSM"),
    ("Bank Sampah", ""),
)
MEDIA_PATTERNS = ("Harian {} Pos", "Radio Suara {} FM", "{} TV", "Portal Berita {}")
INTERNATIONAL = (
    "UNDP Indonesia",
    "UNICEF Indonesia",
    "UN Women Indonesia",
    "WHO Indonesia",
    "FAO Indonesia",
    "Bank Dunia",
    "Asian Development Bank",
    "GIZ Indonesia",
    "JICA Indonesia",
    "KOICA Indonesia",
    "DFAT Australia",
    "Uni Eropa",
)
NETWORK_PATTERNS = ("Jaringan {} {}", "Forum {} {}", "Asosiasi {} {}")
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
TOPICS = (
    "sanitasi layak",
    "air minum aman",
    "gizi balita",
    "posyandu",
    "bank sampah",
    "rumah tidak layak huni",
    "pelatihan kader",
    "usaha mikro perempuan",
    "beasiswa anak",
    "ruang terbuka hijau",
    "drainase lingkungan",
    "data kemiskinan",
    "kebun pangan keluarga",
    "literasi keuangan",
    "penanaman mangrove",
    "jamban sehat",
)
COMMITMENT_TITLES = {
    Commitment.Kind.FUNDING: ("Dana hibah {}", "Pendanaan {}", "Dana CSR untuk {}"),
    Commitment.Kind.IN_KIND: ("Bantuan peralatan {}", "Penyediaan bahan {}", "Bantuan sarana {}"),
    Commitment.Kind.TECHNICAL: ("Pendampingan teknis {}", "Kajian {}", "Pelatihan {}"),
    Commitment.Kind.PROGRAMME: ("Pelaksanaan kegiatan {}", "Program {}", "Gerakan {}"),
    Commitment.Kind.POLICY: ("Peraturan daerah tentang {}", "Surat keputusan {}"),
    Commitment.Kind.OTHER: ("Dukungan publikasi {}", "Fasilitasi {}"),
}
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
FIRST_NAMES = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Rina",
    "Hendra",
    "Sri",
    "Bambang",
    "Yuni",
    "Andi",
    "Wahyu",
    "Nur",
    "Eko",
    "Ratna",
    "Fitri",
    "Joko",
    "Lestari",
    "Dedi",
    "Maya",
    "Ahmad",
]
LAST_NAMES = [
    "Santoso",
    "Wulandari",
    "Hidayat",
    "Setiawan",
    "Pratama",
    "Saputra",
    "Rahmawati",
    "Nugroho",
    "Kurniawan",
    "Siregar",
    "Lubis",
    "Hasibuan",
    "Manurung",
    "Wijaya",
    "Halim",
]
POSITIONS = ("Kepala", "Sekretaris", "Direktur", "Ketua", "Wakil Ketua", "Koordinator")
CHAIRS = ("Kepala Bappeda", "Sekretaris Daerah", "Wali Kota", "Bupati", "Lurah", "Camat")
VENUES = ("Aula Bappeda {}", "Balai Kota {}", "Kantor Kelurahan {}", "Hotel Santika {}", "Daring")
CLAUSE_SECTIONS = ("Maksud dan Tujuan", "Ruang Lingkup", "Hak dan Kewajiban Para Pihak")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

KIND_PILLAR = {
    PartnerKind.MINISTRY_AGENCY: Pillar.GOVERNMENT,
    PartnerKind.LOCAL_GOVERNMENT: Pillar.GOVERNMENT,
    PartnerKind.STATE_ENTERPRISE: Pillar.PHILANTHROPY_BUSINESS,
    PartnerKind.COMPANY: Pillar.PHILANTHROPY_BUSINESS,
    PartnerKind.FOUNDATION: Pillar.PHILANTHROPY_BUSINESS,
    PartnerKind.INTERNATIONAL: Pillar.PHILANTHROPY_BUSINESS,
    PartnerKind.UNIVERSITY: Pillar.ACADEMIA_EXPERTS,
    PartnerKind.CSO: Pillar.CIVIL_SOCIETY_MEDIA,
    PartnerKind.COMMUNITY: Pillar.CIVIL_SOCIETY_MEDIA,
    PartnerKind.MEDIA: Pillar.CIVIL_SOCIETY_MEDIA,
    PartnerKind.NETWORK: Pillar.CIVIL_SOCIETY_MEDIA,
}
KIND_WEIGHTS = {
    PartnerKind.LOCAL_GOVERNMENT: 30,
    PartnerKind.COMMUNITY: 18,
    PartnerKind.CSO: 15,
    PartnerKind.COMPANY: 10,
    PartnerKind.FOUNDATION: 8,
    PartnerKind.UNIVERSITY: 7,
    PartnerKind.STATE_ENTERPRISE: 3,
    PartnerKind.MEDIA: 3,
    PartnerKind.MINISTRY_AGENCY: 3,
    PartnerKind.INTERNATIONAL: 1.5,
    PartnerKind.NETWORK: 1.5,
}


def _acronym(name: str) -> str:
    letters = "".join(word[0] for word in name.replace("/", " ").split() if word[:1].isupper())
    return letters[:10] if len(letters) >= 2 else ""


def _place(regency_name: str) -> str:
    """ "Kota Bengkulu" → "Bengkulu": the name people use for a place."""
    return regency_name.removeprefix("Kabupaten ").removeprefix("Kota ")


def _chunks(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _pick(rng: random.Random, roll_to_value: Sequence[tuple[float, Any]]) -> Any:
    """The value of the first threshold above a uniform roll: [(0.55, a), (0.7, b), (1, c)]."""
    roll = rng.random()
    for threshold, value in roll_to_value:
        if roll < threshold:
            return value
    return roll_to_value[-1][1]


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let `created_at`/`updated_at` be set by the generator instead of `auto_now(_add)`.

    bulk_create calls each field's pre_save, which would stamp every row with this minute: the
    lists order by `-created_at`, and years of records all created "now" are not the data the
    pages meet in production. The flags are restored on the way out, whatever happens. This
    changes process-wide field state, so only this one-shot command uses it. (COPY does not
    call pre_save and needs none of this.)
    """
    saved: list[tuple[models.DateField, bool, bool]] = []
    try:
        for model in model_classes:
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, models.DateField) and (
                    model_field.auto_now or model_field.auto_now_add
                ):
                    saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
                    model_field.auto_now = model_field.auto_now_add = False
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


# --- writing rows ----------------------------------------------------------------------------


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


class RowWriter:
    """Inserts rows given as {attname: value}; returns their new ids in the same order.

    Fields a row leaves out get their model default, so a field another engineer adds later
    (with a default, as every added field needs) does not break the generator.
    """

    def __init__(
        self, *, mode: WriterMode, history: HistoryMode, batch_size: int, now: datetime.datetime
    ) -> None:
        if mode is WriterMode.AUTO:
            mode = WriterMode.COPY if connection.vendor == "postgresql" else WriterMode.ORM
        if mode is WriterMode.COPY and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL.")
        if history is HistoryMode.ORM:
            mode = WriterMode.ORM  # bulk_create_with_history works on model instances
        self.mode = mode
        self.history = history
        self.batch_size = batch_size
        self.now = now
        self._defaults: dict[type[models.Model], list[tuple[str, str, Any]]] = {}

    def _fields(self, model: type[models.Model]) -> list[tuple[str, str, Any]]:
        """(attname, column, default) of every concrete field but the primary key."""
        if model not in self._defaults:
            self._defaults[model] = [
                (f.attname, f.column, f.get_default())
                for f in model._meta.concrete_fields
                if not f.primary_key
            ]
        return self._defaults[model]

    def insert(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        if not rows:
            return []
        if self.mode is WriterMode.COPY:
            return self._copy(model, rows)
        return self._bulk_create(model, rows)

    def _bulk_create(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        objects = [model(**row) for row in rows]
        if self.history is HistoryMode.ORM and _history_model(model) is not None:
            from simple_history.utils import bulk_create_with_history

            for obj in objects:
                # The history date is the record's own creation time, as if saved back then.
                obj._history_date = getattr(obj, "created_at", None) or self.now
            created = bulk_create_with_history(
                objects,
                model,
                batch_size=self.batch_size,
                default_change_reason=CHANGE_REASON,
                default_date=self.now,
            )
        else:
            created = model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        return [obj.pk for obj in created]

    def _copy(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        fields = self._fields(model)
        pk = model._meta.pk.column
        with connection.cursor() as cursor:
            # Ids first, from the table's own sequence: later inserts by the application
            # continue after them, and the rows can reference each other right away.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk, len(rows)],
            )
            ids = [row_id for (row_id,) in cursor.fetchall()]
            buffer = io.StringIO()
            write = buffer.write
            for row_id, row in zip(ids, rows, strict=True):
                values = [str(row_id)]
                values.extend(
                    _copy_text(row.get(attname, default)) for attname, _c, default in fields
                )
                write("\t".join(values))
                write("\n")
            buffer.seek(0)
            columns = ", ".join([_quote(pk), *(_quote(column) for _a, column, _d in fields)])
            cursor.cursor.copy_expert(
                f"COPY {_table(model)} ({columns}) FROM STDIN", buffer, size=1 << 20
            )
        return ids


# --- the generator ---------------------------------------------------------------------------


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


TRACKED_MODELS: tuple[type[models.Model], ...] = (
    Partner,
    Program,
    ProgramPartner,
    Site,
    Meeting,
    Attendance,
    Decision,
    Agreement,
    Signatory,
    Clause,
    ActionItem,
    Commitment,
    CommitmentUpdate,
)


class ScaleGenerator:
    """Builds the data set table by table; see the module docstring for the shape."""

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

    def _insert(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        ids = self.writer.insert(model, rows)
        self.progress.advance(len(rows))
        return ids

    def _insert_all(self, model: type[models.Model], rows: Iterable[Row]) -> list[int]:
        ids: list[int] = []
        for batch in _chunks(rows, self.batch_size):
            ids.extend(self._insert(model, batch))
        return ids

    def _stamp(self, day: datetime.date) -> datetime.datetime:
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

    def _day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = (end - start).days
        return start + datetime.timedelta(days=self.rng.randrange(span + 1)) if span > 0 else start

    def _program_choices(self, k: int) -> list[int]:
        """`k` programme indexes drawn by size (rank 0 the most likely)."""
        return self.rng.choices(
            range(len(self.programs)), cum_weights=self.program_cum_weights, k=k
        )

    @contextmanager
    def _table(self, label: str, total: int = 0) -> Iterator[list[int]]:
        """Times one table for the report; the body appends the number of rows it wrote."""
        started = time.perf_counter()
        self.progress.start(label, total)
        written: list[int] = []
        yield written
        self.progress.finish()
        self.report.tables.append(TableReport(label, sum(written), time.perf_counter() - started))

    # --- the run -------------------------------------------------------------------------------

    def run(self) -> ScaleReport:
        started = time.perf_counter()
        self._load_reference()
        watermarks = {model: _max_id(model) for model in TRACKED_MODELS}
        with explicit_timestamps(*TRACKED_MODELS):
            self._users()
            self._partners()
            self._programs()
            self._rights()
            self._memberships()
            self._sites()
            self._meetings()
            self._agreements()
            self._action_items()
            self._commitments()
        if self.history is HistoryMode.SQL:
            self._history(watermarks)
        # COPY and bulk_create bypass the signals that keep the status counters.
        with self._table(CommitmentTally._meta.db_table) as written:
            written.append(recount_commitment_tallies().tallies)
        largest = self.programs[0]
        self.report.largest_program_slug = largest.slug
        self.report.largest_program_commitments = Commitment.objects.filter(
            program_id=largest.id
        ).count()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _load_reference(self) -> None:
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

    # --- users and rights ------------------------------------------------------------------------

    def _users(self) -> None:
        user_model = get_user_model()
        names = [STAFF_USERNAME] + [
            COORDINATOR_USERNAME.format(n) for n in range(self.counts.coordinators)
        ]
        with self._table("auth_user", len(names)) as written:
            existing = dict(
                user_model.objects.filter(username__in=names).values_list("username", "pk")
            )
            # One hash for every account: hashing is deliberately slow (≈0.5 s each).
            encoded = make_password(self.password) if self.password else None
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
            user_model.objects.bulk_create(new_users, batch_size=self.batch_size)
            if encoded and existing:
                user_model.objects.filter(pk__in=existing.values()).update(password=encoded)
            self.progress.advance(len(names))
            ids = dict(user_model.objects.filter(username__in=names).values_list("username", "pk"))
            self.coordinator_ids = [
                ids[COORDINATOR_USERNAME.format(n)] for n in range(self.counts.coordinators)
            ]
            ensure_staff_group().user_set.add(ids[STAFF_USERNAME])
            written.append(len(new_users))

    def _rights(self) -> None:
        """coordinate_program: `skala-koordinator-0` on the largest programme and 49 others;
        every programme has one or two of the other coordinators."""
        permission = Permission.objects.get(
            content_type__app_label="programs", codename="coordinate_program"
        )
        pairs: set[tuple[int, int]] = set()
        coordinators = self.coordinator_ids
        if coordinators:
            first = coordinators[0]
            wanted = min(self.counts.coordinator_programs, len(self.programs))
            others = self.rng.sample(range(1, len(self.programs)), max(wanted - 1, 0))
            pairs.update((first, index) for index in [0, *others][:wanted])
            rest = coordinators[1:]
            order = list(range(len(self.programs)))
            self.rng.shuffle(order)
            for position, index in enumerate(order):
                if not rest:
                    break
                user_id = rest[position % len(rest)]
                pairs.add((user_id, index))
                self.programs[index].coordinator_id = user_id
                if len(rest) > 1 and self.rng.random() < 0.25:
                    pairs.add((self.rng.choice(rest), index))
        rows = [
            {
                "user_id": user_id,
                "permission_id": permission.pk,
                "content_object_id": self.programs[index].id,
            }
            for user_id, index in sorted(pairs)
        ]
        with self._table("programs_programuserobjectpermission", len(rows)) as written:
            self._insert_all(ProgramUserObjectPermission, rows)
            written.append(len(rows))

    # --- partners and programmes ---------------------------------------------------------------

    def _partner_name(self, kind: str) -> tuple[str, str, int | None]:
        """(name, acronym, region id) for a partner of `kind`."""
        rng = self.rng
        if kind == PartnerKind.LOCAL_GOVERNMENT:
            region_id, _code, regency = rng.choice(self.regencies)
            office, short = rng.choice(LOCAL_OFFICES)
            return f"{office} {regency}", short, region_id
        if kind == PartnerKind.COMMUNITY:
            village_id, _code, village, village_kind = rng.choice(self.villages)
            body, short = rng.choice(COMMUNITY_BODIES)
            label = "Kelurahan" if village_kind == Region.Kind.KELURAHAN else "Desa"
            return f"{body} {label} {village}", short, village_id
        if kind == PartnerKind.MINISTRY_AGENCY:
            name = rng.choice(MINISTRIES)
            if rng.random() < 0.8:
                name = f"{rng.choice(DIRECTORATES)}, {name}"
            return name, _acronym(name), None
        if kind == PartnerKind.STATE_ENTERPRISE:
            if rng.random() < 0.5:
                return rng.choice(STATE_ENTERPRISES), "", None
            region_id, _code, regency = rng.choice(self.regencies)
            return f"Perumda Air Minum Tirta {_place(regency)}", "PDAM", region_id
        if kind == PartnerKind.COMPANY:
            suffix = " Tbk" if rng.random() < 0.2 else ""
            return (
                f"PT {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}{suffix}",
                "",
                None,
            )
        if kind == PartnerKind.FOUNDATION:
            name = f"{rng.choice(FOUNDATION_HEADS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
            return name, _acronym(name), None
        if kind == PartnerKind.UNIVERSITY:
            region_id, _code, regency = rng.choice(self.regencies)
            return f"{rng.choice(UNIVERSITY_HEADS)} {_place(regency)}", "", region_id
        if kind == PartnerKind.CSO:
            province_id, _code, province = rng.choice(self.provinces)
            name = f"{rng.choice(CSO_HEADS)} {rng.choice(CSO_TOPICS)} {province}"
            return name, _acronym(name), province_id
        if kind == PartnerKind.MEDIA:
            region_id, _code, regency = rng.choice(self.regencies)
            return rng.choice(MEDIA_PATTERNS).format(_place(regency)), "", region_id
        if kind == PartnerKind.INTERNATIONAL:
            return rng.choice(INTERNATIONAL), "", None
        province_id, _code, province = rng.choice(self.provinces)
        name = rng.choice(NETWORK_PATTERNS).format(rng.choice(CSO_TOPICS), province)
        return name, _acronym(name), province_id

    def _partners(self) -> None:
        total = self.counts.partners
        rng = self.rng
        kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=total)
        days = sorted(self._day_between(datetime.date(2015, 1, 1), self.anchor) for _ in kinds)

        def rows() -> Iterator[Row]:
            for serial, (kind, day) in enumerate(zip(kinds, days, strict=True)):
                name, acronym, region_id = self._partner_name(kind)
                stamp = self._stamp(day)
                yield {
                    "name": name,
                    "acronym": acronym,
                    "pillar": KIND_PILLAR[kind],
                    "kind": kind,
                    "region_id": region_id,
                    "email": f"sekretariat.{serial}@{EMAIL_DOMAIN}",
                    "phone": f"0{rng.randrange(21, 999)}-{rng.randrange(100000, 9999999)}",
                    "is_active": rng.random() < 0.95,
                    "created_at": stamp,
                    "updated_at": stamp,
                }

        with self._table("partners_partner", total) as written:
            self.partner_ids = self._insert_all(Partner, rows())
            written.append(total)
        # Popularity: a shuffled Zipf weight per partner, so a few sit in many programmes.
        weights = [1 / (rank + 1) ** PARTNER_POPULARITY_EXPONENT for rank in range(total)]
        rng.shuffle(weights)
        self.partner_cum_weights = list(itertools.accumulate(weights))

    def _programs(self) -> None:
        total = self.counts.programs
        rng = self.rng
        self.program_cum_weights = list(
            itertools.accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(total))
        )
        for rank in range(total):
            home = rng.choice(self.regencies)
            theme = rng.choice(PROGRAM_THEMES)
            # The handful of largest programmes are national, the long tail local.
            name = f"{theme} Nasional {rank + 1}" if rank < 10 else f"{theme} {home[2]}"
            starts_on = self._day_between(datetime.date(2015, 1, 1), datetime.date(2024, 6, 30))
            self.programs.append(ProgramInfo(rank, name, starts_on, home))
        # Created in the order they started, not by size: the largest is not simply the first.
        order = sorted(range(total), key=lambda index: self.programs[index].starts_on)
        statuses = (
            (0.6, Program.Status.ACTIVE),
            (0.8, Program.Status.COMPLETED),
            (0.9, Program.Status.PLANNED),
            (1.0, Program.Status.SUSPENDED),
        )

        def rows() -> Iterator[Row]:
            for index in order:
                info = self.programs[index]
                status = Program.Status.ACTIVE if info.rank < 10 else _pick(rng, statuses)
                ends_on = None
                if status == Program.Status.COMPLETED:
                    ends_on = self._day_between(info.starts_on, self.anchor)
                elif rng.random() < 0.5:
                    ends_on = info.starts_on + datetime.timedelta(days=365 * rng.randint(3, 10))
                stamp = self._stamp(info.starts_on)
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

        with self._table("programs_program", total) as written:
            for index, program_id in zip(order, self._insert_all(Program, rows()), strict=True):
                self.programs[index].id = program_id
            written.append(total)
            goal_links: list[Row] = []
            target_links: list[Row] = []
            for info in self.programs:
                for goal_id in rng.sample(self.goals, min(len(self.goals), rng.randint(1, 3))):
                    goal_links.append({"program_id": info.id, "sdggoal_id": goal_id})
                    targets = self.targets_by_goal.get(goal_id, [])
                    for target_id in rng.sample(targets, min(len(targets), 2)):
                        target_links.append({"program_id": info.id, "sdgtarget_id": target_id})
            # Written past the progress line: it counts programmes, not their links.
            for through, links in (
                (Program.sdg_goals.through, goal_links),
                (Program.sdg_targets.through, target_links),
            ):
                for batch in _chunks(links, self.batch_size):
                    self.writer.insert(through, batch)

    def _memberships(self) -> None:
        """Partners' roles: a programme's size sets how many partners it has (3 to ~300)."""
        rng = self.rng
        total_weight = self.program_cum_weights[-1]
        partner_range = range(len(self.partner_ids))
        for index, info in enumerate(self.programs):
            expected = self.counts.commitments / ((index + 1) ** ZIPF_EXPONENT * total_weight)
            wanted = min(len(self.partner_ids), 3 + round(1.2 * math.sqrt(expected)))
            chosen: dict[int, None] = {}
            # Draw by popularity until enough distinct partners (bounded: never loops forever).
            for _attempt in range(20):
                if len(chosen) >= wanted:
                    break
                for partner_index in rng.choices(
                    partner_range, cum_weights=self.partner_cum_weights, k=wanted - len(chosen)
                ):
                    chosen[self.partner_ids[partner_index]] = None
            info.members = list(chosen)[:wanted]
        total = sum(len(info.members) for info in self.programs)
        roles = (
            (0.35, ProgramPartner.Role.IMPLEMENTING),
            (0.6, ProgramPartner.Role.MEMBER),
            (0.75, ProgramPartner.Role.TECHNICAL),
            (0.92, ProgramPartner.Role.FUNDER),
            (1.0, ProgramPartner.Role.OBSERVER),
        )

        def rows() -> Iterator[Row]:
            for info in self.programs:
                for position, partner_id in enumerate(info.members):
                    joined = self._day_between(info.starts_on, self.anchor)
                    stamp = self._stamp(joined)
                    yield {
                        "program_id": info.id,
                        "partner_id": partner_id,
                        "role": ProgramPartner.Role.CONVENOR
                        if position == 0
                        else _pick(rng, roles),
                        "joined_on": joined,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }

        with self._table("programs_programpartner", total) as written:
            self._insert_all(ProgramPartner, rows())
            written.append(total)

    # --- sites, meetings, agreements, action items ----------------------------------------------

    def _sites(self) -> None:
        rng = self.rng
        counts = _counter(self._program_choices(self.counts.sites), len(self.programs))
        planned: list[tuple[datetime.datetime, int, int]] = []  # (created, programme, village)
        for index, wanted in enumerate(counts):
            info = self.programs[index]
            home_code = info.home[1]
            pool: Sequence[int] = self.villages_by_regency.get(home_code, [])
            if len(pool) < wanted:
                pool = self.villages_by_province.get(home_code[:2], [])
            if len(pool) < wanted:
                pool = range(len(self.villages))
            for village_index in rng.sample(pool, min(wanted, len(pool))):
                day = self._day_between(info.starts_on, self.anchor)
                planned.append((self._stamp(day), index, village_index))
        planned.sort()
        statuses = (
            (0.7, Site.Status.ACTIVE),
            (0.8, Site.Status.PROPOSED),
            (0.95, Site.Status.COMPLETED),
            (1.0, Site.Status.DROPPED),
        )
        names = []
        for _stamp, _index, village_index in planned:
            _id, _code, village, kind = self.villages[village_index]
            names.append(f"{'Kelurahan' if kind == Region.Kind.KELURAHAN else 'Desa'} {village}")

        def rows() -> Iterator[Row]:
            for (stamp, index, village_index), name in zip(planned, names, strict=True):
                yield {
                    "program_id": self.programs[index].id,
                    "region_id": self.villages[village_index][0],
                    "name": name,
                    "status": _pick(rng, statuses),
                    "rationale": f"Prioritas {rng.choice(TOPICS)} menurut data kemiskinan.",
                    "priority_issues": ", ".join(rng.sample(TOPICS, 2)),
                    "created_at": stamp,
                    "updated_at": stamp,
                }

        with self._table("programs_site", len(planned)) as written:
            ids = self._insert_all(Site, rows())
            written.append(len(ids))
        self.site_names: dict[int, str] = {}
        for site_id, (_stamp, index, _village), name in zip(ids, planned, names, strict=True):
            self.programs[index].sites.append(site_id)
            self.site_names[site_id] = name

    def _meetings(self) -> None:
        rng = self.rng
        total = self.counts.meetings
        horizon = self.anchor + datetime.timedelta(days=120)
        planned = []
        for index in self._program_choices(total):
            day = self._day_between(self.programs[index].starts_on, horizon)
            # Recorded the day after they took place; upcoming ones some days before.
            recorded = min(day + datetime.timedelta(days=1), self.anchor)
            if day > self.anchor:
                recorded = self._day_between(self.anchor - datetime.timedelta(days=30), self.anchor)
            planned.append((self._stamp(recorded), day, index))
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
        sequence = [0] * len(self.programs)

        def rows() -> Iterator[Row]:
            for stamp, day, index in planned:
                info = self.programs[index]
                sequence[index] += 1
                kind = _pick(rng, kinds)
                yield {
                    "program_id": info.id,
                    "kind": kind,
                    "title": f"{labels[kind]} {info.name} ke-{sequence[index]}",
                    "starts_on": day,
                    "ends_on": day if rng.random() < 0.8 else day + datetime.timedelta(days=1),
                    "venue": rng.choice(VENUES).format(_place(info.home[2])),
                    "chair": rng.choice(CHAIRS),
                    "moderator": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "participant_count": rng.randint(8, 120),
                    "summary": f"Membahas kemajuan {rng.choice(TOPICS)}.",
                    "created_at": stamp,
                    "updated_at": stamp,
                }

        with self._table("programs_meeting", total) as written:
            ids = self._insert_all(Meeting, rows())
            written.append(len(ids))
        meeting_rows = []
        for meeting_id, (_stamp, _day, index) in zip(ids, planned, strict=True):
            self.programs[index].meetings.append(meeting_id)
            meeting_rows.append((meeting_id, index))
        self._meeting_outcomes(meeting_rows)

    def _meeting_outcomes(self, meeting_rows: Sequence[tuple[int, int]]) -> None:
        rng = self.rng
        attendance_plan = []
        decision_plan = []
        for meeting_id, index in meeting_rows:
            members = self.programs[index].members
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
        with self._table("programs_attendance", total) as written:
            self._insert_all(Attendance, attendance())
            written.append(total)
        total = sum(count for _m, count in decision_plan)
        with self._table("programs_decision", total) as written:
            self._insert_all(Decision, decisions())
            written.append(total)

    def _agreements(self) -> None:
        rng = self.rng
        total = self.counts.agreements
        planned = []
        for index in self._program_choices(total):
            day = self._day_between(self.programs[index].starts_on, self.anchor)
            planned.append((self._stamp(day), day, rng.random() < 0.05, index))
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
        sequence = [0] * len(self.programs)

        def rows() -> Iterator[Row]:
            for stamp, day, draft, index in planned:
                info = self.programs[index]
                sequence[index] += 1
                kind = _pick(rng, kinds)
                expires_on = None
                if rng.random() < 0.7:
                    expires_on = day + datetime.timedelta(days=365 * rng.randint(1, 5))
                status = Agreement.Status.SIGNED
                if draft:
                    status = Agreement.Status.DRAFT
                elif expires_on and expires_on < self.anchor:
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
                        f"{sequence[index]:03d}/{codes[kind]}/{ROMAN_MONTHS[day.month - 1]}/"
                        f"{day.year}"
                    ),
                    "title": f"{labels[kind]} {rng.choice(TOPICS)} — {info.name}",
                    "signed_on": None if draft else day,
                    "signed_at": "" if draft else _place(info.home[2]),
                    "effective_from": None if draft else day,
                    "expires_on": None if draft else expires_on,
                    "status": status,
                    "meeting_id": meeting_id,
                    "document": "",
                    "document_sha256": "",
                    "created_at": stamp,
                    "updated_at": stamp,
                }

        with self._table("programs_agreement", total) as written:
            ids = self._insert_all(Agreement, rows())
            written.append(len(ids))
        created = []
        for agreement_id, (_stamp, day, draft, index) in zip(ids, planned, strict=True):
            self.programs[index].agreements.append(agreement_id)
            created.append((agreement_id, index, None if draft else day))
        self._signatories(created)
        self._clauses(ids)

    def _signatories(self, agreements: Sequence[tuple[int, int, datetime.date | None]]) -> None:
        rng = self.rng
        plan = []
        for agreement_id, index, signed_on in agreements:
            members = self.programs[index].members
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
        with self._table("programs_signatory", total) as written:
            self._insert_all(Signatory, rows())
            written.append(total)

    def _clauses(self, agreement_ids: Sequence[int]) -> None:
        """One to three sections (BAB) per agreement, each with one to three numbered clauses.

        Sections first, batch by batch, then their clauses pointing at the sections' new ids.
        """
        rng = self.rng
        layouts = [
            (agreement_id, [rng.randint(1, 3) for _ in range(rng.randint(1, 3))])
            for agreement_id in agreement_ids
        ]
        total = sum(len(sections) + sum(sections) for _a, sections in layouts)
        per_batch = max(1, self.batch_size // 6)  # ≈ batch_size rows per round
        with self._table("programs_clause", total) as written:
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
                section_ids = iter(self._insert(Clause, sections))
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
                self._insert(Clause, clauses)
            written.append(total)

    def _action_items(self) -> None:
        rng = self.rng
        total = self.counts.action_items
        planned = []
        for index in self._program_choices(total):
            day = self._day_between(self.programs[index].starts_on, self.anchor)
            planned.append((self._stamp(day), day, index))
        planned.sort()
        past = (
            (0.6, ActionItem.Status.DONE),
            (0.68, ActionItem.Status.CANCELLED),
            (0.85, ActionItem.Status.IN_PROGRESS),
            (1.0, ActionItem.Status.PLANNED),
        )
        future = ((0.6, ActionItem.Status.PLANNED), (1.0, ActionItem.Status.IN_PROGRESS))
        sequence = [0] * len(self.programs)

        def rows() -> Iterator[Row]:
            for stamp, day, index in planned:
                info = self.programs[index]
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
                    "status": _pick(rng, past if due_on < self.anchor else future),
                    "order": sequence[index],
                    "created_at": stamp,
                    "updated_at": stamp,
                }

        with self._table("programs_actionitem", total) as written:
            self._insert_all(ActionItem, rows())
            written.append(total)

    # --- commitments and their progress ----------------------------------------------------------

    def _commitments(self) -> None:
        rng = self.rng
        total = self.counts.commitments
        planned = []
        for index in self._program_choices(total):
            day = self._day_between(self.programs[index].starts_on, self.anchor)
            planned.append((self._stamp(day), index))
        planned.sort()
        kinds = (
            (0.25, Commitment.Kind.FUNDING),
            (0.5, Commitment.Kind.PROGRAMME),
            (0.7, Commitment.Kind.TECHNICAL),
            (0.85, Commitment.Kind.IN_KIND),
            (0.95, Commitment.Kind.POLICY),
            (1.0, Commitment.Kind.OTHER),
        )
        past_due = (
            (0.55, Commitment.Status.FULFILLED),
            (0.7, Commitment.Status.IN_PROGRESS),
            (0.9, Commitment.Status.PLEDGED),
            (1.0, Commitment.Status.CANCELLED),
        )
        not_due = (
            (0.45, Commitment.Status.PLEDGED),
            (0.9, Commitment.Status.IN_PROGRESS),
            (0.95, Commitment.Status.FULFILLED),
            (1.0, Commitment.Status.CANCELLED),
        )
        # Compact columns for the progress updates: 500,000 dicts would only cost memory.
        status_codes = {status: code for code, status in enumerate(Commitment.Status.values)}
        statuses = array("b")

        def rows() -> Iterator[Row]:
            for stamp, index in planned:
                info = self.programs[index]
                kind = _pick(rng, kinds)
                starts_on = stamp.date() + datetime.timedelta(days=rng.randint(0, 60))
                due_on = None
                if rng.random() < 0.9:
                    due_on = starts_on + datetime.timedelta(days=rng.randint(30, 720))
                status = _pick(rng, past_due if due_on and due_on < self.anchor else not_due)
                statuses.append(status_codes[status])
                amount = None
                if kind == Commitment.Kind.FUNDING:
                    # Rp 9 juta to Rp 3,6 miliar, most of them small.
                    amount = decimal.Decimal(round(math.exp(rng.uniform(16, 22)), -5))
                elif kind == Commitment.Kind.IN_KIND and rng.random() < 0.6:
                    amount = decimal.Decimal(round(math.exp(rng.uniform(14, 19)), -4))
                site_id = rng.choice(info.sites) if info.sites and rng.random() < 0.4 else None
                topic = rng.choice(TOPICS)
                title = rng.choice(COMMITMENT_TITLES[kind]).format(topic)
                if site_id is not None:
                    title = f"{title} di {self.site_names[site_id]}"
                yield {
                    "program_id": info.id,
                    "partner_id": rng.choice(info.members),
                    "meeting_id": (
                        rng.choice(info.meetings) if info.meetings and rng.random() < 0.5 else None
                    ),
                    "site_id": site_id,
                    "agreement_id": (
                        rng.choice(info.agreements)
                        if info.agreements and rng.random() < 0.1
                        else None
                    ),
                    "title": title,
                    "description": (
                        f"Mendukung {topic} bersama pemerintah daerah dan masyarakat."
                        if rng.random() < 0.3
                        else ""
                    ),
                    "kind": kind,
                    "amount": amount,
                    "starts_on": starts_on,
                    "due_on": due_on,
                    "status": status,
                    "created_at": stamp,
                    "updated_at": stamp,
                }

        with self._table("programs_commitment", total) as written:
            ids = self._insert_all(Commitment, rows())
            written.append(len(ids))
        self._commitment_updates(ids, statuses, planned)

    def _commitment_updates(
        self,
        ids: Sequence[int],
        statuses: Sequence[int],
        planned: Sequence[tuple[datetime.datetime, int]],
    ) -> None:
        """Progress logs: none for a pledge, one or two entries for the others, the last one
        carrying the commitment's current status."""
        rng = self.rng
        values = Commitment.Status.values
        now = self.now.timestamp()
        log: list[tuple[float, int, str, int, int]] = []
        for commitment_id, code, (stamp, index) in zip(ids, statuses, planned, strict=True):
            status = values[code]
            if status == Commitment.Status.PLEDGED:
                continue
            count = 1 if status == Commitment.Status.CANCELLED else rng.randint(1, 2)
            moments = sorted(rng.uniform(stamp.timestamp(), now) for _ in range(count))
            progress = 0
            for step, moment in enumerate(moments, start=1):
                last = step == count
                if last and status == Commitment.Status.FULFILLED:
                    progress = 100
                elif not last or status == Commitment.Status.IN_PROGRESS:
                    progress = min(95, progress + rng.randint(10, 50))
                entry_status = status if last else Commitment.Status.IN_PROGRESS
                log.append((moment, commitment_id, entry_status, progress, index))
        log.sort()
        notes = ("", "", "Sesuai rencana.", "Terkendala cuaca.", "Menunggu pencairan dana.")

        def rows() -> Iterator[Row]:
            for moment, commitment_id, status, progress, index in log:
                yield {
                    "commitment_id": commitment_id,
                    "status": status,
                    "progress": progress,
                    "note": rng.choice(notes),
                    "created_by_id": self.programs[index].coordinator_id,
                    "created_at": datetime.datetime.fromtimestamp(moment, tz=self.zone),
                }

        with self._table("programs_commitmentupdate", len(log)) as written:
            self._insert_all(CommitmentUpdate, rows())
            written.append(len(log))

    # --- history ---------------------------------------------------------------------------------

    def _history(self, watermarks: dict[type[models.Model], int]) -> None:
        """The "+" record of every generated row, one INSERT … SELECT per history table."""
        for model in TRACKED_MODELS:
            history = _history_model(model)
            assert history is not None, model
            columns = [f.column for f in history.tracked_fields]
            has_created = any(f.name == "created_at" for f in model._meta.concrete_fields)
            date_source = f"b.{_column(model, 'created_at')}" if has_created else "%s"
            params: list[Any] = [] if has_created else [self.now]
            params += [CHANGE_REASON, watermarks[model]]
            sql = (
                f"INSERT INTO {_table(history)} ({', '.join(map(_quote, columns))}, "
                f"{_column(history, 'history_date')}, {_column(history, 'history_type')}, "
                f"{_column(history, 'history_change_reason')}, {_column(history, 'history_user')}) "
                f"SELECT {', '.join('b.' + _quote(column) for column in columns)}, {date_source}, "
                f"'+', %s, NULL FROM {_table(model)} b WHERE b.{_column(model, 'id')} > %s"
            )
            with self._table(history._meta.db_table) as written, connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = max(cursor.rowcount, 0)
                if model is Program:
                    rows += self._program_link_history(cursor, watermarks[model])
                self.progress.advance(rows)
                written.append(rows)

    def _program_link_history(self, cursor: Any, watermark: int) -> int:
        """The goal and target links of each new programme, tied to its "+" history row."""
        rows = 0
        history = Program.history.model
        for attribute, target in (("sdg_goals", "sdggoal"), ("sdg_targets", "sdgtarget")):
            through = getattr(Program, attribute).through
            m2m = apps.get_model("programs", f"HistoricalProgram_{attribute}")
            cursor.execute(
                f"INSERT INTO {_table(m2m)} ({_column(m2m, 'id')}, {_column(m2m, 'program')}, "
                f"{_column(m2m, target)}, {_column(m2m, 'history')}) "
                f"SELECT t.{_column(through, 'id')}, t.{_column(through, 'program')}, "
                f"t.{_column(through, target)}, h.{_column(history, 'history_id')} "
                f"FROM {_table(through)} t JOIN {_table(history)} h "
                f"ON h.{_column(history, 'id')} = t.{_column(through, 'program')} "
                f"AND h.{_column(history, 'history_type')} = '+' "
                f"WHERE t.{_column(through, 'program')} > %s",
                [watermark],
            )
            rows += max(cursor.rowcount, 0)
        return rows


def _max_id(model: type[models.Model]) -> int:
    return model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0


def _counter(indexes: Iterable[int], size: int) -> list[int]:
    counts = [0] * size
    for index in indexes:
        counts[index] += 1
    return counts


def analyze(callback: Callable[[str, float], None] | None = None) -> None:
    """Fresh planner statistics (and, outside a transaction, the visibility map) on PostgreSQL.

    Three million rows inserted at once leave the planner guessing until autovacuum passes;
    the benchmark should meet the data as a production database that autovacuum keeps.
    """
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    if callback:
        callback(statement, time.perf_counter() - started)


def generate(
    counts: ScaleCounts,
    *,
    seed: int = DEFAULT_SEED,
    anchor: datetime.date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    history: HistoryMode = HistoryMode.SQL,
    writer: WriterMode = WriterMode.AUTO,
    password: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> ScaleReport:
    """Create the data set in one transaction (a failure leaves nothing behind).

    Raises MissingReferenceData without regions or SDG goals, and FileExistsError when an
    earlier run's data is present and `force` is false; with `force` that data is removed first.
    """
    missing = missing_reference()
    if missing:
        raise MissingReferenceData(", ".join(missing))
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: millions of queued checks
            # would all run at commit. Checked as rows arrive they are the same checks, but
            # measured 20 % faster overall (the parent rows are still in cache) and the queue
            # costs no memory.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        removed: TableReport | None = None
        if scale_data_present():
            if not force:
                raise FileExistsError("scale data present")
            delete_started = time.perf_counter()
            delete_scale_data()
            removed = TableReport(
                "(hapus data skala lama)", 0, time.perf_counter() - delete_started
            )
        generator = ScaleGenerator(
            counts,
            seed=seed,
            anchor=anchor,
            batch_size=batch_size,
            history=history,
            writer=writer,
            password=password,
            progress=progress,
        )
        report = generator.run()
        if removed is not None:
            report.tables.insert(0, removed)
        if connection.vendor == "postgresql":
            # Back to Django's default for whatever the caller's transaction does next (a test).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        commit_started = time.perf_counter()
    report.tables.append(TableReport("(commit)", 0, time.perf_counter() - commit_started))
    report.seconds = time.perf_counter() - started
    return report
