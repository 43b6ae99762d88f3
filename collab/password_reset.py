"""Forgotten passwords: Django's reset by e-mail, with the e-mail written to the outbox
(collab/outbox.py), a rate limit counted in Django's cache, and no way to learn from the answer
whether an address has an account (every request ends on the same "check your e-mail" page;
a rate-limited address is simply not written to).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy

from collab import outbox
from collab.forms import style_fields

# Per client address: requests of the form per window (past it, a page that says so, 429).
# Per e-mail address: reset e-mails per window (past it, none is written; the answer is the same).
ADDRESS_LIMIT = 10
EMAIL_LIMIT = 3
WINDOW_SECONDS = 60 * 60


def over_limit(key: str, limit: int) -> bool:
    """Count one more event under `key` in the shared cache; True once past `limit`."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def client_address(request: HttpRequest) -> str:
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    forwarded = request.headers.get("X-Forwarded-For", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form; its e-mail goes through the outbox, at most EMAIL_LIMIT an hour per
    address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if over_limit(f"password-reset:email:{to_email.lower()}", EMAIL_LIMIT):
            return
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        outbox.enqueue(to=[to_email], subject=subject, body=body, kind="password_reset")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if over_limit(f"password-reset:address:{client_address(request)}", ADDRESS_LIMIT):
            return render(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # The link in the e-mail points at the site's configured address, not at whatever Host
        # header the request carried.
        site = settings.COLLAB_SITE_URL.rstrip("/")
        scheme, _sep, domain = site.partition("://")
        self.extra_email_context = {"site_name": "Collab Registry"}
        form.save(
            domain_override=domain,
            use_https=scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        style_fields(form)
        return form
