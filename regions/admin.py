"""The region reference (read-only) and the users who work in it.

Every account write goes through `regions.services` (create, one at a time or from a CSV;
role and region; password; active; name and email), so each user gets the permission group
of their role and an official manages only users of a lower level inside their own region
(`regions.policy`). Peers and the official's own role are shown read-only.
"""

import copy
from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeDateFilter, RelatedDropdownFilter
from unfold.decorators import action, display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm
from unfold.widgets import UnfoldAdminFileFieldWidget

from core.admin import ScopedAdminMixin, copy_saved, long_date
from core.errors import DomainError
from core.models import AccessLog
from core.pagination import EstimatingPaginator
from regions.admin_filters import DistrictFilter, RegencyFilter

from . import policy
from .models import District, Regency, RegionListLoad, User, Village
from .selectors import (
    districts_visible_to,
    regencies_visible_to,
    region_codes_q,
    users_visible_to,
    villages_visible_to,
)
from .services import (
    change_user_role,
    create_user,
    import_users_csv,
    set_active,
    set_password,
    set_superuser,
    update_user_details,
)


class ReadOnlyAdmin(ScopedAdminMixin, ModelAdmin):
    """The Kemendagri list is loaded from the bundled file, never edited by hand."""

    search_help_text = gettext_lazy("Cari kode Kemendagri atau nama wilayah.")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Regency)
class RegencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "zone", "is_active"]
    list_filter = ["kind", "zone", "is_active"]
    search_fields = ["^code", "name"]

    def visible_queryset(self, request):
        return regencies_visible_to(request.user)


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "regency", "is_active"]
    list_filter = [RegencyFilter, "is_active"]
    search_fields = ["^code", "name"]
    scoped_select_related = ("regency",)

    def visible_queryset(self, request):
        return districts_visible_to(request.user)


@admin.register(Village)
class VillageAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "district", "regency", "is_active"]
    list_filter = [RegencyFilter, DistrictFilter, "kind", "is_active"]
    search_fields = ["^code", "name", "district__name"]
    scoped_select_related = ("district", "regency")

    def visible_queryset(self, request):
        return villages_visible_to(request.user)


@admin.register(RegionListLoad)
class RegionListLoadAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source", "added", "renamed", "retired", "deleted", "sha256"]

    def visible_queryset(self, request):
        if region_codes_q(request.user) is None:
            return RegionListLoad.objects.none()
        return RegionListLoad.objects.all()


@contextmanager
def region_field_named(field: str):
    """The services call the region "region" (as the CSV column); the form field differs."""
    try:
        yield
    except DomainError as error:
        errors = {field if key == "region" else key: value for key, value in error.errors.items()}
        raise DomainError(code=error.code, errors=errors) from None


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV"),
        widget=UnfoldAdminFileFieldWidget,
        help_text=gettext_lazy(
            "Kolom: username, role, region, dan bila perlu email, password. Role salah satu dari "
            "province, regency, district, village, cadre; region kode Kemendagri, misalnya 36.01.01.2001."
        ),
    )

    def clean_file(self):
        raw = self.cleaned_data["file"].read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Berkas harus teks CSV dengan pengodean UTF-8.")) from None


class UserAddForm(forms.ModelForm):
    """Only what create_user takes; it assigns the role's group and checks the region."""

    password = forms.CharField(
        label=gettext_lazy("Kata sandi"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Kosongkan bila pengguna akan mengatur sandinya sendiri lewat email."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "region_code"]


class ServicePasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password page, written by `set_password` with the acting official."""

    actor: User | None = None

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        self.user = set_password(
            actor=self.actor, user=self.user, password=self.cleaned_data["password1"] if usable else None
        )
        return self.user


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    change_password_form = ServicePasswordChangeForm
    list_display = ["user_header", "role_badge", "region_code", "email", "is_active", "last_seen"]
    list_display_links = ["user_header"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "^region_code"]
    search_help_text = gettext_lazy("Cari nama pengguna, nama, email, atau kode wilayah.")
    ordering = ["region_code", "username"]
    actions_list = ["import_csv"]
    add_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email"]}),
        (gettext_lazy("Peran dan wilayah"), {"fields": ["role", "region_code", "password"]}),
    ]

    def visible_queryset(self, request):
        return users_visible_to(request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            (None, {"fields": ["username", "password"]}),
            (gettext_lazy("Data diri"), {"fields": ["first_name", "last_name", "email"]}),
            (gettext_lazy("Peran dan wilayah"), {"fields": ["role", "region_code", "is_active"]}),
            (gettext_lazy("Waktu"), {"fields": ["last_login", "date_joined"], "classes": ["tab"]}),
        ]
        if request.user.is_superuser:
            fieldsets.insert(
                3,
                (
                    gettext_lazy("Hak akses"),
                    {
                        "fields": ["is_staff", "is_superuser", "groups", "user_permissions"],
                        "classes": ["tab"],
                    },
                ),
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = ["username", "last_login", "date_joined", "is_staff"]  # is_staff follows the role
        if not policy.may_manage(request.user, obj):  # one's own account: name, email, password
            fields += ["role", "region_code", "is_active", "is_superuser"]
        return fields

    def has_add_permission(self, request):
        return super().has_add_permission(request) and policy.may_manage_users(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policy.may_edit_account(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class OnlyManageableRoles(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                role = self.fields.get("role")
                if role is not None and not actor.is_superuser:
                    role.choices = [c for c in role.choices if c[0] in policy.manageable_roles(actor)]

        OnlyManageableRoles.__name__ = form.__name__
        return OnlyManageableRoles

    def user_change_password(self, request, id, form_url=""):
        # The admin instance is shared between requests: bind the actor on a copy.
        bound = copy.copy(self)
        bound.change_password_form = type(
            "ServicePasswordChangeForm", (ServicePasswordChangeForm,), {"actor": request.user}
        )
        return super(UserAdmin, bound).user_change_password(request, id, form_url)

    @display(description=gettext_lazy("pengguna"), ordering="username", header=True)
    def user_header(self, obj):
        return obj.username, obj.get_full_name()

    @display(description=gettext_lazy("terakhir masuk"), ordering="last_login")
    def last_seen(self, obj):
        return long_date(timezone.localtime(obj.last_login).date()) if obj.last_login else "—"

    @display(description=gettext_lazy("peran"), ordering="role", label=True)
    def role_badge(self, obj):
        return obj.get_role_display() or "—"

    def save_model(self, request, obj, form, change):
        data, actor = form.cleaned_data, request.user
        with region_field_named("region_code"):
            if not change:
                user = create_user(
                    actor=actor,
                    username=data["username"],
                    role=data["role"],
                    region_code=data.get("region_code", ""),
                    email=data.get("email") or "",
                    password=data.get("password") or None,
                    first_name=data.get("first_name") or "",
                    last_name=data.get("last_name") or "",
                )
                return copy_saved(obj, user)
            self._save_changes(actor, obj, data, set(form.changed_data))
        copy_saved(obj, User.objects.get(pk=obj.pk))

    def _save_changes(self, actor, obj, data, changed: set[str]) -> None:
        """Each changed part of the account through its service; nothing written around them."""
        if {"first_name", "last_name", "email"} & changed:
            update_user_details(
                actor=actor,
                user=obj,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        if {"role", "region_code"} & changed:
            change_user_role(actor=actor, user=obj, role=data["role"], region_code=data["region_code"])
        if "is_active" in changed:
            set_active(actor=actor, user=obj, active=data["is_active"])
        if "is_superuser" in changed:
            set_superuser(actor=actor, user=obj, value=data["is_superuser"])

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @action(
        description=gettext_lazy("Impor pengguna dari CSV"),
        url_path="impor-csv",
        icon="upload_file",
        permissions=["add"],
    )
    def import_csv(self, request):
        form = UserImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = import_users_csv(form.cleaned_data["file"], actor=request.user)
            if report.created:
                messages.success(request, _("%(n)s pengguna dibuat.") % {"n": len(report.created)})
            if report.rejected:
                messages.warning(request, _("%(n)s baris ditolak.") % {"n": len(report.rejected)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Impor pengguna dari CSV"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/regions/user/import.html", context)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(DjangoGroupAdmin, ModelAdmin):
    """The permission group of each role, kept by regions.roles.ensure_role_groups after
    every migrate; shown in the same look as the rest of the admin."""


@admin.register(AccessLog)
class AccessLogAdmin(ModelAdmin):
    """The personal-data access log (UU 27/2022), for province officials to read: never
    added, changed or deleted here (the model and, on PostgreSQL, a trigger refuse it too)."""

    list_display = ["at", "actor", "kind", "object_type", "object_id", "row_count", "region_code", "path"]
    list_filter = [
        ("actor", RelatedDropdownFilter),
        "kind",
        ("at", RangeDateFilter),
    ]  # no filter by object type: its choices would be a DISTINCT over every row
    list_filter_submit = True
    search_fields = ["actor__username", "actor__first_name", "actor__last_name"]
    search_help_text = gettext_lazy("Cari nama pengguna atau nama pejabat yang mengakses.")
    list_select_related = ["actor"]
    list_per_page = 100
    show_full_result_count = False  # a count over millions of rows on every page: no
    paginator = EstimatingPaginator
    readonly_fields = [f.name for f in AccessLog._meta.fields]

    def get_queryset(self, request):
        if not policy.may_read_access_log(request.user):
            return AccessLog.objects.none()
        return super().get_queryset(request)

    def has_module_permission(self, request):
        return policy.may_read_access_log(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_read_access_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
