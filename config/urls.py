from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from chinhquyenso.api.api import api
from chinhquyenso.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("ngon-ngu/", set_language, name="set-language"),
    path("can-bo/ho-so/", include("chinhquyenso.procedures.urls")),
    path("", include("chinhquyenso.complaints.urls")),
    path("can-bo/chi-so/", include("chinhquyenso.metrics.urls")),
    path("chi-so-phuc-vu/", include("chinhquyenso.metrics.public_urls")),
    path("can-bo/thong-bao/", include("chinhquyenso.notifications.urls")),
    path("can-bo/", include("chinhquyenso.core.urls")),
    path("quan-tri/", admin.site.urls),
    path("", include("chinhquyenso.citizens.urls")),
    path("", include("chinhquyenso.desk.urls")),
    path("", include("chinhquyenso.portal.urls")),
]
