"""`/api/v1/` itself: where the documentation and the schema are, for a person (HTML) or a
program (JSON, also the answer to `Accept: */*`). Public: it names no data."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ApiRootView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, TemplateHTMLRenderer]
    template_name = "api/root.html"
    schema = None  # not an operation of the API
    resources: list[str] = []  # the router's prefixes, given by urls.py

    def get(self, request: Request) -> Response:
        def url(name: str, **kwargs) -> str:
            return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))

        links = {
            "docs": url("api:docs"),
            "schema": url("api:schema"),
            "token": url("api:token"),
            "resources": {
                prefix: request.build_absolute_uri(f"{reverse('api:root')}{prefix}/")
                for prefix in self.resources
            },
        }
        return Response(
            {
                "title": _("API Banten PM, versi 1"),
                "description": _(
                    "Data dan aturan yang sama dengan halaman desa dan admin. Masuk dengan token "
                    "(POST ke alamat token) lalu kirim header Authorization: Token <token>."
                ),
                **links,
            }
        )
