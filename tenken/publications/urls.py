from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("plans/<int:plan_id>/publication/", views.plan_publications, name="plan"),
    path("inspections/<int:inspection_id>/publication/", views.inspection_publication, name="inspection"),
    path("inspections/<int:inspection_id>/publish/", views.inspection_publish_view, name="publish"),
    path("inspections/<int:inspection_id>/figures/", views.inspection_figures_view, name="figures"),
    path("publications/<int:publication_id>/withdraw/", views.publication_withdraw_view, name="withdraw"),
    path("publications/<int:publication_id>/job.json", views.publication_job, name="job"),
]
