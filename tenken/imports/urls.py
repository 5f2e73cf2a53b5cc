from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("template.xlsx", views.template_download, name="template"),
    path("<str:token>/mapping/", views.mapping, name="mapping"),
    path("<str:token>/mapping.toml", views.mapping_download, name="mapping_download"),
    path("<str:token>/preview/", views.preview, name="preview"),
    path("<str:token>/replace/", views.replace, name="replace"),
    path("<str:token>/import/", views.do_import, name="import"),
]
