from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from core.search import search_redirect


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the SVG."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cari/", search_redirect, name="search_ref"),  # searches by POST, see core/search.py
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("beneficiaries.urls")),
]
