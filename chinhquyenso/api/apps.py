from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "chinhquyenso.api"
    label = "api"
