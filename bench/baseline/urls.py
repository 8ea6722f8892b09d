from django.http import JsonResponse
from django.urls import path


def status(request):
    """The smallest useful answer: what /healthz returns, without the database round trip."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("", status)]
