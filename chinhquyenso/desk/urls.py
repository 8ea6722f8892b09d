from django.urls import path

from chinhquyenso.desk import booking, kiosk, views

app_name = "desk"
urlpatterns = [
    # public
    path("dat-lich/", booking.booking, name="booking"),
    path("dat-lich/quan-ly/", booking.appointment_manage, name="appointment-manage"),
    path("dat-lich/lich-hen/<str:code>/", booking.appointment_detail, name="appointment-detail"),
    path("kiosk/<str:unit_code>/", kiosk.kiosk, name="kiosk"),
    path("kiosk/<str:unit_code>/so/<int:number>/", kiosk.kiosk_ticket, name="kiosk-ticket"),
    path("bang-goi-so/<str:unit_code>/", kiosk.board, name="board"),
    path("danh-gia/<str:code>/", views.rating_page, name="rating"),
    # staff
    path("can-bo/khong-cho/", views.home, name="home"),
    path("can-bo/khong-cho/so-lieu/", views.figures, name="figures"),
    path("can-bo/khong-cho/danh-gia/", views.rating_counter_start, name="rating-counter-start"),
    path("can-bo/khong-cho/danh-gia/<str:code>/", views.rating_counter, name="rating-counter"),
    path("can-bo/khong-cho/<str:unit_code>/quay/<int:number>/", views.counter_page, name="counter"),
    path("can-bo/khong-cho/<str:unit_code>/quay/<int:number>/thao-tac/", views.counter_action, name="counter-action"),
]
