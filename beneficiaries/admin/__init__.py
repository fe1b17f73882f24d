"""The officials' admin for case work (django-unfold). Visibility and the service calls
are shared through `core.admin.ScopedAdminMixin`; each module registers its models."""

from django.contrib import admin

from . import business, cases, groups, growth, imports, people  # noqa: F401  (registers the ModelAdmins)
from .login import OfficialLoginForm

admin.site.login_form = OfficialLoginForm
