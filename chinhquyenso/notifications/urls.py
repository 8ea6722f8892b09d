from django.urls import path

from chinhquyenso.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<str:public_id>/", views.notification_detail, name="notification-detail"),
    path("<str:public_id>/gui-lai/", views.notification_resend, name="notification-resend"),
]
