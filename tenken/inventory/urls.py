from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.register_index, name="index"),
    path("municipal/<int:pk>/", views.municipal_goal, name="municipal"),
    path("municipal/<int:pk>/record/", views.municipal_record, name="municipal_record"),
    path("municipal/<int:pk>/upload/", views.municipal_upload, name="municipal_upload"),
    path("<str:code>/", views.register_summary, name="summary"),
    path("<str:code>/export.xlsx", views.register_export, name="export"),
    path("<str:code>/upload/", views.register_upload, name="upload"),
    path("<str:code>/upload/<str:token>/", views.register_upload_confirm, name="upload_confirm"),
    path("<str:code>/systems/", views.system_list, name="systems"),
    path("<str:code>/systems/<int:pk>/", views.system_detail, name="system"),
    path("<str:code>/systems/<int:pk>/edit/", views.system_edit, name="system_edit"),
]
