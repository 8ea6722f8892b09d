from django.urls import path

from chinhquyenso.citizens import views

app_name = "citizens"
urlpatterns = [
    path("dang-nhap-cong-dan/", views.sign_in, name="sign-in"),
    path("dang-nhap-cong-dan/nhap-ma/", views.sign_in_code, name="sign-in-code"),
    path("dang-nhap-cong-dan/vneid/", views.sign_in_vneid, name="sign-in-vneid"),
    path("dang-nhap-cong-dan/vneid/callback/", views.vneid_callback, name="vneid-callback"),
    path("dang-xuat-cong-dan/", views.sign_out, name="sign-out"),
    path("nop-truc-tuyen/<str:code>/", views.online_filing, name="online-filing"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my-dossier"),
    path("ho-so-cua-toi/<str:code>/giay-to/<int:document_id>/", views.my_document, name="my-document"),
    path("ho-so-cua-toi/<str:code>/ket-qua/", views.my_result, name="my-result"),
    path("ho-so-cua-toi/<str:code>/thanh-toan/", views.payment_start, name="payment-start"),
    path("thanh-toan/ket-qua/", views.payment_return, name="payment-return"),
    path("ket-qua/<str:result_code>/", views.result_verify, name="result-verify"),
    path("can-bo/ket-qua-dien-tu/<str:code>/", views.staff_electronic_result, name="staff-electronic-result"),
    # local stand-ins of the national systems (404 unless CITIZEN_STAND_INS)
    path("vneid-mo-phong/", views.vneid_stand_in, name="vneid-stand-in"),
    path("thanh-toan-mo-phong/<str:reference>/", views.payment_stand_in, name="payment-stand-in"),
    path("hop-thu-mo-phong/", views.stand_in_outbox, name="stand-in-outbox"),
]
