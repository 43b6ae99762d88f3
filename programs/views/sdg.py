"""The SDG view: per SDG goal and target, the programmes, commitments and indicators that
contribute, within what the user may see, optionally for one province.

Contributions follow the links the records carry:
- a programme contributes to the goals and targets it names (Program.sdg_goals, sdg_targets);
  naming a target implies its goal;
- a commitment contributes where its programme does;
- an indicator contributes through its SDG indicator (→ target → goal) and where its programme
  does.

The page runs the same queries whatever the number of programmes: the counts are aggregated in
the database per programme (and per SDG target for indicators), then added up here; each sum
runs over disjoint groups, so an indicator reachable both ways is counted once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.views.generic import TemplateView

from collab.forms import ProvinceFilterForm
from collab.models import Region, SdgGoal, SdgTarget
from collab.permissions import Action, restrict
from collab.views import RightsMixin

from ..models import Commitment, Indicator, Program


@dataclass(frozen=True)
class ProgramRef:
    pk: int
    name: str
    slug: str


@dataclass
class Contribution:
    """What contributes to one goal or target."""

    programs: list[ProgramRef] = field(default_factory=list)
    commitments: int = 0
    indicators: int = 0


@dataclass
class TargetRow:
    target: SdgTarget
    contribution: Contribution


@dataclass
class GoalRow:
    goal: SdgGoal
    contribution: Contribution
    targets: list[TargetRow]


@dataclass
class Overview:
    goals: list[GoalRow]
    program_count: int
    unlinked: list[ProgramRef]  # visible programmes that name no SDG at all


def in_province(code: str) -> Q:
    """Programmes with a pilot site in the province `code` (the province itself or below it)."""
    return Q(sites__region__code=code) | Q(sites__region__code__startswith=f"{code}.")


def sdg_overview(user: Any, province: Region | None = None) -> Overview:
    """The goals and targets that something visible to `user` contributes to (seven queries)."""
    programs = restrict(Program.objects.all(), user, Action.VIEW)
    if province is not None:
        programs = programs.filter(in_province(province.code))
    program_ids = programs.order_by().values("pk").distinct()
    refs = {
        row["pk"]: ProgramRef(row["pk"], row["name"], row["slug"])
        for row in programs.order_by("name").values("pk", "name", "slug").distinct()
    }
    goal_links = Program.sdg_goals.through.objects.filter(program__in=program_ids).values_list(
        "sdggoal_id", "program_id"
    )
    target_links = Program.sdg_targets.through.objects.filter(program__in=program_ids).values_list(
        "sdgtarget_id", "sdgtarget__goal_id", "program_id"
    )
    commitments = dict(
        Commitment.objects.filter(program__in=program_ids)
        .active()
        .order_by()
        .values("program_id")
        .annotate(count=Count("id"))
        .values_list("program_id", "count")
    )
    indicator_groups = list(
        Indicator.objects.filter(program__in=program_ids)
        .order_by()
        .values("program_id", "sdg_indicator__target_id", "sdg_indicator__target__goal_id")
        .annotate(count=Count("id"))
    )

    goal_programs: dict[int, set[int]] = defaultdict(set)
    target_programs: dict[int, set[int]] = defaultdict(set)
    targets_of_goal: dict[int, set[int]] = defaultdict(set)
    for goal_id, program_id in goal_links:
        goal_programs[goal_id].add(program_id)
    for target_id, goal_id, program_id in target_links:
        target_programs[target_id].add(program_id)
        goal_programs[goal_id].add(program_id)
        targets_of_goal[goal_id].add(target_id)
    for group in indicator_groups:
        if group["sdg_indicator__target_id"] is not None:
            goal_id = group["sdg_indicator__target__goal_id"]
            targets_of_goal[goal_id].add(group["sdg_indicator__target_id"])

    def contribution(
        program_set: set[int], *, goal_id: int = 0, target_id: int = 0
    ) -> Contribution:
        indicators = sum(
            group["count"]
            for group in indicator_groups
            if group["program_id"] in program_set
            or (goal_id and group["sdg_indicator__target__goal_id"] == goal_id)
            or (target_id and group["sdg_indicator__target_id"] == target_id)
        )
        return Contribution(
            programs=sorted(
                (refs[pk] for pk in program_set if pk in refs), key=lambda ref: ref.name
            ),
            commitments=sum(commitments.get(pk, 0) for pk in program_set),
            indicators=indicators,
        )

    goal_ids = set(goal_programs) | set(targets_of_goal)
    target_ids = set().union(*targets_of_goal.values()) if targets_of_goal else set()
    goals = SdgGoal.objects.filter(pk__in=goal_ids).order_by("number")
    targets_by_goal: dict[int, list[SdgTarget]] = defaultdict(list)
    for target in SdgTarget.objects.filter(pk__in=target_ids).order_by("order"):
        targets_by_goal[target.goal_id].append(target)

    rows = [
        GoalRow(
            goal=goal,
            contribution=contribution(goal_programs[goal.pk], goal_id=goal.pk),
            targets=[
                TargetRow(target, contribution(target_programs[target.pk], target_id=target.pk))
                for target in targets_by_goal[goal.pk]
            ],
        )
        for goal in goals
    ]
    linked = set().union(*goal_programs.values()) if goal_programs else set()
    unlinked = [ref for pk, ref in refs.items() if pk not in linked]
    return Overview(goals=rows, program_count=len(refs), unlinked=unlinked)


class SdgOverviewView(RightsMixin, TemplateView):
    """`/sdg/`: who contributes to which SDG goal and target, optionally in one province.
    Not a declaration: a report across models (sdg_overview) with its own filter form."""

    action = Action.VIEW
    template_name = "programs/sdg_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ProvinceFilterForm(self.request.GET or None)
        province = None
        overview = None
        if form.is_bound and not form.is_valid():
            # A bad filter is explained beside the field; nothing is listed rather than everything.
            overview = Overview(goals=[], program_count=0, unlinked=[])
        else:
            province = form.cleaned_data.get("province") if form.is_bound else None
            overview = sdg_overview(self.request.user, province)
        context.update(form=form, province=province, overview=overview)
        return context
