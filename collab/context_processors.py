"""Template context of every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from collab.views import DRAFT_SAVED_SESSION_KEY


def drafts(request: HttpRequest) -> dict[str, Any]:
    """`draft_saved`: the browser draft a save made obsolete, named once on the next page
    (base.html puts it on <body>; collab/app.js removes the draft)."""
    session = getattr(request, "session", None)
    # Without a session cookie there is no session to read: not touching it keeps pages for
    # anonymous visitors free of `Vary: Cookie` (the public pages are shared-cacheable).
    if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {}
    if DRAFT_SAVED_SESSION_KEY not in session:
        return {}
    return {"draft_saved": session.pop(DRAFT_SAVED_SESSION_KEY)}
