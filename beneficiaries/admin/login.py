"""The admin's sign-in: officials land on the admin; anyone else is sent to the pages."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


class OfficialLoginForm(AdminAuthenticationForm):
    """Django's admin sign-in, but a village head, camat or cadre (no `is_staff`: the role
    decides, regions.policy.role_uses_admin) is told where they do sign in, not just that the
    password is wrong."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "pages_user": gettext_lazy(
            "Akun ini bekerja di halaman desa, bukan di admin. Masuk melalui halaman desa."
        ),
    }

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # an inactive account: refused as usual
        if not user.is_staff:
            raise ValidationError(self.error_messages["pages_user"], code="pages_user")
