from django.urls import path

from chinhquyenso.metrics import views

app_name = "metrics-public"
urlpatterns = [path("", views.public_index, name="index")]
