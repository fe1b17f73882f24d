"""REST API v1 (issue 4): the same data and rules as the pages, for other systems."""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views
from .auth import ObtainTokenView, TokenDetailView, TokenListView
from .views.root import ApiRootView

router = SimpleRouter()
router.register("regencies", views.RegencyViewSet, basename="regency")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("villages", views.VillageViewSet, basename="village")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("cases", views.CaseViewSet, basename="case")
router.register("moves", views.MoveViewSet, basename="move")
router.register("assistance", views.AssistanceViewSet, basename="assistance")
router.register("groups", views.GroupViewSet, basename="group")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("capital-access", views.CapitalAccessViewSet, basename="capital-access")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("followups", views.FollowUpViewSet, basename="followup")
router.register("businesses", views.BusinessViewSet, basename="business")
router.register("capital-help", views.CapitalHelpViewSet, basename="capital-help")
router.register("women-programme/enrolments", views.EnrolmentViewSet, basename="women-enrolment")

endpoints = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("growth/coverage/", views.GrowthCoverageView.as_view(), name="growth-coverage"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    re_path(r"^auth/tokens/(?P<pk>[0-9]+)/$", TokenDetailView.as_view(), name="token-detail"),
    path("", include(router.urls)),
]
# The schema covers this API only, under its real prefix, whatever else the site serves.
schema_urlconf = SimpleNamespace(urlpatterns=[path("api/v1/", include(endpoints))])

app_name = "api"
urlpatterns = [
    path(
        "",
        ApiRootView.as_view(resources=[*(prefix for prefix, *_rest in router.registry), "growth/coverage"]),
        name="root",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(urlconf=schema_urlconf),
        name="schema",
    ),
    # The docs page for people: unsigned visitors go to the sign-in page first. The
    # "split" view serves its start-up script as a file, not inline (CSP).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    *endpoints,
]
