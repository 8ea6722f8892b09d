from django.urls import path, re_path

from chinhquyenso.complaints import open311, public, views

app_name = "complaints"
urlpatterns = [
    path("can-bo/khieu-nai/", views.inbox, name="home"),
    path("can-bo/khieu-nai/danh-sach/", views.case_list, name="case-list"),
    path("can-bo/khieu-nai/tiep-nhan/", views.case_receive, name="case-receive"),
    path("can-bo/khieu-nai/so-tiep-cong-dan/", views.reception_book, name="reception-book"),
    path("can-bo/khieu-nai/so-tiep-cong-dan/luot-tiep/", views.reception_visit, name="reception-visit"),
    path("can-bo/khieu-nai/so-tiep-cong-dan/lich/", views.reception_session, name="reception-session"),
    path("can-bo/khieu-nai/so-tiep-cong-dan/tra-loi/", views.reception_answer, name="reception-answer"),
    path(
        "can-bo/khieu-nai/so-tiep-cong-dan/<str:code>/nguoi-den/", views.reception_identity, name="reception-identity"
    ),
    path("can-bo/khieu-nai/so-tiep-cong-dan/<str:code>/mo-don/", views.reception_open_case, name="reception-open-case"),
    path("can-bo/khieu-nai/<str:code>/", views.case_detail, name="case-detail"),
    path("can-bo/khieu-nai/<str:code>/nguoi-gui/", views.case_identity, name="case-identity"),
    path("can-bo/khieu-nai/<str:code>/thao-tac/", views.case_action, name="case-action"),
    path("can-bo/khieu-nai/<str:code>/thong-bao/<int:seq>.pdf", views.case_notice, name="case-notice"),
    path("can-bo/khieu-nai/<str:code>/phan-cong/", views.case_assign, name="case-assign"),
    path("phan-anh/", public.report_new, name="report-new"),
    path("phan-anh/tra-cuu/", public.report_status, name="report-status-form"),
    path("phan-anh/tra-cuu/<str:code>/", public.report_status, name="report-status"),
    path("phan-anh/anh/<str:code>/", public.report_photo, name="report-photo"),
    re_path(r"^open311/v2/discovery\.(?P<fmt>json|xml)$", open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services\.(?P<fmt>json|xml)$", open311.service_list, name="open311-services"),
    re_path(r"^open311/v2/requests\.(?P<fmt>json|xml)$", open311.request_collection, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<code>[A-Za-z0-9-]+)\.(?P<fmt>json|xml)$",
        open311.request_detail,
        name="open311-request",
    ),
]
