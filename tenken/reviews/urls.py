from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("<int:pk>/narratives/", views.narratives, name="narratives"),
    path("<int:pk>/narratives/<int:section_pk>/", views.narrative_edit, name="narrative"),
    path("<int:pk>/texts/", views.texts_edit, name="texts"),
]
