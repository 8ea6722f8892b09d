from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "chinhquyenso.complaints"
    label = "complaints"
    verbose_name = _("Tiếp công dân, khiếu nại, tố cáo, phản ánh")

    def ready(self) -> None:
        from chinhquyenso.complaints import checks  # noqa: F401 (registers the deployment check)
