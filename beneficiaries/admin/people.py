"""Households (one KK each) and their members, written through the household services."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from core.admin import ScopedAdminMixin, ScopedInlineMixin, copy_saved, mark_formset_saved
from regions.admin_filters import region_filters

from ..identity import mask_nik
from ..models import Household, Person, Relation
from ..services import add_member, register_household, update_household, update_person
from ..services.households import MEMBER_FIELDS

FULL_NIK_PERMISSION = "beneficiaries.view_full_nik"
MEMBER_FORM_FIELDS = [
    "nik", "has_no_nik", "full_name", "sex", "birth_date", "relation", "is_female_head", "has_disability",
]  # fmt: skip


def sees_full_nik(request) -> bool:
    return request.user.has_perm(FULL_NIK_PERMISSION)


def nik_fields(request, fields: list[str]) -> list[str]:
    """Without the permission the NIK is shown masked and cannot be read or typed over."""
    if sees_full_nik(request):
        return fields
    return ["masked_nik" if f == "nik" else f for f in fields]


class MaskedNikHistory(HistoricalRecordContextHelper):
    def __init__(self, *args, full_nik: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.full_nik = full_nik

    def prepare_delta_change_value(self, change, value):
        if change.field == "nik" and not self.full_nik:
            return mask_nik(value)
        return super().prepare_delta_change_value(change, value)


class NikHistoryMixin:
    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedNikHistory(self.model, historical_record, full_nik=sees_full_nik(request))


class PersonInline(ScopedInlineMixin, TabularInline):
    model = Person
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = gettext_lazy("anggota keluarga")

    def get_fields(self, request, obj=None):
        return nik_fields(request, MEMBER_FORM_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return [] if sees_full_nik(request) else ["masked_nik"]

    def has_add_permission(self, request, obj=None):
        # Typing a NIK needs the NIK visible; officials without it add members on the
        # person's own page.
        return sees_full_nik(request) and super().has_add_permission(request, obj)

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
class HouseholdAdmin(ScopedAdminMixin, NikHistoryMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["household_header", "village", "address", "rt_rw", "desil", "member_count", "created_at"]
    list_display_links = ["household_header"]
    scoped_select_related = ("village",)
    list_filter = [*region_filters(), "desil"]
    search_fields = ["^kk_number", "=members__nik", "members__full_name"]
    search_help_text = gettext_lazy("Cari nomor KK, NIK lengkap, atau nama anggota.")
    autocomplete_fields = ["village"]
    inlines = [PersonInline]
    readonly_fields = ["district", "regency", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kk_number", "village", "address", ("rt", "rw"), "desil"]}),
        (
            gettext_lazy("Pencatatan"),
            {"fields": [("district", "regency"), "created_by", ("created_at", "updated_at")]},
        ),
    ]

    def get_queryset(self, request):
        head = Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).values("full_name")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(head_name=Subquery(head), member_count=Count("members", distinct=True))
        )

    @display(description=gettext_lazy("rumah tangga"), ordering="kk_number", header=True)
    def household_header(self, obj):
        return obj.head_name or _("(belum ada kepala keluarga)"), _("KK %(kk)s") % {"kk": obj.kk_number}

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
                actor=request.user, household=obj, **{f: form.cleaned_data[f] for f in fields}
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
                person = update_person(actor=request.user, person=form.instance, **fields)
                changed.append((person, list(fields)))
        mark_formset_saved(formset, new=new, changed=changed)


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, NikHistoryMixin, SimpleHistoryAdmin, ModelAdmin):
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
    search_fields = ["=nik", "full_name", "^household__kk_number"]
    search_help_text = gettext_lazy("Cari NIK lengkap, nama, atau nomor KK.")
    autocomplete_fields = ["household"]

    @display(description=gettext_lazy("NIK"), ordering="nik")
    def nik_masked(self, obj):
        return mask_nik(obj.nik)

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
        return [*nik_fields(request, fields), "nik_outside_banten", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["household", "masked_nik", "nik_outside_banten", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            fields = {f: form.cleaned_data[f] for f in form.changed_data if f in MEMBER_FIELDS}
            saved = update_person(actor=request.user, person=obj, **fields)
        else:
            saved = add_member(
                actor=request.user, household=form.cleaned_data["household"], **member_data(form)
            )
        copy_saved(obj, saved)
