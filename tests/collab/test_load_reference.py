"""`load_reference`: the full data set (loaded once per session) and tiny ones made in tmp_path.

The tiny data sets use codes the real data does not have (goal 18, province 99), so they give the
same results whether or not the session's full load is already in the database.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from collab.management.commands import load_reference
from collab.models import Region, SdgGoal, SdgIndicator, SdgTarget

pytestmark = pytest.mark.django_db

LEVEL_LINES = (
    "Tujuan SDG",
    "Target SDG",
    "Indikator SDG",
    "Provinsi",
    "Kabupaten/kota",
    "Kecamatan/distrik",
    "Desa/kelurahan",
)


def run(data_dir: Path | None = None, verbosity: int = 1) -> str:
    """Run the command and return what it printed."""
    out = StringIO()
    options = {"data_dir": str(data_dir)} if data_dir else {}
    call_command("load_reference", stdout=out, verbosity=verbosity, **options)
    return out.getvalue()


# --- the full data set ------------------------------------------------------------------------


def test_it_loads_every_goal_target_and_indicator_entry(reference_data):
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert SdgIndicator.objects.count() == 248
    # Repeated entries (1.5.1 = 11.5.1 = 13.1.1) share one UNSD code.
    assert SdgIndicator.objects.values("unsd_code").distinct().count() == 232


def test_it_loads_every_region_by_level_and_kind(reference_data):
    counts = dict(Region.objects.values_list("level").annotate(n=Count("id")).order_by())
    kinds = dict(Region.objects.values_list("kind").annotate(n=Count("id")).order_by())

    assert counts == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    assert kinds == {
        "provinsi": 38,
        "kabupaten": 416,
        "kota": 98,
        "kecamatan": 6492,
        "distrik": 793,
        "desa": 75252,
        "kelurahan": 8496,
        "desa_adat": 14,
    }


@pytest.mark.parametrize(
    ("level", "parent_level"),
    [("regency", "province"), ("district", "regency"), ("village", "district")],
)
def test_it_gives_every_region_a_parent_one_level_up(reference_data, level, parent_level):
    assert not Region.objects.filter(level=level).exclude(parent__level=parent_level).exists()


def test_it_gives_provinces_no_parent(reference_data):
    assert not Region.objects.filter(level="province", parent__isnull=False).exists()


def test_it_links_kelurahan_taman_up_to_jawa_timur(reference_data):
    taman = Region.objects.select_related("parent__parent__parent").get(code="35.77.03.1009")

    assert (taman.name, taman.level, taman.kind) == ("Taman", "village", "kelurahan")
    assert (taman.parent.code, taman.parent.name, taman.parent.kind) == (
        "35.77.03",
        "Taman",
        "kecamatan",
    )
    assert (taman.parent.parent.code, taman.parent.parent.name) == ("35.77", "Kota Madiun")
    assert taman.parent.parent.kind == "kota"
    assert (taman.parent.parent.parent.code, taman.parent.parent.parent.level) == (
        "35",
        "province",
    )
    assert taman.parent.parent.parent.parent is None


@pytest.mark.parametrize(
    ("code", "name", "parent_name"),
    [
        ("17.71.05.1004", "Sumber Jaya", "Kampung Melayu"),
        ("35.77.03.1008", "Demangan", "Taman"),
        ("31.72.04.1004", "Kalibaru", "Cilincing"),
        ("17.71.05", "Kampung Melayu", "Kota Bengkulu"),
        ("31.72.04", "Cilincing", "Kota Administrasi Jakarta Utara"),
        ("32.10", "Kabupaten Majalengka", "Jawa Barat"),
        ("32.08", "Kabupaten Kuningan", "Jawa Barat"),
        ("32.07", "Kabupaten Ciamis", "Jawa Barat"),
        ("33.01", "Kabupaten Cilacap", "Jawa Tengah"),
        ("33.15", "Kabupaten Grobogan", "Jawa Tengah"),
        ("64.03", "Kabupaten Berau", "Kalimantan Timur"),
        ("65.01", "Kabupaten Bulungan", "Kalimantan Utara"),
        ("52.02", "Kabupaten Lombok Tengah", "Nusa Tenggara Barat"),
        ("52.04", "Kabupaten Sumbawa", "Nusa Tenggara Barat"),
        ("52.07", "Kabupaten Sumbawa Barat", "Nusa Tenggara Barat"),
    ],
)
def test_it_loads_the_spot_checks_of_the_data_readme(reference_data, code, name, parent_name):
    region = Region.objects.select_related("parent").get(code=code)

    assert (region.name, region.parent.name) == (name, parent_name)


def test_it_loads_goal_11_with_target_11_1_and_indicator_11_1_1(reference_data):
    indicator = SdgIndicator.objects.select_related("target__goal").get(code="11.1.1")
    target = indicator.target
    goal = target.goal

    assert indicator.unsd_code == "C110101"
    assert indicator.title_en.startswith("Proportion of urban population living in slums")
    assert indicator.title_id == ""
    assert target.code == "11.1"
    assert target.title_en.startswith("By 2030, ensure access for all to adequate, safe")
    assert (goal.code, goal.number) == ("11", 11)
    assert goal.title_en.startswith("Make cities and human settlements inclusive")
    assert goal.short_title_en == "Sustainable cities and communities"
    assert goal.short_title_id == "Kota dan Permukiman yang Berkelanjutan"
    assert goal.title_id == ""


def test_it_keeps_the_official_order_of_targets_and_indicators(reference_data):
    goal_11_targets = list(SdgTarget.objects.filter(goal__code="11").values_list("code", flat=True))

    assert goal_11_targets == [f"11.{n}" for n in range(1, 8)] + ["11.a", "11.b", "11.c"]
    assert SdgTarget.objects.first().code == "1.1"
    assert SdgTarget.objects.last().code == "17.19"
    assert SdgIndicator.objects.first().code == "1.1.1"
    assert not SdgIndicator.objects.filter(target__code="11.c").exists()


def test_it_shares_the_unsd_code_of_repeated_indicators(reference_data):
    repeats = SdgIndicator.objects.select_related("target").filter(
        code__in=["1.5.1", "11.5.1", "13.1.1"]
    )

    assert len({(i.unsd_code, i.title_en) for i in repeats}) == 1
    assert {i.target.code for i in repeats} == {"1.5", "11.5", "13.1"}


def test_it_gives_every_goal_an_indonesian_short_title(reference_data):
    assert not SdgGoal.objects.filter(short_title_id="").exists()
    assert not SdgGoal.objects.filter(short_title_en="").exists()


def test_it_changes_nothing_when_run_again_on_loaded_data(reference_data):
    tables = (SdgGoal, SdgTarget, SdgIndicator, Region)
    codes = {
        SdgGoal: ["1", "11", "17"],
        SdgTarget: ["1.1", "11.1", "17.19"],
        SdgIndicator: ["1.1.1", "11.1.1", "13.1.1"],
        Region: ["11", "35.77", "35.77.03", "35.77.03.1009", "96.01.01.2001"],
    }
    ids_before = {
        m: dict(m.objects.filter(code__in=codes[m]).values_list("code", "id")) for m in tables
    }
    counts_before = {m: m.objects.count() for m in tables}

    with CaptureQueriesContext(connection) as queries:
        output = run()

    assert {m: m.objects.count() for m in tables} == counts_before
    assert {
        m: dict(m.objects.filter(code__in=codes[m]).values_list("code", "id")) for m in tables
    } == ids_before
    for label in LEVEL_LINES:
        assert re.search(rf"^{re.escape(label)}: [\d.]+ baris, 0 baru, 0 diperbarui", output, re.M)
    # Only reads: one SELECT per table level (goals, targets, indicators, then provinces,
    # regencies, districts, villages), plus the transaction's own savepoint statements.
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert len([s for s in statements if s.startswith("SELECT")]) == 7
    assert all(s.startswith(("SELECT", "SAVEPOINT", "RELEASE")) for s in statements), statements


# --- tiny data sets ---------------------------------------------------------------------------

TINY_SDG = [
    {
        "code": "18",
        "title_en": "A goal for tests",
        "title_id": None,
        "short_title_en": "Test goal",
        "short_title_id": "Tujuan uji",
        "targets": [
            {
                "code": "18.1",
                "title_en": "A target for tests",
                "title_id": None,
                "indicators": [
                    {
                        "code": "18.1.1",
                        "title_en": "An indicator for tests",
                        "title_id": None,
                        "unsd_code": "C180101",
                    }
                ],
            }
        ],
    }
]

TINY_REGIONS = {
    "provinces.csv": ["99,,Provinsi Uji,provinsi"],
    "regencies.csv": ["99.71,99,Kota Uji,kota"],
    "districts.csv": ["99.71.01,99.71,Kecamatan Uji,kecamatan"],
    "villages.csv": [
        "99.71.01.1001,99.71.01,Kelurahan Uji,kelurahan",
        "99.71.01.2002,99.71.01,Desa Uji,desa",
    ],
}


def write_regions(data_dir: Path, file_name: str, rows: list[str]) -> None:
    lines = ["code,parent_code,name,kind", *rows]
    (data_dir / "regions" / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_sdg(data_dir: Path, goals: list[dict]) -> None:
    (data_dir / "sdg.json").write_text(json.dumps(goals, indent=2), encoding="utf-8")


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    """A complete, valid data directory: one goal/target/indicator, one region per level."""
    (tmp_path / "regions").mkdir()
    write_sdg(tmp_path, TINY_SDG)
    for file_name, rows in TINY_REGIONS.items():
        write_regions(tmp_path, file_name, rows)
    return tmp_path


def test_it_loads_a_tiny_data_set_from_data_dir(tiny_data):
    output = run(tiny_data)

    village = Region.objects.select_related("parent__parent__parent").get(code="99.71.01.1001")
    assert (village.name, village.level, village.kind) == ("Kelurahan Uji", "village", "kelurahan")
    assert village.parent.code == "99.71.01"
    assert village.parent.parent.code == "99.71"
    assert village.parent.parent.parent.code == "99"
    assert Region.objects.get(code="99.71.01.2002").kind == "desa"
    indicator = SdgIndicator.objects.select_related("target__goal").get(code="18.1.1")
    assert (indicator.unsd_code, indicator.title_id) == ("C180101", "")
    assert (indicator.target.code, indicator.target.goal.number) == ("18.1", 18)
    assert indicator.target.goal.short_title_id == "Tujuan uji"
    assert "Tujuan SDG: 1 baris, 1 baru, 0 diperbarui" in output
    assert "Desa/kelurahan: 2 baris, 2 baru, 0 diperbarui" in output


def test_it_updates_an_edited_name_and_keeps_the_id(tiny_data):
    run(tiny_data)
    village_id = Region.objects.get(code="99.71.01.2002").pk
    write_regions(
        tiny_data,
        "villages.csv",
        [
            "99.71.01.1001,99.71.01,Kelurahan Uji,kelurahan",
            "99.71.01.2002,99.71.01,Desa Uji Baru,desa",
        ],
    )

    output = run(tiny_data)

    assert Region.objects.get(pk=village_id).name == "Desa Uji Baru"
    assert Region.objects.filter(code__startswith="99.").count() == 4
    assert "Desa/kelurahan: 2 baris, 0 baru, 1 diperbarui" in output
    assert "Kecamatan/distrik: 1 baris, 0 baru, 0 diperbarui" in output


def test_it_updates_an_edited_title(tiny_data):
    run(tiny_data)
    goals = json.loads(json.dumps(TINY_SDG))
    goals[0]["short_title_id"] = "Tujuan uji yang diperbarui"
    goals[0]["targets"][0]["indicators"][0]["title_en"] = "A renamed indicator"
    write_sdg(tiny_data, goals)

    output = run(tiny_data)

    assert SdgGoal.objects.get(code="18").short_title_id == "Tujuan uji yang diperbarui"
    assert SdgIndicator.objects.get(code="18.1.1").title_en == "A renamed indicator"
    assert "Target SDG: 1 baris, 0 baru, 0 diperbarui" in output
    assert "Indikator SDG: 1 baris, 0 baru, 1 diperbarui" in output


def test_it_never_deletes_a_region_the_files_no_longer_list(tiny_data):
    run(tiny_data)
    write_regions(tiny_data, "villages.csv", ["99.71.01.1001,99.71.01,Kelurahan Uji,kelurahan"])

    output = run(tiny_data)

    assert Region.objects.filter(code="99.71.01.2002").exists()
    assert re.search(r"Desa/kelurahan: 1 baris, 0 baru, 0 diperbarui, [\d.]+ tidak ada", output)


def test_it_prints_nothing_at_verbosity_0(tiny_data):
    assert run(tiny_data, verbosity=0) == ""


@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        ("99.71.01.2003,99.71.01,Desa Tiga", "3 kolom"),
        ("99.71.01.2003,99.71.01,Desa Tiga,dusun", "jenis 'dusun'"),
        ("99.71.01.2003,99.71.02,Desa Tiga,desa", "parent_code"),
        ("99.71.02.2003,99.71.02,Desa Tiga,desa", "induk 99.71.02"),
        ("99.71.01.1001,99.71.01,Kelurahan Lagi,kelurahan", "sudah ada di baris 2"),
        ("99.71.01.23,99.71.01,Desa Tiga,desa", "kode '99.71.01.23'"),
        ("99.71.01.2003,99.71.01,,desa", "nama kosong"),
    ],
)
def test_it_names_the_file_and_line_of_a_malformed_row(tiny_data, bad_row, problem):
    write_regions(
        tiny_data, "villages.csv", ["99.71.01.1001,99.71.01,Kelurahan Uji,kelurahan", bad_row]
    )

    with pytest.raises(CommandError) as error:
        run(tiny_data)

    assert "villages.csv, baris 3:" in str(error.value)
    assert problem in str(error.value)
    # Checked before any write: not even the valid provinces were loaded.
    assert not Region.objects.filter(code="99").exists()
    assert not SdgGoal.objects.filter(code="18").exists()


def test_it_rejects_a_file_with_other_columns(tiny_data):
    (tiny_data / "regions" / "regencies.csv").write_text("kode,nama\n99.71,Kota Uji\n")

    with pytest.raises(CommandError, match=r"regencies\.csv, baris 1: kepala kolom"):
        run(tiny_data)


def test_it_names_a_missing_file(tiny_data):
    (tiny_data / "regions" / "districts.csv").unlink()

    with pytest.raises(CommandError, match=r"Berkas tidak ditemukan: .*districts\.csv"):
        run(tiny_data)


def test_it_names_the_line_of_invalid_json(tiny_data):
    (tiny_data / "sdg.json").write_text('[\n  {"code": "18",\n  oops\n]\n', encoding="utf-8")

    with pytest.raises(CommandError, match=r"sdg\.json, baris 3: JSON tidak sah"):
        run(tiny_data)


def test_it_names_the_entry_of_sdg_json_that_is_malformed(tiny_data):
    goals = json.loads(json.dumps(TINY_SDG))
    goals[0]["targets"][0]["title_en"] = None
    write_sdg(tiny_data, goals)

    with pytest.raises(CommandError, match=r"sdg\.json: target 18\.1: 'title_en' kosong"):
        run(tiny_data)


def test_it_rejects_an_indicator_filed_under_another_target(tiny_data):
    goals = json.loads(json.dumps(TINY_SDG))
    goals[0]["targets"][0]["indicators"][0]["code"] = "17.1.1"
    write_sdg(tiny_data, goals)

    with pytest.raises(CommandError, match=r"target 18\.1, indikator ke-1: kode '17\.1\.1'"):
        run(tiny_data)


def test_it_leaves_nothing_loaded_when_a_write_fails_midway(tiny_data, monkeypatch):
    load_level = load_reference.Command._load_region_level

    def fail_on_villages(self, spec, rows, parent_ids):
        if spec.level == Region.Level.VILLAGE:
            raise RuntimeError("the database went away")
        return load_level(self, spec, rows, parent_ids)

    monkeypatch.setattr(load_reference.Command, "_load_region_level", fail_on_villages)

    with pytest.raises(RuntimeError):
        run(tiny_data)

    assert not SdgGoal.objects.filter(code="18").exists()
    assert not Region.objects.filter(code__startswith="99").exists()
