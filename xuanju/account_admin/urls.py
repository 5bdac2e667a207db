from django.contrib.auth import views as auth_views
from django.urls import path

from xuanju.account_admin import views, views_setup
from xuanju.account_admin.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_change_done",
    ),
    path("setup/", views_setup.first_run, name="first_run"),
    path("inbox/", views_setup.inbox_page, name="inbox"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/reset/", views.account_reset, name="account_reset"),
    path("accounts/<int:pk>/active/", views.account_active, name="account_active"),
    path("accounts/bulk/secretaries/", views.bulk_secretaries, name="account_bulk_secretaries"),
    path("accounts/bulk/members/<int:pk>/", views.bulk_members, name="account_bulk_members"),
    path("meetings/<int:pk>/accounts/", views.meeting_accounts, name="meeting_accounts"),
]
