"""Caching of anonymous public pages in the shared cache, with HTTP validators.

Generic: it knows no domain model. A page is rendered once per language and *generation* and
stored in Django's default cache (Redis when `COLLAB_CACHE_URL` is set, so every app server
shares it). Any committed write to a model of an app that registers with `invalidate_on_save()`
starts a new generation: the next request renders afresh. The generation is a random token, not
a counter, so a cache that evicted it can never bring an old page back.

Responses carry a strong ETag (the SHA-256 of the body), Last-Modified (when that body was
rendered) and `Cache-Control: public, max-age`, and answer a matching conditional GET with 304.
They carry nothing per visitor; `PublicCacheGuardMiddleware` (collab.middleware) turns
`public` into `private` on any response that sets a cookie all the same.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
PAGE_PREFIX = "public:page"


def max_age() -> int:
    return int(getattr(settings, "COLLAB_PUBLIC_MAX_AGE", 300))


def generation() -> str:
    """The current generation token (a new one when the cache has none)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = secrets.token_hex(8)
        # add(): two processes starting a generation at once agree on the first one.
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token
    return token


def invalidate() -> None:
    """Start a new generation: every cached public page is stale from now on."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def invalidate_on_commit(using: str | None = None) -> None:
    """Invalidate once the current transaction commits (at once outside one): a page rendered
    between the write and its commit would otherwise be cached with the old data, and a write
    rolled back leaves the cache alone. (One cheap cache write per saved row, at commit.)"""
    transaction.on_commit(invalidate, using=using)


def _on_write(sender: type, using: str | None = None, **kwargs: Any) -> None:
    invalidate_on_commit(using)


def invalidate_on_save(app_labels: Iterable[str]) -> None:
    """Every save, delete and many-to-many change of a model of these apps invalidates the
    public pages (after commit)."""
    labels = frozenset(app_labels)

    def receiver(sender: type, **kwargs: Any) -> None:
        meta = getattr(sender, "_meta", None)
        # A history row (django-simple-history's `instance_type`) follows a save already seen.
        if meta is not None and meta.app_label in labels and not hasattr(sender, "instance_type"):
            _on_write(sender, **kwargs)

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(
            receiver, weak=False, dispatch_uid=f"public-cache-{signal!r}-{sorted(labels)}"
        )


def _page_key(request: HttpRequest, token: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{PAGE_PREFIX}:{token}:{get_language()}:{digest}"


def _finish(
    request: HttpRequest, response: HttpResponse, etag: str, rendered: float
) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(rendered)
    patch_cache_control(response, public=True, max_age=max_age())
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(rendered), response=response
    )
    return conditional


def cached_response(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    store: bool = True,
) -> HttpResponse:
    """`render()`'s response from the shared cache when this generation already rendered it;
    with ETag, Last-Modified and public Cache-Control. `store=False` (e.g. pages whose query
    string a visitor chooses freely) renders each time but keeps the validators."""
    token = generation()
    key = _page_key(request, token)
    entry = cache.get(key) if store else None
    if entry is not None:
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        for name, value in entry["headers"].items():
            response[name] = value
        response["X-Public-Cache"] = "hit"
        return _finish(request, response, entry["etag"], entry["rendered"])
    response = render()
    if response.status_code != 200 or getattr(response, "streaming", False):
        return response
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    content = response.content
    etag = '"' + hashlib.sha256(content).hexdigest() + '"'
    rendered = timezone.now().timestamp()
    if store:
        headers = {
            name: response[name]
            for name in ("Content-Language", "Content-Disposition", "Link")
            if name in response
        }
        cache.set(
            key,
            {
                "content": content,
                "content_type": response["Content-Type"],
                "headers": headers,
                "etag": etag,
                "rendered": rendered,
            },
            timeout=max_age() * 12,
        )
        response["X-Public-Cache"] = "miss"
    return _finish(request, response, etag, rendered)
