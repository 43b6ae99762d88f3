"""The generic view test case (STYLE rule 12), after NetBox's `utilities/testing/views.py`.

Each listed model declares what its pages need, and inherits the tests of each page it has:

    @pytest.mark.personas_once
    class TestCommitmentViews(ListTests, DetailTests, CreateTests, EditTests):
        model = Commitment

        def make(self, program, text):          # one row of `program` whose pages show `text`
            return CommitmentFactory(program=program, title=text)

        def create_data(self, mine):            # what the coordinator types into the new form
            return {"partner": str(mine.partner_id), "title": "Komitmen baru", …}

        edit_data = {"title": "Komitmen (revisi)"}

URL names follow `<app>:<model>_<action>` (STYLE rule 11). The tests read the pages through the
test client as each persona of tests/conftest.py, so they hold whatever the views are built
from. Two rows are built once per class (tests/once.py): `mine` in the personas' `program`,
`theirs` in `other_program`; each test rolls back what it changed. A view that does not read
through the permission chokepoint (`collab.permissions.restrict`) shows `theirs` to the
coordinator of `program`, or opens it, and fails here.
"""

from __future__ import annotations

import csv
import io
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Program
from tests.conftest import PERSONAS
from tests.posted import posted_form
from tests.rights import FORM, LIST, OUTSIDERS

# The status of a GET per persona (LIST, FORM) is in tests/rights.py.
# Which of the two rows each persona may read.
SEES = {
    "anonymous": set(),
    "no_rights": set(),
    "viewer": {"mine"},
    "coordinator": {"mine"},
    "other_coordinator": {"theirs"},
    "staff": {"mine", "theirs"},
    "admin": {"mine", "theirs"},
}
# A directory (partners) is read whole by anybody with a right on some programme.
SEES_DIRECTORY = {
    persona: {"mine", "theirs"} if LIST[persona] == 200 else set() for persona in PERSONAS
}
FEW, MANY = 2, 20


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]


def content_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


class ViewTestCase:
    """What every generic test needs: the model, its URL names, its two rows, the personas."""

    app: ClassVar[str] = "programs"
    model: ClassVar[type[Model]]
    # The attribute each page shows for a row (its title, its name).
    label: ClassVar[str] = "title"
    # Whose rows a persona reads: by programme, or a shared directory.
    sees: ClassVar[dict[str, set[str]]] = SEES

    def make(self, program: Program, text: str) -> Model:
        """One row of `program` whose pages show `text` (a new one each call)."""
        raise NotImplementedError

    def url_name(self, action: str) -> str:
        return f"{self.app}:{self.model._meta.model_name}_{action}"

    def url(self, action: str, row: Model | None = None) -> str:
        if row is None:
            return reverse(self.url_name(action))
        if isinstance(row, Program):
            return reverse(self.url_name(action), kwargs={"slug": row.slug})
        return reverse(self.url_name(action), kwargs={"pk": row.pk})

    def shown(self, row: Model) -> str:
        return str(getattr(row, self.label))

    @pytest.fixture(scope="class")
    @classmethod
    def _rows(cls, class_db, personas_once) -> tuple[int, int]:
        self = cls()
        with class_db.unblock():
            programs = Program.objects.in_bulk([personas_once.program, personas_once.other_program])
            mine = self.make(programs[personas_once.program], "Baris milik program ini")
            theirs = self.make(programs[personas_once.other_program], "Baris program lain")
            return mine.pk, theirs.pk

    @pytest.fixture
    def mine(self, db, _rows) -> Model:
        return self.model._default_manager.get(pk=_rows[0])

    @pytest.fixture
    def theirs(self, db, _rows) -> Model:
        return self.model._default_manager.get(pk=_rows[1])

    @pytest.fixture
    def as_persona(self, client_for):
        """`as_persona("viewer")`: that persona's client, arriving from the dashboard."""

        def make(persona: str) -> Client:
            client = client_for(persona)
            client.defaults["HTTP_REFERER"] = "http://testserver/"
            return client

        return make


class ListTests(ViewTestCase):
    """The list page and its export: each persona gets its status and exactly its rows."""

    export_statuses: ClassVar[dict[str, int]] = LIST

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_the_list_shows_the_rows_the_persona_may_see(self, persona, as_persona, mine, theirs):
        url = self.url("list")
        response = as_persona(persona).get(url)

        if LIST[persona] == 302:
            assert_sent_to_login(response, url)
            return
        assert response.status_code == LIST[persona]
        if response.status_code == 200:
            page = response.content.decode()
            for key, row in (("mine", mine), ("theirs", theirs)):
                may = key in self.sees[persona]
                assert (self.shown(row) in page) == may, (
                    f"{persona} {'misses' if may else 'sees'} {self.shown(row)!r} on {url}"
                )

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_the_export_holds_the_rows_the_persona_may_see(self, persona, as_persona, mine, theirs):
        url = self.url("list")
        response = as_persona(persona).get(url, {"export": "csv"})

        expected = self.export_statuses[persona]
        if expected == 302:
            assert_sent_to_login(response, f"{url}?export=csv")
            return
        assert response.status_code == expected
        if expected == 200:
            assert response["Content-Type"].startswith("text/csv")
            rows = list(csv.reader(io.StringIO(content_of(response))))
            cells = {cell for row in rows[1:] for cell in row}
            for key, row in (("mine", mine), ("theirs", theirs)):
                may = key in self.sees[persona]
                assert (self.shown(row) in cells) == may, (
                    f"{persona} {'misses' if may else 'gets'} {self.shown(row)!r} in the export"
                )

    @pytest.mark.parametrize("persona", ["coordinator", "staff"])
    def test_the_list_runs_as_many_queries_for_20_rows_as_for_2(self, persona, client_for, program):
        client = client_for(persona)
        url = self.url("list")
        counts = []
        made = 0
        for rows in (FEW, MANY):
            while made < rows:
                self.make(program, f"Baris hitung {made}")
                made += 1
            client.get(url)  # warm-up: content types, translations, the session
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (
            f"{url}: {counts[0]} queries for {FEW}, {counts[1]} for {MANY}"
        )


class DetailTests(ViewTestCase):
    """The record's page: readable by who may read its programme, a 404 for anybody else."""

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_the_page_opens_for_who_may_see_the_record(self, persona, as_persona, mine, theirs):
        for key, row in (("mine", mine), ("theirs", theirs)):
            url = self.url("detail", row)
            response = as_persona(persona).get(url)

            if LIST[persona] == 302:
                assert_sent_to_login(response, url)
            elif LIST[persona] == 403:
                assert response.status_code == 403
            elif key in self.sees[persona]:
                assert response.status_code == 200, (persona, key)
                assert self.shown(row) in response.content.decode()
            else:
                assert response.status_code == 404, (
                    f"{persona} opens {self.shown(row)!r} (outside their rights): "
                    f"{response.status_code}, not 404"
                )


class _FormTests(ViewTestCase):
    """Shared by the create and edit pages: the coordinator saves, nobody else changes a thing."""

    action: ClassVar[str]

    def form_url(self, mine: Model) -> str:
        raise NotImplementedError

    def changes(self, mine: Model) -> dict[str, Any]:
        raise NotImplementedError

    def saved(self, mine: Model, changes: dict[str, Any]) -> bool:
        """Whether the coordinator's post is in the database (the label field as typed)."""
        raise NotImplementedError

    def posted(self, client: Client, mine: Model) -> dict[str, Any]:
        url = self.form_url(mine)
        response = client.get(url)
        assert response.status_code == 200
        data = posted_form(response, url)
        for field, value in self.changes(mine).items():
            assert field in data, f"the form at {url} has no field {field!r}"
            data[field] = value
        return data

    def rows(self) -> list[tuple]:
        return list(self.model._default_manager.order_by("pk").values_list())

    def test_the_coordinator_saves_the_form(self, as_persona, mine):
        coordinator = as_persona("coordinator")
        data = self.posted(coordinator, mine)

        response = coordinator.post(self.form_url(mine), data)

        assert response.status_code == 302, response.context and response.context["form"].errors
        assert self.saved(mine, self.changes(mine))

    @pytest.mark.parametrize("persona", OUTSIDERS)
    def test_a_persona_without_the_right_changes_nothing(self, persona, as_persona, mine):
        data = self.posted(as_persona("coordinator"), mine)
        url = self.form_url(mine)
        before = self.rows()

        response = as_persona(persona).post(url, data)

        if persona == "anonymous":
            assert_sent_to_login(response, url)
        else:
            assert response.status_code == FORM[persona]
        assert self.rows() == before


class CreateTests(_FormTests):
    """The create page of a programme's record (`programs/<slug>/…/new/`), or of a record's child
    (`…/<pk>/…/new/`: set `parent`, the attribute of the row that the page belongs to)."""

    parent: ClassVar[str | None] = None

    def create_data(self, mine: Model) -> dict[str, Any]:
        raise NotImplementedError

    def changes(self, mine: Model) -> dict[str, Any]:
        return self.create_data(mine)

    def form_url(self, mine: Model) -> str:
        owner = getattr(mine, self.parent) if self.parent else mine.program
        return self.url("create", owner)

    def saved(self, mine: Model, changes: dict[str, Any]) -> bool:
        created = self.model._default_manager.exclude(pk=mine.pk).order_by("pk").last()
        return created is not None and self.shown(created) == str(changes[self.label])


class EditTests(_FormTests):
    """The edit page: the coordinator changes the label field; nobody else changes a thing."""

    edit_data: ClassVar[dict[str, Any]]

    def changes(self, mine: Model) -> dict[str, Any]:
        return self.edit_data

    def form_url(self, mine: Model) -> str:
        return self.url("edit", mine)

    def saved(self, mine: Model, changes: dict[str, Any]) -> bool:
        mine.refresh_from_db()
        return self.shown(mine) == str(changes[self.label])
