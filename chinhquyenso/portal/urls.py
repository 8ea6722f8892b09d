from django.urls import path

from chinhquyenso.portal import tracking, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu-ho-so/", views.dossier_track, name="dossier-track"),
    path("tra-cuu/<str:code>/", tracking.dossier_track_by_code, name="tracking"),
]
