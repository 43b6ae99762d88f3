"""`manage.py load_demo`: every fact of the five source reports, the demo accounts, idempotence.

The expected values are written out here rather than read from programs/demo/data/, so that a
slip in the data set fails a test instead of agreeing with itself.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from zeal import zeal_context

from collab.permissions import STAFF_GROUP, Action, can
from partners.models import Contact, Partner, PartnerKind, Pillar
from programs.models.agreements import Agreement, Clause, Signatory
from programs.models.commitments import Commitment
from programs.models.indicators import Indicator
from programs.models.meetings import ActionItem, Attendance, Decision, Meeting
from programs.models.program import Program, ProgramPartner, Site

GOV = Pillar.GOVERNMENT
PHB = Pillar.PHILANTHROPY_BUSINESS
ACA = Pillar.ACADEMIA_EXPERTS
CSM = Pillar.CIVIL_SOCIETY_MEDIA
Kind = PartnerKind
Role = ProgramPartner.Role

SLUGS = {"kota-sdgs-bengkulu", "kotaku", "kelurahan-mandiri-madiun", "kalibaru-hub", "peduli-sdgs"}
PASSWORD_VARIABLE = "COLLAB_DEMO_PASSWORD"

# name → (pillar, kind, region code)
PARTNERS = {
    # Kota SDGs Bengkulu
    "Filantropi Indonesia": (PHB, Kind.FOUNDATION, None),
    "Baznas Pusat": (PHB, Kind.FOUNDATION, None),
    "Baznas Provinsi Bengkulu": (PHB, Kind.FOUNDATION, "17"),
    "Program Kota Tanpa Kumuh": (GOV, Kind.MINISTRY_AGENCY, None),
    "Pos Keadilan Peduli Ummat": (PHB, Kind.FOUNDATION, None),
    "SDG Center Universitas Bengkulu": (ACA, Kind.UNIVERSITY, "17"),
    "Fakultas Ekonomi dan Bisnis IAIN Bengkulu": (ACA, Kind.UNIVERSITY, "17"),
    # PEDULI SDGs
    "B-Trust": (CSM, Kind.CSO, None),
    "Konfederasi Pekerja Rakyat Indonesia": (CSM, Kind.NETWORK, None),
    "Uni Eropa": (PHB, Kind.INTERNATIONAL, None),
    # KOTAKU
    "Satuan Kerja Pengembangan Kawasan Permukiman Berbasis Masyarakat": (
        GOV,
        Kind.MINISTRY_AGENCY,
        None,
    ),
    "Konsultan Pendamping KOTAKU NSUP dan NUSP-2": (ACA, Kind.COMPANY, None),
    # Kelurahan Mandiri
    "Bappelitbangda Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77"),
    "Bakesbangpol Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77"),
    "Disperindag Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77"),
    "Disnaker KUKM Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77"),
    "Dinas Kominfo Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77"),
    "Disbudparpora Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77"),
    "Kecamatan Taman Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77.03"),
    "Kelurahan Taman Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77.03.1009"),
    "Kelurahan Demangan Kota Madiun": (GOV, Kind.LOCAL_GOVERNMENT, "35.77.03.1008"),
    "USAID-MADANI": (PHB, Kind.INTERNATIONAL, None),
    "Forum Pembangunan Masyarakat Kota Madiun": (CSM, Kind.NETWORK, "35.77"),
    "WKR": (CSM, Kind.CSO, None),
    "Lempung": (CSM, Kind.CSO, None),
    "Lesse": (CSM, Kind.CSO, None),
    "Yayasan Bambu Nusantara": (CSM, Kind.CSO, None),
    "PT INKA": (PHB, Kind.STATE_ENTERPRISE, None),
    "Bank Jatim": (PHB, Kind.COMPANY, None),
    "Universitas Muhammadiyah Madiun": (ACA, Kind.UNIVERSITY, None),
    # Kalibaru Hub
    "Bappeda Provinsi DKI Jakarta": (GOV, Kind.LOCAL_GOVERNMENT, "31"),
    "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta": (
        GOV,
        Kind.LOCAL_GOVERNMENT,
        "31",
    ),
    "United Cities and Local Governments Asia Pacific": (GOV, Kind.NETWORK, None),
    "Resilient Cities Network": (PHB, Kind.NETWORK, None),
}

KOTA_SDGS_PARTNERS = [
    "Filantropi Indonesia",
    "Baznas Pusat",
    "Baznas Provinsi Bengkulu",
    "Program Kota Tanpa Kumuh",
    "Pos Keadilan Peduli Ummat",
    "SDG Center Universitas Bengkulu",
    "Fakultas Ekonomi dan Bisnis IAIN Bengkulu",
]
LOKAKARYA_PARTNERS = [
    "Bappelitbangda Kota Madiun",
    "Bakesbangpol Kota Madiun",
    "Disperindag Kota Madiun",
    "Disnaker KUKM Kota Madiun",
    "Dinas Kominfo Kota Madiun",
    "Disbudparpora Kota Madiun",
    "Kecamatan Taman Kota Madiun",
    "Kelurahan Taman Kota Madiun",
    "Kelurahan Demangan Kota Madiun",
    "USAID-MADANI",
    "Forum Pembangunan Masyarakat Kota Madiun",
    "WKR",
    "Lempung",
    "Lesse",
    "Yayasan Bambu Nusantara",
    "PT INKA",
    "Bank Jatim",
    "Universitas Muhammadiyah Madiun",
]
KALIBARU_PARTNERS = [
    "Bappeda Provinsi DKI Jakarta",
    "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta",
    "United Cities and Local Governments Asia Pacific",
    "Resilient Cities Network",
]
SATKER = "Satuan Kerja Pengembangan Kawasan Permukiman Berbasis Masyarakat"
KONSULTAN = "Konsultan Pendamping KOTAKU NSUP dan NUSP-2"
LOKAKARYA_TITLE = (
    "Lokakarya Penyepakatan Program Kolaborasi Parapihak Pemodelan Program Kelurahan Mandiri di 2 "
    "Wilayah Piloting (Kel. Taman & Demangan) Kec. Taman Kota Madiun Th. 2021"
)

# (slug, title, starts_on, ends_on, venue, chair, moderator, participants, organisations present)
MEETINGS = [
    (
        "kota-sdgs-bengkulu",
        "Rapat koordinasi lanjutan program Kota SDGs Bengkulu",
        date(2018, 5, 14),
        None,
        "Kantor Baznas Provinsi Bengkulu",
        "",
        "",
        None,
        KOTA_SDGS_PARTNERS,
    ),
    (
        "kotaku",
        "Rapat Koordinasi (Rakor) Team Leader (TL) dan Expert Group Meeting Tenaga Ahli (TA) "
        "Program Kota Tanpa Kumuh (KOTAKU) NSUP dan NUSP-2 Tahun 2017",
        date(2017, 2, 6),
        date(2017, 2, 9),
        "Jakarta",
        "",
        "",
        None,
        [SATKER, KONSULTAN],
    ),
    (
        "peduli-sdgs",
        "Training of Trainer bagi Organisasi Masyarakat Sipil (OMS) di Nusa Tenggara Barat (NTB)",
        date(2021, 9, 16),
        date(2021, 9, 19),
        "Hotel Montana Senggigi, Lombok Barat",
        "",
        "",
        None,
        ["B-Trust", "Konfederasi Pekerja Rakyat Indonesia"],
    ),
    (
        "kelurahan-mandiri-madiun",
        "Workshop Collaborative Governance",
        date(2021, 2, 26),
        None,
        "Kota Madiun",
        "",
        "",
        None,
        [],  # the report names nobody present
    ),
    (
        "kelurahan-mandiri-madiun",
        LOKAKARYA_TITLE,
        date(2021, 11, 8),
        None,
        "Ruang Pertemuan Lt. 2 Bappelitbangda, Gedung Graha Kridha Praja",
        "Elita Mardiani, Kabid Perencanaan Pemerintahan & Pembangunan Manusia "
        "(Bappelitbangda Kota Madiun)",
        "Kadaryono (Forpemma)",
        18,
        LOKAKARYA_PARTNERS,
    ),
    (
        "kalibaru-hub",
        "Kick Off dan Focus Group Discussion (FGD) Kalibaru HUB program 2024",
        date(2024, 2, 6),
        None,
        "Balaikota Provinsi DKI Jakarta",
        "",
        "",
        None,
        KALIBARU_PARTNERS,
    ),
]

# (slug, meeting date, organisation, representative, position)
REPRESENTATIVES = [
    (
        "kelurahan-mandiri-madiun",
        date(2021, 11, 8),
        "Bappelitbangda Kota Madiun",
        "Elita Mardiani",
        "Kabid Perencanaan Pemerintahan & Pembangunan Manusia",
    ),
    (
        "kelurahan-mandiri-madiun",
        date(2021, 11, 8),
        "Forum Pembangunan Masyarakat Kota Madiun",
        "Kadaryono",
        "",
    ),
    (
        "kelurahan-mandiri-madiun",
        date(2021, 11, 8),
        "USAID-MADANI",
        "M.S. Rizal",
        "Field Coordinator (FC) USAID-MADANI",
    ),
    ("kelurahan-mandiri-madiun", date(2021, 11, 8), "PT INKA", "Bambang Ramadhiarto", ""),
    (
        "kelurahan-mandiri-madiun",
        date(2021, 11, 8),
        "Yayasan Bambu Nusantara",
        "Titik S.",
        "Direktur YBN",
    ),
    (
        "peduli-sdgs",
        date(2021, 9, 16),
        "Konfederasi Pekerja Rakyat Indonesia",
        "Anwar Sastro Ma'ruf",
        "Sekretaris Jenderal (Sekjend) KPRI",
    ),
    (
        "kotaku",
        date(2017, 2, 6),
        SATKER,
        "Anita Listyorini",
        "Pejabat Pembuat Komitmen (PPK) KOTAKU Wilayah 1",
    ),
    (
        "kalibaru-hub",
        date(2024, 2, 6),
        "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta",
        "Andhika Ajie",
        "Kepala PRIDa Bappeda Provinsi DKI Jakarta",
    ),
]

# (title, responsible, starts_on, due_on, source's timing in the description)
WORK_PLAN = [
    (
        "Identifikasi kebutuhan dan intervensi program",
        "Program Kota Tanpa Kumuh",
        date(2018, 6, 4),
        date(2018, 6, 4),
        "4 Juni 2018",
    ),
    (
        "Penentuan program/intervensi masing-masing mitra",
        None,
        date(2018, 6, 4),
        date(2018, 6, 11),
        "4 Juni sd. 11 Juni 2018",
    ),
    (
        "Identifikasi mitra donatur lain (Forum CSR, perusahaan, BI, dll.)",
        None,
        date(2018, 6, 1),
        date(2018, 9, 30),
        "Juni sd. September 2018",
    ),
    (
        "Komunikasi, koordinasi dengan Pemda Kota Bengkulu",
        "Program Kota Tanpa Kumuh",
        date(2018, 5, 14),
        date(2018, 7, 31),
        "14 Mei sd. Juli 2018",
    ),
    (
        "Penggalangan dukungan dan mitra tambahan (bentuk kegiatannya public expose)",
        None,
        date(2018, 7, 1),
        date(2018, 8, 31),
        "Juli sd. Agustus 2018",
    ),
    (
        "Launching program (menghadirkan Bappenas atau menteri terkait)",
        None,
        date(2018, 8, 1),
        date(2018, 8, 31),
        "Agustus 2018",
    ),
    (
        "Pelaksanaan program",
        None,
        date(2018, 9, 1),
        date(2021, 9, 30),
        "September 2018 sd. September 2021",
    ),
    ("Capacity building/coaching klinik", None, None, None, ""),
    ("Rapat koordinasi", None, None, None, "4 bln sekali/catur wulan"),
    ("Monitoring dan evaluasi program", None, None, None, "Menerus"),
]

KOTAKU_AGREEMENT = (
    "Rumusan Kesepakatan Hasil Rapat Koordinasi Team Leader dan EGM Tenaga Ahli Program KOTAKU "
    "NSUP dan NUSP-2 Tahun 2017"
)
KOTAKU_SECTIONS = [
    ("1", "Perubahan perilaku", 6),
    ("2", "Membangun Kolaborasi", 4),
    ("3", "Memerankan pemerintah daerah sebagai Nakhoda", 5),
    ("4", "Revitalisasi BKM", 4),
    ("5", "Keterpaduan program NSUP dan NUSP2", 4),
]


def get_program(slug: str) -> Program:
    return Program.objects.get(slug=slug)


def programs_by_slug() -> dict[str, Program]:
    """All programmes in one query (a get() per slug in a loop is an N+1 to django-zeal)."""
    return {program.slug: program for program in Program.objects.all()}


def run_load_demo(**options) -> str:
    """One more run of the command, in a detection scope of its own as a request would have.

    django-zeal's scope spans the whole test (tests/conftest.py), so the same get_or_create in a
    service run once by the `demo_data` fixture and once here would otherwise count as an N+1.
    """
    out = io.StringIO()
    with zeal_context():
        call_command("load_demo", stdout=out, no_color=True, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model, history tables and permission tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def no_demo_password(monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)


@pytest.fixture(scope="module")
def _demo_loaded(module_db):
    """The command's first run, once for the module (tests/once.py); each test rolls back to it.
    The tests of a first run on an empty database are in test_load_demo_first_run.py."""
    with module_db.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture
def demo_data(db, _demo_loaded):
    """The five seed programmes and demo accounts, loaded once for this module."""


# --- programmes ----------------------------------------------------------------------------------


def test_it_loads_the_five_programmes_with_their_slugs(demo_data):
    assert set(Program.objects.values_list("slug", flat=True)) == SLUGS
    names = dict(Program.objects.values_list("slug", "name"))
    assert names["kota-sdgs-bengkulu"] == "Kota SDGs Bengkulu"
    assert names["kotaku"] == "Kota Tanpa Kumuh (KOTAKU)"
    assert names["kelurahan-mandiri-madiun"] == "Kelurahan Mandiri Kota Madiun"
    assert names["kalibaru-hub"] == "Kalibaru Hub"
    assert names["peduli-sdgs"] == "PEDULI SDGs"


# Each programme's line of output cites its report: title, publisher, date.
CITATIONS = {
    "kota-sdgs-bengkulu": (
        "“Pertemuan Koordinasi Kolaborasi Kota SDGs Bengkulu”, Filantropi Indonesia, 23 Mei 2018."
    ),
    "peduli-sdgs": "“B-Trust dan KPRI Perkuat Peduli SDGs”, FokusBanten, 18 September 2021.",
    "kotaku": (
        "“Kesepakatan Hasil Rakor TL dan EGM KOTAKU 2017”, Program Kota Tanpa Kumuh (KOTAKU), "
        "10 Februari 2017."
    ),
    "kelurahan-mandiri-madiun": (
        "“OMS Dorong Collaborative Governance Melalui Penyepakatan Pemodelan Kelurahan Mandiri di "
        "Kota Madiun”, AtmaGo, 8 November 2021."
    ),
    "kalibaru-hub": (
        "“Kick Off dan Focus Group Discussion (FGD) Kalibaru HUB program 2024”, Bappeda Provinsi "
        "DKI Jakarta, 12 Februari 2024."
    ),
}


def test_it_names_each_programmes_report_by_title_and_publisher_not_a_file(
    demo_data, no_demo_password
):
    text = run_load_demo()
    for slug, citation in CITATIONS.items():
        assert f"({slug}) dari {citation}\n" in text, slug
    assert ".txt" not in text


DESCRIPTION_PHRASES = {
    "kota-sdgs-bengkulu": [
        "kemiskinan dan kekumuhan di kota Bengkulu",
        "tujuan 11: Kota dan pemukiman yang berkelanjutan",
        "Universal, integrasi dan partisipatif (no one left behind)",
        "RAD (Rencana Aksi Daerah) SDGs Propinsi Bengkulu",
        "3 sampai dengan 5 tahun",
        "kolaborasi 4 pilar SDGs",
    ],
    "kotaku": ["NSUP dan NUSP-2", "Satker PKPBM", "0 Ha pada tahun 2019"],
    "kelurahan-mandiri-madiun": [
        "Covid-19",
        "lapak UMKM di 27 kelurahan",
        "Kel. Taman dan Demangan",
        "direplikasi",
    ],
    "kalibaru-hub": [
        "Sejak tahun 2019",
        "Sekretariat SDGs Bappeda Provinsi DKI Jakarta",
        "Catalyzing Cities Resilience Solutions (CCRS)",
        "Jakarta, Semarang, Bangkok, Da Nang, Can Tho, dan Melaka",
    ],
    "peduli-sdgs": [
        "B-Trust dan Konfederasi Pekerja Rakyat Indonesia (KPRI)",
        "didukung oleh Uni Eropa (EU)",
        "direncanakan 6 semester",
        "semester ke-4 pada September 2021",
        "internalisasi, sinkronisasi dan implementasi",
        "30 organisasi masyarakat sipil dan 90 pendamping komunitas",
        "tersebar di 30 desa",
    ],
}


def test_it_describes_each_programme_in_the_words_of_its_source(demo_data):
    descriptions = dict(Program.objects.values_list("slug", "description"))
    missing = {
        slug: [phrase for phrase in phrases if phrase not in descriptions[slug]]
        for slug, phrases in DESCRIPTION_PHRASES.items()
    }
    assert missing == {slug: [] for slug in DESCRIPTION_PHRASES}


def test_kota_sdgs_aims_at_goal_11_and_meets_every_four_months(demo_data):
    program = get_program("kota-sdgs-bengkulu")
    assert list(program.sdg_goals.values_list("code", flat=True)) == ["11"]
    assert program.meeting_cadence_months == 4


def test_kotaku_is_linked_to_goal_11_and_target_11_1(demo_data):
    program = get_program("kotaku")
    assert list(program.sdg_goals.values_list("code", flat=True)) == ["11"]
    assert list(program.sdg_targets.values_list("code", flat=True)) == ["11.1"]


def test_programmes_whose_sources_name_no_goal_link_none(demo_data):
    others = Program.objects.filter(
        slug__in=["kelurahan-mandiri-madiun", "kalibaru-hub", "peduli-sdgs"]
    )
    assert others.count() == 3
    assert not others.filter(sdg_goals__isnull=False).exists()
    assert not others.filter(sdg_targets__isnull=False).exists()


# --- organisations -------------------------------------------------------------------------------


def test_it_loads_exactly_the_organisations_of_the_sources(demo_data):
    assert set(Partner.objects.values_list("name", flat=True)) == set(PARTNERS)


def test_each_organisation_has_its_pillar_kind_and_region(demo_data):
    rows = Partner.objects.values_list("name", "pillar", "kind", "region__code")
    assert {name: (pillar, kind, region) for name, pillar, kind, region in rows} == PARTNERS


def test_organisations_keep_the_details_the_sources_give(demo_data):
    assert Partner.objects.get(name="Filantropi Indonesia").email == "info@filantropi.or.id"
    prida = Partner.objects.get(acronym="PRIDa")
    assert prida.parent == Partner.objects.get(name="Bappeda Provinsi DKI Jakarta")
    assert str(Partner.objects.get(name="Pos Keadilan Peduli Ummat")) == (
        "Pos Keadilan Peduli Ummat (PKPU)"
    )
    assert Partner.objects.get(acronym="Forpemma").name == (
        "Forum Pembangunan Masyarakat Kota Madiun"
    )


ROLES = {
    "kota-sdgs-bengkulu": {("Filantropi Indonesia", Role.CONVENOR)}
    | {(name, Role.MEMBER) for name in KOTA_SDGS_PARTNERS[1:]},
    "kotaku": {(SATKER, Role.CONVENOR), (KONSULTAN, Role.TECHNICAL)},
    "peduli-sdgs": {
        ("B-Trust", Role.CONVENOR),
        ("Konfederasi Pekerja Rakyat Indonesia", Role.CONVENOR),
        ("Uni Eropa", Role.FUNDER),
    },
    "kelurahan-mandiri-madiun": {
        ("Bappelitbangda Kota Madiun", Role.CONVENOR),
        ("Yayasan Bambu Nusantara", Role.CONVENOR),
        ("Forum Pembangunan Masyarakat Kota Madiun", Role.CONVENOR),
    }
    | {
        (name, Role.MEMBER)
        for name in LOKAKARYA_PARTNERS
        if name
        not in {
            "Bappelitbangda Kota Madiun",
            "Yayasan Bambu Nusantara",
            "Forum Pembangunan Masyarakat Kota Madiun",
        }
    },
    "kalibaru-hub": {
        ("Bappeda Provinsi DKI Jakarta", Role.CONVENOR),
        (
            "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta",
            Role.CONVENOR,
        ),
        ("United Cities and Local Governments Asia Pacific", Role.TECHNICAL),
        ("Resilient Cities Network", Role.FUNDER),
    },
}


def test_each_programme_has_its_partners_in_their_roles(demo_data):
    roles: dict[str, set[tuple[str, str]]] = {slug: set() for slug in SLUGS}
    for slug, name, role in ProgramPartner.objects.values_list(
        "program__slug", "partner__name", "role"
    ):
        roles[slug].add((name, role))
    assert roles == ROLES


# --- pilot sites ---------------------------------------------------------------------------------


SITES = {
    "kota-sdgs-bengkulu": {"17.71.05.1004": "Kelurahan Sumber Jaya"},
    "kelurahan-mandiri-madiun": {
        "35.77.03.1009": "Kelurahan Taman",
        "35.77.03.1008": "Kelurahan Demangan",
    },
    "kalibaru-hub": {"31.72.04.1004": "Kelurahan Kalibaru"},
    "peduli-sdgs": {
        "32.10": "Kabupaten Majalengka",
        "32.08": "Kabupaten Kuningan",
        "32.07": "Kabupaten Ciamis",
        "33.01": "Kabupaten Cilacap",
        "33.15": "Kabupaten Grobogan",
        "64.03": "Kabupaten Berau",
        "65.01": "Kabupaten Bulungan",
        "52.02": "Kabupaten Lombok Tengah",
        "52.04": "Kabupaten Sumbawa",
        "52.07": "Kabupaten Sumbawa Barat",
    },
    "kotaku": {},
}


def test_sites_are_tied_to_the_exact_regions(demo_data):
    sites: dict[str, dict[str, str]] = {slug: {} for slug in SLUGS}
    for slug, code, name in Site.objects.values_list("program__slug", "region__code", "name"):
        sites[slug][code] = name
    assert sites == SITES


def test_site_names_match_their_regions(demo_data):
    # The region rows come from load_reference: the names agree, so the codes are the right ones.
    sites = list(Site.objects.select_related("region"))
    assert len(sites) == 14
    for site in sites:
        assert site.name.endswith(site.region.name), site


def test_sites_carry_the_reasons_and_issues_of_their_sources(demo_data):
    kalibaru = Site.objects.get(region__code="31.72.04.1004", program__slug="kalibaru-hub")
    assert kalibaru.priority_issues.splitlines() == [
        "Pengelolaan sampah",
        "Ketersediaan dan keterjangkauan air bersih",
        "Angka kemiskinan (salah satu yang tertinggi di Jakarta)",
    ]
    assert "terpadat dan termiskin di Jakarta" in kalibaru.rationale
    sumber_jaya = Site.objects.get(program__slug="kota-sdgs-bengkulu")
    assert "paling kumuh dan miskin" in sumber_jaya.rationale
    taman = Site.objects.get(program__slug="kelurahan-mandiri-madiun", region__code="35.77.03.1009")
    assert "Juli 2021" in taman.rationale


# --- meetings ------------------------------------------------------------------------------------


def test_each_meeting_has_its_date_place_people_and_attendance(demo_data):
    present: dict[int, list[str]] = {}
    for meeting_id, name in Attendance.objects.values_list("meeting_id", "partner__name"):
        present.setdefault(meeting_id, []).append(name)
    meetings = [
        (
            meeting.program.slug,
            meeting.title,
            meeting.starts_on,
            meeting.ends_on,
            meeting.venue,
            meeting.chair,
            meeting.moderator,
            meeting.participant_count,
            sorted(present.get(meeting.pk, [])),
        )
        for meeting in Meeting.objects.select_related("program").order_by("starts_on")
    ]
    expected = [row[:8] + (sorted(row[8]),) for row in MEETINGS]
    assert meetings == sorted(expected, key=lambda row: row[2])


def test_named_people_represent_their_organisation_at_the_meetings(demo_data):
    represented = Attendance.objects.filter(contact__isnull=False).values_list(
        "meeting__program__slug",
        "meeting__starts_on",
        "partner__name",
        "contact__name",
        "contact__position",
        "contact__partner__name",
    )
    assert sorted(represented) == sorted(row + (row[2],) for row in REPRESENTATIVES)


def test_the_kotaku_readers_are_contacts_of_the_consultants_and_named_in_the_summary(demo_data):
    readers = {
        "Anton Lami Suhadi": "TL KOTAKU Jawa Tengah",
        "Fadhlan": "TL RMC NUSP-2 Wilayah Timur",
        "Harmudya": "TL KOTAKU Provinsi Bengkulu",
    }
    contacts = Contact.objects.filter(partner__name=KONSULTAN)
    assert dict(contacts.values_list("name", "position")) == readers
    summary = Meeting.objects.get(program__slug="kotaku").summary
    for name in readers:
        assert name in summary
    assert "Anita Listyorini" in summary


def test_the_peduli_sdgs_training_names_its_speaker(demo_data):
    summary = Meeting.objects.get(program__slug="peduli-sdgs").summary
    assert "Anwar Sastro Ma'ruf" in summary


# --- decisions -----------------------------------------------------------------------------------


def test_kota_sdgs_meeting_took_its_four_decisions_in_order(demo_data):
    meeting = Meeting.objects.get(program__slug="kota-sdgs-bengkulu")
    decisions = list(meeting.decisions.order_by("number").values_list("number", "text"))
    assert [number for number, _text in decisions] == [1, 2, 3, 4]
    expected = [
        "pendekatan-pendekatan baru",
        "perempuan dan anak-anak",
        "lembaga pendidikan, baik formal maupun non formal",
        "sebelum dan pasca peluncuran program",
    ]
    for (_number, text), phrase in zip(decisions, expected, strict=True):
        assert phrase in text


OTHER_DECISIONS = [
    ("kotaku", date(2017, 2, 6), ["rujukan dan acuan bersama"]),
    (
        "kelurahan-mandiri-madiun",
        date(2021, 2, 26),
        ["Nota Kesepakatan Multistakeholder dukungan Program Kelurahan Mandiri"],
    ),
    (
        "kelurahan-mandiri-madiun",
        date(2021, 11, 8),
        ["menulis peran/kontribusinya", "berita acara penyepakatan kolaborasi"],
    ),
    (
        "kalibaru-hub",
        date(2024, 2, 6),
        ["peluang", "diimplementasikan langsung di wilayah Kalibaru"],
    ),
    ("peduli-sdgs", date(2021, 9, 16), []),
]


def test_other_meetings_record_the_outcomes_their_sources_report(demo_data):
    decisions: dict[tuple[str, date], list[tuple[int, str]]] = {}
    for slug, starts_on, number, text in Decision.objects.order_by("number").values_list(
        "meeting__program__slug", "meeting__starts_on", "number", "text"
    ):
        decisions.setdefault((slug, starts_on), []).append((number, text))
    for slug, starts_on, phrases in OTHER_DECISIONS:
        found = decisions.get((slug, starts_on), [])
        assert [number for number, _text in found] == list(range(1, len(phrases) + 1))
        for (_number, text), phrase in zip(found, phrases, strict=True):
            assert phrase in text, (slug, starts_on)


# --- work plan -----------------------------------------------------------------------------------


def test_kota_sdgs_work_plan_has_its_ten_items_in_order(demo_data):
    items = list(
        ActionItem.objects.filter(program__slug="kota-sdgs-bengkulu")
        .select_related("responsible", "meeting")
        .order_by("order")
    )
    assert [item.title for item in items] == [row[0] for row in WORK_PLAN]
    assert [item.order for item in items] == list(range(1, 11))
    for item, (_title, responsible, starts_on, due_on, timing) in zip(
        items, WORK_PLAN, strict=True
    ):
        assert (item.responsible.name if item.responsible else None) == responsible, item
        assert (item.starts_on, item.due_on) == (starts_on, due_on), item
        assert timing in item.description, item
        assert bool(item.description) == bool(timing), item
        assert item.status == ActionItem.Status.PLANNED
        assert item.meeting.starts_on == date(2018, 5, 14)


def test_kelurahan_mandiri_records_the_steps_taken_before_the_lokakarya(demo_data):
    items = ActionItem.objects.filter(program__slug="kelurahan-mandiri-madiun").order_by("order")
    assert [(item.starts_on, item.due_on, item.status) for item in items] == [
        (date(2021, 2, 1), date(2021, 2, 28), ActionItem.Status.DONE),
        (date(2021, 7, 1), date(2021, 7, 31), ActionItem.Status.DONE),
        (date(2021, 10, 1), date(2021, 10, 31), ActionItem.Status.DONE),
    ]
    assert "9 kelurahan" in items[0].title
    assert items[1].responsible.name == "Forum Pembangunan Masyarakat Kota Madiun"


# --- agreements ----------------------------------------------------------------------------------


def test_kotaku_agreement_has_its_date_place_kind_and_meeting(demo_data):
    agreement = Agreement.objects.get(program__slug="kotaku")
    assert agreement.title == KOTAKU_AGREEMENT
    assert agreement.kind == Agreement.Kind.RUMUSAN_KESEPAKATAN
    assert agreement.signed_on == date(2017, 2, 9)
    assert agreement.signed_at == "Jakarta"
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.meeting == Meeting.objects.get(program__slug="kotaku")


def test_kotaku_agreement_has_two_declarations_then_five_sections(demo_data):
    agreement = Agreement.objects.get(title=KOTAKU_AGREEMENT)
    top = list(agreement.clauses.filter(parent=None).order_by("order"))
    assert [clause.number for clause in top] == ["(1)", "(2)", "1", "2", "3", "4", "5"]
    assert top[0].text.startswith("bersedia dan sanggup melakukan perubahan")
    assert "0 Ha pada tahun 2019" in top[1].text
    assert [(c.number, c.text) for c in top[2:]] == [(n, t) for n, t, _count in KOTAKU_SECTIONS]


def test_kotaku_agreement_has_6_4_5_4_4_clauses_in_its_sections(demo_data):
    clauses = Clause.objects.filter(agreement__title=KOTAKU_AGREEMENT).select_related("parent")
    children: dict[str, list[str]] = {}
    for clause in clauses.order_by("order"):
        if clause.parent_id:
            children.setdefault(clause.parent.number, []).append(clause.number)
    assert children == {
        number: [f"{number}.{index}" for index in range(1, count + 1)]
        for number, _title, count in KOTAKU_SECTIONS
    }


def test_kotaku_agreement_clauses_are_in_reading_order(demo_data):
    agreement = Agreement.objects.get(title=KOTAKU_AGREEMENT)
    clauses = list(agreement.clauses.select_related("parent").order_by("order"))
    assert [clause.order for clause in clauses] == list(range(1, 31))
    numbers = [clause.number for clause in clauses]
    assert numbers[:4] == ["(1)", "(2)", "1", "1.1"]
    assert numbers[8:11] == ["1.6", "2", "2.1"]
    # Every clause follows its section.
    for clause in clauses:
        if clause.parent_id:
            assert clause.parent.order < clause.order
            assert clause.number.startswith(f"{clause.parent.number}.")


def test_kotaku_agreement_keeps_the_full_text_of_its_first_and_last_clauses(demo_data):
    clauses = Agreement.objects.get(title=KOTAKU_AGREEMENT).clauses
    assert clauses.get(number="1.1").text == "Membangun pemahaman konsultan sebagai katalisator"
    assert clauses.get(number="5.4").text == (
        "Menyusun peta keterpaduan program penanganan kumuh pada level kelurahan/lingkungan dan "
        "kabupaten/kota"
    )
    assert clauses.get(number="3.5").text.endswith("dalam RAPBD 2018.")
    assert clauses.get(number="(1)").text == (
        "bersedia dan sanggup melakukan perubahan untuk Mewujudkan Permukiman Layak Huni, "
        "Produktif & Berkelanjutan sebagai bagian dari upaya mewujudkan Kota milik semua warga;"
    )


def test_kotaku_agreement_is_signed_by_the_participants_as_a_body(demo_data):
    agreement = Agreement.objects.get(title=KOTAKU_AGREEMENT)
    signatory = agreement.signatories.get()
    assert signatory.signer_name.startswith("Seluruh Peserta Rapat Koordinasi Team Leader")
    assert signatory.partner is None
    assert signatory.signed_on == date(2017, 2, 9)


def test_kelurahan_mandiri_has_its_nota_kesepakatan_and_berita_acara(demo_data):
    agreements = Agreement.objects.filter(program__slug="kelurahan-mandiri-madiun")
    nota = agreements.get(kind=Agreement.Kind.NOTA_KESEPAKATAN)
    assert nota.title == "Nota Kesepakatan Multistakeholder dukungan Program Kelurahan Mandiri"
    assert nota.meeting.starts_on == date(2021, 2, 26)
    assert nota.signed_on == date(2021, 2, 26)
    berita_acara = agreements.get(kind=Agreement.Kind.BERITA_ACARA)
    assert berita_acara.title == (
        "Berita acara penyepakatan kolaborasi pemodelan program kelurahan mandiri di Kota Madiun"
    )
    assert berita_acara.signed_on == date(2021, 11, 8)
    assert berita_acara.meeting.title == LOKAKARYA_TITLE
    # The report gives neither their text nor their signatories.
    for agreement in (nota, berita_acara):
        assert not agreement.clauses.exists()
        assert not agreement.signatories.exists()


def test_it_loads_no_agreement_beyond_the_sources(demo_data):
    assert Agreement.objects.count() == 3


# --- commitments and indicators ------------------------------------------------------------------


def test_pt_inka_commits_tjsl_loans_and_coaching_with_its_partner_numbers(demo_data):
    commitment = Commitment.objects.get(partner__name="PT INKA")
    assert commitment.program.slug == "kelurahan-mandiri-madiun"
    assert commitment.meeting.title == LOKAKARYA_TITLE
    assert "TJSL" in commitment.title
    assert "pinjaman" in commitment.title.lower() and "binaan" in commitment.title.lower()
    assert "21 UMK" in commitment.description
    assert "2 UMK dari Kota Madiun" in commitment.description
    assert commitment.amount is None


def test_ybn_commits_its_three_action_focuses(demo_data):
    commitment = Commitment.objects.get(partner__name="Yayasan Bambu Nusantara")
    assert commitment.program.slug == "kelurahan-mandiri-madiun"
    assert commitment.meeting.title == LOKAKARYA_TITLE
    assert commitment.title.startswith("3 fokus utama rencana aksi")
    assert "Partisipasi dan Monitoring" in commitment.title
    assert "profiling di 2 area piloting" in commitment.title
    assert commitment.amount is None


def test_it_loads_no_commitment_beyond_the_sources(demo_data):
    assert Commitment.objects.count() == 2
    assert not Commitment.objects.filter(amount__isnull=False).exists()


def test_kotaku_target_is_zero_hectares_of_slums_by_2019(demo_data):
    indicator = Indicator.objects.get(program__slug="kotaku")
    assert indicator.name == "Luas permukiman kumuh"
    assert indicator.unit == "ha"
    assert indicator.target_value == Decimal("0")
    assert indicator.target_on == date(2019, 12, 31)
    assert indicator.direction == Indicator.Direction.DECREASE
    assert indicator.baseline_value is None and indicator.baseline_on is None
    assert not indicator.measurements.exists()
    assert Indicator.objects.count() == 1


# --- demo accounts -------------------------------------------------------------------------------


def users_by_name() -> dict:
    return {user.username: user for user in get_user_model().objects.all()}


def test_it_creates_the_demo_accounts(demo_data):
    expected = {"admin", "staf", "pemantau"} | {f"koordinator-{slug}" for slug in SLUGS}
    assert set(users_by_name()) == expected


def test_admin_is_a_superuser_and_staff(demo_data):
    admin = users_by_name()["admin"]
    assert admin.is_superuser and admin.is_staff
    for program in programs_by_slug().values():
        assert can(admin, Action.COORDINATE, program)


def test_staf_sees_and_exports_every_programme_but_coordinates_none(demo_data):
    staf = users_by_name()["staf"]
    assert staf.groups.filter(name=STAFF_GROUP).exists()
    assert not staf.is_superuser
    for program in programs_by_slug().values():
        assert can(staf, Action.VIEW, program)
        assert can(staf, Action.EXPORT, program)
        assert not can(staf, Action.COORDINATE, program)


def test_pemantau_reads_kota_sdgs_only(demo_data):
    pemantau = users_by_name()["pemantau"]
    programs = programs_by_slug()
    kota_sdgs = programs.pop("kota-sdgs-bengkulu")
    assert can(pemantau, Action.VIEW, kota_sdgs)
    assert not can(pemantau, Action.COORDINATE, kota_sdgs)
    for other in programs.values():
        assert not can(pemantau, Action.VIEW, other)


def test_each_coordinator_coordinates_their_programme_only(demo_data):
    users = users_by_name()
    programs = programs_by_slug()
    rights = {}
    for slug in SLUGS:
        coordinator = users[f"koordinator-{slug}"]
        assert not coordinator.is_superuser and not coordinator.is_staff
        # One user per request in real use: a detection scope per user, as the middleware gives.
        with zeal_context():
            for program_slug, program in programs.items():
                rights[slug, program_slug] = (
                    can(coordinator, Action.COORDINATE, program),
                    can(coordinator, Action.VIEW, program),
                )
    assert rights == {
        (slug, program_slug): (slug == program_slug, slug == program_slug)
        for slug in SLUGS
        for program_slug in SLUGS
    }


def test_it_sets_the_password_from_the_environment_on_existing_accounts(demo_data, monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, "kata-sandi-demo-2024")
    assert "diatur ulang" in run_load_demo()
    users = users_by_name()
    assert all(user.check_password("kata-sandi-demo-2024") for user in users.values())

    # Once set, a second run with the same password leaves the stored hashes alone.
    hashes = {name: user.password for name, user in users.items()}
    run_load_demo(verbosity=0)
    assert {name: user.password for name, user in users_by_name().items()} == hashes


def test_it_tells_how_to_sign_in(demo_data, no_demo_password):
    text = run_load_demo()
    assert "http://127.0.0.1:8000/" in text
    for username in ["admin", "staf", "pemantau"] + [f"koordinator-{slug}" for slug in SLUGS]:
        assert username in text


def test_it_is_silent_at_verbosity_0_once_the_accounts_exist(demo_data, no_demo_password):
    assert run_load_demo(verbosity=0) == ""


# --- idempotence and the missing reference data --------------------------------------------------


def test_a_second_run_changes_no_row_and_writes_no_history(demo_data, no_demo_password):
    counts = row_counts()
    passwords = {name: user.password for name, user in users_by_name().items()}
    updated = {
        label: dict(model.objects.values_list("pk", "updated_at"))
        for label, model in [("program", Program), ("meeting", Meeting), ("partner", Partner)]
    }

    run_load_demo(verbosity=0)

    assert row_counts() == counts
    assert {name: user.password for name, user in users_by_name().items()} == passwords
    for label, model in [("program", Program), ("meeting", Meeting), ("partner", Partner)]:
        assert dict(model.objects.values_list("pk", "updated_at")) == updated[label]


def test_every_domain_row_has_exactly_one_history_row_after_two_runs(demo_data):
    run_load_demo(verbosity=0)
    # Not Program: setting its SDG goals and targets records a "~" history row by design.
    models = (Partner, Contact, ProgramPartner, Site, Meeting, Attendance, Decision, ActionItem)
    for model in (*models, Agreement, Signatory, Clause, Commitment, Indicator):
        assert model.history.count() == model.objects.count(), model


def test_it_restores_a_demo_value_that_was_changed(demo_data):
    meeting = Meeting.objects.get(title=LOKAKARYA_TITLE)
    meeting.participant_count = 20
    meeting.save()
    history = meeting.history.count()

    run_load_demo(verbosity=0)

    meeting.refresh_from_db()
    assert meeting.participant_count == 18
    assert meeting.history.count() == history + 1
