from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tenken.web.views import legacy_login

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    # the one login is /login/ (tenken.web); the old address redirects there, keeping ``next``
    path("login/", legacy_login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("login")), name="logout"),
    path("open/", views.round_open, name="open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="remind"),
    path("rounds/<int:pk>/close/", views.round_close, name="close"),
    path("rounds/<int:pk>/reopen/", views.round_reopen, name="reopen"),
    path("rounds/<int:pk>/workbooks.zip", views.round_workbooks, name="workbooks"),
    path("rounds/<int:pk>/upload/", views.round_upload, name="round_upload"),
    path("plans/<int:plan_pk>/assignments/", views.assignments, name="assignments"),
    path("notifications/", views.notifications, name="notifications"),
    path("responses/<int:pk>/", views.response_detail, name="response"),
    path("responses/<int:pk>/workbook.xlsx", views.response_download, name="workbook"),
    path("responses/<int:pk>/upload/", views.response_upload, name="upload"),
    path("responses/<int:pk>/submit/", views.response_submit, name="submit"),
    path("responses/<int:pk>/approve/", views.response_approve, name="approve"),
    path("responses/<int:pk>/return/", views.response_return, name="return"),
    path("responses/<int:pk>/initiatives/<int:initiative_pk>/", views.answer, name="answer"),
]
