"""The vocabulary several concepts share: topics, people's names, place names.

A concept's own words (partners' names, meeting venues, clause headings…) live in its module.
"""

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


def place(regency_name: str) -> str:
    """ "Kota Bengkulu" → "Bengkulu": the name people use for a place."""
    return regency_name.removeprefix("Kabupaten ").removeprefix("Kota ")
