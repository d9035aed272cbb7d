"""The baseline for `make load`'s throughput figures: one JsonResponse view under the platform's own
settings and middleware, served by gunicorn the same way, and reachable only here (not a product route)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

ROWS = [{"id": i, "name": f"第{i}党支部", "kind": "branch"} for i in range(1, 21)]


def bare(request):
    """Twenty fixed rows, no database: what Django and gunicorn cost before any query or serializer."""
    return JsonResponse({"count": len(ROWS), "results": ROWS})


urlpatterns = [path("bare/", bare)]
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
