from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class PageLanguageMiddleware(LocaleMiddleware):
    """Pages and the admin speak Bahasa Indonesia unless the user picks English with the
    language switch (a cookie): an officer's phone or browser set to English must not
    turn the programme's pages English by itself. The API still honours Accept-Language,
    so other systems get errors in the language they ask for."""

    def process_request(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


def _with_nul(data) -> str | None:
    """The first parameter whose name or a value holds a NUL byte."""
    for key in data:
        if "\x00" in key or any("\x00" in value for value in data.getlist(key)):
            return key.replace("\x00", "") or "non_field_errors"
    return None


class RefuseNulMiddleware:
    """A NUL byte in a query string or a form is never a name, a code or a filter: no
    database stores it (PostgreSQL refuses it in text, deep inside a filter or an
    autocomplete, as a 500). Refuse it here, at the door, with a 400 in Indonesian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _with_nul(request.GET) or (_with_nul(request.POST) if request.method == "POST" else None)
        if field is not None:
            return self.refuse(request, field)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, field: str) -> HttpResponse:
        message = _("Permintaan berisi karakter yang tidak sah (byte NUL). Periksa isian lalu coba lagi.")
        if request.path.startswith("/api/"):  # the API's 400 shape: {field: [messages]}
            return JsonResponse({field: [message]}, status=400)
        body = render_to_string("400.html", {"message": message}, request=request)
        return HttpResponseBadRequest(body)
