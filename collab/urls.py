"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from programs import views as program_views

from . import account, dashboard, sdg

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
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("", include("partners.urls")),
]
