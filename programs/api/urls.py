"""`/api/v1/`: the endpoints (names `api:<model>-list`, `api:<model>-detail`), the OpenAPI
schema and its documentation page, served from the project's own static files."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


@csrf_exempt  # a 404 whatever the method: no form was posted to a page here
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": _("Not found.")}, status=404)


class Router(DefaultRouter):
    include_root_view = False


router = Router()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("sites", views.SiteViewSet, basename="site")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="actionitem")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("regions", views.RegionViewSet, basename="region")
router.register("sdg/goals", views.SdgGoalViewSet, basename="sdggoal")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start-up script from a URL: no inline script, so the project's
    # Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Anything else under the API is a JSON 404, never the site's HTML page.
    re_path(r"^", not_found, name="not_found"),
]
