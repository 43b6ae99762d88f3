"""One column spec per list: the columns its page shows and its export writes, declared once.

A list declares a `ColumnSpec` (kept with the list, in its app's exports.py) of `Column`s. Each
column is exported (its `key`, `label` and what it reads: see `Column`), shown on the page (its
`cell`), or both; a column added to the spec with a `cell` appears in the page's table and in
every export format. The exported columns keep the spec's order, and so do the page's: a
column the page shows at another place than the export is two entries, one of them with
`exported=False`.

The page's table is one template compiled from the cells once per spec
(`ColumnSpec.table_template`), rendered by templates/collab/list.html; each cell carries its
heading as `data-label`, so on a phone the rows stack as "label: value" cards (docs/phones.md).
collab.exports writes the exports from the same spec.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.template import engines
from django.utils import timezone
from django.utils.functional import Promise

from collab import xlsx

StrOrPromise = str | Promise

AMOUNT = xlsx.AMOUNT
URL = xlsx.URL


@dataclass(frozen=True)
class Column:
    """One column of a list.

    Export: `key` names the column in JSON and, unless `source` is given, is the
    `.values_list()` name it reads (a field path such as `program__name` or an annotation added by
    the spec's `annotate`). `choices` turns a stored code into its label; `link` turns the value
    into the absolute URL of that page (URL name, value passed as `link_kwarg`). `kind` tells a
    spreadsheet what the values are when their type does not: `AMOUNT` (rupiah, a number with
    the currency's format) or `URL` (a hyperlink; link columns are URLs without saying so).
    `exported=False` leaves the column out of the export (a page-only column).

    Page: `cell` is the template code of the column's cell on the list page, the record being
    `row` (the helpers below write the usual ones); without one the column is export-only.
    `heading` is the page's header when it differs from `label`; `css` the classes of the cells
    (a right-aligned column's header is right-aligned too).
    """

    key: str
    label: StrOrPromise
    source: str = ""
    choices: Sequence[tuple[Any, StrOrPromise]] | None = None
    link: str = ""
    link_kwarg: str = "pk"
    kind: str = ""
    cell: str = ""
    heading: StrOrPromise = ""
    css: str = ""
    exported: bool = True

    @property
    def field(self) -> str:
        return self.source or self.key

    @property
    def cell_kind(self) -> str:
        return URL if self.link else self.kind

    @property
    def page_heading(self) -> StrOrPromise:
        return self.heading or self.label

    @property
    def heading_css(self) -> str:
        return "text-end" if "text-end" in self.css.split() else ""


def _no_annotations(queryset: QuerySet) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class ColumnSpec:
    """A list's columns, the stem of its export's file name, and the annotations its exported
    columns read (`annotate` must add them with constant queries per chunk: subqueries or
    joins, never a query per row). The page's rows come from the list's own queryset."""

    filename: str
    columns: tuple[Column, ...]
    annotate: Callable[[QuerySet], QuerySet] = field(default=_no_annotations)

    @property
    def exported(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.exported)

    @property
    def shown(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.cell)

    def file_name(self, extension: str, today: datetime.date | None = None) -> str:
        """`perjanjian-2026-11-22.csv`: what and when (today in the site's time zone)."""
        return f"{self.filename}-{(today or timezone.localdate()).isoformat()}.{extension}"

    @cached_property
    def table_template(self) -> Any:
        """The page's table (header and one row per record of `object_list`), compiled once;
        the headers come from the context's `table_columns` (translated when rendered)."""
        heading = (
            "<th{% if column.heading_css %} "
            'class="{{ column.heading_css }}"{% endif %}>{{ column.page_heading }}</th>'
        )
        # Each cell carries its column's heading (translated when rendered): on a phone the rows
        # stack as "label: value" cards (the .table-stack rules in collab/static/collab/app.css).
        cells = "".join(
            '  <td{} data-label="{{{{ table_columns.{}.page_heading }}}}">{}</td>\n'.format(
                f' class="{column.css}"' if column.css else "", index, column.cell
            )
            for index, column in enumerate(self.shown)
        )
        source = (
            "{% load i18n humanize collab_tags %}\n"
            f"<thead><tr>{{% for column in table_columns %}}{heading}{{% endfor %}}</tr></thead>\n"
            "<tbody>\n"
            "{% for row in object_list %}\n"
            f"<tr>\n{cells}</tr>\n"
            "{% endfor %}\n"
            "</tbody>\n"
        )
        return engines["django"].from_string(source)


# --- cells: template code for the usual kinds of cell (`row` is the record) ----------------------


def text(path: str, default: str | None = "—") -> str:
    """The value at `path` ("title", "region.name"), or `default` when it is empty."""
    if default is None:
        return f"{{{{ row.{path} }}}}"
    return f'{{{{ row.{path}|default:"{default}" }}}}'


def day(path: str, default: str = "—") -> str:
    """A date in the page's format."""
    return f'{{{{ row.{path}|date|default:"{default}" }}}}'


def label(name: str) -> str:
    """A choice field's label."""
    return f"{{{{ row.get_{name}_display }}}}"


def badge(name: str) -> str:
    """A status: its label on a badge coloured by its value."""
    return (
        f'<span class="badge text-bg-{{{{ row.{name}|status_colour }}}}">'
        f"{{{{ row.get_{name}_display }}}}</span>"
    )


def pillar(name: str) -> str:
    """An SDG pillar on a badge of the pillar's colour (templates/includes/pillar_badge.html)."""
    return (
        f'<span class="badge pillar-badge pillar-{{{{ row.{name} }}}}">'
        f"{{{{ row.get_{name}_display }}}}</span>"
    )


def link(path: str, to: str = "", anchor: str = "") -> str:
    """`path` (empty: the record as text) as a link to the page of the record, or of the
    related record `to`."""
    target = f"row.{to}.get_absolute_url" if to else "row.get_absolute_url"
    fragment = f"#{anchor}" if anchor else ""
    shown = f"row.{path}" if path else "row"
    return f'<a href="{{{{ {target} }}}}{fragment}">{{{{ {shown} }}}}</a>'


def note(path: str, test: str = "") -> str:
    """A small grey line under the cell's main value, when there is one (tested on `test`)."""
    condition = test or path
    return (
        f"{{% if row.{condition} %}}"
        f'<div class="small text-muted">{{{{ row.{path} }}}}</div>{{% endif %}}'
    )
