from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import policy
from .second_factor import confirmed_device


class SecondFactorMiddleware:
    """The admin, past its sign-in, only for a session verified with a second factor
    (django-otp's OTPMiddleware, before this one, sets `user.is_verified`) when the user
    needs one: to the enrolment page without a device, else to the code page. Signing in
    on /masuk/ instead of /admin/login/ gets no further."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_verify(request):
            user = request.user
            target = "second_factor_verify" if confirmed_device(user) else "second_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def must_verify(request) -> bool:
        admin = reverse("admin:index")
        path = request.path
        if not path.startswith(admin) or path in (reverse("admin:login"), reverse("admin:logout")):
            return False
        user = request.user
        return policy.needs_second_factor(user) and not user.is_verified()
