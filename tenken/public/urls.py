from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("catalog.jsonld", views.catalog, name="catalog"),
    path("plans/<int:plan_id>/", views.plan_page, name="plan"),
    path("plans/<int:plan_id>/initiatives/<int:initiative_id>/", views.initiative_page, name="initiative"),
    path("plans/<int:plan_id>/goals/", views.goals_page, name="goals"),
    path("plans/<int:plan_id>/data/", views.data_page, name="data"),
    path(
        "plans/<int:plan_id>/report/<int:inspection_id>/<int:version>/report.<str:fmt>",
        views.report_file,
        name="report_file",
    ),
    path("plans/<int:plan_id>/data/<str:filename>", views.data_file, name="data_file"),
]

# Only mounted when settings.TENKEN_BENCH_VIEWS is true (bench/bench_public.py sets it).
bench_urlpatterns = [path("bench/ping.json", views.bench_ping, name="bench_ping")]
