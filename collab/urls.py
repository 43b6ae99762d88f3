"""Root URLs: the project's own pages, then the URLs of every app whose AppConfig names its URL
module in `urls` (collab knows no domain app; each registers itself)."""

from importlib import import_module

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import account, health, lookups, password_reset, views


def app_urlpatterns() -> list:
    """For each installed app that names its URL module: the module's `root_urlpatterns` (pages
    whose names stand outside the app's namespace), then the module itself."""
    patterns: list = []
    for config in apps.get_app_configs():
        name = getattr(config, "urls", None)
        if isinstance(name, str):
            module = import_module(name)
            patterns += [*getattr(module, "root_urlpatterns", []), path("", include(module))]
    return patterns


urlpatterns = [
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
    # Forgotten passwords (collab.password_reset): the e-mail goes through the outbox.
    path(
        "accounts/password/reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/preferences/", account.PreferencesView.as_view(), name="preferences"),
    # Exports built in the background (collab.export_jobs): progress, then the file; owner only.
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
    # Type-ahead searches of the partner and programme selects, registered by their apps.
    path("lookup/", include((lookups.lookup_urlpatterns(), "collab"))),
    # For load balancers and monitors: JSON, 200 or 503 (collab/health.py).
    path("health/", health.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    *app_urlpatterns(),
]

# A request Django cannot read (too many fields, too large) gets a page that says why.
handler400 = "collab.errors.bad_request"
