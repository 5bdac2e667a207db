"""Routes of the reserve talent pool (后备人才库)."""

from django.urls import path

from xuanju.reserve import views

urlpatterns = [
    path("organizations/<int:pk>/reserve/", views.pool, name="reserve_pool"),
    path("organizations/<int:pk>/reserve/add/", views.put_forward, name="reserve_put_forward"),
    path("organizations/<int:pk>/reserve/search/", views.search, name="reserve_search"),
    path("organizations/<int:pk>/reserve/depth/", views.depth, name="reserve_depth"),
    path("organizations/<int:pk>/reserve/depth.xlsx", views.depth_export, name="reserve_depth_export"),
    path("reserve/<int:pk>/", views.person_detail, name="reserve_person"),
    path("reserve/<int:pk>/assess/", views.assess, name="reserve_assess"),
    path("reserve/<int:pk>/training/", views.training, name="reserve_training"),
    path("reserve/<int:pk>/status/", views.change_status, name="reserve_status"),
    path("contests/<int:pk>/reserve-nominate/", views.nominate, name="reserve_nominate"),
]
