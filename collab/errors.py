"""Error pages that say what happened and what was kept."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400. A POST past the field or size ceiling cannot be read at all (a flood guard): say so,
    with the limit, and send the user back to the form, whose draft the browser kept. Any other
    bad request (a forged host, say) gets Django's own handling of the site's 400 page."""
    if not isinstance(exception, TooManyFieldsSent | RequestDataTooBig):
        return defaults.bad_request(request, exception)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {
        "too_large": True,
        "field_limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        "back_url": back,
    }
    return render(request, "400.html", context, status=400)
