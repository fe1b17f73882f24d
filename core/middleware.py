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
