"""Households (one KK each) and their members, written through the household services."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from core.access import record_accesses
from core.admin import ScopedAdminMixin, ScopedInlineMixin, copy_saved, mark_formset_saved
from core.models import AccessKind
from regions.admin_filters import region_filters

from ..identity import mask_kk, mask_nik, sees_every_number_whole
from ..models import Household, Person
from ..selectors import head_name_subquery
from ..services import add_member, register_household, update_household, update_person
from ..services.households import MEMBER_FIELDS
from .identity import IdentityAdminMixin, IdentitySearchMixin, ServiceValidatedForm, sees_full_identity
from .privacy import PrivacyActionsMixin

MEMBER_FORM_FIELDS = [
    "nik", "has_no_nik", "full_name", "sex", "birth_date", "relation", "is_female_head", "has_disability",
]  # fmt: skip


def masked_fields(fields: list, full: bool) -> list:
    """Without full view a NIK or KK is shown masked and cannot be read or typed over."""
    if full:
        return fields
    masked = {"nik": "masked_nik", "kk_number": "masked_kk"}
    return [masked.get(f, f) if isinstance(f, str) else f for f in fields]


class MemberForm(ServiceValidatedForm):
    """A member's row of the household page, with the version it was shown at: a row
    changed by someone else since is refused by update_person (the newer data stays)."""

    seen_version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version


class PersonInline(ScopedInlineMixin, TabularInline):
    model = Person
    form = MemberForm
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = gettext_lazy("anggota keluarga")

    def _full(self, request, household) -> bool:
        if household is None:  # registering: may the official type members' NIKs at all
            return sees_every_number_whole(request.user)
        return sees_full_identity(request, household.village_id)

    def get_fields(self, request, obj=None):
        return [*masked_fields(MEMBER_FORM_FIELDS, self._full(request, obj)), "seen_version"]

    def get_readonly_fields(self, request, obj=None):
        return [] if self._full(request, obj) else ["masked_nik"]

    def has_add_permission(self, request, obj=None):
        # Typing a NIK needs the NIK visible; officials without it add members on the
        # person's own page.
        return self._full(request, obj) and super().has_add_permission(request, obj)

    @admin.display(description=gettext_lazy("NIK"))
    def masked_nik(self, obj):
        return mask_nik(obj.nik)


def member_data(form) -> dict:
    return {f: form.cleaned_data[f] for f in MEMBER_FIELDS if f in form.cleaned_data}


def member_label(field: str) -> str:
    """`members.0.nik` -> `Anggota 1, NIK`."""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "members" and parts[1].isdigit():
        name = Person._meta.get_field(parts[2]).verbose_name if parts[2] in MEMBER_FIELDS else parts[2]
        return _("Anggota %(n)s, %(field)s") % {"n": int(parts[1]) + 1, "field": name}
    return _("Anggota keluarga") if field == "members" else field


@admin.register(Household)
class HouseholdAdmin(
    ScopedAdminMixin, IdentityAdminMixin, IdentitySearchMixin, SimpleHistoryAdmin, ModelAdmin
):
    list_display = ["household_header", "village", "address", "rt_rw", "desil", "member_count", "created_at"]
    list_display_links = ["household_header"]
    ordering = ["-created_at", "-id"]  # explicit: the member count groups the rows
    scoped_select_related = ("village",)
    list_filter = [*region_filters(), "desil"]
    search_fields = ["kk_number", "members__nik", "members__full_name"]  # see IdentitySearchMixin
    search_help_text = gettext_lazy("Cari nomor KK, NIK lengkap, atau nama anggota.")
    autocomplete_fields = ["village"]
    inlines = [PersonInline]
    readonly_fields = ["masked_kk", "district", "regency", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kk_number", "village", "address", ("rt", "rw"), "desil"]}),
        (
            gettext_lazy("Pencatatan"),
            {"fields": [("district", "regency"), "created_by", ("created_at", "updated_at")]},
        ),
    ]

    def identity_village(self, obj):
        return obj.village_id

    def record_full_identity(self, request, obj) -> None:
        super().record_full_identity(request, obj)  # the KK, then the members' NIKs in the inline
        members = Person.objects.filter(household=obj).only("pk")
        record_accesses(
            actor=request.user, kind=AccessKind.FULL_NIK, objects=members, region_code=obj.village_id
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets  # registering: the official types the KK
        full = self.sees_full(request, obj)
        return [(name, {**opts, "fields": masked_fields(opts["fields"], full)}) for name, opts in fieldsets]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(head_name=head_name_subquery("pk"), member_count=Count("members", distinct=True))
        )

    # Ordered by name, not KK: an order by KK would tell where a masked number falls.
    @display(description=gettext_lazy("rumah tangga"), ordering="head_name", header=True)
    def household_header(self, obj):
        kk = _("KK %(kk)s") % {"kk": mask_kk(obj.kk_number)}
        return obj.head_name or _("(belum ada kepala keluarga)"), kk

    @admin.display(description=gettext_lazy("nomor KK"))
    def masked_kk(self, obj):
        return mask_kk(obj.kk_number) if obj else "—"

    @display(description=gettext_lazy("anggota"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @display(description=gettext_lazy("RT/RW"))
    def rt_rw(self, obj):
        return f"{obj.rt}/{obj.rw}"

    def domain_error_label(self, field):
        return member_label(field)

    def save_model(self, request, obj, form, change):
        if change:
            fields = [
                f for f in form.changed_data if f in {"village", "address", "rt", "rw", "desil", "kk_number"}
            ]
            saved = update_household(
                actor=request.user,
                household=obj,
                expected_version=self.expected_version(request),
                **{f: form.cleaned_data[f] for f in fields},
            )
            copy_saved(obj, saved)
        # A new household is registered with its members at once, in save_related.

    def save_related(self, request, form, formsets, change):
        if not change:
            self._register(request, form, formsets)
            return
        for formset in formsets:
            self._save_members(request, form.instance, formset)

    def _register(self, request, form, formsets):
        forms = [f for fs in formsets for f in fs.forms if f.has_changed() and f.cleaned_data]
        data = form.cleaned_data
        household = register_household(
            actor=request.user,
            village=data["village"],
            kk_number=data["kk_number"],
            address=data["address"],
            rt=data["rt"],
            rw=data["rw"],
            desil=data.get("desil"),
            members=[member_data(f) for f in forms],
        )
        copy_saved(form.instance, household)
        for formset in formsets:
            mark_formset_saved(formset, new=list(household.members.all()))

    def _save_members(self, request, household, formset):
        new, changed = [], []
        for form in formset.forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            if form.instance.pk is None:
                new.append(add_member(actor=request.user, household=household, **member_data(form)))
            else:
                fields = {f: form.cleaned_data[f] for f in form.changed_data if f in MEMBER_FIELDS}
                seen = form.cleaned_data.get("seen_version")
                person = update_person(actor=request.user, person=form.instance, expected_version=seen, **fields)
                changed.append((person, list(fields)))
        mark_formset_saved(formset, new=new, changed=changed)


@admin.register(Person)
class PersonAdmin(
    ScopedAdminMixin,
    PrivacyActionsMixin,
    IdentityAdminMixin,
    IdentitySearchMixin,
    SimpleHistoryAdmin,
    ModelAdmin,
):
    list_display = ["full_name", "nik_masked", "sex", "birth_date", "relation", "household", "village"]
    list_display_links = ["full_name"]
    scoped_select_related = ("household__village",)
    list_filter = [
        *region_filters("household__"),
        "sex",
        "relation",
        "is_female_head",
        "has_disability",
        "nik_outside_banten",
    ]
    search_fields = ["nik", "full_name", "household__kk_number"]  # see IdentitySearchMixin
    search_help_text = gettext_lazy("Cari NIK lengkap, nama, atau nomor KK.")
    autocomplete_fields = ["household"]

    @display(description=gettext_lazy("NIK"))  # no ordering: it would place the masked serial
    def nik_masked(self, obj):
        return mask_nik(obj.nik)

    def identity_village(self, obj):
        return obj.household.village_id

    @display(description=gettext_lazy("desa/kelurahan"))
    def village(self, obj):
        return obj.household.village

    @admin.display(description=gettext_lazy("NIK"))
    def masked_nik(self, obj):
        return mask_nik(obj.nik) if obj else "—"

    def get_fields(self, request, obj=None):
        fields = ["household", *MEMBER_FORM_FIELDS]
        if obj is None:
            return fields
        full = self.sees_full(request, obj)
        return [*masked_fields(fields, full), "nik_outside_banten", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["household", "masked_nik", "nik_outside_banten", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            fields = {f: form.cleaned_data[f] for f in form.changed_data if f in MEMBER_FIELDS}
            saved = update_person(
                actor=request.user, person=obj, expected_version=self.expected_version(request), **fields
            )
        else:
            saved = add_member(
                actor=request.user, household=form.cleaned_data["household"], **member_data(form)
            )
        copy_saved(obj, saved)
