"""Personal API tokens: made, hashed and found here (collab.models.ApiToken stores the hash)."""

from __future__ import annotations

import datetime
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from collab.models import ApiToken

# Keys read "cr_" + 43 URL-safe characters (256 bits): recognisable in a leaked file.
KEY_PREFIX = "cr_"
# last_used_at is written at most this often per token.
LAST_USED_INTERVAL = datetime.timedelta(minutes=1)
# What a key may be at most when read from a header: anything longer is not one of ours.
MAX_KEY_LENGTH = 100


def digest(key: str) -> str:
    """HMAC-SHA256 of `key` under a key derived from SECRET_KEY (salted_hmac's derivation)."""
    mac = salted_hmac("collab.api.token", key, secret=settings.SECRET_KEY, algorithm="sha256")
    return mac.hexdigest()


@transaction.atomic
def create_token(
    *, user: Any, name: str, read_only: bool = False, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token of `user` and its key, which is never stored and so never shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        digest=digest(key),
        prefix=key[: len(KEY_PREFIX) + 5],
        read_only=read_only,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, key


def find_token(key: str) -> ApiToken | None:
    """The usable token whose key is `key`, with its user, or None.

    Found by its digest (an index), then the digests are compared in constant time, so that
    the answer's timing tells nothing about how much of a guessed key was right.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    wanted = digest(key)
    token = ApiToken.objects.usable().select_related("user").filter(digest=wanted).first()
    if token is None or not hmac.compare_digest(token.digest, wanted):
        return None
    return token


def touch(token: ApiToken) -> None:
    """Record that `token` was used, at most once per LAST_USED_INTERVAL (one UPDATE)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_INTERVAL:
        return
    # ApiToken keeps no history, so a conditional UPDATE is allowed; the condition keeps two
    # workers from both writing within the interval.
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_INTERVAL)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
