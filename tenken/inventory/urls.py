from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("<str:code>/", views.register_summary, name="summary"),
    path("municipal/<int:pk>/", views.municipal_goal, name="municipal"),
]
