"""URLs of DESIGN "Pages and URLs"; names `programs:<model>_<action>` (STYLE rule 11)."""

from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path(
        "programs/<slug:slug>/meetings/new/",
        views.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path(
        "programs/<slug:slug>/commitments/new/",
        views.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path(
        "programs/<slug:slug>/agreements/new/",
        views.AgreementCreateView.as_view(),
        name="agreement_create",
    ),
    path("programs/<slug:slug>/sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path(
        "programs/<slug:slug>/actions/new/",
        views.ActionItemCreateView.as_view(),
        name="actionitem_create",
    ),
    path(
        "programs/<slug:slug>/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path(
        "programs/<slug:slug>/calendar.ics",
        views.ProgramCalendarView.as_view(),
        name="program_calendar",
    ),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/measurements/new/",
        views.MeasurementCreateView.as_view(),
        name="measurement_create",
    ),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/archive/", views.MeetingArchiveView.as_view(), name="meeting_archive"),
    path(
        "meetings/<int:pk>/unarchive/",
        views.MeetingUnarchiveView.as_view(),
        name="meeting_unarchive",
    ),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment_list"),
    path("commitments/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.CommitmentEditView.as_view(), name="commitment_edit"),
    path(
        "commitments/<int:pk>/archive/",
        views.CommitmentArchiveView.as_view(),
        name="commitment_archive",
    ),
    path(
        "commitments/<int:pk>/unarchive/",
        views.CommitmentUnarchiveView.as_view(),
        name="commitment_unarchive",
    ),
    path(
        "commitments/<int:pk>/updates/new/",
        views.CommitmentUpdateCreateView.as_view(),
        name="commitmentupdate_create",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path(
        "agreements/<int:pk>/archive/",
        views.AgreementArchiveView.as_view(),
        name="agreement_archive",
    ),
    path(
        "agreements/<int:pk>/unarchive/",
        views.AgreementUnarchiveView.as_view(),
        name="agreement_unarchive",
    ),
    path(
        "agreements/<int:pk>/document/",
        views.AgreementDocumentView.as_view(),
        name="agreement_document",
    ),
    path("agreements/<int:pk>/print/", views.AgreementPrintView.as_view(), name="agreement_print"),
    path("actions/", views.ActionItemListView.as_view(), name="actionitem_list"),
    path("actions/<int:pk>/edit/", views.ActionItemEditView.as_view(), name="actionitem_edit"),
    path("actions/<int:pk>/done/", views.ActionItemDoneView.as_view(), name="actionitem_done"),
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.SiteEditView.as_view(), name="site_edit"),
]
