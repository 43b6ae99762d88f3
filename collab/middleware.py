"""Request middleware of the site."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


class LanguageMiddleware:
    """Indonesian unless the user chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many browsers
    in Indonesian offices are set to English; the product's language is Indonesian by default,
    so only the explicit choice (the language cookie set by `set_language`) counts.

    The REST API (`/api/`) is read by programs, which say what they want in `Accept-Language`:
    there that header is honoured (Indonesian unless it asks for a language the site has).
    """

    API_PREFIX = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(self.API_PREFIX)
        if api:
            language = self.accepted(request.headers.get("Accept-Language", ""))
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if api:
            patch_vary_headers(response, ("Accept-Language",))  # caches keep one per language
        return response

    def accepted(self, header: str) -> str:
        """The first language of an Accept-Language header the site has (`en-GB` → `en`)."""
        for code, _quality in parse_accept_lang_header(header[:500]):
            base = code.split("-", 1)[0].lower()
            if base in self.supported:
                return base
        return settings.LANGUAGE_CODE


class SessionRefreshMiddleware:
    """Renews a signed-in session's expiry at most once per `SESSION_REFRESH_SECONDS`.

    The session age is an inactivity limit: it counts from the last request. Saving the session
    on every request (SESSION_SAVE_EVERY_REQUEST) keeps that exact but costs a write and a
    commit on every page view; renewing it once a minute keeps it within a minute for free.
    Placed after SessionMiddleware, it acts on the way out, so logins and logouts (which cycle
    or flush the session) are left alone.
    """

    STAMP = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No key: an anonymous visitor without a session (none is created for them) or a
        # session just flushed by a logout.
        if session is None or session.session_key is None or session.modified:
            return response
        if session.is_empty():
            return response
        now = int(time.time())
        if now - int(session.get(self.STAMP, 0)) >= settings.SESSION_REFRESH_SECONDS:
            session[self.STAMP] = now  # marks it modified: SessionMiddleware saves it
        return response


class PublicCacheGuardMiddleware:
    """Never `Cache-Control: public` on a response that sets a cookie: a shared cache would hand
    one visitor's cookie (a session, a CSRF token) to the next. Outermost, so it sees the cookies
    every other middleware set on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            del response["Cache-Control"]
            patch_cache_control(response, private=True, no_cache=True)
        return response
