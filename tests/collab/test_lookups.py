"""Type-ahead choices of partners and programmes (collab/lookups.py).

Past `LOOKUP_INLINE_LIMIT` choices a select lists only the empty option and the chosen one and
names its JSON search; the search answers only with what the field itself would accept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collab import lookups
from programs.models import Attendance, Commitment, Signatory
from programs.services.program import grant_coordinator
from tests.conftest import PERSONAS
from tests.factories.agreements import AgreementFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory
from tests.i18n import in_indonesian
from tests.posted import posted_form

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def inline_limit(monkeypatch):
    """`inline_limit(2)`: selects with more than 2 choices turn into type-aheads."""

    def patch(limit: int) -> None:
        monkeypatch.setattr(lookups, "LOOKUP_INLINE_LIMIT", limit)

    return patch


@pytest.fixture
def directory(db):
    """Partners of the shared directory, in name order."""
    return [
        PartnerFactory(name="Badan Perencanaan Pembangunan Daerah", acronym="Bappeda"),
        PartnerFactory(name="Filantropi Indonesia", acronym="FI"),
        PartnerFactory(name="Universitas Bengkulu", acronym="UNIB"),
        PartnerFactory(name="Yayasan Bina Nusantara", acronym="YBN"),
        PartnerFactory(name="Yayasan Peduli Kota", acronym=""),
    ]


# --- reading the rendered selects ---------------------------------------------------------------


@dataclass
class Select:
    attrs: dict[str, str]
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, label, selected

    @property
    def values(self) -> list[str]:
        return [value for value, _label, _selected in self.options]

    @property
    def selected(self) -> list[str]:
        return [value for value, _label, selected in self.options if selected]


class _SelectReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, Select] = {}
        self.current: Select | None = None
        self.option: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "select":
            self.current = self.selects[attr["name"]] = Select(attr)
        elif tag == "option" and self.current is not None:
            self.option = [attr.get("value", ""), "", "selected" in attr]

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None and self.current is not None:
            self.current.options.append((self.option[0], self.option[1].strip(), self.option[2]))
            self.option = None
        elif tag == "select":
            self.current = None


def selects(response) -> dict[str, Select]:
    assert response.status_code == 200
    reader = _SelectReader()
    reader.feed(response.content.decode())
    return reader.selects


def lookup(client: Client, name: str, **params: str):
    return client.get(reverse(name), params)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- the endpoints: every persona ---------------------------------------------------------------

EVERY_PARTNER = "every partner"
# Persona → ids of the programme search for (view, coordinate); None: refused.
PROGRAMS_SEEN = {
    "viewer": (["program"], []),
    "coordinator": (["program"], ["program"]),
    "other_coordinator": (["other_program"], ["other_program"]),
    "staff": (["other_program", "program"], []),
    "admin": (["other_program", "program"], ["other_program", "program"]),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_partners_the_rights_give(persona, client_for, directory):
    url = reverse("collab:partner_lookup")

    response = client_for(persona).get(url, {"q": ""})

    if persona == "anonymous":
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("login")
        assert parse_qs(location.query)["next"] == [f"{url}?q="]
    elif persona == "no_rights":
        assert response.status_code == 403
    else:
        # The directory is shared by every programme: anybody with a right sees all of it.
        assert ids(response) == [partner.pk for partner in directory]


@pytest.mark.parametrize("action", ["view", "coordinate"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_programmes_the_rights_give(
    persona, action, client_for, program, other_program
):
    records = {"program": program, "other_program": other_program}
    url = reverse("collab:program_lookup")

    response = client_for(persona).get(url, {"q": "program", "action": action})

    if persona == "anonymous":
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("login")
    elif persona == "no_rights":
        assert response.status_code == 403
    else:
        view, coordinate = PROGRAMS_SEEN[persona]
        expected = view if action == "view" else coordinate
        # Ordered by name: "Program Ini" before "Program Lain".
        expected_ids = [records[key].pk for key in sorted(expected, key=lambda k: records[k].name)]
        assert ids(response) == expected_ids


def test_a_programme_search_without_an_action_is_a_view_search(client_for, program):
    assert ids(lookup(client_for("viewer"), "collab:program_lookup")) == [program.pk]


@pytest.mark.parametrize("action", ["export", "change", "delete", ""])
def test_an_unknown_action_is_refused_not_widened(action, client_for, program):
    response = lookup(client_for("admin"), "collab:program_lookup", action=action)

    assert response.status_code == 400
    assert response.json()["results"] == []


def test_the_partner_search_is_refused_to_other_methods(client_for):
    assert client_for("admin").post(reverse("collab:partner_lookup")).status_code == 405


# --- the endpoints: searching -------------------------------------------------------------------


def test_every_word_must_match_the_name_or_the_acronym(client_for, directory):
    client = client_for("coordinator")
    bappeda, fi, unib, ybn, peduli = directory

    assert ids(lookup(client, "collab:partner_lookup", q="yayasan")) == [ybn.pk, peduli.pk]
    assert ids(lookup(client, "collab:partner_lookup", q="YAYASAN kota")) == [peduli.pk]
    assert ids(lookup(client, "collab:partner_lookup", q="ybn")) == [ybn.pk]
    assert ids(lookup(client, "collab:partner_lookup", q="bappeda daerah")) == [bappeda.pk]
    assert ids(lookup(client, "collab:partner_lookup", q="yayasan unib")) == []


def test_a_result_reads_as_the_option_it_becomes(client_for, directory):
    response = lookup(client_for("coordinator"), "collab:partner_lookup", q="bina")

    assert response.json() == {
        "results": [{"id": directory[3].pk, "text": "Yayasan Bina Nusantara (YBN)"}],
        "more": False,
    }


def test_a_search_answers_with_at_most_20_in_name_order(client_for, db):
    partners = [PartnerFactory(name=f"Mitra Desa {index:02d}") for index in range(25, 0, -1)]

    data = lookup(client_for("coordinator"), "collab:partner_lookup", q="desa").json()

    expected = sorted(partners, key=lambda partner: partner.name)[:20]
    assert [row["id"] for row in data["results"]] == [partner.pk for partner in expected]
    assert data["more"] is True


def test_a_long_or_odd_search_is_answered_not_failed(client_for, directory):
    client = client_for("coordinator")

    for query in ("x" * 5000, "% _ \\ ' \"", " ".join(["a"] * 50), "\x00"):
        response = lookup(client, "collab:partner_lookup", q=query)
        assert response.status_code in (200, 400)
        assert response["Content-Type"] == "application/json"


def test_a_search_costs_the_same_queries_for_5_partners_as_for_50(client_for, db):
    client = client_for("coordinator")

    def queries() -> int:
        lookup(client, "collab:partner_lookup", q="mitra")  # warm-up
        with CaptureQueriesContext(connection) as captured:
            lookup(client, "collab:partner_lookup", q="mitra")
        return len(captured)

    for index in range(5):
        PartnerFactory(name=f"Mitra {index}")
    few = queries()
    for index in range(5, 50):
        PartnerFactory(name=f"Mitra {index}")
    assert queries() == few


# --- the list filters ---------------------------------------------------------------------------


def commitment_list(client: Client, **params: str):
    return client.get(reverse("programs:commitment_list"), params)


def test_below_the_limit_every_choice_renders_and_no_search_is_named(client_for, directory):
    found = selects(commitment_list(client_for("coordinator")))

    partner = found["partner"]
    assert partner.values == [""] + [str(p.pk) for p in directory]
    assert "data-lookup-url" not in partner.attrs
    assert "data-lookup-url" not in found["program"].attrs


def test_past_the_limit_the_filter_lists_only_the_chosen_partner(
    client_for, program, directory, inline_limit
):
    inline_limit(2)
    chosen = directory[3]
    CommitmentFactory(program=program, partner=chosen, title="Pelatihan kader")
    CommitmentFactory(program=program, partner=directory[0], title="Data dasar kelurahan")

    response = commitment_list(client_for("coordinator"), partner=str(chosen.pk))

    partner = selects(response)["partner"]
    assert partner.values == ["", str(chosen.pk)]
    assert partner.selected == [str(chosen.pk)]
    assert partner.attrs["data-lookup-url"] == reverse("collab:partner_lookup")
    assert partner.attrs["data-lookup-placeholder"] == in_indonesian("Type to search…")
    assert "form-select" in partner.attrs["class"]
    # The chosen partner beyond the inline choices still filters the list.
    content = response.content.decode()
    assert "Pelatihan kader" in content
    assert "Data dasar kelurahan" not in content


def test_past_the_limit_nothing_chosen_lists_only_the_empty_option(
    client_for, directory, inline_limit
):
    inline_limit(2)

    partner = selects(commitment_list(client_for("coordinator")))["partner"]

    assert partner.values == [""]
    assert "data-lookup-url" in partner.attrs


def test_the_programme_filter_names_the_programme_search(
    client_for, users, program, other_program, inline_limit
):
    inline_limit(1)

    found = selects(commitment_list(client_for("admin"), program=str(other_program.pk)))

    assert found["program"].values == ["", str(other_program.pk)]
    assert found["program"].attrs["data-lookup-url"] == reverse("collab:program_lookup")


@pytest.mark.parametrize("limit", [1, 100])
def test_a_programme_outside_the_rights_is_refused_and_not_named(
    limit, client_for, program, other_program, inline_limit
):
    inline_limit(limit)

    response = commitment_list(client_for("coordinator"), program=str(other_program.pk))

    program_select = selects(response)["program"]
    assert str(other_program.pk) not in program_select.values
    assert program_select.selected == []
    content = response.content.decode()
    assert in_indonesian(INVALID_CHOICE) in content
    assert other_program.name not in content


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "1.5"])
def test_a_malformed_choice_is_an_error_beside_the_field(
    value, client_for, directory, inline_limit
):
    inline_limit(2)

    response = commitment_list(client_for("coordinator"), partner=value)

    assert selects(response)["partner"].values == [""]
    assert in_indonesian(INVALID_CHOICE) in response.content.decode()


@pytest.mark.parametrize(
    "name, params",
    [
        ("programs:meeting_list", {"program": "program", "partner": "partner"}),
        ("programs:agreement_list", {"program": "program", "partner": "partner"}),
        ("programs:actionitem_list", {"program": "program", "responsible": "partner"}),
        ("programs:site_list", {"program": "program"}),
        ("partners:partner_list", {"program": "program"}),
    ],
)
def test_every_list_filter_of_partners_or_programmes_is_a_type_ahead(
    name, params, client_for, program, directory, inline_limit
):
    inline_limit(0)
    values = {"program": program, "partner": directory[2]}

    response = client_for("coordinator").get(
        reverse(name), {key: values[kind].pk for key, kind in params.items()}
    )

    found = selects(response)
    for key, kind in params.items():
        assert found[key].values == ["", str(values[kind].pk)], key
        assert found[key].attrs["data-lookup-url"] == reverse(f"collab:{kind}_lookup")


def commitments_page_queries(client: Client, **params: str) -> int:
    commitment_list(client, **params)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert commitment_list(client, **params).status_code == 200
    return len(queries)


def add_choices(users, count: int) -> None:
    """`count` partners and programmes (coordinated by the coordinator) in all."""
    from partners.models import Partner
    from programs.models import Program

    for index in range(Partner.objects.count(), count):
        PartnerFactory(name=f"Mitra Skala {index:03d}")
    for _index in range(Program.objects.count(), count):
        grant_coordinator(program=ProgramFactory(), user=users["coordinator"])


@pytest.mark.parametrize("limit", [100, 10])
@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_the_commitment_list_costs_the_same_for_3_choices_as_for_30(
    persona, limit, client_for, users, inline_limit
):
    """With the default limit 3 and 30 choices both render inline; with 10, 30 are past it."""
    inline_limit(limit)
    client = client_for(persona)
    add_choices(users, 3)
    few = commitments_page_queries(client)
    add_choices(users, 30)
    assert commitments_page_queries(client) == few


@pytest.mark.parametrize("limit", [100, 1])
def test_the_commitment_list_with_a_choice_costs_the_same_for_3_choices_as_for_30(
    limit, client_for, users, program, inline_limit
):
    """With limit 1 both pages are past it: the chosen partner and programme cost one query
    each, however many there are."""
    inline_limit(limit)
    client = client_for("coordinator")
    add_choices(users, 3)
    partner = PartnerFactory(name="Mitra Terpilih")
    params = {"partner": str(partner.pk), "program": str(program.pk)}
    few = commitments_page_queries(client, **params)
    add_choices(users, 30)
    assert commitments_page_queries(client, **params) == few


# --- the record forms ---------------------------------------------------------------------------


def test_past_the_limit_the_commitment_form_lists_only_the_recorded_partner(
    client_for, users, program, directory, inline_limit
):
    inline_limit(2)
    for _index in range(2):
        grant_coordinator(program=ProgramFactory(), user=users["coordinator"])
    commitment = CommitmentFactory(program=program, partner=directory[4])

    response = client_for("coordinator").get(
        reverse("programs:commitment_edit", args=[commitment.pk])
    )

    found = selects(response)
    assert found["partner"].values == ["", str(directory[4].pk)]
    assert found["partner"].selected == [str(directory[4].pk)]
    assert found["partner"].attrs["data-lookup-url"] == reverse("collab:partner_lookup")
    assert "required" in found["partner"].attrs
    # The programme choice is narrower than what the user sees: the search says so, and
    # checks it again (test_each_persona_gets_the_programmes_the_rights_give).
    assert found["program"].attrs["data-lookup-url"] == (
        reverse("collab:program_lookup") + "?action=coordinate"
    )


def test_below_the_limit_the_commitment_form_lists_every_partner(client_for, program, directory):
    response = client_for("coordinator").get(
        reverse("programs:commitment_create", args=[program.slug])
    )

    partner = selects(response)["partner"]
    assert partner.values == [""] + [str(p.pk) for p in directory]
    assert "data-lookup-url" not in partner.attrs


def test_past_the_limit_a_partner_not_listed_is_still_accepted(
    client_for, program, directory, inline_limit
):
    inline_limit(2)
    url = reverse("programs:commitment_create", args=[program.slug])
    client = client_for("coordinator")
    data = posted_form(client.get(url), url)
    data.update(partner=str(directory[4].pk), title="Dana pelatihan", kind="funding")

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Commitment.objects.get(title="Dana pelatihan").partner == directory[4]


@pytest.mark.parametrize("limit", [1, 100])
def test_a_programme_the_user_does_not_coordinate_is_refused_in_indonesian(
    limit, client_for, program, other_program, inline_limit
):
    inline_limit(limit)
    commitment = CommitmentFactory(program=program, title="Komitmen lama")
    url = reverse("programs:commitment_edit", args=[commitment.pk])
    client = client_for("coordinator")
    data = posted_form(client.get(url), url)
    data["program"] = str(other_program.pk)

    response = client.post(url, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert in_indonesian(INVALID_CHOICE) in content
    assert other_program.name not in content
    commitment.refresh_from_db()
    assert commitment.program == program


def test_a_partner_that_does_not_exist_is_refused_in_indonesian(
    client_for, program, directory, inline_limit
):
    inline_limit(2)
    url = reverse("programs:commitment_create", args=[program.slug])
    client = client_for("coordinator")
    data = posted_form(client.get(url), url)
    data.update(partner="999999", title="Dana pelatihan", kind="funding")

    response = client.post(url, data)

    assert response.status_code == 200
    assert in_indonesian(INVALID_CHOICE) in response.content.decode()
    assert selects(response)["partner"].values == [""]
    assert not Commitment.objects.filter(title="Dana pelatihan").exists()


# --- formset rows: the meeting and agreement pages ----------------------------------------------


@pytest.fixture
def meeting(program, directory):
    meeting = MeetingFactory(program=program, title="Rapat koordinasi")
    for partner in directory[3:]:
        AttendanceFactory(meeting=meeting, partner=partner)
    return meeting


def test_past_the_limit_each_meeting_row_lists_only_its_own_partner(
    client_for, meeting, directory, inline_limit
):
    inline_limit(2)

    response = client_for("coordinator").get(reverse("programs:meeting_edit", args=[meeting.pk]))

    found = selects(response)
    for index, partner in enumerate(directory[3:]):
        row = found[f"attendances-{index}-partner"]
        assert row.values == ["", str(partner.pk)]
        assert row.selected == [str(partner.pk)]
        assert row.attrs["data-lookup-url"] == reverse("collab:partner_lookup")
    # The row "add a row" copies, and the other partner columns.
    assert found["attendances-__prefix__-partner"].values == [""]
    assert "data-lookup-url" in found["attendances-__prefix__-partner"].attrs
    assert "data-lookup-url" in found["action_items-__prefix__-responsible"].attrs
    assert "data-lookup-url" in found["commitments-__prefix__-partner"].attrs


@pytest.mark.parametrize("limit", [100, 2])
def test_the_meeting_page_costs_the_same_for_2_rows_as_for_10(
    limit, client_for, program, directory, inline_limit
):
    """Past the limit (2 < 5 partners) every row's partner is found in one query."""
    inline_limit(limit)
    client = client_for("coordinator")

    def queries_for(rows: int) -> int:
        meeting = MeetingFactory(program=program)
        for _index in range(rows):
            AttendanceFactory(meeting=meeting)
        url = reverse("programs:meeting_edit", args=[meeting.pk])
        client.get(url)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(10)


def test_past_the_limit_a_row_takes_a_partner_not_listed_and_refuses_an_unknown_one(
    client_for, meeting, directory, inline_limit
):
    inline_limit(2)
    url = reverse("programs:meeting_edit", args=[meeting.pk])
    client = client_for("coordinator")
    data = posted_form(client.get(url), url)
    data.update(
        {
            "attendances-TOTAL_FORMS": "3",
            "attendances-2-partner": "999999",
            "attendances-2-role": "Peserta",
        }
    )

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert in_indonesian(INVALID_CHOICE) in refused.content.decode()
    # The rows keep their chosen partners when the page comes back with the error.
    found = selects(refused)
    assert found["attendances-0-partner"].selected == [str(directory[3].pk)]
    assert found["attendances-2-partner"].values == [""]

    data["attendances-2-partner"] = str(directory[2].pk)
    assert client.post(url, data).status_code == 302
    assert set(Attendance.objects.filter(meeting=meeting).values_list("partner", flat=True)) == {
        directory[2].pk,
        directory[3].pk,
        directory[4].pk,
    }


def test_past_the_limit_a_signatory_takes_a_partner_not_listed(
    client_for, program, directory, inline_limit
):
    inline_limit(2)
    agreement = AgreementFactory(program=program, number="NK/01")
    url = reverse("programs:agreement_edit", args=[agreement.pk])
    client = client_for("coordinator")
    page = client.get(url)
    assert "data-lookup-url" in selects(page)["signatories-__prefix__-partner"].attrs
    data = posted_form(page, url)
    data.update(
        {
            "signatories-TOTAL_FORMS": "2",
            "signatories-0-partner": str(directory[4].pk),
            "signatories-0-signer_name": "Helmi Hasan",
            "signatories-1-partner": "999999",
            "signatories-1-signer_name": "Orang Lain",
        }
    )

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert in_indonesian(INVALID_CHOICE) in refused.content.decode()
    assert selects(refused)["signatories-0-partner"].values == ["", str(directory[4].pk)]

    data["signatories-TOTAL_FORMS"] = "1"
    assert client.post(url, data).status_code == 302
    assert Signatory.objects.get(agreement=agreement).partner == directory[4]
