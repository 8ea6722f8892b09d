from django.urls import path

from chinhquyenso.core import views

app_name = "core"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password-change"),
    path("", views.staff_home, name="staff-home"),
]
