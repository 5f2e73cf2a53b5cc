from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from tenken.api.errors import not_found as api_not_found
from tenken.web import views as web_views

admin.site.site_header = "tenken 管理"
admin.site.site_title = "tenken 管理"
admin.site.index_title = "計画・点検データの管理"

handler400 = "tenken.web.views.bad_request"
handler403 = "tenken.web.views.permission_denied"
handler404 = "tenken.web.views.page_not_found"
handler500 = "tenken.web.views.server_error"

urlpatterns = [
    path("login/", web_views.LoginView.as_view(), name="login"),
    path("logout/", web_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("indicators/", include("tenken.indicators.urls")),
    path("inventory/", include("tenken.inventory.urls")),
    path("public/", include("tenken.public.urls")),
    path("api/v1/", include("tenken.api.urls")),
    re_path(r"^api/", api_not_found, name="api_not_found"),  # /api/v2/…, /api/anything: JSON, not a page
    path("", include("tenken.reports.urls")),
    path("plans/", include("tenken.plans.urls")),
    path("surveys/", include("tenken.surveys.urls")),
    path("", include("tenken.publications.urls")),
    path("inspections/", include("tenken.reviews.urls")),
    path("plans/import/", include("tenken.imports.urls")),
    path("jobs/", include("tenken.jobs.urls")),
    path("", include("tenken.web.urls")),
]

if settings.TENKEN_BENCH_VIEWS:
    from tenken.public.urls import bench_urlpatterns

    urlpatterns += bench_urlpatterns

