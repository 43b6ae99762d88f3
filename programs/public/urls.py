"""The public pages' URLs, namespace `public` (under /public/; collab.urls puts them at the root
through programs.urls' root_urlpatterns)."""

from django.urls import path, re_path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program_list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path(
        "programs/<slug:slug>/publish/", views.ProgramPublishView.as_view(), name="program_publish"
    ),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path(
        "agreements/<int:pk>/document/",
        views.AgreementDocumentView.as_view(),
        name="agreement_document",
    ),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    # Open data: every list as CSV and JSON, and the IATI activity file; all programmes or one.
    path("data/", views.DataIndexView.as_view(), name="data_index"),
    re_path(
        r"^data/(?P<dataset>[a-z-]+)\.(?P<fmt>csv|json)$",
        views.DataFileView.as_view(),
        name="data_file",
    ),
    path("data/iati.xml", views.IatiFileView.as_view(), name="data_iati"),
    path("data/<slug:slug>/", views.DataIndexView.as_view(), name="data_program"),
    re_path(
        r"^data/(?P<slug>[-a-zA-Z0-9_]+)/(?P<dataset>[a-z-]+)\.(?P<fmt>csv|json)$",
        views.DataFileView.as_view(),
        name="data_program_file",
    ),
    path("data/<slug:slug>/iati.xml", views.IatiFileView.as_view(), name="data_program_iati"),
]
