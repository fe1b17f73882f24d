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


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class RefuseNulMiddleware:
    """A NUL byte in a query string or a form is never a name, a code or a filter: no
    database stores it (PostgreSQL refuses it in text, deep inside a filter or an
    autocomplete, as a 500). Refuse it here, at the door, with a 400 in Indonesian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        message = _("Permintaan berisi karakter yang tidak sah (byte NUL). Periksa isian lalu coba lagi.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        body = render_to_string("400.html", {"message": message}, request=request)
        return HttpResponseBadRequest(body)
