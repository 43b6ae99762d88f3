"""The SDG view: who contributes to which goal and target, within the user's rights."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from collab.models import Region, SdgIndicator, SdgTarget
from programs.services.program import grant_viewer
from tests.conftest import PERSONAS
from tests.factories.commitments import CommitmentFactory
from tests.factories.indicators import IndicatorFactory
from tests.factories.lookups import RegionFactory, SdgGoalFactory
from tests.factories.program import ProgramFactory, SiteFactory

URL = reverse("sdg_overview")


@pytest.fixture
def sdg(db):
    """Goals 1 and 11, three targets and SDG 11.1.1; reused when the reference data is loaded."""
    goal_1 = SdgGoalFactory(number=1, title_en="End poverty")
    goal_11 = SdgGoalFactory(number=11)

    def target(goal, code: str, order: int) -> SdgTarget:
        # One look-up per target, not an N+1 (zeal would name this line three times).
        with zeal_ignore([{"model": "collab.SdgTarget", "field": "get()"}]):
            found, _ = SdgTarget.objects.get_or_create(
                code=code, defaults={"goal": goal, "order": order, "title_en": code}
            )
        return found

    targets = {
        "1.2": target(goal_1, "1.2", 2),
        "11.1": target(goal_11, "11.1", 101),
        "11.3": target(goal_11, "11.3", 103),
    }
    slum_share, _ = SdgIndicator.objects.get_or_create(
        code="11.1.1",
        defaults={"target": targets["11.1"], "order": 1, "title_en": "Urban population in slums"},
    )
    return {"1": goal_1, "11": goal_11, **targets, "11.1.1": slum_share}


def province(code: str) -> Region:
    return RegionFactory(code=code, name=f"Provinsi {code}")


def regency(code: str) -> Region:
    return RegionFactory(
        code=code, name=f"Kota {code}", level=Region.Level.REGENCY, kind=Region.Kind.KOTA
    )


@pytest.fixture
def contributions(sdg, program, other_program, users):
    """Three programmes; the viewer sees `program` and `third`, never `other_program`.

    - `program` (province 91, through a regency site): goal 11 and target 11.3, 3 commitments,
      one indicator on SDG 11.1.1 and one free indicator;
    - `third` (province 92, a site at province level): target 1.2, 2 commitments, one indicator
      on SDG 11.1.1;
    - `other_program` (province 92): goals 1 and 11, 5 commitments, one indicator.
    """
    province("91"), province("92")
    SiteFactory(program=program, region=regency("91.71"))
    program.sdg_goals.add(sdg["11"])
    program.sdg_targets.add(sdg["11.3"])
    for _ in range(3):
        CommitmentFactory(program=program)
    IndicatorFactory(program=program, sdg_indicator=sdg["11.1.1"])
    IndicatorFactory(program=program)

    third = ProgramFactory(name="Program Tiga", slug="program-tiga")
    grant_viewer(program=third, user=users["viewer"])
    SiteFactory(program=third, region=Region.objects.get(code="92"))
    third.sdg_targets.add(sdg["1.2"])
    for _ in range(2):
        CommitmentFactory(program=third)
    IndicatorFactory(program=third, sdg_indicator=sdg["11.1.1"])

    SiteFactory(program=other_program, region=regency("92.01"))
    other_program.sdg_goals.add(sdg["1"], sdg["11"])
    for _ in range(5):
        CommitmentFactory(program=other_program)
    IndicatorFactory(program=other_program)
    return {"program": program, "third": third, "other": other_program}


def table(response) -> dict[str, tuple[list[str], int, int]]:
    """Goal and target codes → (programme names, commitments, indicators)."""
    rows = {}
    for goal in response.context["overview"].goals:
        rows[goal.goal.code] = summary(goal.contribution)
        for target in goal.targets:
            rows[target.target.code] = summary(target.contribution)
    return rows


def summary(contribution) -> tuple[list[str], int, int]:
    names = [ref.name for ref in contribution.programs]
    return names, contribution.commitments, contribution.indicators


STATUSES = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302, "no_rights": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_status_the_rights_give(persona, client_for):
    response = client_for(persona).get(URL)

    assert response.status_code == STATUSES[persona]
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_goals_and_targets_count_what_the_viewer_may_see(contributions, client_for):
    response = client_for("viewer").get(URL)

    assert table(response) == {
        # Goal 1: `third` names target 1.2, which implies its goal.
        "1": (["Program Tiga"], 2, 1),
        "1.2": (["Program Tiga"], 2, 1),
        # Goal 11: `program` names it; `third` reaches it only through an indicator on 11.1.1.
        "11": (["Program Ini"], 3, 3),
        "11.1": ([], 0, 2),
        "11.3": (["Program Ini"], 3, 2),
    }
    assert response.context["overview"].program_count == 2
    body = response.content.decode()
    assert "Program Lain" not in body


def test_archived_commitments_are_not_counted(contributions, client_for):
    archived = contributions["program"].commitments.first()
    archived.archived_at = timezone.now()
    archived.save()

    assert table(client_for("viewer").get(URL))["11"] == (["Program Ini"], 2, 3)


def test_the_other_programmes_coordinator_sees_only_theirs(contributions, client_for):
    response = client_for("other_coordinator").get(URL)

    assert table(response) == {"1": (["Program Lain"], 5, 1), "11": (["Program Lain"], 5, 1)}


def test_staff_see_every_programme_counted_once(contributions, client_for):
    rows = table(client_for("staff").get(URL))

    assert rows["1"] == (["Program Lain", "Program Tiga"], 7, 2)
    # Indicators of goal 11: Program Ini's two and Program Lain's one by their programme, Program
    # Tiga's through SDG 11.1.1.
    assert rows["11"] == (["Program Ini", "Program Lain"], 8, 4)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # A site in a regency of province 91 counts for the province.
        (
            "91",
            {"11": (["Program Ini"], 3, 2), "11.1": ([], 0, 1), "11.3": (["Program Ini"], 3, 2)},
        ),
        # A site at province level counts too.
        (
            "92",
            {
                "1": (["Program Tiga"], 2, 1),
                "1.2": (["Program Tiga"], 2, 1),
                "11": ([], 0, 1),
                "11.1": ([], 0, 1),
            },
        ),
    ],
)
def test_the_province_filter_keeps_programmes_with_a_site_there(
    code, expected, contributions, client_for
):
    response = client_for("viewer").get(URL, {"province": code})

    assert response.context["province"].code == code
    assert table(response) == expected


def test_a_province_code_only_matches_whole_segments(contributions, client_for):
    province("9")  # a made-up code that is a prefix of 91 and 92 without the dot

    response = client_for("staff").get(URL, {"province": "9"})

    assert table(response) == {}


def test_an_unknown_province_is_explained_and_lists_nothing(contributions, client_for):
    response = client_for("viewer").get(URL, {"province": "00"})

    assert response.status_code == 200
    assert "province" in response.context["form"].errors
    assert response.context["overview"].goals == []


def test_a_programme_without_an_sdg_is_named_as_such(sdg, program, client_for):
    response = client_for("viewer").get(URL)

    assert [ref.name for ref in response.context["overview"].unlinked] == ["Program Ini"]


def test_the_page_runs_the_same_queries_for_few_and_many_programmes(contributions, sdg, client_for):
    client = client_for("staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"province": "92"}).status_code == 200
        return len(captured)

    few = queries()
    region = Region.objects.get(code="92")
    for number in range(10):
        extra = ProgramFactory(name=f"Program {number}")
        extra.sdg_targets.add(sdg["1.2"], sdg["11.3"])
        SiteFactory(program=extra, region=region)
        CommitmentFactory(program=extra)
        IndicatorFactory(program=extra, sdg_indicator=sdg["11.1.1"])
    assert queries() == few
