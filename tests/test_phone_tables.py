"""Every table of the pages stacks on a phone (docs/phones.md): a Bootstrap `.table` in the
project's templates is a `.table-stack` whose cells carry their column's heading (`data-label`).
The list pages' tables are compiled from their column specs (tests/collab/test_columns.py); this
checks the hand-written ones, so a new table cannot widen a phone's page unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TABLE = re.compile(r'<table class="(?P<classes>[^"]*)">(?P<body>.*?)</table>', re.S)
# A matrix of download links, one per dataset and format: a few short cells that fit 360 px.
NOT_STACKED = {"programs/public/data_index.html"}


def tables() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for number, match in enumerate(TABLE.finditer(path.read_text())):
            if "table" in match["classes"].split():
                found.append((name, number, match["classes"], match["body"]))
    return found


TABLES = [table for table in tables() if table[0] not in NOT_STACKED]


def test_the_record_pages_tables_are_found():
    names = {name for name, *_ in TABLES}
    assert {
        "collab/list.html",
        "programs/program_detail.html",
        "programs/meeting_detail.html",
        "programs/agreement_detail.html",
        "programs/public/program_detail.html",
    } <= names
    assert len(TABLES) >= 15
    assert all((TEMPLATES / name).exists() for name in NOT_STACKED)


@pytest.mark.parametrize(
    ("name", "number", "classes", "body"), TABLES, ids=[f"{t[0]}#{t[1]}" for t in TABLES]
)
def test_every_table_stacks_with_labelled_cells(name, number, classes, body):
    assert "table-stack" in classes.split()
    cells = re.findall(r"<td\b[^>]*>", body.split("</thead>")[-1])
    if name == "collab/list.html":  # its cells are compiled from the column spec
        assert cells == []
        return
    assert cells
    assert [cell for cell in cells if "data-label=" not in cell] == []
