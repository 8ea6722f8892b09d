from django.urls import path

from chinhquyenso.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.inbox, name="home"),
    path("tiep-nhan/", views.intake, name="dossier-intake"),
    path("danh-sach/", views.dossier_list, name="dossier-list"),
    path("so-theo-doi/", views.dossier_register, name="dossier-register"),
    path("<str:code>/", views.dossier_detail, name="dossier-detail"),
    path("<str:code>/thao-tac/", views.dossier_action, name="dossier-action"),
    path("<str:code>/mau/<str:form>.pdf", views.dossier_form_pdf, name="dossier-form"),
    path("<str:code>/giay-to/<int:document_id>/", views.attachment_download, name="dossier-attachment"),
]
