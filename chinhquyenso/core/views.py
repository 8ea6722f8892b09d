"""Staff pages of the core: sign-in and out, password change, the staff home page, health check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chinhquyenso.core.audit import audit_record, client_address
from chinhquyenso.core.forms import LoginForm, StaffPasswordChangeForm
from chinhquyenso.core.models import User


@never_cache
@require_GET
def healthz(request):
    """200 when this process can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = round(settings.AXES_COOLOFF_TIME * 60)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action="auth.login",
            actor=form.get_user(),
            object_type="User",
            object_id=str(form.get_user().pk),
            ip_address=client_address(self.request),
        )
        return response

    def form_invalid(self, form):
        audit_record(
            action="auth.login_failed",
            actor_label=form.data.get("username", "")[:150],
            ip_address=client_address(self.request),
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(
                action="auth.logout",
                actor=request.user,
                object_type="User",
                object_id=str(request.user.pk),
                ip_address=client_address(request),
            )
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = StaffPasswordChangeForm
    success_url = reverse_lazy("core:staff-home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        audit_record(
            action="auth.password_changed",
            actor=self.request.user,
            object_type="User",
            object_id=str(self.request.user.pk),
            ip_address=client_address(self.request),
        )
        return response


@login_required
def staff_home(request):
    """Who is signed in, in which role and over which unit, and where their work is."""
    staff = User.objects.select_related("scope__parent", "office").get(pk=request.user.pk)
    return render(request, "core/staff_home.html", {"staff": staff})


def csrf_failure(request, reason=""):
    """The form was sent without a valid token (an old tab, cookies blocked): say so in the user's language."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
