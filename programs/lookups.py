"""The programme type-ahead's endpoint (collab.lookups), registered in ProgramsConfig.ready()."""

from __future__ import annotations

from collab.lookups import LookupView
from collab.permissions import Action

from .models import Program


class ProgramLookupView(LookupView):
    model = Program
    search_fields = ("name",)
    only = ("pk", "name")
    actions = frozenset({Action.VIEW, Action.COORDINATE})
