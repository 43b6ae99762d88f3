"""The programme type-ahead (collab.lookups): its select and its endpoint, registered in
ProgramsConfig.ready()."""

from __future__ import annotations

from typing import Any

from collab.lookups import LookupSelect, LookupView
from collab.permissions import Action

from .models import Program


class ProgramSelect(LookupSelect):
    """Programmes the user may view; `ProgramSelect(action=Action.COORDINATE)` for the ones the
    user coordinates (the `program` field of the record forms)."""

    url_name = "collab:program_lookup"

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, action: Action | str = Action.VIEW
    ) -> None:
        action = Action(action)
        super().__init__(attrs, params={} if action is Action.VIEW else {"action": action.value})


class ProgramLookupView(LookupView):
    model = Program
    search_fields = ("name",)
    only = ("pk", "name")
    actions = frozenset({Action.VIEW, Action.COORDINATE})
