"""Every list and detail page runs as many queries for 20 rows as for 2 (STYLE rule 13).

Each page is fetched once to warm Django's caches (content types, translations), then counted
with 2 rows, then with 20. The rows carry the related rows the page shows, each with its own
partner, site, region…, so a relation read per row would add queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collab.models import Region
from partners.models import Pillar
from programs.models import Program, ProgramPartner
from programs.services.program import grant_coordinator
from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory
from tests.factories.lookups import RegionFactory, SdgGoalFactory, UserFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import ContactFactory, PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 20
PERSONAS = ("coordinator", "staff")
PILLARS = list(Pillar)


def region(index: int) -> Region:
    """A village three levels below a province, with a code of its own."""
    province = RegionFactory(code="99", name="Provinsi Uji", level="province", kind="provinsi")
    regency = RegionFactory(
        code=f"99.{index:02d}",
        name=f"Kota Uji {index}",
        level="regency",
        kind="kota",
        parent=province,
    )
    return RegionFactory(
        code=f"99.{index:02d}.01.1001",
        name=f"Kelurahan Uji {index}",
        level="village",
        kind="kelurahan",
        parent=regency,
    )


def partner(index: int):
    """A partner with its own region and parent organisation, from one of the four pillars."""
    return PartnerFactory(
        pillar=PILLARS[index % len(PILLARS)],
        region=region(index),
        parent=PartnerFactory(name=f"Induk {index}"),
    )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def assert_constant(client: Client, url: str, add: Callable[[int], object]) -> tuple[int, int]:
    """Queries for FEW rows == queries for MANY rows; `add(index)` adds the index-th row."""
    for index in range(FEW):
        add(index)
    client.get(url)  # warm-up
    few = count_queries(client, url)
    for index in range(FEW, MANY):
        add(index)
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries for {FEW} rows, {many} for {MANY}"
    return few, many


@pytest.fixture
def signed_in(users):
    def make(persona: str) -> Client:
        client = Client()
        client.force_login(users[persona])
        return client

    return make


# --- list pages: the listed model, one row at a time -------------------------------------------


def program_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        row = ProgramFactory(name=f"Program Daftar {index}", slug=f"program-daftar-{index}")
        row.sdg_goals.add(SdgGoalFactory(number=index % 17 + 1), SdgGoalFactory(number=1))
        grant_coordinator(program=row, user=users["coordinator"])
        return row

    return add


def meeting_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        meeting = MeetingFactory(program=program, venue=f"Balai Kota {index}")
        AttendanceFactory(meeting=meeting, partner=partner(index))
        AttendanceFactory(meeting=meeting, partner=PartnerFactory())
        DecisionFactory(meeting=meeting, number=1)
        return meeting

    return add


def commitment_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        return CommitmentFactory(
            program=program,
            partner=partner(index),
            site=SiteFactory(program=program, region=region(index)),
            meeting=MeetingFactory(program=program),
            agreement=AgreementFactory(program=program),
            amount=1_500_000,
            due_on=datetime.date(2024, 6, 30),
        )

    return add


def agreement_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        agreement = AgreementFactory(
            program=program, meeting=MeetingFactory(program=program), number=f"NK/{index}"
        )
        SignatoryFactory(agreement=agreement, partner=partner(index))
        SignatoryFactory(agreement=agreement, partner=None)
        ClauseFactory(agreement=agreement)
        return agreement

    return add


def actionitem_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        return ActionItemFactory(
            program=program, meeting=MeetingFactory(program=program), responsible=partner(index)
        )

    return add


def site_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        return SiteFactory(program=program, region=region(index))

    return add


def partner_row(program: Program, users) -> Callable[[int], object]:
    def add(index: int) -> object:
        row = partner(index)
        ProgramPartnerFactory(program=program, partner=row)
        return row

    return add


LISTS = {
    "programs:program_list": program_row,
    "programs:meeting_list": meeting_row,
    "programs:commitment_list": commitment_row,
    "programs:agreement_list": agreement_row,
    "programs:actionitem_list": actionitem_row,
    "programs:site_list": site_row,
    "partners:partner_list": partner_row,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_page_costs_the_same_for_2_rows_as_for_20(name, persona, program, users, signed_in):
    assert_constant(signed_in(persona), reverse(name), LISTS[name](program, users))


# The commitment list as the coordinator, query by query (SQLite and PostgreSQL alike):
#  1. the session (SessionMiddleware)
#  2. the signed-in user (AuthenticationMiddleware)
#  3. the user's own model permissions   } has_global_right: is the user staff or admin?
#  4. the user's groups' model permissions } (then cached on the user for the request)
#  5. does the user hold `view` on any programme (RightsMixin.dispatch → has_any_right)
#  6. may the user read the partner directory (restrict(Partner) for the "partner" filter)
#  7. the number of rows: the sum of the user's programmes' commitment tallies (unfiltered, or
#     by programme and status only; CommitmentListView.known_count)
#  8. does the user coordinate any programme (can_coordinate: the "add" buttons)
#  9. the programmes of the "programme" filter (visible_programs)
# 10. the partners of the "partner" filter (visible_partners)
# 11. the SDG goals of the "SDG goal" filter
# 12. the page of commitments, joined to programme, partner and site
# (No session write: it is renewed at most once a minute, collab.middleware.)
COMMITMENT_LIST_QUERIES = 12


def test_the_commitment_list_runs_the_queries_listed_above(program, users, signed_in):
    client = signed_in("coordinator")
    add = commitment_row(program, users)
    for index in range(MANY):
        add(index)
    client.get(reverse("programs:commitment_list"))  # warm-up

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programs:commitment_list"))

    assert response.status_code == 200
    assert len(queries) == COMMITMENT_LIST_QUERIES, "\n".join(q["sql"] for q in queries)


# --- detail pages: one record, 2 or 20 related rows of each kind it shows ----------------------


def program_page(program: Program, users) -> tuple[str, Callable[[int], object]]:
    def add(index: int) -> object:
        member = partner(index)
        ProgramPartnerFactory(program=program, partner=member, role=ProgramPartner.Role.MEMBER)
        site = SiteFactory(program=program, region=region(index))
        meeting = MeetingFactory(program=program)
        CommitmentFactory(program=program, partner=member, site=site, meeting=meeting)
        AgreementFactory(program=program, meeting=meeting)
        ActionItemFactory(program=program, meeting=meeting, responsible=member)
        return IndicatorFactory(program=program)

    return reverse("programs:program_detail", args=[program.slug]), add


def meeting_page(program: Program, users) -> tuple[str, Callable[[int], object]]:
    meeting = MeetingFactory(program=program)

    def add(index: int) -> object:
        attendee = partner(index)
        AttendanceFactory(
            meeting=meeting, partner=attendee, contact=ContactFactory(partner=attendee)
        )
        DecisionFactory(meeting=meeting, number=index + 1)
        ActionItemFactory(program=program, meeting=meeting, responsible=attendee)
        AgreementFactory(program=program, meeting=meeting)
        site = SiteFactory(program=program, region=region(index))
        return CommitmentFactory(program=program, partner=attendee, meeting=meeting, site=site)

    return reverse("programs:meeting_detail", args=[meeting.pk]), add


def commitment_page(program: Program, users) -> tuple[str, Callable[[int], object]]:
    commitment = CommitmentFactory(
        program=program,
        partner=partner(99),
        site=SiteFactory(program=program, region=region(99)),
        meeting=MeetingFactory(program=program),
        agreement=AgreementFactory(program=program),
    )

    def add(index: int) -> object:
        return CommitmentUpdateFactory(
            commitment=commitment, created_by=UserFactory(username=f"pencatat-{index}")
        )

    return reverse("programs:commitment_detail", args=[commitment.pk]), add


def agreement_page(program: Program, users, view: str) -> tuple[str, Callable[[int], object]]:
    agreement = AgreementFactory(program=program, meeting=MeetingFactory(program=program))

    def add(index: int) -> object:
        signer = partner(index)
        SignatoryFactory(agreement=agreement, partner=signer, order=index)
        section = ClauseFactory(agreement=agreement, order=2 * index + 1, number=f"Pasal {index}")
        ClauseFactory(agreement=agreement, parent=section, order=2 * index + 2, number="(1)")
        return CommitmentFactory(program=program, partner=signer, agreement=agreement)

    return reverse(view, args=[agreement.pk]), add


def partner_page(program: Program, users) -> tuple[str, Callable[[int], object]]:
    subject = partner(99)
    ContactFactory(partner=subject)

    def add(index: int) -> object:
        # Each membership in a programme of its own that the coordinator may see.
        elsewhere = ProgramFactory(name=f"Program Mitra {index}", slug=f"program-mitra-{index}")
        grant_coordinator(program=elsewhere, user=users["coordinator"])
        ProgramPartnerFactory(program=elsewhere, partner=subject)
        CommitmentFactory(program=elsewhere, partner=subject)
        return SignatoryFactory(agreement=AgreementFactory(program=elsewhere), partner=subject)

    return reverse("partners:partner_detail", args=[subject.pk]), add


def site_page(program: Program, users) -> tuple[str, Callable[[int], object]]:
    site = SiteFactory(program=program, region=region(99))

    def add(index: int) -> object:
        return CommitmentFactory(program=program, partner=partner(index), site=site)

    return reverse("programs:site_detail", args=[site.pk]), add


DETAILS = {
    "programme page": program_page,
    "meeting page": meeting_page,
    "commitment page": commitment_page,
    "agreement page": lambda program, users: agreement_page(
        program, users, "programs:agreement_detail"
    ),
    "printable agreement": lambda program, users: agreement_page(
        program, users, "programs:agreement_print"
    ),
    "partner page": partner_page,
    "site page": site_page,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(DETAILS))
def test_a_detail_page_costs_the_same_for_2_related_rows_as_for_20(
    page, persona, program, users, signed_in
):
    url, add = DETAILS[page](program, users)
    assert_constant(signed_in(persona), url, add)


def test_the_related_rows_really_are_on_the_page(program, users, signed_in):
    """The counts above mean something only if the page shows the rows it was given."""
    url, add = meeting_page(program, users)
    attendees = [add(index).partner for index in range(MANY)]

    page = signed_in("coordinator").get(url).content.decode()

    assert all(attendee.name in page for attendee in attendees)
