"""Request rates per client (token, or signed-in user) and per address, counted in Django's cache.

The cache is what every worker shares when `COLLAB_CACHE_URL` points at Redis (one limit for the
whole site); with the default local-memory cache each process counts on its own. The rates come
from settings.COLLAB_API_THROTTLE_RATES, read on each request (tests change them). Past a rate
the answer is 429 with `Retry-After`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from collab.models import ApiToken


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return settings.COLLAB_API_THROTTLE_RATES.get(self.scope)


class ClientThrottle(_SettingsRateThrottle):
    """Per token when the request carries one, else per signed-in user."""

    scope = "client"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None  # anonymous: counted by address only
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AddressThrottle(_SettingsRateThrottle):
    """Per client address (behind COLLAB_PROXY_COUNT proxies: from X-Forwarded-For), whoever
    calls, so that guessing keys is slowed down as well."""

    scope = "address"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
