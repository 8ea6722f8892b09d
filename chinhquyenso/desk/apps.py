from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "chinhquyenso.desk"
    label = "desk"
    verbose_name = _("Không chờ đợi: lịch hẹn, xếp hàng, đánh giá")
