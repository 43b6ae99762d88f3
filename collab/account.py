"""The signed-in user's own settings page: the reminder digest and the calendar key."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from collab.forms import PreferencesForm
from collab.models import UserPreference
from collab.permissions import Action
from collab.views import has_any_right


class PreferencesView(LoginRequiredMixin, UpdateView):
    """Any signed-in user: turn the daily digest on or off, reset the calendar key.

    Resetting is its own POST (a button named `reset_calendar`), so that it never happens as a
    side effect of saving the digest setting.
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
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PreferencesForm) -> HttpResponse:
        messages.success(self.request, _("Your preferences were saved."))
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("preferences")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_coordinate"] = has_any_right(self.request.user, Action.COORDINATE)
        return context
