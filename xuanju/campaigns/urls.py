from django.urls import path

from xuanju.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_board, name="campaign_board"),
    path("campaigns/<int:pk>/start/", views.campaign_start, name="campaign_start"),
    path("campaigns/<int:pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/progress.xlsx", views.campaign_progress_xlsx, name="campaign_progress_xlsx"),
    path("campaigns/<int:pk>/progress.pdf", views.campaign_progress_pdf, name="campaign_progress_pdf"),
]
