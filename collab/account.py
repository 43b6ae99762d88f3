"""The signed-in user's own settings page: the reminder digest, the calendar key and the
personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from collab.api.tokens import create_token
from collab.forms import ApiTokenForm, PreferencesForm
from collab.models import ApiToken, UserPreference
from collab.permissions import Action
from collab.views import has_any_right


class PreferencesView(LoginRequiredMixin, UpdateView):
    """Any signed-in user: turn the daily digest on or off, reset the calendar key, create and
    revoke personal API tokens.

    Resetting, creating a token and revoking one are each their own POST (a button named
    `reset_calendar`, `create_token`, `revoke_token`), so that none happens as a side effect of
    saving the digest setting. A new token's key is shown once, in the answer to its POST (never
    put in a message or a session): only its keyed hash is stored.
    """

    form_class = PreferencesForm
    template_name = "collab/preferences.html"

    def get_object(self, queryset: Any = None) -> UserPreference:
        return UserPreference.for_user(self.request.user)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "reset_calendar" in request.POST:
            self.get_object().reset_calendar_token()
            messages.success(
                request,
                _(
                    "Your calendar key was reset. Subscribe again with the new link; old ones no "
                    "longer work."
                ),
            )
            return HttpResponseRedirect(self.get_success_url())
        if "create_token" in request.POST:
            return self.create_token(request)
        if "revoke_token" in request.POST:
            return self.revoke_token(request)
        return super().post(request, *args, **kwargs)

    def create_token(self, request: HttpRequest) -> HttpResponse:
        self.object = self.get_object()
        token_form = ApiTokenForm(request.POST, prefix="token")
        if not token_form.is_valid():
            context = self.get_context_data(token_form=token_form)
            return self.render_to_response(context, status=400)
        token, key = create_token(
            user=request.user,
            name=token_form.cleaned_data["name"],
            read_only=token_form.cleaned_data["read_only"],
            expires_at=token_form.expires_at(),
        )
        context = self.get_context_data(new_token=token, new_key=key)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response

    def revoke_token(self, request: HttpRequest) -> HttpResponse:
        # Only the owner's own tokens (anybody else's: 404); admins revoke any in the admin.
        chosen = request.POST.get("revoke_token", "")
        token = get_object_or_404(
            ApiToken, pk=int(chosen) if chosen.isdigit() else 0, user=request.user
        )
        token.delete()
        messages.success(request, _("The API token “%(name)s” was revoked.") % {"name": token.name})
        return HttpResponseRedirect(self.get_success_url() + "#api-tokens")

    def form_valid(self, form: PreferencesForm) -> HttpResponse:
        messages.success(self.request, _("Your preferences were saved."))
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("preferences")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_coordinate"] = has_any_right(self.request.user, Action.COORDINATE)
        context.setdefault("token_form", ApiTokenForm(prefix="token"))
        context["api_tokens"] = ApiToken.objects.filter(user=self.request.user)
        return context
