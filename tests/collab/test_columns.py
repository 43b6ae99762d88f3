"""One column spec per list (collab.columns): the page's table and the export come from it, so a
column added to the spec appears in both."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import translation

from collab.columns import Column, ColumnSpec, badge, day, label, link, note, text
from collab.views import ObjectListView
from partners.models import Partner
from partners.views import PartnerListView
from tests.factories.agreements import AgreementFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import ActionItemFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import SiteFactory


def list_pages() -> list[str]:
    """Every list page: the URL names whose view is an ObjectListView."""
    names = []
    for entry in get_resolver().url_patterns:
        for pattern in getattr(entry, "url_patterns", ()):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, ObjectListView):
                names.append(f"{entry.namespace}:{pattern.name}")
    return sorted(names)


LISTS = list_pages()


def spec_of(url_name: str) -> ColumnSpec:
    return resolve(reverse(url_name)).func.view_class.columns


def page_headings(content: str) -> list[str]:
    thead = re.search(r"<thead>(.*?)</thead>", content, re.S).group(1)
    return re.findall(r"<th[^>]*>(.*?)</th>", thead)


def csv_header(response) -> list[str]:
    text_ = b"".join(response.streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text_)))


@pytest.fixture
def one_of_each(program):
    partner = PartnerFactory(name="Mitra Satu")
    MeetingFactory(program=program)
    CommitmentFactory(program=program, partner=partner)
    AgreementFactory(program=program)
    ActionItemFactory(program=program)
    SiteFactory(program=program)


# --- the spec ------------------------------------------------------------------------------------


def test_export_and_page_columns_keep_the_specs_order_and_flags():
    spec = ColumnSpec(
        filename="x",
        columns=(
            Column("page_only", "Page only", exported=False, cell=text("a")),
            Column("both", "Both", cell=text("b")),
            Column("export_only", "Export only"),
        ),
    )
    assert [column.key for column in spec.exported] == ["both", "export_only"]
    assert [column.key for column in spec.shown] == ["page_only", "both"]


def test_cells_are_template_code_over_the_row():
    assert text("title") == '{{ row.title|default:"—" }}'
    assert text("count", None) == "{{ row.count }}"
    assert day("due_on") == '{{ row.due_on|date|default:"—" }}'
    assert label("kind") == "{{ row.get_kind_display }}"
    assert badge("status") == (
        '<span class="badge text-bg-{{ row.status|status_colour }}">'
        "{{ row.get_status_display }}</span>"
    )
    assert link("name") == '<a href="{{ row.get_absolute_url }}">{{ row.name }}</a>'
    assert link("") == '<a href="{{ row.get_absolute_url }}">{{ row }}</a>'
    assert link("program.name", to="program", anchor="work") == (
        '<a href="{{ row.program.get_absolute_url }}#work">{{ row.program.name }}</a>'
    )
    assert note("site.name", test="site") == (
        '{% if row.site %}<div class="small text-muted">{{ row.site.name }}</div>{% endif %}'
    )


def test_a_right_aligned_columns_header_is_right_aligned():
    assert Column("n", "N", cell="x", css="text-end text-nowrap").heading_css == "text-end"
    assert Column("n", "N", cell="x", css="text-nowrap").heading_css == ""
    assert Column("n", "Label", heading="Heading").page_heading == "Heading"


# --- every list: page and export from the same spec ---------------------------------------------


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_pages_header_is_its_specs_shown_columns(client_for, one_of_each, url_name):
    with translation.override("id"):
        expected = [str(column.page_heading) for column in spec_of(url_name).shown]

    response = client_for("admin").get(reverse(url_name))

    assert response.status_code == 200
    assert page_headings(response.content.decode()) == expected
    assert len(expected) >= 4


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_cell_carries_its_columns_heading(client_for, one_of_each, url_name):
    """On a phone the rows stack as "label: value" cards (app.css, .table-stack): every cell
    needs its column's heading, translated, in the heading's place."""
    with translation.override("id"):
        expected = [str(column.page_heading) for column in spec_of(url_name).shown]

    page = client_for("admin").get(reverse(url_name)).content.decode()

    table = re.search(r'<table class="([^"]*)">(.*?)</table>', page, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(2).split("</thead>")[1], re.S)
    assert "table-stack" in table.group(1).split()
    assert rows
    for row in rows:
        cells = re.findall(r"<td[^>]*>", row)
        assert len(cells) == len(expected)
        assert [re.search(r'data-label="([^"]*)"', cell).group(1) for cell in cells] == expected


def test_a_cells_label_is_escaped_like_its_heading():
    spec = ColumnSpec("x", (Column("a", "A", cell=text("a")), Column("b", "B", cell=text("b"))))
    quoted = Column("a", 'Say "hi" & <go>', cell=text("a"))

    html = spec.table_template.render(
        {"table_columns": (quoted, spec.columns[1]), "object_list": [{"a": 1, "b": 2}]}
    )

    assert 'data-label="Say &quot;hi&quot; &amp; &lt;go&gt;">1</td>' in html
    assert 'data-label="B">2</td>' in html


def test_every_list_is_checked():
    assert len(LISTS) == 7


@pytest.mark.parametrize("url_name", LISTS)
def test_every_lists_export_header_is_its_specs_exported_columns(client_for, one_of_each, url_name):
    with translation.override("id"):
        expected = [str(column.label) for column in spec_of(url_name).exported]

    response = client_for("admin").get(reverse(url_name), {"export": "csv"})

    assert csv_header(response) == expected


def test_a_column_added_to_the_spec_is_on_the_page_and_in_every_export(
    client_for, program, monkeypatch
):
    PartnerFactory(name="Mitra Satu", acronym="MS-1")
    added = Column("short", "Short name", source="acronym", cell=text("acronym"), css="text-end")
    spec = PartnerListView.columns
    monkeypatch.setattr(
        PartnerListView, "columns", dataclasses.replace(spec, columns=(*spec.columns, added))
    )
    # The compiled table belongs to the spec: the new spec compiles its own.
    client = client_for("admin")
    url = reverse("partners:partner_list")

    page = client.get(url).content.decode()
    exported = csv_header(client.get(url, {"export": "csv"}))
    rows = json.loads(b"".join(client.get(url, {"export": "json"}).streaming_content))

    assert page_headings(page)[-1] == "Short name"
    assert '<th class="text-end">Short name</th>' in page
    assert '<td class="text-end" data-label="Short name">MS-1</td>' in page
    assert exported[-1] == "Short name"
    assert [row["short"] for row in rows] == ["MS-1"]


def test_cells_escape_what_was_typed_and_translate_their_words(client_for, program):
    PartnerFactory(name="<script>alert(1)</script>", is_active=False)

    page = client_for("admin").get(reverse("partners:partner_list")).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<span class="badge text-bg-secondary">nonaktif</span>' in page  # "inactive"
    assert Partner.objects.count() == 1
