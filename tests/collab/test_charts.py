"""Server-drawn SVG pictures: well-formed, accessible, escaped, and carrying the right numbers."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from collab.charts import Bar, Point, Span, bar_chart, line_chart, timeline_chart
from partners.models import Pillar
from programs.models import Commitment
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG_IN_PAGE = re.compile(r"<svg\b.*?</svg>", re.S)


def parse(markup: str) -> ET.Element:
    """The SVG as XML: fails on anything a strict parser would refuse."""
    return ET.fromstring(str(markup))


def bars_of(svg: ET.Element) -> dict[str, int]:
    return {
        rect.get("data-label"): int(rect.get("data-value"))
        for rect in svg.iterfind(".//svg:rect[@data-value]", NS)
    }


def texts_of(svg: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in svg.iterfind(".//svg:text", NS)]


def svgs_in(response) -> dict[str, ET.Element]:
    """Every inline SVG of a page, by the id of its <title>."""
    found = {}
    for markup in SVG_IN_PAGE.findall(response.content.decode()):
        svg = parse(markup)
        title = svg.find("svg:title", NS)
        found[title.get("id").removesuffix("-title")] = svg
    return found


def labelled(counts: dict) -> dict[str, int]:
    """Counts by the label the page shows, in the language the page is rendered in."""
    return {str(choice.label): count for choice, count in counts.items()}


def STATUS_COUNTS() -> dict[str, int]:  # noqa: N802 — reads as the constant it stands for
    return labelled(
        {
            Commitment.Status.PLEDGED: 3,
            Commitment.Status.IN_PROGRESS: 1,
            Commitment.Status.FULFILLED: 1,
            Commitment.Status.CANCELLED: 0,
        }
    )


def assert_accessible(svg: ET.Element) -> None:
    title, desc = svg.find("svg:title", NS), svg.find("svg:desc", NS)
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for element in svg.iter():
        assert "style" not in element.attrib  # the Content Security Policy forbids inline styles
        assert not element.tag.endswith("script")


# --- the builders ------------------------------------------------------------------------------


def test_a_bar_chart_is_well_formed_with_a_bar_and_number_per_row():
    chart = bar_chart(
        chart_id="uji",
        title="Mitra per pilar",
        description="Pemerintah 3, Akademisi 1",
        bars=[Bar("Pemerintah", 3, "#000"), Bar("Akademisi", 1, "#000")],
        label_header="Pilar",
        value_header="Mitra",
    )

    svg = parse(chart.svg)
    assert_accessible(svg)
    assert bars_of(svg) == {"Pemerintah": 3, "Akademisi": 1}
    widths = {r.get("data-label"): float(r.get("width")) for r in svg.iterfind(".//svg:rect", NS)}
    assert widths["Pemerintah"] == pytest.approx(3 * widths["Akademisi"], abs=0.2)
    assert chart.rows == (("Pemerintah", "3"), ("Akademisi", "1"))
    assert chart.headers == ("Pilar", "Mitra")


def test_an_empty_bar_with_a_gap_text_is_drawn_as_a_dashed_empty_box():
    chart = bar_chart(
        chart_id="uji",
        title="t",
        description="d",
        bars=[Bar("Pemerintah", 2, "#000"), Bar("Akademisi", 0, "#000")],
        label_header="Pilar",
        value_header="Mitra",
        gap_text="kosong",
    )

    svg = parse(chart.svg)
    (gap,) = svg.iterfind(".//svg:rect[@data-label='Akademisi']", NS)
    assert "gap" in gap.get("class")
    assert gap.get("fill") == "none" and gap.get("stroke-dasharray")
    assert "kosong" in texts_of(svg)


def test_every_text_is_escaped():
    hostile = '<script>alert("x")</script> & "Mitra"'
    chart = bar_chart(
        chart_id='x" onload="alert(1)',
        title=hostile,
        description=hostile,
        bars=[Bar(hostile, 1, "#000")],
        label_header="a",
        value_header="b",
    )

    svg = parse(chart.svg)  # still well-formed
    assert "<script" not in str(chart.svg)
    assert svg.find("svg:title", NS).text == hostile
    assert hostile in texts_of(svg)
    assert "onload" not in svg.attrib


def test_a_line_chart_draws_each_measurement_and_the_target_as_a_dashed_line():
    points = [
        Point(datetime.date(2016, 12, 31), Decimal("38431")),
        Point(datetime.date(2017, 12, 31), Decimal("23058.6")),
        Point(datetime.date(2018, 12, 31), Decimal("19215.5")),
    ]
    chart = line_chart(
        chart_id="kumuh",
        title="Luas permukiman kumuh",
        description="Lower is better",
        points=points,
        target=Decimal("0"),
        target_on=datetime.date(2019, 12, 31),
        target_label="target",
        unit="ha",
        date_header="Tanggal",
        value_header="Nilai",
    )

    svg = parse(chart.svg)
    assert_accessible(svg)
    circles = svg.findall(".//svg:circle[@class='measurement']", NS)
    assert [Decimal(c.get("data-value")) for c in circles] == [p.value for p in points]
    (target,) = svg.findall(".//svg:line[@class='target']", NS)
    assert target.get("stroke-dasharray")
    # Lower is better: the 0 ha target lies below every measurement (SVG y grows downwards) …
    assert all(float(target.get("y1")) > float(c.get("cy")) for c in circles)
    # … and the line falls towards it.
    ys = [float(c.get("cy")) for c in circles]
    assert ys == sorted(ys)
    assert len(svg.findall(".//svg:polyline", NS)) == 1
    assert chart.rows[-1] == (date_format(datetime.date(2019, 12, 31)), "target: 0 ha")


def test_a_line_chart_without_measurements_says_so_and_lists_the_target():
    chart = line_chart(
        chart_id="kosong",
        title="t",
        description="No measurement yet.",
        points=[],
        target=Decimal(10),
        date_header="a",
        value_header="b",
    )

    svg = parse(chart.svg)
    assert "No measurement yet." in texts_of(svg)
    assert not svg.findall(".//svg:circle", NS)
    assert chart.rows == (("—", ": 10"),)


def test_a_timeline_has_a_diamond_per_meeting_a_mark_per_item_and_year_ticks():
    chart = timeline_chart(
        chart_id="linimasa",
        title="Linimasa",
        description="d",
        meetings=[Span("Rapat koordinasi", datetime.date(2018, 5, 14), datetime.date(2018, 5, 14))],
        items=[
            Span("Identifikasi kebutuhan", datetime.date(2018, 6, 4)),
            Span(
                "Pelaksanaan program",
                datetime.date(2021, 9, 30),
                starts_on=datetime.date(2018, 9, 1),
            ),
        ],
        meetings_label="Rapat",
        headers=("Apa", "Dari", "Sampai"),
        today=datetime.date(2019, 1, 1),
        today_label="hari ini",
    )

    svg = parse(chart.svg)
    assert_accessible(svg)
    assert len(svg.findall(".//svg:path[@class='meeting']", NS)) == 1
    assert len(svg.findall(".//svg:*[@class='item']", NS)) == 2
    ticks = [t.text for t in svg.iterfind(".//svg:text[@class='tick']", NS)]
    assert ticks == ["2019", "2020", "2021"]
    assert len(svg.findall(".//svg:line[@class='today']", NS)) == 1
    assert [row[0] for row in chart.rows] == [
        "Rapat koordinasi",
        "Identifikasi kebutuhan",
        "Pelaksanaan program",
    ]


# --- on the pages ------------------------------------------------------------------------------


@pytest.fixture
def partnership(program, other_program):
    """Partners in three pillars (none from academia), commitments in three statuses."""
    government = PartnerFactory(name="Bappeda", pillar=Pillar.GOVERNMENT)
    ProgramPartnerFactory(program=program, partner=government, role="convenor")
    ProgramPartnerFactory(program=program, partner=government, role="funder")  # counted once
    ProgramPartnerFactory(
        program=program, partner=PartnerFactory(pillar=Pillar.PHILANTHROPY_BUSINESS)
    )
    for _ in range(2):
        ProgramPartnerFactory(
            program=program, partner=PartnerFactory(pillar=Pillar.CIVIL_SOCIETY_MEDIA)
        )
    for status, count in ((Commitment.Status.PLEDGED, 3), (Commitment.Status.FULFILLED, 1)):
        for _ in range(count):
            CommitmentFactory(program=program, partner=government, status=status)
    CommitmentFactory(program=program, partner=government, status=Commitment.Status.IN_PROGRESS)
    # Another programme's commitments never show to the personas of `program`.
    CommitmentFactory(program=other_program, status=Commitment.Status.CANCELLED)
    MeetingFactory(program=program, starts_on=datetime.date(2018, 5, 14))
    ActionItemFactory(program=program, starts_on=None, due_on=datetime.date(2018, 6, 4))
    ActionItemFactory(program=program, due_on=None)
    return program


def test_the_programme_page_draws_pillars_statuses_and_timeline_with_the_right_numbers(
    partnership, client_for
):
    response = client_for("viewer").get(partnership.get_absolute_url())

    svgs = svgs_in(response)
    pk = partnership.pk
    for svg in svgs.values():
        assert_accessible(svg)
    assert bars_of(svgs[f"pillars-{pk}"]) == labelled(
        {
            Pillar.GOVERNMENT: 1,
            Pillar.PHILANTHROPY_BUSINESS: 1,
            Pillar.ACADEMIA_EXPERTS: 0,
            Pillar.CIVIL_SOCIETY_MEDIA: 2,
        }
    )
    assert "gap" in svgs[f"pillars-{pk}"].find(".//svg:rect[@data-value='0']", NS).get("class")
    assert bars_of(svgs[f"statuses-{pk}"]) == STATUS_COUNTS()
    timeline = svgs[f"timeline-{pk}"]
    assert len(timeline.findall(".//svg:path[@class='meeting']", NS)) == 1
    assert len(timeline.findall(".//svg:*[@class='item']", NS)) == 1  # the undated one is not
    undated = ngettext(
        "%(count)s work-plan item without a due date is not drawn.",
        "%(count)s work-plan items without a due date are not drawn.",
        1,
    )
    assert undated % {"count": 1} in response.context["timeline_chart"].note
    # The text equivalent sits beside each picture.
    body = response.content.decode()
    assert body.count('<div class="visually-hidden"><table>') == len(svgs)


def test_the_dashboard_counts_commitments_only_in_the_users_programmes(partnership, client_for):
    response = client_for("coordinator").get(reverse("dashboard"))

    svgs = svgs_in(response)
    assert bars_of(svgs["statuses-mine"]) == STATUS_COUNTS()
    pillars = bars_of(svgs[f"pillars-{partnership.pk}"])
    assert pillars[str(Pillar.CIVIL_SOCIETY_MEDIA.label)] == 2


def test_the_dashboard_draws_the_pillars_of_at_most_ten_programmes(users, client_for):
    for number in range(12):
        ProgramFactory(name=f"Program {number:02d}")

    response = client_for("admin").get(reverse("dashboard"))

    assert len(response.context["pillar_charts"]) == 10
    assert response.context["pillar_charts_more"]
    assert len([key for key in svgs_in(response) if key.startswith("pillars-")]) == 10


def test_the_dashboard_runs_the_same_queries_for_2_and_10_programmes(users, client_for):
    client = client_for("admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(captured)

    few = queries()
    for number in range(8):
        program = ProgramFactory(name=f"Program {number}")
        ProgramPartnerFactory(program=program)
        CommitmentFactory(program=program)
    assert queries() == few


def test_the_programme_page_runs_the_same_queries_for_few_and_many_records(program, client_for):
    client = client_for("coordinator")

    def queries() -> int:
        client.get(program.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(program.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    for day in range(15):
        on = datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * day)
        MeetingFactory(program=program, starts_on=on)
        ActionItemFactory(program=program, due_on=on)
        ProgramPartnerFactory(program=program)
        CommitmentFactory(program=program)
    assert queries() == few


def test_archived_commitments_and_meetings_are_left_out_of_the_pictures(partnership, client_for):
    for commitment in Commitment.objects.filter(program=partnership, status="pledged"):
        commitment.archived_at = timezone.now()
        commitment.save()
    MeetingFactory(
        program=partnership, starts_on=datetime.date(2018, 6, 1), archived_at=timezone.now()
    )

    svgs = svgs_in(client_for("viewer").get(partnership.get_absolute_url()))

    assert bars_of(svgs[f"statuses-{partnership.pk}"])[str(Commitment.Status.PLEDGED.label)] == 0
    timeline = svgs[f"timeline-{partnership.pk}"]
    assert len(timeline.findall(".//svg:path[@class='meeting']", NS)) == 1
