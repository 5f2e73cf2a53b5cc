from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("plans/<int:plan_id>/report/", views.plan_report, name="plan_report"),
    path("plans/<int:plan_id>/report.<str:fmt>", views.plan_report_download, name="plan_report_download"),
]
