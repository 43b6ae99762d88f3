"""Template context of every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from collab.views import DRAFT_SAVED_SESSION_KEY


def drafts(request: HttpRequest) -> dict[str, Any]:
    """`draft_saved`: the browser draft a save made obsolete, named once on the next page
    (base.html puts it on <body>; collab/app.js removes the draft)."""
    session = getattr(request, "session", None)
    if session is None or DRAFT_SAVED_SESSION_KEY not in session:
        return {}
    return {"draft_saved": session.pop(DRAFT_SAVED_SESSION_KEY)}
