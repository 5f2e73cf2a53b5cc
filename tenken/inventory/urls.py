from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.register_index, name="index"),
    path("<str:code>/", views.register_summary, name="summary"),
    path("<str:code>/export.xlsx", views.register_export, name="export"),
    path("<str:code>/upload/", views.register_upload, name="upload"),
    path("municipal/<int:pk>/", views.municipal_goal, name="municipal"),
]
