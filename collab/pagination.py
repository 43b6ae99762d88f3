"""Pagination for lists of any length: page numbers as always, seek links, counts that stay cheap.

Django's Paginator fetches page N with OFFSET (the database reads and throws away every row before
it, so page 5,000 of 500,000 commitments costs several times page 1) and counts every row on every
page. Two changes, both invisible in the URLs a person types:

- **Seek (keyset) links.** `?page=N` alone still works exactly as before (OFFSET, with
  SafePaginator's forgiving page numbers). The "next" and "previous" links also carry a cursor —
  `after=<the last row's ordering values>` or `before=<the first row's>` — and a page with a valid
  cursor is fetched with a WHERE on the ordering columns, which an index answers at any depth. The
  page number then only labels the page.
- **Estimated counts.** On PostgreSQL the planner's row estimate is read first (an EXPLAIN, no rows
  read); a list it believes longer than EXACT_COUNT_LIMIT shows "about N records" instead of
  paying for an exact COUNT. Smaller lists, and every list on SQLite, are counted exactly.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import Field, Model, Q, QuerySet
from django.utils.functional import cached_property

# Above this many rows (as the planner estimates them) a list shows an estimate, not a count.
EXACT_COUNT_LIMIT = 10_000
# The planner's estimate may be low: a page number up to this many times the estimated last page
# is still fetched (and shown if it has rows) rather than declared past the end.
ESTIMATE_SLACK = 2
# The query parameters of the cursors; the page number keeps the list view's `page`.
AFTER_PARAM = "after"
BEFORE_PARAM = "before"
CURSOR_PARAMS = (AFTER_PARAM, BEFORE_PARAM)
# A cursor holds a handful of short values; anything longer is not one of ours.
MAX_TOKEN_LENGTH = 1_000


# --- counting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowCount:
    """How many rows a list has: exact, or the planner's estimate rounded to 2 figures."""

    value: int
    estimated: bool = False


def count_rows(queryset: QuerySet) -> RowCount:
    """The number of rows of `queryset`, without reading half a million of them to say so.

    On PostgreSQL the planner's estimate comes first (EXPLAIN plans the query without running
    it); above EXACT_COUNT_LIMIT it is returned, rounded, as an estimate. Otherwise, and on every
    other database, the rows are counted exactly.
    """
    if queryset.query.is_empty():
        return RowCount(0)
    if connections[queryset.db].vendor == "postgresql":
        estimate = planner_estimate(queryset)
        if estimate > EXACT_COUNT_LIMIT:
            return RowCount(round_significant(estimate), estimated=True)
    return RowCount(queryset.count())


def planner_estimate(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of the rows `queryset` returns (one EXPLAIN, no rows read)."""
    # Ordering and to-one joins do not change how many rows there are, only the planning time.
    countable = queryset.order_by().select_related(None)
    try:
        plan = json.loads(countable.explain(format="json"))
    except EmptyResultSet:  # a filter no row can match ("pk__in=[]"): Django never asks the DB
        return 0
    return int(plan[0]["Plan"]["Plan Rows"])


def round_significant(number: int, digits: int = 2) -> int:
    """41,234 → 41,000: an estimate should not look more precise than it is."""
    if number < 10**digits:
        return number
    scale = 10 ** (len(str(number)) - digits)
    return (number + scale // 2) // scale * scale


# --- the ordering a seek follows ------------------------------------------------------------------


@dataclass(frozen=True)
class SeekKey:
    """One column of a list's ordering: the model field and its direction."""

    field: Field
    descending: bool

    @property
    def lookup(self) -> str:
        return self.field.attname

    @property
    def order_by(self) -> str:
        return f"-{self.lookup}" if self.descending else self.lookup

    def reversed(self) -> SeekKey:
        return SeekKey(self.field, not self.descending)


def list_ordering(queryset: QuerySet) -> list[Any]:
    """The ordering `queryset` is fetched in: its order_by, else its model's Meta.ordering when
    Django applies it (not to GROUP BY queries), else none."""
    query = queryset.query
    if query.extra_order_by:
        return list(query.extra_order_by)
    if query.order_by:
        return list(query.order_by)
    if queryset.ordered:
        return list(queryset.model._meta.ordering)
    return []


def seek_keys(queryset: QuerySet) -> tuple[SeekKey, ...] | None:
    """The columns a cursor can seek on — the list's ordering with the primary key appended as
    the tiebreaker — or None when the ordering cannot be sought.

    Only concrete, non-nullable columns of the model itself qualify: a related field
    (`partner__name`, or `program`, which Django sorts by Program's own ordering) is not a value
    of the row, and NULLs sort differently from one database to another, so `<` cannot follow
    them.
    """
    if queryset.query.extra_order_by or queryset.query.distinct_fields:
        return None
    ordering = list_ordering(queryset)
    if not ordering:
        return None
    meta = queryset.model._meta
    keys: list[SeekKey] = []
    for item in ordering:
        if not isinstance(item, str) or item in ("?", "-?"):
            return None  # an expression or a random order
        descending = item.startswith("-")
        name = item.lstrip("-+")
        if name == "pk":
            field = meta.pk
        else:
            try:
                field = meta.get_field(name)
            except FieldDoesNotExist:  # an annotation or a lookup across a relation
                return None
        if (
            not field.concrete
            or field.null
            or field.model is not meta.concrete_model
            or (field.is_relation and name != field.attname)  # `program` sorts by Program.name
        ):
            return None
        keys.append(SeekKey(field, descending))
    if not keys[-1].field.primary_key:
        # Without a unique last column, rows that tie would be skipped or shown twice.
        keys.append(SeekKey(meta.pk, keys[-1].descending))
    return tuple(keys)


def seek_condition(keys: Sequence[SeekKey], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the order of `keys`.

    For (-created_at, -id) after (v1, v2): `created_at <= v1 AND (created_at < v1 OR
    (created_at = v1 AND id < v2))`. The leading `<=` repeats what the OR implies so that
    PostgreSQL can use it as an index range condition on the first column (it cannot from an OR).
    """
    first, first_value = keys[0], values[0]
    condition = Q()
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        ties = {earlier.lookup: values[position] for position, earlier in enumerate(keys[:index])}
        strictly = "lt" if key.descending else "gt"
        condition |= Q(**ties, **{f"{key.lookup}__{strictly}": value})
    if len(keys) == 1:
        return condition
    bound = "lte" if first.descending else "gte"
    return Q(**{f"{first.lookup}__{bound}": first_value}) & condition


# --- cursors --------------------------------------------------------------------------------------


def encode_cursor(row: Model, keys: Sequence[SeekKey]) -> str | None:
    """The row's ordering values as url-safe base64 of a JSON list (None if one is not JSON)."""
    values = []
    for key in keys:
        value = getattr(row, key.lookup)
        if isinstance(value, datetime.date | datetime.time):
            # Full precision: DjangoJSONEncoder drops microseconds, and ties would be lost.
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal | uuid.UUID):
            value = str(value)
        elif not isinstance(value, str | int | float) or value is None:
            return None
        values.append(value)
    raw = json.dumps(values, separators=(",", ":")).encode()
    # Padding is noise in a URL (it would be escaped as %3D); decode_cursor puts it back.
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"not a JSON value: {name}")  # NaN, Infinity: json.loads would accept them


def decode_cursor(token: str, keys: Sequence[SeekKey], using: str) -> list[Any] | None:
    """The ordering values in `token`, each parsed by its model field, or None if the token is
    not one this list could have made (malformed, tampered with, for another ordering).

    A cursor comes from the URL: anything a person types there must fall back to the page number,
    never reach the database as a value it rejects (a 500).
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    connection = connections[using]
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw, parse_constant=_reject_constant)
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        parsed = []
        for key, value in zip(keys, values, strict=True):
            if not isinstance(value, str | int | float):  # bool is an int
                return None
            if isinstance(value, str) and "\x00" in value:
                return None  # PostgreSQL refuses NUL in text
            if isinstance(value, float) and not math.isfinite(value):
                return None
            python = key.field.to_python(value)
            if python is None:
                return None
            if isinstance(python, datetime.datetime) and settings.USE_TZ and python.tzinfo is None:
                return None  # we always write the offset; a naive time was not made here
            key.field.run_validators(python)  # e.g. an integer beyond the column's range
            key.field.get_db_prep_value(python, connection, prepared=False)
            parsed.append(python)
    except (ValidationError, ValueError, TypeError, ArithmeticError, binascii.Error):
        # binascii.Error: bad base64; ValueError covers bad JSON and bad UTF-8;
        # ArithmeticError: a decimal or a date out of range.
        return None
    return parsed


# --- the paginator --------------------------------------------------------------------------------


class SafePaginator(Paginator):
    """An out-of-range or malformed page number shows the nearest page instead of an error."""

    def validate_number(self, number: Any) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            return self.num_pages if int(number) > 1 else 1
        except Exception:  # PageNotAnInteger and friends: "?page=abc"
            return 1


class SeekPage(Page):
    """A page whose neighbours are known from its own fetch (one row more than it shows), not
    from the count, which may be an estimate; it knows the cursors its links carry."""

    def __init__(
        self,
        object_list: list[Any],
        number: int,
        paginator: SeekPaginator,
        *,
        has_next: bool,
        has_previous: bool,
        past_end: bool = False,
    ) -> None:
        super().__init__(object_list, number, paginator)
        self._has_next = has_next
        self._has_previous = has_previous
        # Asked for a page beyond the end of the list (the view says so and links to page 1).
        self.past_end = past_end

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self._has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)

    @cached_property
    def next_cursor(self) -> str | None:
        """`after=` of the "next" link: the last row's ordering values (None: OFFSET only)."""
        keys = self.paginator.keys
        if not keys or not self.object_list or not self._has_next:
            return None
        return encode_cursor(self.object_list[-1], keys)

    @cached_property
    def previous_cursor(self) -> str | None:
        """`before=` of the "previous" link: the first row's ordering values."""
        keys = self.paginator.keys
        if not keys or not self.object_list or not self._has_previous:
            return None
        return encode_cursor(self.object_list[0], keys)


class SeekPaginator(SafePaginator):
    """Page numbers with OFFSET, or a seek when the request carries a valid cursor; the count
    from count_rows. `orphans` is not supported (a seek page has exactly `per_page` rows)."""

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> None:
        self.keys = seek_keys(object_list)
        if self.keys:
            # OFFSET pages get the same total order as seek pages, or a tie could land on both
            # page 3 and page 4 depending on how the page was reached.
            object_list = object_list.order_by(*(key.order_by for key in self.keys))
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)

    @cached_property
    def row_count(self) -> RowCount:
        return count_rows(self.object_list)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self.row_count.value

    @property
    def estimated(self) -> bool:
        """Whether `count` (and so `num_pages`) is the planner's estimate."""
        return self.row_count.estimated

    def validate_number(self, number: Any) -> int:
        if not self.estimated:
            return super().validate_number(number)  # clamped to the real last page, as always
        # An estimate is no bound: keep the number; the fetch says whether the page has rows.
        try:
            return max(1, Paginator.validate_number(self, number))
        except EmptyPage:
            return max(1, int(number))
        except Exception:  # "?page=abc"
            return 1

    def page_for(self, params: Mapping[str, Any], page_param: str = "page") -> SeekPage:
        """The page a request asks for: `page`, and `after` or `before` when it carries one."""
        number = self.validate_number(params.get(page_param) or 1)
        if self.keys:
            for param, forward in ((AFTER_PARAM, True), (BEFORE_PARAM, False)):
                token = params.get(param)
                values = decode_cursor(token, self.keys, self.object_list.db) if token else None
                if values is not None:
                    return self.seek_page(number, values, forward=forward)
        return self.offset_page(number)

    def offset_page(self, number: int) -> SeekPage:
        """Page `number` by OFFSET (typed page numbers, lists whose ordering cannot be sought)."""
        if self.estimated and number > self.num_pages * ESTIMATE_SLACK:
            # Far beyond the estimated end: no page there, and no OFFSET read to find that out.
            return SeekPage([], number, self, has_next=False, has_previous=False, past_end=True)
        offset = (number - 1) * self.per_page
        rows = list(self.object_list[offset : offset + self.per_page + 1])
        if not rows and number > 1:
            return SeekPage([], number, self, has_next=False, has_previous=False, past_end=True)
        return SeekPage(
            rows[: self.per_page],
            number,
            self,
            has_next=len(rows) > self.per_page,
            has_previous=number > 1,
        )

    def seek_page(self, number: int, values: list[Any], *, forward: bool) -> SeekPage:
        """The `per_page` rows after (or before) the cursor `values`; cost independent of depth."""
        assert self.keys is not None
        keys = self.keys if forward else tuple(key.reversed() for key in self.keys)
        rows = list(
            self.object_list.filter(seek_condition(keys, values)).order_by(
                *(key.order_by for key in keys)
            )[: self.per_page + 1]
        )
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows:  # the rows around the cursor were deleted meanwhile
            return SeekPage([], number, self, has_next=False, has_previous=False, past_end=True)
        if forward:
            return SeekPage(rows, max(number, 2), self, has_next=more, has_previous=True)
        # Fetched backwards: put them back in the list's order. Nothing before them: page 1.
        rows.reverse()
        return SeekPage(rows, number if more else 1, self, has_next=True, has_previous=more)
