"""Sign-in, sign-out and password change are Django's own views with our templates; the
second factor for the admin (enrolment and the code) is ours, over regions.second_factor."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from regions import policy, second_factor


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return response


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("admin:index")


def _code_is_valid(form_code: str) -> bool:
    return form_code.isdigit() and len(form_code) == 6


@login_required
def second_factor_setup(request):
    """Enrolment: the QR code (and the key as text) for an authenticator app, then the
    first code it shows. Someone who has a device already is sent to the code page."""
    if not policy.needs_second_factor(request.user):
        return redirect("home")
    if second_factor.confirmed_device(request.user):
        return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = second_factor.enrolment_device(user=request.user)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        if _code_is_valid(code) and second_factor.confirm_enrolment(
            request=request, device=device, code=code
        ):
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return redirect(_next_url(request))
        error = _("Kode salah atau sudah kedaluwarsa. Masukkan 6 angka yang tampil di aplikasi sekarang.")
    uri = device.config_url
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "qr_svg": qr_svg(uri),
            "secret": second_factor.secret_of(device),
            "uri": uri,
            "error": error,
            "next": _next_url(request),
        },
    )


@login_required
def second_factor_verify(request):
    """The code from the authenticator app, once per session, before the admin."""
    if not policy.needs_second_factor(request.user):
        return redirect("home")
    if not second_factor.confirmed_device(request.user):
        return redirect(f"{reverse('second_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        if _code_is_valid(code) and second_factor.verify_session(request=request, code=code):
            return redirect(_next_url(request))
        error = _("Kode salah atau sudah kedaluwarsa. Masukkan 6 angka yang tampil di aplikasi sekarang.")
    return render(
        request, "registration/second_factor_verify.html", {"error": error, "next": _next_url(request)}
    )


def qr_svg(text: str) -> str:
    """The QR code as inline SVG markup (qrcode's path image: no script, no style)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
