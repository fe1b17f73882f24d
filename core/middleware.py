from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware


class PageLanguageMiddleware(LocaleMiddleware):
    """Pages and the admin speak Bahasa Indonesia unless the user picks English with the
    language switch (a cookie): an officer's phone or browser set to English must not
    turn the programme's pages English by itself. The API still honours Accept-Language,
    so other systems get errors in the language they ask for."""

    def process_request(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


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
