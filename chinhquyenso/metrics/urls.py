from django.urls import path

from chinhquyenso.metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="home"),
    path("bao-cao.<str:fmt>", views.report, name="report"),
]
