"""Shared by the public pages' tests: data built once per module, anonymous crawling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

TESTSERVER = "http://testserver"


@contextmanager
def module_data(django_db_blocker) -> Iterator[None]:
    """Rows written here stay for the module's tests (each test runs in a savepoint inside this
    transaction) and are rolled back after the last one: built once, where tests only read."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """Each test starts from an empty cache: a page cached by an earlier test's data is gone.
    Only the local-memory cache is cleared: a shared Redis is never flushed (the Redis tests
    use a key prefix of their own)."""

    def clear() -> None:
        if isinstance(cache._cache, dict):  # LocMemCache's own store
            cache.clear()

    clear()
    yield
    clear()


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


LINK = re.compile(r"""(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>""")


def public_links(text: str) -> set[str]:
    """The public paths a page or a sitemap links to (absolute or not), without fragments."""
    paths = set()
    for href, loc in LINK.findall(text):
        url = (href or loc).replace("&amp;", "&")
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith("/public/") or parts.path == "/sitemap.xml":
            paths.add(path)
    return paths


def crawl(client: Client, start: list[str]) -> dict[str, tuple[int, str]]:
    """Every public URL reachable from `start` (pages, sitemap, data files): status and body."""
    seen: dict[str, tuple[int, str]] = {}
    queue = list(start)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        text = body(response)
        seen[path] = (response.status_code, text)
        if response.status_code == 200 and (
            response["Content-Type"].startswith("text/html") or path.endswith("sitemap.xml")
        ):
            queue.extend(public_links(text) - set(seen))
    return seen
