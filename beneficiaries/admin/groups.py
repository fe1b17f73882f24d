"""Stage 3 (groups, enterprises, capital) and partner activities.

Every save goes through a service: creations, membership changes and plain edits alike
(update_group, update_enterprise, update_activity, update_capital_access). The status of
capital access offers only the steps of the services' table (CAPITAL_TRANSITIONS).
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from core.admin import (
    ChoicesDropdownFilter,
    ScopedAdminMixin,
    ScopedInlineMixin,
    ScopedRelatedFilter,
    copy_saved,
    mark_formset_saved,
    nowrap,
    rupiah,
)
from regions.admin_filters import region_filters

from ..models import Activity, Attendance, CapitalAccess, Enterprise, Group, GroupMembership
from ..services import (
    add_group_member,
    capital_targets,
    create_enterprise,
    create_group,
    record_activity,
    record_capital_access,
    remove_group_member,
    set_attendance,
    update_activity,
    update_capital_access,
    update_enterprise,
    update_group,
)
from .identity import IdentitySearchMixin, ServiceValidatedForm

CAPITAL_FIELDS = ["source", "amount", "status", "applied_on", "approved_on", "disbursed_on", "note"]


def changes_of(form, fields) -> dict:
    """The fields of a saved row the user changed, for the service's update."""
    return {f: form.cleaned_data[f] for f in form.changed_data if f in fields}


def new_rows(formset):
    return [f for f in formset.forms if f.instance.pk is None and f.has_changed() and f.cleaned_data]


class GroupMembershipInline(ScopedInlineMixin, TabularInline):
    model = GroupMembership
    extra = 0
    fields = ["household", "joined_on"]
    autocomplete_fields = ["household"]
    scoped_select_related = ("household",)

    def has_change_permission(self, request, obj=None):
        return False  # a membership is added or removed, never edited

    def has_delete_permission(self, request, obj=None):
        # Removing a member is a change of the group (remove_group_member), as in the API.
        return request.user.has_perm("beneficiaries.change_group")


@admin.register(Group)
class GroupAdmin(ScopedAdminMixin, IdentitySearchMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["name", "village", "sector", "formed_on", "member_count", "enterprise", "is_active"]
    scoped_select_related = ("village", "enterprise")
    list_filter = [*region_filters(), ("sector", ChoicesDropdownFilter), "is_active"]
    search_fields = ["name", "^memberships__household__kk_number"]
    search_help_text = gettext_lazy("Cari nama kelompok atau nomor KK anggota.")
    autocomplete_fields = ["village", "enterprise"]
    inlines = [GroupMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("memberships", distinct=True))

    def get_fields(self, request, obj=None):
        return ["name", "village", "sector", "formed_on", "enterprise", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["village"]

    @display(description=gettext_lazy("anggota"), ordering="members")
    def member_count(self, obj):
        return obj.members

    def save_model(self, request, obj, form, change):
        if change:
            changes = changes_of(form, self.get_fields(request, obj))
            saved = update_group(
                actor=request.user, group=obj.pk, expected_version=self.expected_version(request), **changes
            )
            return copy_saved(obj, saved)
        data = form.cleaned_data
        group = create_group(
            actor=request.user,
            village=data["village"],
            name=data["name"],
            sector=data["sector"],
            formed_on=data["formed_on"],
        )
        # A new group is active and in no enterprise; anything else is its first edit.
        changes = changes_of(form, ["enterprise", "is_active"])
        copy_saved(obj, update_group(actor=request.user, group=group, **changes) if changes else group)

    def save_formset(self, request, form, formset, change):
        group = form.instance
        new = [
            add_group_member(
                actor=request.user, group=group, household=row.cleaned_data["household"],
                joined_on=row.cleaned_data.get("joined_on"),
            )
            for row in new_rows(formset)
        ]  # fmt: skip
        deleted = [row.instance for row in formset.deleted_forms if row.instance.pk]
        for membership in deleted:
            remove_group_member(actor=request.user, group=group, household=membership.household)
        mark_formset_saved(formset, new=new, deleted=deleted)


class CapitalAccessInline(ScopedInlineMixin, TabularInline):
    model = CapitalAccess
    extra = 0
    can_delete = False
    fields = CAPITAL_FIELDS


class GroupInline(ScopedInlineMixin, TabularInline):
    model = Group
    extra = 0
    can_delete = False
    fields = ["name", "village", "sector", "is_active"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = gettext_lazy("kelompok yang tergabung")
    scoped_select_related = ("village",)

    def has_add_permission(self, request, obj=None):
        return False  # a group joins on its own page (badan usaha)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["name", "legal_form", "village", "nib", "founded_on", "group_count"]
    scoped_select_related = ("village",)
    list_filter = [*region_filters(), ("legal_form", ChoicesDropdownFilter)]
    search_fields = ["name", "=nib"]
    search_help_text = gettext_lazy("Cari nama badan usaha atau NIB.")
    form = ServiceValidatedForm  # a NIB already registered is answered by the counted service
    ordering = ["name", "id"]  # explicit: lists and autocomplete page through a stable order
    autocomplete_fields = ["village"]
    inlines = [GroupInline, CapitalAccessInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(groups_n=Count("groups", distinct=True))

    def get_fields(self, request, obj=None):
        return ["name", "legal_form", "village", "nib", "founded_on"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["village"]

    @display(description=gettext_lazy("kelompok"), ordering="groups_n")
    def group_count(self, obj):
        return obj.groups_n

    def save_model(self, request, obj, form, change):
        if change:
            changes = changes_of(form, self.get_fields(request, obj))
            saved = update_enterprise(
                actor=request.user,
                enterprise=obj.pk,
                expected_version=self.expected_version(request),
                **changes,
            )
            return copy_saved(obj, saved)
        data = form.cleaned_data
        enterprise = create_enterprise(
            actor=request.user,
            village=data["village"],
            name=data["name"],
            legal_form=data["legal_form"],
            founded_on=data["founded_on"],
            nib=data.get("nib") or "",
        )
        copy_saved(obj, enterprise)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CapitalAccess:
            return mark_formset_saved(formset)
        new = [
            record_capital_access(
                actor=request.user, enterprise=form.instance,
                **{f: row.cleaned_data.get(f) for f in CAPITAL_FIELDS},
            )
            for row in new_rows(formset)
        ]  # fmt: skip
        changed = [
            (update_capital_access(actor=request.user, capital_access=row.instance.pk, **changes_of(row, CAPITAL_FIELDS)),
             row.changed_data)
            for row in formset.forms
            if row.instance.pk and row.has_changed()
        ]  # fmt: skip
        mark_formset_saved(formset, new=new, changed=changed)


@admin.register(CapitalAccess)
class CapitalAccessAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = [
        "enterprise",
        "source",
        "amount_rp",
        "status_badge",
        "applied_on",
        "approved_on",
        "disbursed_on",
    ]
    scoped_select_related = ("enterprise",)
    list_filter = [
        *region_filters(),
        ("source", ChoicesDropdownFilter),
        ("status", ChoicesDropdownFilter),
        ("enterprise", ScopedRelatedFilter),
    ]
    search_fields = ["enterprise__name", "=enterprise__nib"]
    search_help_text = gettext_lazy("Cari nama badan usaha atau NIB.")
    autocomplete_fields = ["enterprise"]

    def get_fields(self, request, obj=None):
        return ["enterprise", *CAPITAL_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["enterprise"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "status" in form.base_fields:
            offered = {obj.status, *capital_targets(obj)}
            form.base_fields["status"].choices = [
                (value, label) for value, label in CapitalAccess.Status.choices if value in offered
            ]
            form.base_fields["status"].help_text = gettext_lazy(
                "Hanya langkah berikutnya: diajukan → disetujui → dicairkan, atau ditolak sebelum dicairkan."
            )
        return form

    @display(description=gettext_lazy("nilai"), ordering="amount")
    def amount_rp(self, obj):
        return nowrap(rupiah(obj.amount))

    @display(
        description=gettext_lazy("status"),
        ordering="status",
        label={"applied": "info", "approved": "warning", "disbursed": "success", "rejected": "danger"},
    )
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    def save_model(self, request, obj, form, change):
        if change:
            changes = changes_of(form, CAPITAL_FIELDS)
            return copy_saved(
                obj, update_capital_access(actor=request.user, capital_access=obj.pk, **changes)
            )
        data = {f: form.cleaned_data.get(f) for f in ["enterprise", *CAPITAL_FIELDS]}
        copy_saved(obj, record_capital_access(actor=request.user, **data))


class AttendanceInline(ScopedInlineMixin, TabularInline):
    model = Attendance
    extra = 0
    fields = ["person"]
    autocomplete_fields = ["person"]
    scoped_select_related = ("person",)
    verbose_name_plural = gettext_lazy("peserta yang hadir")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("beneficiaries.change_activity")  # set_attendance


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["title", "topic", "partner", "village", "held_on", "attendee_count"]
    scoped_select_related = ("partner", "village")
    list_filter = [
        *region_filters(),
        ("topic", ChoicesDropdownFilter),
        ("partner", ScopedRelatedFilter),
        ("program", ScopedRelatedFilter),
    ]
    search_fields = ["title", "partner__name"]
    search_help_text = gettext_lazy("Cari judul kegiatan atau nama mitra.")
    autocomplete_fields = ["village", "partner"]
    inlines = [AttendanceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attendees_n=Count("attendance", distinct=True))

    def get_fields(self, request, obj=None):
        return ["title", "topic", "partner", "program", "village", "held_on", "note"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["village", "partner"]

    @display(description=gettext_lazy("peserta"), ordering="attendees_n")
    def attendee_count(self, obj):
        return obj.attendees_n

    def save_model(self, request, obj, form, change):
        if change:
            changes = changes_of(form, self.get_fields(request, obj))
            return copy_saved(obj, update_activity(actor=request.user, activity=obj.pk, **changes))
        data = form.cleaned_data
        activity = record_activity(
            actor=request.user,
            partner=data["partner"],
            village=data["village"],
            topic=data["topic"],
            title=data["title"],
            held_on=data["held_on"],
            program=data.get("program"),
            note=data.get("note") or "",
        )
        copy_saved(obj, activity)

    def save_formset(self, request, form, formset, change):
        deleted = [row.instance for row in formset.deleted_forms if row.instance.pk]
        kept = [
            row.instance.person_id for row in formset.forms if row.instance.pk and row.instance not in deleted
        ]
        added = [row.cleaned_data["person"] for row in new_rows(formset)]
        set_attendance(actor=request.user, activity=form.instance, persons=[*kept, *added])
        mark_formset_saved(formset, new=added, deleted=deleted)
