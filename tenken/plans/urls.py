from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("<int:plan_id>/", views.plan_page, name="plan"),
    path("<int:plan_id>/initiatives/<int:initiative_id>/", views.initiative_history, name="initiative_history"),
    path("<int:plan_id>/edit/", views.edit, name="edit"),
    path("<int:plan_id>/edit/sections/add/", views.section_add, name="section_add"),
    path("<int:plan_id>/edit/sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path("<int:plan_id>/edit/sections/<int:section_id>/<str:action>/", views.section_action, name="section_action"),
    path("<int:plan_id>/edit/initiatives/add/", views.initiative_add, name="initiative_add"),
    path("<int:plan_id>/edit/initiatives/<int:initiative_id>/", views.initiative_edit, name="initiative_edit"),
    path("<int:plan_id>/edit/goals/", views.goals_edit, name="goals_edit"),
    path("<int:plan_id>/edit/successor/", views.successor_create, name="successor"),
    path("<int:plan_id>/edit/carry-over/", views.carry_over, name="carry_over"),
    path("milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
]
