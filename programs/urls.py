"""The programme app's URLs (DESIGN "Pages and URLs"): each concept's patterns stand beside its
views; their names are `programs:<model>_<action>` (STYLE rule 11).

`root_urlpatterns` are the pages that keep their names outside the namespace: the dashboard,
the SDG overview, the reminder preview and the REST API (collab.urls puts them at the root), and
the public pages under /public/ in their own namespace `public`.
"""

from django.urls import include, path

from .public import views as public_views
from .views import agreements, commitments, dashboard, indicators, meetings, program, sdg

app_name = "programs"

urlpatterns = [
    *program.urlpatterns,
    *meetings.urlpatterns,
    *commitments.urlpatterns,
    *agreements.urlpatterns,
    *indicators.urlpatterns,
]

root_urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("sdg/", sdg.SdgOverviewView.as_view(), name="sdg_overview"),
    path(
        "reminders/preview/",
        dashboard.RemindersPreviewView.as_view(),
        name="reminders_preview",
    ),
    # The REST API (docs/api.md), namespace `api`.
    path("api/v1/", include("programs.api.urls")),
    # The anonymous public pages and open data (programs.public), namespace `public`.
    path("public/", include("programs.public.urls")),
    path("sitemap.xml", public_views.sitemap, name="sitemap"),
]
