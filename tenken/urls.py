from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "tenken 管理"
admin.site.site_title = "tenken 管理"
admin.site.index_title = "計画・点検データの管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("indicators/", include("tenken.indicators.urls")),
    path("inventory/", include("tenken.inventory.urls")),
    path("public/", include("tenken.public.urls")),
    path("api/v1/", include("tenken.api.urls")),
    path("", include("tenken.reports.urls")),
    path("plans/", include("tenken.plans.urls")),
    path("surveys/", include("tenken.surveys.urls")),
    path("", include("tenken.web.urls")),
]

if settings.TENKEN_BENCH_VIEWS:
    from tenken.public.urls import bench_urlpatterns

    urlpatterns += bench_urlpatterns

