"""Indicators and their measurements: progress towards the target, the pages, the rights."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from programs.models import Indicator, Measurement
from tests.conftest import PERSONAS
from tests.factories import IndicatorFactory, MeasurementFactory
from tests.rights import DETAIL, FORM

D = Decimal
INCREASE, DECREASE = Indicator.Direction.INCREASE, Indicator.Direction.DECREASE


def indicator(direction=INCREASE, baseline=None, target=None) -> Indicator:
    """An unsaved indicator: progress is arithmetic on its fields, no database needed."""
    return Indicator(
        name="Uji",
        direction=direction,
        baseline_value=None if baseline is None else D(baseline),
        target_value=None if target is None else D(target),
    )


# --- progress arithmetic -----------------------------------------------------------------------


def test_an_increasing_indicator_halfway_to_its_target_is_at_50_percent():
    assert indicator(INCREASE, baseline=10, target=20).progress(D(15)) == D("50.0")


def test_progress_is_rounded_to_one_decimal():
    assert indicator(INCREASE, baseline=0, target=3).progress(D(1)) == D("33.3")


def test_progress_beyond_the_target_is_clamped_to_100_percent():
    assert indicator(INCREASE, baseline=10, target=20).progress(D(35)) == D("100.0")


def test_a_value_fallen_below_the_baseline_is_clamped_to_0_percent():
    assert indicator(INCREASE, baseline=10, target=20).progress(D(4)) == D("0.0")


def test_a_decreasing_indicator_progresses_as_its_value_falls():
    slum = indicator(DECREASE, baseline=100, target=40)

    assert slum.progress(D(100)) == D("0.0")
    assert slum.progress(D(70)) == D("50.0")
    assert slum.progress(D(40)) == D("100.0")
    assert slum.progress(D(130)) == D("0.0")  # worse than the baseline


def test_kotaku_slum_area_towards_0_ha_reads_as_lower_is_better():
    # KOTAKU: "0 ha by 2019", no baseline in the report: the first measurement stands for it.
    kotaku = indicator(DECREASE, target=0)

    with translation.override("en"):
        assert kotaku.get_direction_display() == "Lower is better"
    assert kotaku.progress(D("38431"), first_value=D("38431")) == D("0.0")
    assert kotaku.progress(D("19215.5"), first_value=D("38431")) == D("50.0")
    assert kotaku.progress(D("3843.1"), first_value=D("38431")) == D("90.0")
    assert kotaku.progress(D("0"), first_value=D("38431")) == D("100.0")


def test_a_stated_baseline_wins_over_the_first_measurement():
    assert indicator(INCREASE, baseline=0, target=10).progress(D(5), first_value=D(4)) == D("50.0")


def test_a_baseline_already_at_the_target_counts_as_met_until_the_value_slips_back():
    met = indicator(DECREASE, baseline=0, target=0)

    assert met.progress(D(0)) == D("100.0")
    assert met.progress(D(3)) == D("0.0")
    assert indicator(INCREASE, baseline=30, target=20).progress(D(25)) == D("100.0")


@pytest.mark.parametrize(
    ("kwargs", "latest", "first"),
    [
        ({"baseline": 10}, D(15), None),  # no target
        ({"baseline": 10, "target": 20}, None, None),  # no value
        ({"target": 20}, D(15), None),  # no baseline, no first measurement
    ],
)
def test_progress_is_none_when_it_cannot_be_computed(kwargs, latest, first):
    assert indicator(**kwargs).progress(latest, first_value=first) is None


values = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


@given(
    direction=st.sampled_from([INCREASE, DECREASE]),
    baseline=values,
    target=values,
    latest=values,
)
def test_progress_is_always_between_0_and_100(direction, baseline, target, latest):
    progress = indicator(direction, baseline=baseline, target=target).progress(latest)

    assert progress is not None
    assert D(0) <= progress <= D(100)


@given(baseline=values, target=values, step=st.decimals(min_value=0, max_value=10**6, places=2))
def test_moving_towards_the_target_never_lowers_progress(baseline, target, step):
    direction = INCREASE if target >= baseline else DECREASE
    towards = step if direction == INCREASE else -step
    subject = indicator(direction, baseline=baseline, target=target)

    assert subject.progress(baseline + towards) >= subject.progress(baseline)


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def kotaku_like(program):
    """A slum-area indicator with a target of 0 ha and measurements falling towards it."""
    slum = IndicatorFactory(
        program=program,
        name="Luas permukiman kumuh",
        unit="ha",
        direction=DECREASE,
        target_value=0,
        target_on=datetime.date(2019, 12, 31),
    )
    for on, value in [
        (datetime.date(2016, 12, 31), "38431"),
        (datetime.date(2017, 12, 31), "23058.6"),
        (datetime.date(2018, 12, 31), "19215.5"),
    ]:
        MeasurementFactory(indicator=slum, measured_on=on, value=D(value))
    return slum


STATUSES = {"detail": DETAIL, "form": FORM}
PAGES = [
    ("programs:indicator_detail", "detail", "indicator"),
    ("programs:indicator_create", "form", "program"),
    ("programs:indicator_edit", "form", "indicator"),
    ("programs:measurement_create", "form", "indicator"),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kind", "about"), PAGES)
def test_each_persona_gets_the_status_the_rights_give(
    name, kind, about, persona, kotaku_like, program, client_for
):
    record = {"indicator": kotaku_like, "program": program}[about]
    url = reverse(name, args=[record.slug if about == "program" else record.pk])

    response = client_for(persona).get(url)

    assert response.status_code == STATUSES[kind][persona]
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_the_indicator_page_shows_a_falling_slum_area_as_progress(kotaku_like, client_for):
    response = client_for("viewer").get(reverse("programs:indicator_detail", args=[kotaku_like.pk]))

    assert response.status_code == 200
    result = response.context["result"]
    assert result.progress == D("50.0")  # 38431 ha → 19215.5 ha of a way to 0 ha
    assert result.latest.value == D("19215.5")
    body = response.content.decode()
    assert str(Indicator.Direction.DECREASE.label) in body
    assert "<svg" in body and "<script" not in body.split("</main>")[0]
    assert [m.measured_on.year for m in response.context["measurements"]] == [2018, 2017, 2016]
    # A viewer gets no button to add a measurement.
    assert reverse("programs:measurement_create", args=[kotaku_like.pk]) not in body


def test_a_coordinator_adds_a_measurement_with_an_indonesian_decimal_comma(kotaku_like, client_for):
    url = reverse("programs:measurement_create", args=[kotaku_like.pk])

    response = client_for("coordinator").post(
        url, {"measured_on": "2019-12-31", "value": "0,5", "note": "Laporan akhir"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:indicator_detail", args=[kotaku_like.pk])
    latest = kotaku_like.measurements.order_by("-measured_on").first()
    assert (latest.measured_on, latest.value) == (datetime.date(2019, 12, 31), D("0.5"))


def test_a_second_value_for_the_same_date_is_refused_beside_the_date(kotaku_like, client_for):
    url = reverse("programs:measurement_create", args=[kotaku_like.pk])
    before = Measurement.objects.count()

    response = client_for("coordinator").post(url, {"measured_on": "2018-12-31", "value": "1"})

    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["measured_on"]
    assert error.code == "duplicate"
    assert Measurement.objects.count() == before


def test_a_viewer_cannot_post_a_measurement(kotaku_like, client_for):
    url = reverse("programs:measurement_create", args=[kotaku_like.pk])

    response = client_for("viewer").post(url, {"measured_on": "2019-12-31", "value": "1"})

    assert response.status_code == 403
    assert kotaku_like.measurements.count() == 3


def test_a_coordinator_adds_an_indicator_and_lands_on_its_page(program, client_for):
    url = reverse("programs:indicator_create", args=[program.slug])

    response = client_for("coordinator").post(
        url,
        {
            "name": "Jumlah UMKM binaan",
            "unit": "UMKM",
            "direction": "increase",
            "baseline_value": "2",
            "target_value": "27",
        },
    )

    created = Indicator.objects.get(name="Jumlah UMKM binaan")
    assert response["Location"] == reverse("programs:indicator_detail", args=[created.pk])
    assert (created.program, created.target_value) == (program, D(27))


def test_a_target_date_before_the_baseline_date_is_refused_beside_the_target_date(
    program, client_for
):
    url = reverse("programs:indicator_create", args=[program.slug])

    response = client_for("coordinator").post(
        url,
        {
            "name": "Uji",
            "direction": "increase",
            "baseline_on": "2020-01-01",
            "target_on": "2019-01-01",
        },
    )

    assert response.status_code == 200
    assert "target_on" in response.context["form"].errors
    assert not Indicator.objects.filter(name="Uji").exists()


def test_the_programme_page_shows_each_indicators_progress(kotaku_like, program, client_for):
    response = client_for("viewer").get(program.get_absolute_url())

    (result,) = response.context["indicator_results"]
    assert result.indicator == kotaku_like
    assert result.progress == D("50.0")
    assert reverse("programs:indicator_detail", args=[kotaku_like.pk]) in response.content.decode()


@pytest.mark.parametrize("page", ["indicator", "program"])
def test_pages_run_the_same_queries_for_2_and_20_measurements(page, program, client_for):
    client = client_for("coordinator")

    def queries(count: int) -> int:
        subject = IndicatorFactory(program=program, name=f"Indikator {count}")
        for day in range(count):
            MeasurementFactory(
                indicator=subject,
                measured_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=day),
            )
        url = (
            reverse("programs:indicator_detail", args=[subject.pk])
            if page == "indicator"
            else program.get_absolute_url()
        )
        client.get(url)  # warm: the calendar key is created on the first visit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(2) == queries(20)
