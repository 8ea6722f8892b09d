from django.urls import path

from chinhquyenso.portal import catalog, tracking, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu-ho-so/", views.dossier_track, name="dossier-track"),
    path("tra-cuu/<str:code>/", tracking.dossier_track_by_code, name="tracking"),
    path("thu-tuc/", catalog.procedure_list, name="procedure-list"),
    path("thu-tuc/<str:code>/", catalog.procedure_detail, name="procedure-detail"),
]
