from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "chinhquyenso.citizens"
    label = "citizens"
    verbose_name = _("Công dân: tài khoản, nộp hồ sơ trực tuyến, kết quả điện tử")

    def ready(self) -> None:
        from chinhquyenso.citizens import checks  # noqa: F401 (registers the deployment check)
