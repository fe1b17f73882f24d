import time

from csp.middleware import CSPMiddleware
from django.conf import settings
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY: our own scripts and styles
    only, nothing inline), loosened where code we do not own needs it:
    CSP_PATH_RELAXATIONS maps a path prefix to the sources it adds (the admin's Alpine.js
    evaluates its attributes, unfold writes inline styles; Swagger UI styles inline)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None:
            for prefix, extra in settings.CSP_PATH_RELAXATIONS.items():
                if request.path.startswith(prefix):
                    parts.update = extra
                    break
        return parts


class PermissionsPolicyMiddleware:
    """Permissions-Policy: the browser features no page of ours uses are switched off, so
    an injected script cannot reach the camera, the microphone or the location."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response


class SlidingSessionMiddleware:
    """A session ends SESSION_COOKIE_AGE after its last request, as SESSION_SAVE_EVERY_REQUEST
    would make it, but its row and cookie are written again only when something in it changed
    or its last write is SESSION_REFRESH_SECONDS old: reading a page no longer costs an UPDATE
    of the session (and a Set-Cookie) every time, and the idle limit holds to within that
    interval. A cookie that names no live session starts none."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        written = session.get(self.KEY, 0)  # loads it, if nothing did
        if session.is_empty():  # the cookie's session had expired or never existed
            return response
        now = int(time.time())
        # Never less often than twice an age: a short SESSION_COOKIE_AGE still slides.
        interval = min(settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 2)
        if session.modified or now - written >= interval:
            session[self.KEY] = now  # marks it modified: SessionMiddleware saves it and resets the cookie
        return response
