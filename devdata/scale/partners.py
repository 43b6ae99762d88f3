"""Partners: names that read like Indonesia's (ministries, local offices, companies,
foundations, universities, communities…), in the proportions of a real registry."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator

from collab.models import Region
from partners.models import Partner, PartnerKind, Pillar

from .core import EMAIL_DOMAIN, PARTNER_POPULARITY_EXPONENT, ScaleGenerator
from .rows import Row
from .words import place

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


def _partner_name(gen: ScaleGenerator, kind: str) -> tuple[str, str, int | None]:
    """(name, acronym, region id) for a partner of `kind`."""
    rng = gen.rng
    if kind == PartnerKind.LOCAL_GOVERNMENT:
        region_id, _code, regency = rng.choice(gen.regencies)
        office, short = rng.choice(LOCAL_OFFICES)
        return f"{office} {regency}", short, region_id
    if kind == PartnerKind.COMMUNITY:
        village_id, _code, village, village_kind = rng.choice(gen.villages)
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
        region_id, _code, regency = rng.choice(gen.regencies)
        return f"Perumda Air Minum Tirta {place(regency)}", "PDAM", region_id
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
        region_id, _code, regency = rng.choice(gen.regencies)
        return f"{rng.choice(UNIVERSITY_HEADS)} {place(regency)}", "", region_id
    if kind == PartnerKind.CSO:
        province_id, _code, province = rng.choice(gen.provinces)
        name = f"{rng.choice(CSO_HEADS)} {rng.choice(CSO_TOPICS)} {province}"
        return name, _acronym(name), province_id
    if kind == PartnerKind.MEDIA:
        region_id, _code, regency = rng.choice(gen.regencies)
        return rng.choice(MEDIA_PATTERNS).format(place(regency)), "", region_id
    if kind == PartnerKind.INTERNATIONAL:
        return rng.choice(INTERNATIONAL), "", None
    province_id, _code, province = rng.choice(gen.provinces)
    name = rng.choice(NETWORK_PATTERNS).format(rng.choice(CSO_TOPICS), province)
    return name, _acronym(name), province_id


def create_partners(gen: ScaleGenerator) -> None:
    total = gen.counts.partners
    rng = gen.rng
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=total)
    days = sorted(gen.day_between(datetime.date(2015, 1, 1), gen.anchor) for _ in kinds)

    def rows() -> Iterator[Row]:
        for serial, (kind, day) in enumerate(zip(kinds, days, strict=True)):
            name, acronym, region_id = _partner_name(gen, kind)
            stamp = gen.stamp(day)
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

    gen.partner_ids = gen.write_table(Partner, rows(), total)
    # Popularity: a shuffled Zipf weight per partner, so a few sit in many programmes.
    weights = [1 / (rank + 1) ** PARTNER_POPULARITY_EXPONENT for rank in range(total)]
    rng.shuffle(weights)
    gen.partner_cum_weights = list(itertools.accumulate(weights))
