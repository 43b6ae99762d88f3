"""`{% public_url 'public:program_detail' slug %}`: a public page's path in the active language
(the language is in the URL, never in a cookie, so links keep it)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def public_url(name: str, *args: Any) -> str:
    from programs.public.views import public_path

    return public_path(name, *args)
