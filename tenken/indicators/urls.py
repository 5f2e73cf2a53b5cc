from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("upload/", views.indicator_upload, name="upload"),
    path("<int:pk>/observations/", views.observation_add, name="observation_add"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/chart.png", views.indicator_chart, name="chart"),
]
