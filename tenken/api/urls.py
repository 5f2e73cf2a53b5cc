from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from tenken.public.indicators import indicators_available

from . import views
from .errors import not_found

app_name = "api"

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("sections", views.SectionViewSet, basename="section")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("reviews", views.ReviewViewSet, basename="review")
if indicators_available():
    from .indicators import IndicatorViewSet

    router.register("indicators", IndicatorViewSet, basename="indicator")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
    re_path(r"^.*$", not_found),  # URL-level 404s under /api/v1/ in the API's JSON error format
]
