"""Long lists: seek links return exactly the OFFSET pages, bad cursors fall back, counts stay cheap.

The list pages are walked as a person does, by following the `rel="next"` / `rel="prev"` links
the page renders, with the page size lowered to 3 so that a dozen rows make several pages.
"""

from __future__ import annotations

import base64
import datetime
import json
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from collab import pagination
from collab.pagination import (
    RowCount,
    SeekKey,
    count_rows,
    decode_cursor,
    encode_cursor,
    round_significant,
    seek_keys,
)
from partners.models import Partner
from programs.models import ActionItem, Agreement, Commitment, Meeting
from programs.views.commitments import CommitmentListView
from programs.views.meetings import ActionItemListView
from tests.factories import ActionItemFactory, CommitmentFactory, PartnerFactory

PER_PAGE = 3
LIST = reverse("programs:commitment_list")
ON_POSTGRESQL = connection.vendor == "postgresql"


class Links(HTMLParser):
    """The hrefs of a page's `<a rel=…>` links, by rel."""

    def __init__(self) -> None:
        super().__init__()
        self.by_rel: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("rel"):
            self.by_rel[attributes["rel"]] = attributes.get("href") or ""


def links(response) -> dict[str, str]:
    parser = Links()
    parser.feed(response.content.decode())
    return parser.by_rel


def rows(response) -> list[int]:
    assert response.status_code == 200
    return [row.pk for row in response.context["object_list"]]


def token(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(CommitmentListView, "paginate_by", PER_PAGE)
    monkeypatch.setattr(ActionItemListView, "paginate_by", PER_PAGE)


@pytest.fixture
def commitments(program, users, small_pages) -> list[int]:
    """13 commitments of `program` in list order (newest first), most of them sharing their
    created_at with others: only the id tells them apart."""
    partner = PartnerFactory()
    moments = [
        datetime.datetime(2024, 3, 1, 9, 0, 0, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2024, 3, 1, 9, 0, 0, 123457, tzinfo=datetime.UTC),
        datetime.datetime(2024, 3, 2, tzinfo=datetime.UTC),
    ]
    # 5 + 1 + 7 rows: ties straddle every page boundary at 3 rows a page.
    for moment, how_many in zip(moments, (5, 1, 7), strict=True):
        with mock.patch.object(timezone, "now", return_value=moment):
            CommitmentFactory.create_batch(how_many, program=program, partner=partner)
    return list(
        Commitment.objects.filter(program=program)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )


def offset_pages(client, count: int, query: str = "") -> list[list[int]]:
    return [rows(client.get(f"{LIST}?{query}page={number}")) for number in range(1, count + 1)]


def walk(client, response, rel: str) -> list:
    """`response`, then every page reached by following its `rel` link, until there is none.
    Bounded: a cursor that came back to the same place would otherwise never end the walk."""
    pages = [response]
    for _ in range(20):
        href = links(pages[-1]).get(rel)
        if href is None:
            return pages
        pages.append(client.get(LIST + href))
    raise AssertionError(f"following rel={rel} did not end")


# --- walking the links ----------------------------------------------------------------------------


def test_next_links_carry_the_page_number_and_a_cursor(client_for, commitments):
    response = client_for("coordinator").get(LIST)

    next_href = links(response)["next"]
    assert next_href.startswith("?")
    assert "page=2" in next_href
    assert "after=" in next_href
    assert "prev" not in links(response)


def test_seek_pages_are_the_offset_pages_even_where_created_at_ties(client_for, commitments):
    client = client_for("coordinator")
    expected = offset_pages(client, 5)
    assert [pk for page in expected for pk in page] == commitments  # the OFFSET pages are right

    pages = walk(client, client.get(LIST), "next")

    assert [rows(page) for page in pages] == expected
    assert [page.context["page_obj"].number for page in pages] == [1, 2, 3, 4, 5]


def test_walking_next_links_from_page_1_visits_every_row_once(client_for, commitments):
    client = client_for("coordinator")
    visited = [pk for page in walk(client, client.get(LIST), "next") for pk in rows(page)]

    assert visited == commitments
    assert len(set(visited)) == len(visited)


def test_previous_links_walk_back_through_the_same_pages(client_for, commitments):
    client = client_for("coordinator")
    expected = offset_pages(client, 5)
    last = walk(client, client.get(LIST), "next")[-1]
    assert "before=" in links(last)["prev"]

    pages = walk(client, last, "prev")

    assert [rows(page) for page in pages] == expected[::-1]
    assert [page.context["page_obj"].number for page in pages] == [5, 4, 3, 2, 1]


def test_the_cursors_follow_the_filters(client_for, commitments):
    for row in Commitment.objects.filter(pk__in=commitments[::2]):
        row.status = Commitment.Status.IN_PROGRESS
        row.save()
    client = client_for("coordinator")
    query = "status=in_progress&"
    expected = offset_pages(client, 3, query)

    pages = walk(client, client.get(f"{LIST}?{query}"), "next")

    assert [rows(page) for page in pages] == expected
    assert [pk for page in pages for pk in rows(page)] == commitments[::2]


def test_first_and_last_links_drop_the_cursor(client_for, commitments):
    client = client_for("coordinator")
    page_2 = client.get(LIST + links(client.get(LIST))["next"])
    content = page_2.content.decode()

    assert 'href="?page=1"' in content  # "first"
    assert 'href="?page=5"' in content  # "last": the count is exact
    assert "after=" not in page_2.context["query_without_page"]


# --- bad cursors ----------------------------------------------------------------------------------

LATER = "2024-03-01T09:00:00.123456+00:00"
BAD_TOKENS = (
    "abc",
    "!!!",
    "%00",
    "x" * 5000,
    token({"created_at": LATER}),
    token([LATER]),  # one value for two columns
    token([LATER, 1, 2]),
    token(["yesterday", 1]),
    token([LATER, "one"]),
    token([LATER, None]),
    token([LATER, [1]]),
    token(["2024-03-01T09:00:00", 1]),  # no offset: not one of ours
    token(["9999-99-99T00:00:00+00:00", 1]),
    token([LATER, 10**30]),  # beyond bigint
    token([LATER, -(10**30)]),
    token([LATER + "\u0000", 1]),
    base64.urlsafe_b64encode(b"[NaN, 1]").decode(),
    base64.urlsafe_b64encode(b"\xff\xfe not utf-8").decode(),
)


@pytest.mark.parametrize("param", ["after", "before"])
@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_a_malformed_or_tampered_cursor_falls_back_to_the_page_number(
    client_for, commitments, param, bad
):
    client = client_for("coordinator")
    response = client.get(LIST, {"page": 2, param: bad})

    assert rows(response) == commitments[PER_PAGE : 2 * PER_PAGE]


def test_a_cursor_with_a_tampered_character_falls_back_to_the_page_number(client_for, commitments):
    client = client_for("coordinator")
    href = links(client.get(LIST))["next"]
    tampered = href.replace("after=", "after=%25")

    assert rows(client.get(LIST + tampered)) == commitments[PER_PAGE : 2 * PER_PAGE]


def test_a_cursor_is_ignored_on_a_list_whose_ordering_cannot_be_sought(
    client_for, program, users, small_pages
):
    # ActionItem is ordered by ("program", …): Django sorts that by Program.name, not a column.
    for order in range(7):
        ActionItemFactory(program=program, order=order)
    client = client_for("coordinator")
    url = reverse("programs:actionitem_list")
    page_2 = [item.pk for item in client.get(url, {"page": 2}).context["object_list"]]

    response = client.get(url, {"page": 2, "after": token([1, 1, "2024-01-01", 1])})

    assert [item.pk for item in response.context["object_list"]] == page_2
    assert "after=" not in links(response)["next"]
    assert "page=3" in links(response)["next"]


# --- what can be sought ---------------------------------------------------------------------------


def fields(keys: tuple[SeekKey, ...] | None) -> list[str] | None:
    return None if keys is None else [key.order_by for key in keys]


def test_the_seek_columns_are_the_ordering_with_the_primary_key_appended():
    assert fields(seek_keys(Commitment.objects.all())) == ["-created_at", "-id"]
    assert fields(seek_keys(Partner.objects.all())) == ["name", "id"]
    assert fields(seek_keys(Commitment.objects.order_by("title"))) == ["title", "id"]
    assert fields(seek_keys(Commitment.objects.order_by("-pk"))) == ["-id"]
    assert fields(seek_keys(Commitment.objects.order_by("program_id", "-id"))) == [
        "program_id",
        "-id",
    ]
    # GROUP BY: Django drops Meta.ordering, the list view orders explicitly.
    assert fields(seek_keys(Meeting.objects.for_list())) == ["-starts_on", "-id"]


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Commitment.objects.order_by("partner__name"),  # across a relation
        lambda: Commitment.objects.order_by("partner"),  # by Partner's own ordering
        lambda: Commitment.objects.order_by("-due_on"),  # nullable
        lambda: Agreement.objects.for_list(),  # signed_on is nullable
        lambda: ActionItem.objects.all(),  # Meta.ordering starts with "program"
        lambda: Commitment.objects.order_by("?"),
        lambda: Commitment.objects.order_by(),  # no order at all
        lambda: Meeting.objects.for_list().order_by("-attendance_count"),  # an annotation
    ],
)
def test_orderings_that_cannot_be_sought_have_no_seek_columns(queryset):
    assert seek_keys(queryset()) is None


@pytest.mark.django_db
def test_a_cursor_keeps_microseconds_and_round_trips():
    row = Commitment(
        id=41, created_at=datetime.datetime(2024, 3, 1, 9, 0, 0, 123456, tzinfo=datetime.UTC)
    )
    keys = seek_keys(Commitment.objects.all())

    assert decode_cursor(encode_cursor(row, keys), keys, "default") == [row.created_at, 41]
    assert "=" not in encode_cursor(row, keys)  # no padding to escape in a URL


# --- queries --------------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_cursor_page_runs_as_many_queries_as_page_1(client_for, commitments):
    client = client_for("coordinator")
    client.get(LIST)  # warm-up: content types, translations
    next_href = links(client.get(LIST))["next"]
    deeper = links(client.get(LIST + next_href))["next"]
    back = links(client.get(LIST + deeper))["prev"]

    first = count_queries(client, LIST)

    assert count_queries(client, LIST + next_href) == first
    assert count_queries(client, LIST + deeper) == first
    assert count_queries(client, LIST + back) == first
    assert count_queries(client, f"{LIST}?page=3") == first
    assert count_queries(client, f"{LIST}?status=pledged") == first


# --- counts ---------------------------------------------------------------------------------------


def test_estimates_are_rounded_to_two_significant_figures():
    assert round_significant(7) == 7
    assert round_significant(99) == 99
    assert round_significant(41_234) == 41_000
    assert round_significant(41_500) == 42_000
    assert round_significant(375_000) == 380_000
    assert round_significant(99_600) == 100_000


@pytest.mark.django_db
def test_an_empty_queryset_is_counted_without_a_query():
    with CaptureQueriesContext(connection) as queries:
        assert count_rows(Commitment.objects.none()) == RowCount(0)
    assert len(queries) == 0


@pytest.mark.skipif(ON_POSTGRESQL, reason="PostgreSQL estimates long lists")
def test_on_sqlite_the_count_is_exact_however_long_the_list(client_for, commitments, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 0)
    assert count_rows(Commitment.objects.all()) == RowCount(len(commitments))

    response = client_for("coordinator").get(LIST)

    assert not response.context["paginator"].estimated
    assert 'href="?page=5"' in response.content.decode()  # "last"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="only PostgreSQL estimates")
def test_on_postgresql_a_long_list_shows_the_planner_estimate(client_for, commitments, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 0)  # every list is "long"
    monkeypatch.setattr(CommitmentListView, "known_count", lambda view: None)  # not the tallies
    client = client_for("coordinator")

    response = client.get(LIST)
    content = response.content.decode()
    paginator = response.context["paginator"]

    assert paginator.estimated
    with translation.override("id"):
        about = translation.gettext("about %(count)s records") % {
            "count": intcomma(paginator.count)
        }
    assert about in content  # "sekitar …" (or "about …" until the catalogue has it)
    assert 'href="?page=5"' not in content  # no "last"
    assert "next" in links(response)
    # The estimate decides neither the rows nor the way to the end.
    walked = [pk for page in walk(client, response, "next") for pk in rows(page)]
    assert walked == commitments


@pytest.mark.skipif(not ON_POSTGRESQL, reason="only PostgreSQL estimates")
def test_on_postgresql_a_short_list_is_counted_exactly(client_for, commitments):
    response = client_for("coordinator").get(LIST)

    assert response.context["paginator"].row_count == RowCount(len(commitments))


@pytest.fixture
def estimated(monkeypatch):
    """Every list counted as the planner would estimate a long one (on any database), the
    commitment list too (it would count from its tallies otherwise)."""
    monkeypatch.setattr(pagination, "count_rows", lambda queryset: RowCount(41_000, estimated=True))
    monkeypatch.setattr(CommitmentListView, "known_count", lambda view: None)


def test_an_estimated_count_says_about_and_offers_no_last_page(client_for, commitments, estimated):
    client = client_for("coordinator")
    indonesian = client.get(LIST).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(LIST).content.decode()

    with translation.override("id"):
        about = translation.gettext("about %(count)s records") % {"count": "41.000"}
        page = translation.gettext("page %(number)s") % {"number": 1}
        last = translation.gettext("last")
    assert about in indonesian
    assert page in indonesian
    assert f"{last} »" not in indonesian
    assert "about 41,000 records" in english
    assert "page 1 of" not in english
    assert "last »" not in english
    assert "next" in english


def test_a_page_beyond_an_estimated_end_says_so_and_links_to_page_1(
    client_for, commitments, estimated
):
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    for number in (6, 1_000_000, 10**30):
        response = client.get(LIST, {"page": number})
        content = response.content.decode()
        assert response.status_code == 200
        assert response.context["object_list"] == []
        assert "This page is past the end of the list." in content
        assert 'href="?page=1"' in content


def test_a_page_beyond_an_exact_end_shows_the_last_page_as_before(client_for, commitments):
    response = client_for("coordinator").get(LIST, {"page": 99})

    assert response.context["page_obj"].number == 5
    assert rows(response) == commitments[12:]
