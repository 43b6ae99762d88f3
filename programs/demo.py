"""The demo data set of `manage.py load_demo`: the five collaborations of `shared/seeds/`.

Every value below is stated in one of the five source reports (Indonesian news reports, kept in
`shared/seeds/*.txt` and digested in `shared/seeds/README.md`), in Indonesian as written there;
obvious typing slips of the reports are corrected and said so. Where a field needs a choice that a
report does not make (a pillar, a partner kind, a programme role), the comment says "our reading":
those are the values to change if a reader of the sources disagrees. Unknown values stay empty:
nothing is invented, no amounts, no baselines, no dates that the reports do not give.

Statuses (programme, site, work plan) are as the reports describe them on their own dates.

The first half of the module is data; the second half loads it. The loader looks every row up by
its natural key and saves only when a field differs, because django-simple-history writes a
history row on every save(): a second run must leave both the data and its history untouched.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction

from collab.models import Region, SdgGoal, SdgTarget
from partners.models import Contact, Partner, PartnerKind, Pillar
from programs.models import (
    ActionItem,
    Agreement,
    Attendance,
    Clause,
    Commitment,
    Decision,
    Indicator,
    Meeting,
    Program,
    ProgramPartner,
    Signatory,
    Site,
)
from programs.services import ensure_staff_group, grant_coordinator, grant_viewer

Row = dict[str, Any]

GOV = Pillar.GOVERNMENT
PHB = Pillar.PHILANTHROPY_BUSINESS
ACA = Pillar.ACADEMIA_EXPERTS
CSM = Pillar.CIVIL_SOCIETY_MEDIA

CONVENOR = ProgramPartner.Role.CONVENOR
FUNDER = ProgramPartner.Role.FUNDER
IMPLEMENTING = ProgramPartner.Role.IMPLEMENTING
TECHNICAL = ProgramPartner.Role.TECHNICAL
MEMBER = ProgramPartner.Role.MEMBER


# =================================================================================================
# Source: shared/seeds/000_2430f98fed2d0402.txt — Kota SDGs Bengkulu (report of 23 May 2018).
# =================================================================================================

KOTA_SDGS_BENGKULU: Row = {
    "source": "000_2430f98fed2d0402.txt",
    "partners": [
        {
            "name": "Filantropi Indonesia",
            "pillar": PHB,
            # Our reading: an association of philanthropic organisations; "foundation/zakat/
            # philanthropy" is the kind that names philanthropy.
            "kind": PartnerKind.FOUNDATION,
            # The report gives this address for anything about the collaboration.
            "email": "info@filantropi.or.id",
        },
        {
            "name": "Baznas Pusat",
            "acronym": "Baznas",
            "pillar": PHB,
            "kind": PartnerKind.FOUNDATION,
            "description": "Badan Amil Zakat Nasional (Baznas) Pusat.",
        },
        {
            # Called "Baznas Bengkulu" in the list of those present; the meeting took place at
            # "Kantor Baznas (Badan Amil Zakat Nasional) Propinsi Bengkulu", so the same body.
            "name": "Baznas Provinsi Bengkulu",
            "acronym": "Baznas",
            "pillar": PHB,
            "kind": PartnerKind.FOUNDATION,
            "region": "17",
            "description": "Badan Amil Zakat Nasional (Baznas) Provinsi Bengkulu.",
        },
        {
            # The report lists "Kotaku" among the institutions present and as the PJ of two
            # work-plan items. Pillar GOV as in the seeds README; kind is our reading (a national
            # government programme, not a local one).
            "name": "Program Kota Tanpa Kumuh",
            "acronym": "KOTAKU",
            "pillar": GOV,
            "kind": PartnerKind.MINISTRY_AGENCY,
            "description": (
                "Disebut “Kotaku” dalam laporan Kota SDGs Bengkulu: hadir pada rapat koordinasi "
                "lanjutan 14 Mei 2018 dan menjadi penanggung jawab (PJ) identifikasi kebutuhan "
                "dan intervensi program serta komunikasi dan koordinasi dengan Pemda Kota "
                "Bengkulu."
            ),
        },
        {
            "name": "Pos Keadilan Peduli Ummat",
            "acronym": "PKPU",
            # Our reading: PHB rather than CSM (the README allows either) — a charity that
            # collects and channels donations, like the two Baznas bodies next to it.
            "pillar": PHB,
            "kind": PartnerKind.FOUNDATION,
        },
        {
            "name": "SDG Center Universitas Bengkulu",
            "pillar": ACA,
            "kind": PartnerKind.UNIVERSITY,
            "region": "17",
        },
        {
            "name": "Fakultas Ekonomi dan Bisnis IAIN Bengkulu",
            "pillar": ACA,
            "kind": PartnerKind.UNIVERSITY,
            "region": "17",
        },
    ],
    "program": {
        "slug": "kota-sdgs-bengkulu",
        "name": "Kota SDGs Bengkulu",
        "description": (
            "Kota SDGs adalah program kemitraan lintas sektor untuk mengatasi masalah kemiskinan "
            "dan kekumuhan di kota Bengkulu dalam rangka pencapaian tujuan SDGs/Tujuan Pembangunan "
            "Berkelanjutan, khususnya tujuan 11: Kota dan pemukiman yang berkelanjutan. Untuk "
            "tahap awal atau sebagai pilot project, program dilaksanakan dan difokuskan di wilayah "
            "yang paling kumuh dan miskin di kota Bengkulu, yakni di kelurahan Sumber Jaya. "
            "Program ini digerakkan dan melibatkan kolaborasi 4 pilar SDGs, yakni: Pemerintah/"
            "Pemda, Filantropi dan Bisnis, Akademisi dan Pakar dan Organisasi masyarakat sipil "
            "dan media.\n\n"
            "Program Kota SDGs dirancang dan digerakkan dengan mengacu pada prinsip SDGs: "
            "Universal, integrasi dan partisipatif (no one left behind). Program ini juga "
            "dirancang, dimonitor dan dievaluasi dengan mengacu pada tujuan, target dan indikator "
            "SDGs serta memperhatikan RAD (Rencana Aksi Daerah) SDGs Propinsi Bengkulu dan kota "
            "Bengkulu. Kolaborasi ini diharapkan bisa dijalankan dalam jangka waktu 3 sampai "
            "dengan 5 tahun."
        ),
        "sdg_goals": ["11"],  # "khususnya tujuan 11"
        "sdg_targets": [],
        "meeting_cadence_months": 4,  # "Rapat koordinasi (4 bln sekali/ Catur wulan)"
        "partners": [
            # Our reading: convenor — the report names Filantropi Indonesia as the contact for
            # the collaboration. The others "sudah berkomitmen untuk mendukung program": members.
            ("Filantropi Indonesia", CONVENOR, "Narahubung kolaborasi: info@filantropi.or.id."),
            ("Baznas Pusat", MEMBER, ""),
            ("Baznas Provinsi Bengkulu", MEMBER, ""),
            ("Program Kota Tanpa Kumuh", MEMBER, "Penanggung jawab (PJ) dua butir rencana kerja."),
            ("Pos Keadilan Peduli Ummat", MEMBER, ""),
            ("SDG Center Universitas Bengkulu", MEMBER, ""),
            ("Fakultas Ekonomi dan Bisnis IAIN Bengkulu", MEMBER, ""),
        ],
        "sites": [
            {
                "region": "17.71.05.1004",
                "name": "Kelurahan Sumber Jaya",
                "rationale": (
                    "Tahap awal/pilot project: wilayah yang paling kumuh dan miskin di kota "
                    "Bengkulu."
                ),
                "priority_issues": "Kemiskinan\nKekumuhan",
            },
        ],
        "meetings": [
            {
                "kind": Meeting.Kind.COORDINATION,
                "title": "Rapat koordinasi lanjutan program Kota SDGs Bengkulu",
                "starts_on": date(2018, 5, 14),
                "venue": "Kantor Baznas Provinsi Bengkulu",
                "summary": (
                    "Rapat koordinasi lanjutan untuk mematangkan program kolaborasi “Kota SDGs” "
                    "di kota Bengkulu, dengan beberapa lembaga yang sudah berkomitmen untuk "
                    "mendukung program. Pertemuan bertujuan mereview kembali beberapa kesepakatan "
                    "yang sudah dicapai sebelumnya dalam kolaborasi pengembangan program Kota "
                    "SDGs di Bengkulu, dan menyepakati beberapa poin penting untuk persiapan "
                    "program serta rencana kerja untuk tiga tahun ke depan."
                ),
                "attendance": [
                    {"partner": "Filantropi Indonesia"},
                    {"partner": "Baznas Pusat"},
                    {"partner": "Baznas Provinsi Bengkulu", "role": "Tuan rumah"},
                    {"partner": "Program Kota Tanpa Kumuh"},
                    {"partner": "Pos Keadilan Peduli Ummat"},
                    {"partner": "SDG Center Universitas Bengkulu"},
                    {"partner": "Fakultas Ekonomi dan Bisnis IAIN Bengkulu"},
                ],
                "decisions": [
                    "Mencari pendekatan-pendekatan baru dalam pengembangan program yang "
                    "diharapkan bisa lebih berdampak dalam mengatasi masalah kemiskinan dan "
                    "kekumuhan.",
                    "Lebih melibatkan perempuan dan anak-anak yang dinilai bisa menjadi agen "
                    "perubahan yang efektif dalam perubahan perilaku dan motivasi masyarakat untuk "
                    "berubah menjadi lebih baik.",
                    "Keterlibatan lembaga pendidikan, baik formal maupun non formal juga akan "
                    "dikedepankan mengingat peranannya yang signifikan dalam mengubah perilaku "
                    "gaya hidup bersih dan sehat masyarakat.",
                    "Menyepakati agenda kerja yang bisa dilakukan masing-masing lembaga mitra "
                    "sebelum dan pasca peluncuran program.",
                ],
            },
        ],
        # "Rencana kerja program Kota SDGs untuk tiga tahun ke depan", in the report's order (its
        # "Dst." line is not an item). A month without a day runs from its first to its last day;
        # items the report gives no timing for keep empty dates. The report publishes the plan
        # with the 14 May 2018 meeting, so the items point at it. Corrected slips: "Forum CSR
        # CSR", "ddll", "public expost", "Lauching".
        "action_items": [
            {
                "title": "Identifikasi kebutuhan dan intervensi program",
                "timing": "4 Juni 2018",
                "responsible": "Program Kota Tanpa Kumuh",  # "PJ. Kotaku"
                "starts_on": date(2018, 6, 4),
                "due_on": date(2018, 6, 4),
            },
            {
                "title": "Penentuan program/intervensi masing-masing mitra",
                "timing": "4 Juni sd. 11 Juni 2018",
                "starts_on": date(2018, 6, 4),
                "due_on": date(2018, 6, 11),
            },
            {
                "title": "Identifikasi mitra donatur lain (Forum CSR, perusahaan, BI, dll.)",
                "timing": "Juni sd. September 2018",
                "starts_on": date(2018, 6, 1),
                "due_on": date(2018, 9, 30),
            },
            {
                "title": "Komunikasi, koordinasi dengan Pemda Kota Bengkulu",
                "timing": "14 Mei sd. Juli 2018",
                "responsible": "Program Kota Tanpa Kumuh",  # "Pj. Kotaku"
                "starts_on": date(2018, 5, 14),
                "due_on": date(2018, 7, 31),
            },
            {
                "title": (
                    "Penggalangan dukungan dan mitra tambahan (bentuk kegiatannya public expose)"
                ),
                "timing": "Juli sd. Agustus 2018",
                "starts_on": date(2018, 7, 1),
                "due_on": date(2018, 8, 31),
            },
            {
                "title": "Launching program (menghadirkan Bappenas atau menteri terkait)",
                "timing": "Agustus 2018",
                "starts_on": date(2018, 8, 1),
                "due_on": date(2018, 8, 31),
            },
            {
                "title": "Pelaksanaan program",
                "timing": "September 2018 sd. September 2021",
                "starts_on": date(2018, 9, 1),
                "due_on": date(2021, 9, 30),
            },
            {"title": "Capacity building/coaching klinik", "timing": ""},
            {"title": "Rapat koordinasi", "timing": "4 bln sekali/catur wulan"},
            {"title": "Monitoring dan evaluasi program", "timing": "Menerus"},
        ],
        "action_items_meeting": "Rapat koordinasi lanjutan program Kota SDGs Bengkulu",
    },
}


# =================================================================================================
# Source: shared/seeds/001_a5e9f421ae6a26cd.txt — PEDULI SDGs (ToT of 16–19 September 2021).
# =================================================================================================

PEDULI_SDGS: Row = {
    "source": "001_a5e9f421ae6a26cd.txt",
    "partners": [
        {"name": "B-Trust", "pillar": CSM, "kind": PartnerKind.CSO},
        {
            "name": "Konfederasi Pekerja Rakyat Indonesia",
            "acronym": "KPRI",
            "pillar": CSM,
            # Our reading: a confederation of workers' organisations is a network.
            "kind": PartnerKind.NETWORK,
            "contacts": [
                {"name": "Anwar Sastro Ma'ruf", "position": "Sekretaris Jenderal (Sekjend) KPRI"}
            ],
        },
        {
            "name": "Uni Eropa",
            "acronym": "EU",
            # Our reading: the four pillars have no place for development partners; donors go
            # under Filantropi & Bisnis, the pillar that funds (the same for USAID-MADANI).
            "pillar": PHB,
            "kind": PartnerKind.INTERNATIONAL,
        },
    ],
    "program": {
        "slug": "peduli-sdgs",
        "name": "PEDULI SDGs",
        "description": (
            "Program PEDULI SDGs dilaksanakan atas kolaborasi B-Trust dan Konfederasi Pekerja "
            "Rakyat Indonesia (KPRI) serta didukung oleh Uni Eropa (EU); direncanakan 6 semester "
            "dan telah memasuki semester ke-4 pada September 2021. Tujuan utamanya memberikan "
            "kontribusi pada upaya mendorong pencapaian SDGs di Indonesia, dengan fokus "
            "memperkuat proses internalisasi, sinkronisasi dan implementasi berbagai tujuan, "
            "sasaran dan indikator dalam SDGs ke dalam proses perencanaan, penganggaran dan "
            "pelaksanaan pembangunan di daerah. Strategi pokoknya adalah pembangunan kolaborasi "
            "antara pemerintah daerah dan organisasi-organisasi masyarakat sipil, melalui "
            "pendampingan teknis, pelatihan-pelatihan sampai dengan pengembangan lingkar belajar "
            "bersama.\n\n"
            "Program dijalankan di 10 kabupaten fokus: Majalengka, Kuningan, Ciamis, Cilacap, "
            "Grobogan, Berau, Bulungan, Lombok Tengah, Sumbawa dan Sumbawa Barat. Terlibat sebagai "
            "mitra pelaksana program sebanyak 30 organisasi masyarakat sipil dan 90 pendamping "
            "komunitas yang tersebar di 30 desa."
        ),
        # The report speaks of SDGs as a whole, no particular goal.
        "sdg_goals": [],
        "sdg_targets": [],
        "partners": [
            # "dilaksanakan atas kolaborasi B-Trust dan KPRI serta didukung oleh Uni Eropa". The
            # 30 implementing CSOs are not named, so they are in the description only.
            ("B-Trust", CONVENOR, ""),
            ("Konfederasi Pekerja Rakyat Indonesia", CONVENOR, ""),
            ("Uni Eropa", FUNDER, "Program didukung oleh Uni Eropa (EU)."),
        ],
        "sites": [
            {"region": code, "name": name, "rationale": "Kabupaten fokus program PEDULI SDGs."}
            for code, name in [
                ("32.10", "Kabupaten Majalengka"),
                ("32.08", "Kabupaten Kuningan"),
                ("32.07", "Kabupaten Ciamis"),
                ("33.01", "Kabupaten Cilacap"),
                ("33.15", "Kabupaten Grobogan"),
                ("64.03", "Kabupaten Berau"),
                ("65.01", "Kabupaten Bulungan"),
                ("52.02", "Kabupaten Lombok Tengah"),
                ("52.04", "Kabupaten Sumbawa"),
                ("52.07", "Kabupaten Sumbawa Barat"),
            ]
        ],
        "meetings": [
            {
                "kind": Meeting.Kind.TRAINING,
                "title": (
                    "Training of Trainer bagi Organisasi Masyarakat Sipil (OMS) di Nusa Tenggara "
                    "Barat (NTB)"
                ),
                "starts_on": date(2021, 9, 16),
                "ends_on": date(2021, 9, 19),
                "venue": "Hotel Montana Senggigi, Lombok Barat",
                "summary": (
                    "Diselenggarakan oleh B-Trust dan KPRI. Kegiatan ToT fokus pada penguatan "
                    "pemahaman para pimpinan OMS pada sistem perencanaan dan penganggaran "
                    "pembangunan di tingkat kabupaten dan desa serta pengembangan resources "
                    "center, sebagai bekal bagi OMS untuk meningkatkan peranannya dalam "
                    "mengakselerasi pelaksanaan SDGs di tingkat daerah bersama dengan pemerintah "
                    "daerah dan desa. Sekjend KPRI Anwar Sastro Ma'ruf menyampaikan bahwa kegiatan "
                    "ini merupakan bagian dari Program PEDULI SDGs, yang telah memasuki semester "
                    "ke-4 dari 6 semester yang direncanakan."
                ),
                "attendance": [
                    {"partner": "B-Trust", "role": "Penyelenggara"},
                    {
                        "partner": "Konfederasi Pekerja Rakyat Indonesia",
                        "contact": "Anwar Sastro Ma'ruf",
                        "role": "Penyelenggara",
                    },
                ],
                "decisions": [],
            },
        ],
    },
}


# =================================================================================================
# Source: shared/seeds/002_85bb08ab739dd111.txt — KOTAKU, Rakor TL & EGM TA (6–9 February 2017).
# =================================================================================================

# The agreement's text, copied from the report. The sentence that introduces the declarations
# ("Pada hari ini Kamis tanggal 09 Februari Tahun 2017 kami Peserta Rapat Kordinasi Team Leader
# dan EGM menyatakan:") names the signatories and is kept in the Signatory row; the closing
# sentence is the meeting's decision.
KOTAKU_DECLARATIONS = [
    "bersedia dan sanggup melakukan perubahan untuk Mewujudkan Permukiman Layak Huni, Produktif & "
    "Berkelanjutan sebagai bagian dari upaya mewujudkan Kota milik semua warga;",
    "Menjadikan Program Kotaku sebagai platform kolaborasi dalam penanganan kumuh; mencapai Target "
    "Program dalam pengurangan kumuh menjadi 0 Ha pada tahun 2019, melalui upaya sebagai berikut:",
]

# (section title, its clauses); the loader numbers sections 1–5 and clauses 1.1, 1.2, …
# "Revitalisasi BKM:" loses the colon the report gives only that title.
KOTAKU_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Perubahan perilaku",
        [
            "Membangun pemahaman konsultan sebagai katalisator",
            "Membangun kolaborasi yang di mulai dari lingkungan konsultan sendiri",
            "Membangun pemahaman konsultan terhadap esensi penanganan kumuh",
            "Memfasilitasi ketersediaan sumber dana untuk pembiayaan program dari Pemda maupun "
            "sumber dana lain",
            "Melakukan advokasi lahirnya kebijakan Pemerintah Provinsi dan Kabupaten/Kota dalam "
            "mendukung penanganan kumuh",
            "Penguatan tugas pokok dan fungsi sesuai bidang keahlian berorientasi pada penanganan "
            "kumuh di lokasi dampingan",
        ],
    ),
    (
        "Membangun Kolaborasi",
        [
            "OC/OSP/RMC bersama Korkot dan City Coordinator wajib melakukan advokasi, koordinasi; "
            "pendekatan kepada Pemerintah Provinsi dan Kabupaten/Kota serta stakeholders sehingga "
            "kolaborasi dalam penanganan kumuh mendapat dukungan yang kongkrit dan dapat berjalan "
            "efektif",
            "OC/OSP/RMC bersama Korkot dan City Coordinator memastikan pemerintah kabupaten/kota "
            "memiliki komitmen untuk pemeliharaan dan pengembangan asset setelah dilakukan serah "
            "terima asset dari pelaksana kegiatan kepada pemerintah kabupaten/kota;",
            "Mengoptimalkan potensi lembaga-lembaga di daerah untuk kegiatan penguatan kapasitas "
            "yang mendukung penanganan kumuh, seperti perguruan tinggi, lembaga-lembaga diklat, "
            "BLK, dan Lembaga Swadaya Masyarakat (LSM);",
            "Memanfaatkan event sosialisasi bersama seperti uji public dan forum konsultasi "
            "digunakan untuk membangun kolaborasi.",
        ],
    ),
    (
        "Memerankan pemerintah daerah sebagai Nakhoda",
        [
            "Memberikan pemahaman kritis terhadap pemerintah provinsi dan kabupaten/kota bahwa "
            "Kumuh adalah masalah bersama, sehingga OC/OSP/RMC bersama Korkot dan City Coordinator "
            "mendorong pemerintah provinsi dan kabupaten/kota untuk mengalokasikan sumber daya "
            "untuk menyelesaikan persoalan penanganan kumuh.",
            "Pemerintah kabupaten/kota adalah pemilik dokumen perencanaan penanganan kumuh, "
            "sehingga OC/OSP/RMC bersama Korkot dan City Coordinator mendorong peran Pemerintah "
            "kabupaten/kota dalam proses penyusunan dokumen perencanaan yang komprehensif.",
            "Melakukan advokasi terhadap Pemerintah provinsi dan kabupaten/kota yang belum "
            "memiliki konsep dan strategi dalam pengembangan kapasitas di daerahnya untuk "
            "mendukung target penanganan kumuh yang bersifat komprehensif.",
            "Melakukan advokasi terhadap Pemerintah provinsi dan kabupaten/kota agar persoalan "
            "penanganan kumuh dan target pengurangan kumuh dapat masuk dalam RPJMD.",
            "Mengawal alokasi anggaran penanganan kumuh dalam APBD 2017 agar dapat direalisikan "
            "serta melakukan advokasi terhadap Pemerintah provinsi dan kabupaten/kota untuk "
            "menganggarkan kegiatan penanganan kumuh dalam RAPBD 2018.",
        ],
    ),
    (
        "Revitalisasi BKM",
        [
            "Meningkatkan kapasitas pengurus BKM/LKM dan pengelola UP-UP, serta memperkuat "
            "kelembagaan BKM /LKM secara legalitas hukum sehingga BKM berorientasi kepada upaya "
            "pencegahan kumuh dan peningkatan kualitas permukiman di tingkat kelurahan/desa",
            "Melakukan advokasi kepada BKM/LKM agar lebih intensif melakukan kordinasi dan "
            "konsolidasi dengan Lurah/kepala desa agar RPLP dapat masuk dan terakomodir dalam "
            "sistem perencanaan daerah",
            "Memastikan BKM/LKM tetap memelihara dan mengoptimalkan pemanfaatan komputer untuk "
            "keperluan perencanaan kegiatan, pelaksanaan kegiatan dan pelaporan kegiatan",
            "OC/OSP/RMC bersama Korkot dan City Coordinator memastikan berjalannya keberlanjutan "
            "BKM/LKM terkait dengan Pemilu BKM/LKM, penilaian perkembangan kelembagaan BKM/LKM, "
            "dan rembug warga tahunan",
        ],
    ),
    (
        "Keterpaduan program NSUP dan NUSP2",
        [
            "Melakukan koordinasi dan konsolidasi kegiatan dan rencana kegiatan konsultan NSUP dan "
            "NUSP-2 mulai tingkat nasional, provinsi dan kota/kabupaten, dan kelurahan karena "
            "penanganan permasalahan kumuh tidak dapat berjalan sendiri dan tidak dapat disamakan "
            "di semua lokasi.",
            "Melakukan sinkronisasi dan keterpaduan data lapangan serta pemanfaatan dokumen "
            "perencanaan",
            "Membuat kesepakatan bersama antara konsultan pendamping NSUP dan NUSP-2 dalam "
            "melakukan fasilitasi dan advokasi penyusunan strategi penanganan kumuh bersama dalam "
            "satu Kabupaten/Kota.",
            "Menyusun peta keterpaduan program penanganan kumuh pada level kelurahan/lingkungan "
            "dan kabupaten/kota",
        ],
    ),
]

KOTAKU_MEETING_TITLE = (
    "Rapat Koordinasi (Rakor) Team Leader (TL) dan Expert Group Meeting Tenaga Ahli (TA) Program "
    "Kota Tanpa Kumuh (KOTAKU) NSUP dan NUSP-2 Tahun 2017"
)

KOTAKU: Row = {
    "source": "002_85bb08ab739dd111.txt",
    "partners": [
        {
            "name": "Satuan Kerja Pengembangan Kawasan Permukiman Berbasis Masyarakat",
            "acronym": "Satker PKPBM",
            "pillar": GOV,
            "kind": PartnerKind.MINISTRY_AGENCY,
            # Our reading: the PPK who closed the meeting speaks for the Satker, whose staff
            # ("jajaran Satker PKPBM") were there; a PPK is an officer of a Satker.
            "contacts": [
                {
                    "name": "Anita Listyorini",
                    "position": "Pejabat Pembuat Komitmen (PPK) KOTAKU Wilayah 1",
                }
            ],
        },
        {
            # The report names the programme's consultants (OC/OSP/RMC, "konsultan pendamping
            # NSUP dan NUSP-2") and their Team Leaders and Tenaga Ahli as the participants, but
            # no firm: one partner stands for them. Our reading: ACA (tenaga ahli = experts);
            # kind company, as consultants are contracted firms.
            "name": "Konsultan Pendamping KOTAKU NSUP dan NUSP-2",
            "pillar": ACA,
            "kind": PartnerKind.COMPANY,
            "description": (
                "Konsultan OC/OSP/RMC Program KOTAKU (NSUP dan NUSP-2) beserta Team Leader (TL) "
                "dan Tenaga Ahli (TA)-nya."
            ),
            # The three Team Leaders who read the agreement out.
            "contacts": [
                {"name": "Anton Lami Suhadi", "position": "TL KOTAKU Jawa Tengah"},
                {"name": "Fadhlan", "position": "TL RMC NUSP-2 Wilayah Timur"},
                {"name": "Harmudya", "position": "TL KOTAKU Provinsi Bengkulu"},
            ],
        },
    ],
    "program": {
        "slug": "kotaku",
        "name": "Kota Tanpa Kumuh (KOTAKU)",
        "description": (
            "Program Kota Tanpa Kumuh (KOTAKU), program penanganan permukiman kumuh secara "
            "nasional yang mencakup NSUP dan NUSP-2, dengan Satuan Kerja Pengembangan Kawasan "
            "Permukiman Berbasis Masyarakat (Satker PKPBM). Program Kotaku dijadikan platform "
            "kolaborasi dalam penanganan kumuh, untuk Mewujudkan Permukiman Layak Huni, Produktif "
            "& Berkelanjutan sebagai bagian dari upaya mewujudkan Kota milik semua warga. Target "
            "program: pengurangan kumuh menjadi 0 Ha pada tahun 2019.\n\n"
            "Pihak yang disebut dalam kesepakatan: konsultan OC/OSP/RMC, Korkot dan City "
            "Coordinator, pemerintah provinsi dan kabupaten/kota, BKM/LKM, perguruan tinggi, "
            "lembaga diklat, BLK dan Lembaga Swadaya Masyarakat (LSM)."
        ),
        # Our reading: the report speaks of slums ("kumuh"), which is goal 11, target 11.1
        # ("ensure access for all to adequate, safe and affordable housing … and upgrade slums").
        "sdg_goals": ["11"],
        "sdg_targets": ["11.1"],
        "partners": [
            ("Satuan Kerja Pengembangan Kawasan Permukiman Berbasis Masyarakat", CONVENOR, ""),
            # Our reading: technical — consultants who accompany ("pendamping") the programme.
            ("Konsultan Pendamping KOTAKU NSUP dan NUSP-2", TECHNICAL, ""),
        ],
        # A national programme: the report names no pilot site.
        "sites": [],
        "meetings": [
            {
                "kind": Meeting.Kind.COORDINATION,
                "title": KOTAKU_MEETING_TITLE,
                "starts_on": date(2017, 2, 6),
                "ends_on": date(2017, 2, 9),
                "venue": "Jakarta",
                # Closing a meeting is not chairing it: Anita Listyorini is in the summary and
                # the attendance, the chair stays empty.
                "summary": (
                    "Rakor TL dan EGM TA Program KOTAKU di Jakarta rampung dan ditutup oleh "
                    "Pejabat Pembuat Komitmen (PPK) KOTAKU Wilayah 1 Anita Listyorini pada Kamis, "
                    "9 Februari 2017. Antusiasme dan diskusi aktif seluruh TL dan TA KOTAKU "
                    "selama Rakor-EGM diapresiasi oleh jajaran Satker PKPBM. Di akhir acara, "
                    "keseluruhan proses dirangkum dalam suatu kesepakatan yang dibacakan oleh TL "
                    "KOTAKU Jawa Tengah Anton Lami Suhadi, TL RMC NUSP-2 Wilayah Timur Fadhlan, "
                    "dan TL KOTAKU Provinsi Bengkulu Harmudya."
                ),
                "attendance": [
                    {
                        "partner": "Satuan Kerja Pengembangan Kawasan Permukiman Berbasis "
                        "Masyarakat",
                        "contact": "Anita Listyorini",
                        "role": "Menutup rapat",
                    },
                    {
                        "partner": "Konsultan Pendamping KOTAKU NSUP dan NUSP-2",
                        "role": "Peserta (Team Leader dan Tenaga Ahli)",
                    },
                ],
                "decisions": [
                    "Rumusan kesepakatan hasil rakor dan EGM disusun dan disepakati seluruh "
                    "peserta untuk dijadikan rujukan dan acuan bersama untuk menggerakan seluruh "
                    "pihak agar terlibat dalam penanganan kumuh secara nasional.",
                ],
            },
        ],
        "agreements": [
            {
                "kind": Agreement.Kind.RUMUSAN_KESEPAKATAN,
                "title": (
                    "Rumusan Kesepakatan Hasil Rapat Koordinasi Team Leader dan EGM Tenaga Ahli "
                    "Program KOTAKU NSUP dan NUSP-2 Tahun 2017"
                ),
                "signed_on": date(2017, 2, 9),
                "signed_at": "Jakarta",
                "meeting": KOTAKU_MEETING_TITLE,
                # "disusun dan disepakati seluruh peserta": the participants sign as one body,
                # no organisation. The three readers are not listed as signatories: they read
                # the text out and are named in the meeting summary; a row each beside the body
                # would suggest that they signed apart from the others.
                "signatories": [
                    {
                        "signer_name": (
                            "Seluruh Peserta Rapat Koordinasi Team Leader dan EGM Tenaga Ahli "
                            "Program KOTAKU NSUP dan NUSP-2 Tahun 2017"
                        ),
                        "signed_on": date(2017, 2, 9),
                    },
                ],
                "declarations": KOTAKU_DECLARATIONS,
                "sections": KOTAKU_SECTIONS,
            },
        ],
        "indicators": [
            {
                "name": "Luas permukiman kumuh",
                "unit": "ha",
                "direction": Indicator.Direction.DECREASE,
                "target_value": Decimal("0"),
                # "0 Ha pada tahun 2019": the report gives a year; its last day stands for it.
                # No baseline: the report gives none. No SDG indicator either: 11.1.1 counts the
                # share of people in slums, not hectares.
                "target_on": date(2019, 12, 31),
            },
        ],
    },
}


# =================================================================================================
# Source: shared/seeds/003_24ae84c1385ffc5d.txt — Kelurahan Mandiri, Kota Madiun (8 November 2021).
# =================================================================================================

WORKSHOP_TITLE = "Workshop Collaborative Governance"
LOKAKARYA_TITLE = (
    "Lokakarya Penyepakatan Program Kolaborasi Parapihak Pemodelan Program Kelurahan Mandiri di 2 "
    "Wilayah Piloting (Kel. Taman & Demangan) Kec. Taman Kota Madiun Th. 2021"
)


def _madiun_opd(name: str, acronym: str, region: str = "35.77") -> Row:
    """An office of the Kota Madiun government, as the report lists them under "OPD"."""
    return {
        "name": name,
        "acronym": acronym,
        "pillar": GOV,
        "kind": PartnerKind.LOCAL_GOVERNMENT,
        "region": region,
    }


KELURAHAN_MANDIRI_MADIUN: Row = {
    "source": "003_24ae84c1385ffc5d.txt",
    "partners": [
        {
            **_madiun_opd("Bappelitbangda Kota Madiun", "Bappelitbangda"),
            "contacts": [
                {
                    "name": "Elita Mardiani",
                    "position": "Kabid Perencanaan Pemerintahan & Pembangunan Manusia",
                }
            ],
        },
        _madiun_opd("Bakesbangpol Kota Madiun", "Bakesbangpol"),
        _madiun_opd("Disperindag Kota Madiun", "Disperindag"),
        _madiun_opd("Disnaker KUKM Kota Madiun", "Disnaker KUKM"),
        _madiun_opd("Dinas Kominfo Kota Madiun", "Kominfo"),
        _madiun_opd("Disbudparpora Kota Madiun", "Disbudparpora"),
        _madiun_opd("Kecamatan Taman Kota Madiun", "", region="35.77.03"),
        _madiun_opd("Kelurahan Taman Kota Madiun", "", region="35.77.03.1009"),
        _madiun_opd("Kelurahan Demangan Kota Madiun", "", region="35.77.03.1008"),
        {
            "name": "USAID-MADANI",
            # Our reading: donor-side, like the European Union (see there).
            "pillar": PHB,
            "kind": PartnerKind.INTERNATIONAL,
            "contacts": [{"name": "M.S. Rizal", "position": "Field Coordinator (FC) USAID-MADANI"}],
        },
        {
            "name": "Forum Pembangunan Masyarakat Kota Madiun",
            "acronym": "Forpemma",
            "pillar": CSM,
            "kind": PartnerKind.NETWORK,
            "region": "35.77",
            "contacts": [{"name": "Kadaryono", "position": ""}],
        },
        # The four Forpemma members present; the report gives only these names and no region.
        {
            "name": "WKR",
            "pillar": CSM,
            "kind": PartnerKind.CSO,
            "description": "Anggota Forpemma.",
        },
        {
            "name": "Lempung",
            "pillar": CSM,
            "kind": PartnerKind.CSO,
            "description": "Anggota Forpemma.",
        },
        {
            "name": "Lesse",
            "pillar": CSM,
            "kind": PartnerKind.CSO,
            "description": "Anggota Forpemma.",
        },
        {
            "name": "Yayasan Bambu Nusantara",
            "acronym": "YBN",
            "pillar": CSM,
            "kind": PartnerKind.CSO,
            "description": "Anggota Forpemma.",
            "contacts": [{"name": "Titik S.", "position": "Direktur YBN"}],
        },
        {
            "name": "PT INKA",
            "acronym": "INKA",
            "pillar": PHB,
            # Our reading: state-owned — its partnership programme is "TJSL", the state-owned
            # enterprises' term for CSR.
            "kind": PartnerKind.STATE_ENTERPRISE,
            "contacts": [{"name": "Bambang Ramadhiarto", "position": ""}],
        },
        {"name": "Bank Jatim", "pillar": PHB, "kind": PartnerKind.COMPANY},  # listed under "CSR"
        {
            "name": "Universitas Muhammadiyah Madiun",
            "pillar": ACA,
            "kind": PartnerKind.UNIVERSITY,
        },
    ],
    "program": {
        "slug": "kelurahan-mandiri-madiun",
        "name": "Kelurahan Mandiri Kota Madiun",
        "description": (
            "Program Kelurahan Mandiri awalnya dipicu pandemi Covid-19 yang berdampak pada ekonomi "
            "global, khususnya Kota Madiun: tahun 2020 mengalami peningkatan angka pengangguran, "
            "kemiskinan dan penurunan angka harapan hidup. Konsep ini sesuai dengan visi "
            "Walikota: kelurahan bisa memanfaatkan potensi-potensi yang ada, utamanya untuk "
            "pemulihan ekonomi. Pembangunan infrastruktur lapak UMKM di 27 kelurahan merupakan "
            "tujuan Pemkot untuk memberi stimulan/sebagai modal tempat berusaha.\n\n"
            "Workshop Collaborative Governance (26 Februari 2021) menghasilkan Nota Kesepakatan "
            "Multistakeholder dukungan Program Kelurahan Mandiri. Pemodelan program kolaborasi "
            "parapihak dilakukan di 2 wilayah piloting, Kel. Taman dan Demangan, Kec. Taman, "
            "dengan harapan nanti bisa direplikasi ke kelurahan lainnya."
        ),
        # The report names no SDG goal.
        "sdg_goals": [],
        "sdg_targets": [],
        "partners": [
            # Our reading: the three that lead — Bappelitbangda chaired the lokakarya and agreed
            # the pilots; YBN and Forpemma organised it. Everyone else present: member.
            ("Bappelitbangda Kota Madiun", CONVENOR, "Memimpin lokakarya 8 November 2021."),
            ("Yayasan Bambu Nusantara", CONVENOR, "Penyelenggara lokakarya bersama Forpemma."),
            ("Forum Pembangunan Masyarakat Kota Madiun", CONVENOR, "Penyelenggara lokakarya."),
            ("Bakesbangpol Kota Madiun", MEMBER, ""),
            ("Disperindag Kota Madiun", MEMBER, ""),
            ("Disnaker KUKM Kota Madiun", MEMBER, ""),
            ("Dinas Kominfo Kota Madiun", MEMBER, ""),
            ("Disbudparpora Kota Madiun", MEMBER, ""),
            ("Kecamatan Taman Kota Madiun", MEMBER, ""),
            ("Kelurahan Taman Kota Madiun", MEMBER, ""),
            ("Kelurahan Demangan Kota Madiun", MEMBER, ""),
            ("USAID-MADANI", MEMBER, ""),
            ("WKR", MEMBER, "Anggota Forpemma."),
            ("Lempung", MEMBER, "Anggota Forpemma."),
            ("Lesse", MEMBER, "Anggota Forpemma."),
            ("PT INKA", MEMBER, "CSR (program TJSL)."),
            ("Bank Jatim", MEMBER, "CSR."),
            ("Universitas Muhammadiyah Madiun", MEMBER, ""),
        ],
        "sites": [
            {
                "region": code,
                "name": name,
                "rationale": (
                    "Wilayah piloting pemodelan Program Kelurahan Mandiri, disepakati Forpemma "
                    "bersama Bappelitbangda pada Juli 2021; dipilih untuk fokus step by step dari "
                    "pelaksanaan modeling, harapannya nanti bisa direplikasi ke kelurahan lainnya."
                ),
            }
            for code, name in [
                ("35.77.03.1009", "Kelurahan Taman"),
                ("35.77.03.1008", "Kelurahan Demangan"),
            ]
        ],
        "meetings": [
            {
                "kind": Meeting.Kind.WORKSHOP,
                "title": WORKSHOP_TITLE,
                "starts_on": date(2021, 2, 26),
                "venue": "Kota Madiun",
                # The report names no one present at the workshop: no attendance rows.
                "summary": (
                    "Workshop Collaborative Governance di Kota Madiun yang menghasilkan Nota "
                    "Kesepakatan Multistakeholder dukungan Program Kelurahan Mandiri."
                ),
                "attendance": [],
                "decisions": [
                    "Menghasilkan Nota Kesepakatan Multistakeholder dukungan Program Kelurahan "
                    "Mandiri.",
                ],
            },
            {
                "kind": Meeting.Kind.WORKSHOP,
                "title": LOKAKARYA_TITLE,
                "starts_on": date(2021, 11, 8),
                # "Beppelitbangda" in the report: a slip for Bappelitbangda.
                "venue": "Ruang Pertemuan Lt. 2 Bappelitbangda, Gedung Graha Kridha Praja",
                "chair": (
                    "Elita Mardiani, Kabid Perencanaan Pemerintahan & Pembangunan Manusia "
                    "(Bappelitbangda Kota Madiun)"
                ),
                "moderator": "Kadaryono (Forpemma)",
                "participant_count": 18,
                "summary": (
                    "Pertemuan Yayasan Bambu Nusantara (YBN) bersama Forum Pembangunan Masyarakat "
                    "Kota Madiun (Forpemma) dengan parapihak, menindaklanjuti Workshop "
                    "Collaborative Governance 26 Februari 2021.\n\n"
                    "Elita Mardiani (Bappelitbangda) menyamakan pemahaman kembali terkait konsep "
                    "Kelurahan Mandiri: program dipicu pandemi Covid-19; pembangunan "
                    "infrastruktur lapak UMKM di 27 kelurahan merupakan tujuan Pemkot untuk "
                    "memberi stimulan. Bappelitbangda sebenarnya berharap Forpemma melakukan 9 "
                    "piloting kelurahan, paling tidak 1 kecamatan ada 2-3 kelurahan.\n\n"
                    "Bambang Ramadhiarto (PT INKA): dari program TJSL, wilayah Madiun Raya ada 21 "
                    "UMK yang bermitra dengan INKA, 2 UMK dari Kota Madiun; kesempatan tetap "
                    "diberikan bagi UMKM yang butuh pinjaman dan binaan.\n\n"
                    "Titik S. (Direktur YBN) merefresh hasil rekomendasi survey tematik di 9 "
                    "kelurahan (Februari 2021, 4 prioritas permasalahan), penyepakatan 2 wilayah "
                    "piloting bersama Bappelitbangda (Juli 2021) dan profiling lapak UMKM di 2 "
                    "lokasi tersebut (Oktober 2021).\n\n"
                    "M.S. Rizal (FC USAID-MADANI): program ini harus kolaboratif, tidak bisa "
                    "dilakukan hanya CSO dan Pemda, tetapi juga peran penting private sector, "
                    "akademisi dan media.\n\n"
                    "Ide solusi didukung parapihak; peserta menyampaikan dan menulis peran/"
                    "kontribusinya untuk diakomodir. Acara diakhiri dengan penandatanganan "
                    "dokumen berita acara penyepakatan kolaborasi pemodelan program kelurahan "
                    "mandiri di Kota Madiun."
                ),
                "attendance": [
                    {
                        "partner": "Bappelitbangda Kota Madiun",
                        "contact": "Elita Mardiani",
                        "role": "Memimpin pertemuan",
                    },
                    {"partner": "Bakesbangpol Kota Madiun"},
                    {"partner": "Disperindag Kota Madiun"},
                    {"partner": "Disnaker KUKM Kota Madiun"},
                    {"partner": "Dinas Kominfo Kota Madiun"},
                    {"partner": "Disbudparpora Kota Madiun"},
                    {"partner": "Kecamatan Taman Kota Madiun"},
                    {"partner": "Kelurahan Taman Kota Madiun"},
                    {"partner": "Kelurahan Demangan Kota Madiun"},
                    {
                        "partner": "USAID-MADANI",
                        "contact": "M.S. Rizal",
                        "role": "Field Coordinator",
                    },
                    {
                        "partner": "Forum Pembangunan Masyarakat Kota Madiun",
                        "contact": "Kadaryono",
                        "role": "Penyelenggara; moderator",
                    },
                    {"partner": "WKR", "role": "Anggota Forpemma"},
                    {"partner": "Lempung", "role": "Anggota Forpemma"},
                    {"partner": "Lesse", "role": "Anggota Forpemma"},
                    {
                        "partner": "Yayasan Bambu Nusantara",
                        "contact": "Titik S.",
                        "role": "Penyelenggara; anggota Forpemma",
                    },
                    {"partner": "PT INKA", "contact": "Bambang Ramadhiarto", "role": "CSR"},
                    {"partner": "Bank Jatim", "role": "CSR"},
                    {"partner": "Universitas Muhammadiyah Madiun", "role": "Akademisi"},
                ],
                "decisions": [
                    "Ide solusi Forpemma didukung parapihak; peserta menyampaikan dan menulis "
                    "peran/kontribusinya untuk diakomodir.",
                    "Penandatanganan dokumen berita acara penyepakatan kolaborasi pemodelan "
                    "program kelurahan mandiri di Kota Madiun.",
                ],
            },
        ],
        # Steps the report says were already taken before the lokakarya, hence done.
        "action_items": [
            {
                "title": "Survey tematik program kelurahan mandiri di 9 kelurahan",
                "description": "Februari 2021; diperoleh 4 prioritas permasalahan.",
                "starts_on": date(2021, 2, 1),
                "due_on": date(2021, 2, 28),
                "status": ActionItem.Status.DONE,
            },
            {
                "title": "Penyepakatan 2 wilayah piloting (Kel. Taman & Demangan) dengan "
                "Bappelitbangda",
                "description": "Juli 2021; Forpemma berdiskusi dengan Bappelitbangda.",
                "responsible": "Forum Pembangunan Masyarakat Kota Madiun",
                "starts_on": date(2021, 7, 1),
                "due_on": date(2021, 7, 31),
                "status": ActionItem.Status.DONE,
            },
            {
                # "kami" in the words of YBN's director could be YBN or Forpemma: no PJ.
                "title": "Profiling/memotret kondisi lapak UMKM program kelurahan mandiri di 2 "
                "lokasi piloting",
                "description": "Oktober 2021.",
                "starts_on": date(2021, 10, 1),
                "due_on": date(2021, 10, 31),
                "status": ActionItem.Status.DONE,
            },
        ],
        "agreements": [
            {
                "kind": Agreement.Kind.NOTA_KESEPAKATAN,
                "title": "Nota Kesepakatan Multistakeholder dukungan Program Kelurahan Mandiri",
                # Our reading: the workshop "menghasilkan" the nota, so it bears the workshop's
                # date and place. The report names no signatory and gives no text.
                "signed_on": date(2021, 2, 26),
                "signed_at": "Kota Madiun",
                "meeting": WORKSHOP_TITLE,
            },
            {
                "kind": Agreement.Kind.BERITA_ACARA,
                "title": (
                    "Berita acara penyepakatan kolaborasi pemodelan program kelurahan mandiri di "
                    "Kota Madiun"
                ),
                # Signed at the end of the lokakarya; the report names no signatory.
                "signed_on": date(2021, 11, 8),
                "signed_at": "Kota Madiun",
                "meeting": LOKAKARYA_TITLE,
            },
        ],
        "commitments": [
            {
                "partner": "PT INKA",
                "meeting": LOKAKARYA_TITLE,
                "title": "Pinjaman dan binaan bagi UMKM melalui program kemitraan TJSL",
                "description": (
                    "Bambang Ramadhiarto (PT INKA): dari program TJSL, wilayah Madiun Raya ada 21 "
                    "UMK yang bermitra dengan INKA, ada 2 UMK dari Kota Madiun. Kemungkinan "
                    "program TJSL belum tersosialisasi dengan baik. Pada tahun 2021, realisasi "
                    "program kemitraan UMK dengan INKA mengalami penurunan karena penurunan "
                    "keuntungan selama Covid-19. Kesempatan tetap diberikan bagi UMKM yang butuh "
                    "pinjaman dan binaan."
                ),
                "kind": Commitment.Kind.PROGRAMME,
            },
            {
                "partner": "Yayasan Bambu Nusantara",
                "meeting": LOKAKARYA_TITLE,
                "title": (
                    "3 fokus utama rencana aksi: Peningkatan Kapasitas Warga untuk Partisipasi "
                    "dan Monitoring Program Kelurahan Mandiri di Kota Madiun, serta profiling di "
                    "2 area piloting"
                ),
                "description": (
                    "Direktur YBN (Titik S.) merefresh hasil rekomendasi survey tematik program "
                    "kelurahan mandiri dan sinkronisasi ide solusi Forpemma melalui 3 fokus utama "
                    "rencana aksi Peningkatan Kapasitas Warga untuk Partisipasi dan Monitoring "
                    "Program Kelurahan Mandiri di Kota Madiun, serta profiling di 2 area "
                    "piloting (Kel. Taman & Demangan)."
                ),
                "kind": Commitment.Kind.PROGRAMME,
            },
        ],
    },
}


# =================================================================================================
# Source: shared/seeds/004_ccd8baf9dd0737ba.txt — Kalibaru Hub, Jakarta (kick-off 6 February 2024).
# =================================================================================================

KALIBARU_HUB: Row = {
    "source": "004_ccd8baf9dd0737ba.txt",
    "partners": [
        {
            "name": "Bappeda Provinsi DKI Jakarta",
            "acronym": "Bappeda",
            "pillar": GOV,
            "kind": PartnerKind.LOCAL_GOVERNMENT,
            "region": "31",
        },
        {
            "name": "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta",
            "acronym": "PRIDa",
            "pillar": GOV,
            "kind": PartnerKind.LOCAL_GOVERNMENT,
            "region": "31",
            "parent": "Bappeda Provinsi DKI Jakarta",
            "contacts": [
                {"name": "Andhika Ajie", "position": "Kepala PRIDa Bappeda Provinsi DKI Jakarta"}
            ],
        },
        {
            # "Asia Pasific" in the report: a slip.
            "name": "United Cities and Local Governments Asia Pacific",
            "acronym": "UCLG ASPAC",
            # Our reading: GOV — an association whose members are local governments.
            "pillar": GOV,
            "kind": PartnerKind.NETWORK,
        },
        {
            "name": "Resilient Cities Network",
            "acronym": "RCN",
            # Our reading: donor-side (it supports Kalibaru through its CCRS programme), like the
            # European Union; kind network, as the report calls it "jejaring internasional".
            "pillar": PHB,
            "kind": PartnerKind.NETWORK,
        },
    ],
    "program": {
        "slug": "kalibaru-hub",
        "name": "Kalibaru Hub",
        "description": (
            "Sejak tahun 2019, Sekretariat SDGs Bappeda Provinsi DKI Jakarta berinisiatif untuk "
            "melakukan pilot project implementasi kolaborasi Tujuan Pembangunan Berkelanjutan/"
            "Sustainable Development Goals (TPB/SDGs) berbasis wilayah di Kelurahan Kalibaru, "
            "Cilincing, Jakarta Utara, untuk mendorong kolaborasi antara aktor pemerintah dengan "
            "aktor non-pemerintah demi mengatasi berbagai tantangan di Kalibaru. Inisiasi "
            "tersebut didukung melalui Catalyzing Cities Resilience Solutions (CCRS), sebuah "
            "program dari jejaring internasional Resilient Cities Network (RCN), yang "
            "diimplementasikan di enam kota di Asia Pasifik (Jakarta, Semarang, Bangkok, Da Nang, "
            "Can Tho, dan Melaka).\n\n"
            "Kalibaru Hub diharapkan mampu membangun ketahanan lingkungan dan masyarakat di "
            "Kalibaru, sehingga permasalahan prioritas bisa mulai diatasi."
        ),
        # The report speaks of TPB/SDGs as a whole, no particular goal.
        "sdg_goals": [],
        "sdg_targets": [],
        "partners": [
            (
                "Bappeda Provinsi DKI Jakarta",
                CONVENOR,
                "Melalui Sekretariat SDGs Bappeda, penggagas pilot project sejak 2019.",
            ),
            (
                "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta",
                CONVENOR,
                "Penginisiasi Kick Off dan FGD Kalibaru HUB program 2024.",
            ),
            # Our reading: technical — it cooperated in the kick-off, without a stated role.
            ("United Cities and Local Governments Asia Pacific", TECHNICAL, ""),
            (
                "Resilient Cities Network",
                FUNDER,
                "Mendukung melalui program Catalyzing Cities Resilience Solutions (CCRS).",
            ),
        ],
        "sites": [
            {
                "region": "31.72.04.1004",
                "name": "Kelurahan Kalibaru",
                "rationale": (
                    "Salah satu daerah terpadat dan termiskin di Jakarta; persimpangan antara "
                    "tantangan sosial ekonomi dengan tantangan lingkungan yang rumit karena "
                    "kurangnya berbagai layanan dasar perkotaan."
                ),
                "priority_issues": (
                    "Pengelolaan sampah\n"
                    "Ketersediaan dan keterjangkauan air bersih\n"
                    "Angka kemiskinan (salah satu yang tertinggi di Jakarta)"
                ),
            },
        ],
        "meetings": [
            {
                "kind": Meeting.Kind.KICKOFF,
                "title": "Kick Off dan Focus Group Discussion (FGD) Kalibaru HUB program 2024",
                "starts_on": date(2024, 2, 6),
                "venue": "Balaikota Provinsi DKI Jakarta",
                "summary": (
                    "Diinisiasi oleh Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI "
                    "Jakarta bekerja sama dengan United Cities and Local Governments Asia Pacific "
                    "(UCLG ASPAC) dan Resilient Cities Network (RCN). Dalam sambutannya Kepala "
                    "PRIDa, Andhika Ajie, berharap kegiatan ini mampu memberikan wawasan lokal "
                    "yang mendalam tentang berbagai tantangan yang ada di Kalibaru sekaligus "
                    "membangun visi bersama untuk bergerak maju dengan tindakan nyata dan solusi "
                    "yang dapat diterapkan."
                ),
                "attendance": [
                    {"partner": "Bappeda Provinsi DKI Jakarta", "role": "Penyelenggara"},
                    {
                        "partner": (
                            "Pusat Riset dan Inovasi Daerah (PRIDa) Bappeda Provinsi DKI Jakarta"
                        ),
                        "contact": "Andhika Ajie",
                        "role": "Penginisiasi; sambutan",
                    },
                    {
                        "partner": "United Cities and Local Governments Asia Pacific",
                        "role": "Mitra kerja sama",
                    },
                    {"partner": "Resilient Cities Network", "role": "Mitra kerja sama"},
                ],
                "decisions": [
                    "Para peserta mengidentifikasi peluang, potensi tantangan yang mungkin muncul "
                    "berdasarkan pelaksanaan program sebelumnya, dan langkah-langkah mitigasi "
                    "yang mungkin diterapkan.",
                    "Solusi dan alternatif penyelesaian masalah sosial, ekonomi dan lingkungan "
                    "yang dihasilkan dalam FGD akan diimplementasikan langsung di wilayah "
                    "Kalibaru.",
                ],
            },
        ],
    },
}


SOURCES: list[Row] = [
    KOTA_SDGS_BENGKULU,
    PEDULI_SDGS,
    KOTAKU,
    KELURAHAN_MANDIRI_MADIUN,
    KALIBARU_HUB,
]

PROGRAM_SLUGS = [source["program"]["slug"] for source in SOURCES]

# Demo accounts (DESIGN "Commands and settings"); coordinators follow the programmes.
ADMIN_USERNAME = "admin"
STAFF_USERNAME = "staf"
VIEWER_USERNAME = "pemantau"
VIEWER_PROGRAM = "kota-sdgs-bengkulu"


def coordinator_username(slug: str) -> str:
    return f"koordinator-{slug}"


DEMO_USERNAMES = [ADMIN_USERNAME, STAFF_USERNAME, VIEWER_USERNAME] + [
    coordinator_username(slug) for slug in PROGRAM_SLUGS
]


# =================================================================================================
# Loading
# =================================================================================================


def required_region_codes() -> set[str]:
    """Every region the data points at (sites and partners)."""
    codes: set[str] = set()
    for source in SOURCES:
        codes.update(p["region"] for p in source["partners"] if p.get("region"))
        codes.update(site["region"] for site in source["program"]["sites"])
    return codes


def missing_reference() -> dict[str, list[str]]:
    """What the data needs from `load_reference` but the database lacks, by kind of row."""
    wanted = {
        "wilayah": (Region, required_region_codes()),
        "tujuan SDG": (SdgGoal, {code for s in SOURCES for code in s["program"]["sdg_goals"]}),
        "target SDG": (SdgTarget, {code for s in SOURCES for code in s["program"]["sdg_targets"]}),
    }
    missing = {}
    for label, (model, codes) in wanted.items():
        present = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
        if codes - present:
            missing[label] = sorted(codes - present)
    return missing


@dataclass
class AccountsResult:
    """What happened to the demo accounts; the command turns it into lines for the user."""

    created: list[str] = field(default_factory=list)
    # Existing accounts whose password was set from COLLAB_DEMO_PASSWORD on this run.
    password_reset: list[str] = field(default_factory=list)
    # Set only when accounts were created without COLLAB_DEMO_PASSWORD: shown once, never stored.
    generated_password: str | None = None


@dataclass
class LoadResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    accounts: AccountsResult = field(default_factory=AccountsResult)


class DemoLoader:
    """Writes the data above; every row is found by its natural key and saved only on change."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.result = LoadResult()
        self.partners: dict[str, Partner] = {}
        self.contacts: dict[tuple[str, str], Contact] = {}
        self.regions: dict[str, Region] = {
            region.code: region
            for region in Region.objects.filter(code__in=required_region_codes())
        }

    # --- the one write path ---------------------------------------------------------------------

    def sync(self, model: type[models.Model], lookup: Row, values: Row) -> Any:
        """The row matching `lookup`, created or brought up to `values`; saved only on change."""
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        label = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**lookup, **values)
            self.save(obj)
            self.result.created[label] += 1
            return obj
        changed = False
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            # Compare foreign keys by id: reading the related object would cost a query each.
            wanted = value.pk if model_field.is_relation and value is not None else value
            if getattr(obj, model_field.attname) != wanted:
                setattr(obj, name, value)
                changed = True
        if changed:
            self.save(obj)
            self.result.updated[label] += 1
        return obj

    @staticmethod
    def save(obj: models.Model) -> None:
        """Validate the fields (a slip in the data above gets a readable message), then save.

        Foreign keys, uniqueness and constraints are left to the database, which enforces them
        anyway inside the load's transaction: checking them here costs a query each and would
        make the load several times slower for nothing.
        """
        foreign_keys = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
        obj.save()

    def sync_m2m(self, obj: models.Model, name: str, wanted: Iterable[models.Model]) -> None:
        """Bring a many-to-many relation to `wanted`, touching only the pairs that differ.

        add() and remove() send m2m_changed, so the history records a change; reading through
        the `through` table rather than the relation keeps the read out of the N+1 detector.
        """
        manager = getattr(obj, name)
        through = manager.through
        source, target = manager.source_field_name, manager.target_field_name
        current = set(
            through.objects.filter(**{source: obj}).values_list(f"{target}_id", flat=True)
        )
        wanted_ids = {item.pk for item in wanted}
        if wanted_ids - current:
            manager.add(*(wanted_ids - current))
        if current - wanted_ids:
            manager.remove(*(current - wanted_ids))

    # --- the data set ---------------------------------------------------------------------------

    def load(self, *, password: str | None) -> LoadResult:
        for source in SOURCES:
            for partner in source["partners"]:
                self.load_partner(partner)
        self.log(f"Mitra: {sum(len(s['partners']) for s in SOURCES)} organisasi.")
        for source in SOURCES:
            program = self.load_program(source["program"])
            self.log(f"Program {program.name} ({program.slug}) dari {source['source']}.")
        self.result.accounts = self.load_accounts(password)
        return self.result

    def load_partner(self, data: Row) -> None:
        partner = self.sync(
            Partner,
            {"name": data["name"]},
            {
                "acronym": data.get("acronym", ""),
                "pillar": data["pillar"],
                "kind": data["kind"],
                "parent": self.partners[data["parent"]] if data.get("parent") else None,
                "region": self.regions[data["region"]] if data.get("region") else None,
                "email": data.get("email", ""),
                "description": data.get("description", ""),
            },
        )
        self.partners[partner.name] = partner
        for contact in data.get("contacts", []):
            self.contacts[partner.name, contact["name"]] = self.sync(
                Contact,
                {"partner": partner, "name": contact["name"]},
                {"position": contact["position"]},
            )

    def load_program(self, data: Row) -> Program:
        program = self.sync(
            Program,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "description": data["description"],
                "meeting_cadence_months": data.get("meeting_cadence_months"),
            },
        )
        self.sync_m2m(program, "sdg_goals", SdgGoal.objects.filter(code__in=data["sdg_goals"]))
        self.sync_m2m(
            program, "sdg_targets", SdgTarget.objects.filter(code__in=data["sdg_targets"])
        )
        for partner_name, role, note in data["partners"]:
            self.sync(
                ProgramPartner,
                {"program": program, "partner": self.partners[partner_name], "role": role},
                {"note": note},
            )
        for site in data["sites"]:
            self.sync(
                Site,
                {"program": program, "region": self.regions[site["region"]]},
                {
                    "name": site["name"],
                    "rationale": site.get("rationale", ""),
                    "priority_issues": site.get("priority_issues", ""),
                },
            )
        meetings = {
            meeting["title"]: self.load_meeting(program, meeting) for meeting in data["meetings"]
        }
        work_plan_meeting = meetings.get(data.get("action_items_meeting", ""))
        for order, item in enumerate(data.get("action_items", []), start=1):
            description = item.get("description", "")
            if item.get("timing"):
                description = f"Jadwal dalam rencana kerja: {item['timing']}"
            self.sync(
                ActionItem,
                {"program": program, "title": item["title"]},
                {
                    "meeting": work_plan_meeting,
                    "description": description,
                    "responsible": self.partners.get(item.get("responsible", "")),
                    "starts_on": item.get("starts_on"),
                    "due_on": item.get("due_on"),
                    "status": item.get("status", ActionItem.Status.PLANNED),
                    "order": order,
                },
            )
        for agreement in data.get("agreements", []):
            self.load_agreement(program, agreement, meetings)
        for commitment in data.get("commitments", []):
            partner = self.partners[commitment["partner"]]
            self.sync(
                Commitment,
                {"program": program, "partner": partner, "title": commitment["title"]},
                {
                    "meeting": meetings[commitment["meeting"]],
                    "description": commitment["description"],
                    "kind": commitment["kind"],
                },
            )
        for indicator in data.get("indicators", []):
            self.sync(
                Indicator,
                {"program": program, "name": indicator["name"]},
                {key: value for key, value in indicator.items() if key != "name"},
            )
        return program

    def load_meeting(self, program: Program, data: Row) -> Meeting:
        meeting = self.sync(
            Meeting,
            {"program": program, "title": data["title"], "starts_on": data["starts_on"]},
            {
                "kind": data["kind"],
                "ends_on": data.get("ends_on"),
                "venue": data.get("venue", ""),
                "chair": data.get("chair", ""),
                "moderator": data.get("moderator", ""),
                "participant_count": data.get("participant_count"),
                "summary": data["summary"],
            },
        )
        for attendance in data["attendance"]:
            partner_name = attendance["partner"]
            contact_name = attendance.get("contact")
            self.sync(
                Attendance,
                {"meeting": meeting, "partner": self.partners[partner_name]},
                {
                    "contact": self.contacts[partner_name, contact_name] if contact_name else None,
                    "role": attendance.get("role", ""),
                },
            )
        for number, text in enumerate(data["decisions"], start=1):
            self.sync(Decision, {"meeting": meeting, "number": number}, {"text": text})
        return meeting

    def load_agreement(self, program: Program, data: Row, meetings: dict[str, Meeting]) -> None:
        agreement = self.sync(
            Agreement,
            {"program": program, "title": data["title"]},
            {
                "kind": data["kind"],
                "signed_on": data["signed_on"],
                "signed_at": data["signed_at"],
                "status": Agreement.Status.SIGNED,
                "meeting": meetings[data["meeting"]],
            },
        )
        for order, signatory in enumerate(data.get("signatories", []), start=1):
            self.sync(
                Signatory,
                {"agreement": agreement, "signer_name": signatory["signer_name"]},
                {"signed_on": signatory["signed_on"], "order": order},
            )
        # Reading order: declarations "(1)", "(2)", then each section followed by its clauses.
        order = 0

        def clause(number: str, text: str, parent: Clause | None = None) -> Clause:
            nonlocal order
            order += 1
            return self.sync(
                Clause,
                {"agreement": agreement, "order": order},
                {"number": number, "text": text, "parent": parent},
            )

        for index, text in enumerate(data.get("declarations", []), start=1):
            clause(f"({index})", text)
        for section_number, (title, texts) in enumerate(data.get("sections", []), start=1):
            section = clause(str(section_number), title)
            for index, text in enumerate(texts, start=1):
                clause(f"{section_number}.{index}", text, parent=section)

    # --- demo accounts --------------------------------------------------------------------------

    def load_accounts(self, password: str | None) -> AccountsResult:
        """admin, staf, pemantau and one coordinator per programme, with their rights.

        With `password` (COLLAB_DEMO_PASSWORD) every account gets it, so a user can reset them;
        without it, only new accounts get a password: one random one, returned to be shown once.
        """
        result = AccountsResult()
        user_model = get_user_model()
        programs = {p.slug: p for p in Program.objects.filter(slug__in=PROGRAM_SLUGS)}
        # Hashing costs about half a second a time (PBKDF2): hash the new password once and check
        # each distinct stored hash once (the demo accounts normally share one).
        new_hash: str | None = None
        hash_matches: dict[str, bool] = {}
        users = {}
        for username in DEMO_USERNAMES:
            user = user_model._default_manager.filter(username=username).first()
            changed = False
            if user is None:
                if password is None and result.generated_password is None:
                    result.generated_password = secrets.token_urlsafe(12)
                user = user_model(username=username)
                result.created.append(username)
                new_hash = new_hash or make_password(password or result.generated_password)
                user.password = new_hash
                changed = True
            elif password is not None:
                if user.password not in hash_matches:
                    hash_matches[user.password] = check_password(password, user.password)
                if not hash_matches[user.password]:
                    new_hash = new_hash or make_password(password)
                    user.password = new_hash
                    result.password_reset.append(username)
                    changed = True
            if username == ADMIN_USERNAME and not (user.is_superuser and user.is_staff):
                user.is_superuser = user.is_staff = True
                changed = True
            if not user.is_active:
                user.is_active = True
                changed = True
            if changed:
                user.save()
            users[username] = user

        staff_group = ensure_staff_group()
        users[STAFF_USERNAME].groups.add(staff_group)  # no-op when already a member
        # guardian's assign_perm is get-or-create: no duplicates on a second run.
        grant_viewer(program=programs[VIEWER_PROGRAM], user=users[VIEWER_USERNAME])
        for slug in PROGRAM_SLUGS:
            grant_coordinator(program=programs[slug], user=users[coordinator_username(slug)])
        return result


@transaction.atomic
def load_demo(*, password: str | None, log: Callable[[str], None]) -> LoadResult:
    """Load the whole data set and the demo accounts in one transaction."""
    return DemoLoader(log).load(password=password)
