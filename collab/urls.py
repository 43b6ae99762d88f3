"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from programs import views as program_views

from . import account, dashboard, lookups, sdg

# Type-ahead searches of the partner and programme selects (collab/lookups.py).
lookup_patterns = (
    [
        path("partners/", lookups.PartnerLookupView.as_view(), name="partner_lookup"),
        path("programs/", lookups.ProgramLookupView.as_view(), name="program_lookup"),
    ],
    "collab",
)

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/preferences/", account.PreferencesView.as_view(), name="preferences"),
    path("sdg/", sdg.SdgOverviewView.as_view(), name="sdg_overview"),
    path(
        "reminders/preview/",
        program_views.RemindersPreviewView.as_view(),
        name="reminders_preview",
    ),
    path("lookup/", include(lookup_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("", include("partners.urls")),
]
