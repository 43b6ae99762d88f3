"""Coarse API rights: signed in, and a read-only token never writes. Which rows a user may
read or change is decided by collab.permissions.restrict in the viewsets (collab.api.viewsets)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from collab.models import ApiToken


class ApiPermission(permissions.BasePermission):
    """Signed in (else 401); a read-only token may only read (else 403)."""

    message = _("This API token is read-only.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not (isinstance(token, ApiToken) and token.read_only)
