from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "tenken 管理"
admin.site.site_title = "tenken 管理"
admin.site.index_title = "計画・点検データの管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("surveys/", include("tenken.surveys.urls")),
    path("", include("tenken.web.urls")),
]
