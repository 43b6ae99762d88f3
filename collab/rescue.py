"""A form posted after the session ended is kept, and given back after signing in again.

A coordinator who fills a long form and saves it after eight hours of inactivity (or after an
admin revoked the session) is sent to the sign-in page. Without this the input would be gone.
Every form page carries its user's signed id (`{% form_owner %}`); when such a POST arrives
signed out and is answered with the redirect to the sign-in page, `FormRescueMiddleware` keeps
the posted fields, never files, in the new anonymous session (server-side, bound to that
browser by its session cookie) for `RESCUE_SECONDS`. Signing in keeps the session's data;
the form page, opened again by the sign-in redirect, takes the fields back (`take_rescued`)
and shows them bound, with a message, if the one who signed in is the user who filled them.
Anyone else signing in on that browser never sees them: they are dropped at that sign-in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

OWNER_FIELD = "_form_owner"
SESSION_KEY = "collab_rescued_form"
RESCUE_SECONDS = 30 * 60
# A form page may stay open for days (a draft in the browser); the owner mark lasts as long.
OWNER_MAX_AGE = 14 * 24 * 60 * 60
SALT = "collab.rescue.owner"
NOT_KEPT = frozenset({"csrfmiddlewaretoken", OWNER_FIELD})


def owner_mark(user: Any) -> str:
    """The value of the hidden owner field of a form page shown to `user`."""
    return signing.dumps(user.pk, salt=SALT)


def owner_of(mark: str) -> Any:
    try:
        return signing.loads(mark, salt=SALT, max_age=OWNER_MAX_AGE)
    except signing.BadSignature:
        return None


def is_sign_in_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302 or "Location" not in response:
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


def keep(request: HttpRequest) -> bool:
    """Keep the posted fields of a signed-out POST in the session; False if not a form page's."""
    owner = owner_of(request.POST.get(OWNER_FIELD, ""))
    if owner is None:
        return False
    fields = [[name, values] for name, values in request.POST.lists() if name not in NOT_KEPT]
    request.session[SESSION_KEY] = {
        "owner": owner,
        "path": request.path,
        "fields": fields,
        "files": sorted(request.FILES),
        "kept_at": time.time(),
    }
    return True


def take_rescued(request: HttpRequest) -> QueryDict | None:
    """The fields kept for this page and this user, once; None if there are none."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    kept = session[SESSION_KEY]
    if kept.get("path") != request.path:
        return None
    del session[SESSION_KEY]
    fresh = time.time() - kept.get("kept_at", 0) <= RESCUE_SECONDS
    if not fresh or kept.get("owner") != request.user.pk:
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["fields"]:
        data.setlist(name, values)
    messages.info(
        request,
        _(
            "Your session had ended before you saved: what you typed has been kept. Check it "
            "and save again."
        ),
    )
    if kept.get("files"):
        messages.warning(request, _("Files cannot be kept: choose the file again."))
    return data


@receiver(user_logged_in, dispatch_uid="collab.rescue.drop_others")
def drop_what_another_user_filled(sender: Any, request: HttpRequest, user: Any, **kwargs: Any):
    session = getattr(request, "session", None) if request is not None else None
    if session is not None and session.get(SESSION_KEY, {}).get("owner") != user.pk:
        session.pop(SESSION_KEY, None)


class FormRescueMiddleware:
    """Keeps a form posted signed out (see the module docstring). After the authentication and
    message middleware; before the session middleware on the way out, which saves it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and is_sign_in_redirect(response)
            and keep(request)
        ):
            messages.warning(
                request,
                _(
                    "Your session has ended. What you typed is kept for %(minutes)s minutes: "
                    "sign in again to get it back."
                )
                % {"minutes": RESCUE_SECONDS // 60},
            )
        return response
