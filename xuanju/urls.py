from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("xuanju.account_admin.urls")),
    path("", include("xuanju.organizations.urls")),
    path("", include("xuanju.organizations.roster_urls")),
    path("", include("xuanju.organizations.tree_urls")),
    path("", include("xuanju.organizations.urls_between")),
    path("", include("xuanju.elections.urls")),
    path("", include("xuanju.counting.urls")),
    path("", include("xuanju.documents.urls")),
    path("", include("xuanju.supervision.urls")),
    path("", include("xuanju.vetting.urls")),
    path("", include("xuanju.reserve.urls")),
    path("", include("xuanju.congress.urls")),
    path("", include("xuanju.venue.urls")),
    path("", include("xuanju.campaigns.urls")),
    path("", include("xuanju.campaigns.urls_structure")),
]
