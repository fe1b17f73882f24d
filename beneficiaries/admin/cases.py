"""Cases, their moves and the aid delivered: every write goes through the workflow services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminIntegerFieldWidget, UnfoldAdminSelectWidget, UnfoldAdminTextareaWidget

from core.admin import (
    ChoicesDropdownFilter,
    ScopedAdminMixin,
    ScopedInlineMixin,
    ScopedRelatedFilter,
    add_domain_errors,
    copy_saved,
    flat,
    long_date,
    mark_formset_saved,
    nowrap,
    rupiah,
)
from core.errors import DomainError
from regions import policy
from regions.admin_filters import region_filters

from ..models import (
    Assistance,
    Case,
    CaseStatus,
    ExitReason,
    MoveState,
    Relation,
    StageTransition,
    Target,
)
from ..selectors import aid_total, head_name_subquery, household_aid
from ..services import allowed_targets, decide_move, move_guards, open_case, record_assistance, request_move
from ..services.moves import applies_at_once, next_target
from .identity import IdentitySearchMixin

STAGE_LABELS = {"1": "info", "2": "warning", "3": "primary"}
STATUS_LABELS = {CaseStatus.ACTIVE: "info", CaseStatus.GRADUATED: "success", CaseStatus.EXITED: "danger"}
STATE_LABELS = {MoveState.PENDING: "warning", MoveState.APPLIED: "success", MoveState.REJECTED: "danger"}
ASSISTANCE_FIELDS = [
    "kind",
    "program",
    "partner",
    "recipient",
    "delivered_on",
    "amount",
    "quantity",
    "unit",
    "note",
]


class StageTransitionInline(ScopedInlineMixin, TabularInline):
    model = StageTransition
    fk_name = "case"
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "from_position",
        "to",
        "state",
        "reason",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decision_note",
    ]
    readonly_fields = fields
    scoped_select_related = ("proposed_by", "decided_by")
    verbose_name_plural = gettext_lazy("riwayat perpindahan tahap")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssistanceInline(ScopedInlineMixin, TabularInline):
    """Existing aid is read-only (no service changes it); new rows go to record_assistance."""

    model = Assistance
    extra = 0
    can_delete = False
    fields = ASSISTANCE_FIELDS
    scoped_select_related = ("program", "partner", "recipient")
    verbose_name_plural = gettext_lazy("bantuan yang diserahkan")
    readonly_preprocess_fields = {"amount": "core.admin.rupiah_text"}

    def has_change_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        recipient = formset.form.base_fields.get("recipient")
        if recipient is not None and obj is not None:
            recipient.queryset = recipient.queryset.filter(household_id=obj.household_id)
        return formset


@admin.register(Case)
class CaseAdmin(ScopedAdminMixin, IdentitySearchMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = [
        "number", "household_header", "village", "stage_badge", "status_badge",
        "opened", "aid_total", "pending_badge",
    ]  # fmt: skip
    list_display_links = ["number", "household_header"]
    scoped_select_related = ("household", "village", "program")
    list_filter = [
        *region_filters(),
        ("stage", ChoicesDropdownFilter),
        ("status", ChoicesDropdownFilter),
        ("program", ScopedRelatedFilter),
    ]
    search_fields = ["^household__kk_number", "=household__members__nik", "household__members__full_name"]
    search_help_text = gettext_lazy("Cari nomor KK, NIK lengkap, atau nama anggota rumah tangga.")
    autocomplete_fields = ["household"]
    actions = ["advance_to_next_stage"]
    actions_detail = ["move_view"]
    date_hierarchy = None

    def get_queryset(self, request):
        aid = (
            Assistance.objects.filter(case=OuterRef("pk"))
            .values("case")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        pending = StageTransition.objects.filter(case=OuterRef("pk"), state=MoveState.PENDING)
        return (
            super()
            .get_queryset(request)
            .annotate(
                head_name=head_name_subquery(),
                aid_sum=Coalesce(Subquery(aid), 0),
                has_pending=Exists(pending),
            )
        )

    change_form_outer_before_template = "admin/beneficiaries/case/stage_tracker.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None:
            extra_context = {**(extra_context or {}), **stage_tracker(case)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["household", "program", "opened_on"]
        return [
            ("household", "household_head"), "program", ("stage", "status"), ("opened_on", "closed_on"), "exit_reason",
            "village", "opened_by", "aid_total",
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else flat(self.get_fields(request, obj))

    def get_inlines(self, request, obj):
        return [] if obj is None else [StageTransitionInline, AssistanceInline]

    def get_changeform_initial_data(self, request):
        return {"opened_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    @display(description=gettext_lazy("kasus"), ordering="pk")
    def number(self, obj):
        return f"#{obj.pk}"

    @display(description=gettext_lazy("rumah tangga"), ordering="head_name", header=True)
    def household_header(self, obj):
        return obj.head_name or "—", obj.household

    @display(description=gettext_lazy("kepala keluarga"))
    def household_head(self, obj):
        head = obj.household.members.filter(relation=Relation.HEAD).first()
        return head.full_name if head else "—"

    @display(description=gettext_lazy("dibuka"), ordering="opened_on")
    def opened(self, obj):
        return nowrap(long_date(obj.opened_on))

    @display(description=gettext_lazy("tahap"), ordering="stage", label=STAGE_LABELS)
    def stage_badge(self, obj):
        return obj.stage, obj.get_stage_display().split(":")[0]

    @display(description=gettext_lazy("status"), ordering="status", label=STATUS_LABELS)
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    @display(description=gettext_lazy("usulan"), label={True: "warning"})
    def pending_badge(self, obj):
        return (True, _("Menunggu")) if obj.has_pending else ""

    @display(description=gettext_lazy("total bantuan"), ordering="aid_sum")
    def aid_total(self, obj):
        return nowrap(rupiah(getattr(obj, "aid_sum", None) or 0))

    def save_model(self, request, obj, form, change):
        if change:
            return  # a case changes only by moves (the "Pindah tahap" page)
        data = form.cleaned_data
        case = open_case(
            actor=request.user,
            household=data["household"],
            opened_on=data.get("opened_on"),
            program=data.get("program"),
        )
        copy_saved(obj, case)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assistance:
            return mark_formset_saved(formset)
        new = []
        for row in formset.forms:
            if row.instance.pk is None and row.has_changed() and row.cleaned_data:
                data = {f: row.cleaned_data.get(f) for f in ASSISTANCE_FIELDS}
                data["amount"] = data["amount"] or 0
                new.append(record_assistance(actor=request.user, case=form.instance, **data))
        mark_formset_saved(formset, new=new)

    @admin.action(description=gettext_lazy("Ajukan/naikkan ke tahap berikutnya"), permissions=["change"])
    def advance_to_next_stage(self, request, queryset):
        applied = proposed = 0
        for case in queryset:
            try:
                move = request_move(case=case, to=next_target(case), actor=request.user)
            except DomainError as error:
                messages.error(request, _("Kasus #%(id)s: %(why)s") % {"id": case.pk, "why": error.message})
                continue
            if move.state == MoveState.APPLIED:
                applied += 1
            else:
                proposed += 1
        if applied:
            messages.success(request, _("%(n)s kasus naik ke tahap berikutnya.") % {"n": applied})
        if proposed:
            messages.success(request, _("%(n)s usulan menunggu persetujuan pejabat.") % {"n": proposed})

    @action(
        description=gettext_lazy("Pindah tahap"),
        url_path="pindah-tahap",
        icon="swap_vert",
        permissions=["change"],
    )
    def move_view(self, request, object_id):
        case = self.get_object(request, object_id)
        if case is None:
            self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        options = move_options(case)
        form = MoveForm(request.POST or None, case=case, initial={"to": ready_target(case, options)})
        if request.method == "POST" and form.is_valid():
            try:
                move = request_move(case=case, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error, label=lambda field: "")  # guards name themselves
            else:
                if move.state == MoveState.APPLIED:
                    messages.success(request, _("Perpindahan diterapkan: %(move)s.") % {"move": move})
                else:
                    messages.success(
                        request, _("Usulan tercatat dan menunggu persetujuan: %(move)s.") % {"move": move}
                    )
                return redirect(reverse("admin:beneficiaries_case_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case,
            "title": _("Pindah tahap: %(case)s") % {"case": case},
            "form": form,
            "options": options,
            "needs_approval": not applies_at_once(actor=request.user, case=case),
            "pending": case.moves.filter(state=MoveState.PENDING).first(),
        }
        return TemplateResponse(request, "admin/beneficiaries/case/move.html", context)


def stage_tracker(case) -> dict:
    """The steps of the programme with where this case stands, and its pending proposal."""
    order = ["1", "2", "3", Target.GRADUATED]
    here = order.index(case.position) if case.position in order else -1
    steps = [
        {"label": Target(to).label, "done": i < here, "current": i == here} for i, to in enumerate(order)
    ]
    pending = case.moves.filter(state=MoveState.PENDING).first()
    return {"case_steps": steps, "case_pending": pending, "case_exited": case.status == CaseStatus.EXITED}


def move_options(case) -> list[dict]:
    """Each move that exists from where the case stands, with its guards met or not."""
    return [
        {"to": to, "label": Target(to).label, "guards": move_guards(case=case, to=to)}
        for to in allowed_targets(case)
    ]


def ready_target(case, options: list[dict]) -> str:
    """The step forward when its guards are all met, to preselect; otherwise "" (the official
    chooses: a fall-back or an exit is never preselected)."""
    forward = next_target(case)
    for option in options:
        if option["to"] == forward and all(guard.met for guard in option["guards"]):
            return forward
    return ""


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("Pindah ke"), widget=UnfoldAdminSelectWidget)
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib untuk turun tahap (misalnya bencana atau sakit)."),
    )
    exit_reason = forms.ChoiceField(
        label=gettext_lazy("Alasan keluar"),
        required=False,
        choices=[("", "—"), *ExitReason.choices],
        widget=UnfoldAdminSelectWidget,
        help_text=gettext_lazy("Hanya untuk perpindahan 'Keluar'."),
    )
    evidence = forms.CharField(
        label=gettext_lazy("Bukti"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=gettext_lazy("Misalnya nomor berita acara, foto kunjungan, atau surat keterangan."),
    )
    monthly_income = forms.IntegerField(
        label=gettext_lazy("Pendapatan rumah tangga per bulan (Rp)"),
        required=False,
        min_value=0,
        widget=UnfoldAdminIntegerFieldWidget,
        help_text=gettext_lazy("Wajib untuk lulus mandiri."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        targets = allowed_targets(case)
        self.fields["to"].choices = [("", "—"), *((t, Target(t).label) for t in targets)] if targets else []


class DecideForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan keputusan"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
    )


@admin.register(StageTransition)
class StageTransitionAdmin(ScopedAdminMixin, IdentitySearchMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = [
        "case_header",
        "village",
        "movement",
        "state_badge",
        "short_reason",
        "proposed",
        "decided",
    ]
    list_display_links = ["case_header"]
    scoped_select_related = ("case__household", "village", "proposed_by", "decided_by")
    list_filter = [
        ("state", ChoicesDropdownFilter),
        ("kind", ChoicesDropdownFilter),
        ("to", ChoicesDropdownFilter),
        *region_filters(),
    ]
    search_fields = [
        "^case__household__kk_number", "=case__household__members__nik", "case__household__members__full_name",
    ]  # fmt: skip
    search_help_text = gettext_lazy("Cari nomor KK, NIK lengkap, atau nama anggota rumah tangga.")
    actions = ["approve_moves", "reject_moves"]
    actions_detail = ["approve_detail", "reject_detail"]
    fields = [
        ("case", "village"), ("kind", "state"), ("from_position", "to"), "reason", "exit_reason", "evidence",
        ("proposed_by", "proposed_at"), ("decided_by", "decided_at"), "decision_note",
    ]  # fmt: skip
    readonly_fields = flat(fields)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request, object_id=None):
        """Unfold passes the proposal's id on its own page; the list asks without one. A
        proposal out of reach is left to the view, which answers 404 (not 403: no leak)."""
        move = self.get_object(request, object_id) if object_id is not None else None
        return policy.may_decide_moves(request.user, move.village_id if move else None)

    change_form_outer_before_template = "admin/beneficiaries/stagetransition/pending_facts.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        move = self.get_object(request, object_id)
        if move is not None and move.state == MoveState.PENDING:
            extra_context = {**(extra_context or {}), "decision": decision_facts(request.user, move)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_actions_detail(self, request, object_id):
        move = self.get_object(request, object_id)
        if move is None or move.state != MoveState.PENDING:
            return []
        return super().get_actions_detail(request, object_id)

    @action(description=gettext_lazy("Setujui"), url_path="setujui", icon="check", permissions=["decide"])
    def approve_detail(self, request, object_id):
        return self._decide_one(request, object_id, approve=True)

    @action(description=gettext_lazy("Tolak"), url_path="tolak", icon="close", permissions=["decide"])
    def reject_detail(self, request, object_id):
        return self._decide_one(request, object_id, approve=False)

    def _decide_one(self, request, object_id, *, approve: bool):
        """The Setujui/Tolak buttons of one proposal's page: the same note page, then back
        to the case."""
        queryset = self.get_queryset(request).filter(pk=object_id)
        move = queryset.first()
        if move is None:
            self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        response = self._decide(request, queryset, approve=approve)
        return response or redirect(reverse("admin:beneficiaries_case_change", args=[move.case_id]))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(head_name=head_name_subquery("case__household"))

    @display(description=gettext_lazy("kasus"), ordering="case", header=True)
    def case_header(self, obj):
        return f"#{obj.case_id} · {obj.head_name or '—'}", obj.case.household

    @display(description=gettext_lazy("perpindahan"), ordering="kind", header=True)
    def movement(self, obj):
        origin = obj.get_from_position_display() or "—"
        return nowrap(f"{origin} → {obj.get_to_display()}"), obj.get_kind_display()

    @display(description=gettext_lazy("alasan"))
    def short_reason(self, obj):
        return Truncator(obj.reason or obj.get_exit_reason_display() or "—").chars(48)

    @display(description=gettext_lazy("diajukan"), ordering="proposed_at", header=True)
    def proposed(self, obj):
        return obj.proposed_by or "—", nowrap(long_date(timezone.localtime(obj.proposed_at).date()))

    @display(description=gettext_lazy("diputuskan"), ordering="decided_at", header=True)
    def decided(self, obj):
        if obj.decided_at is None:
            return "—", ""
        return obj.decided_by or "—", nowrap(long_date(timezone.localtime(obj.decided_at).date()))

    @display(description=gettext_lazy("status"), ordering="state", label=STATE_LABELS)
    def state_badge(self, obj):
        short = {MoveState.PENDING: _("Menunggu")}
        return obj.state, short.get(obj.state, obj.get_state_display())

    @admin.action(description=gettext_lazy("Setujui usulan terpilih"), permissions=["decide"])
    def approve_moves(self, request, queryset):
        return self._decide(request, queryset, approve=True)

    @admin.action(description=gettext_lazy("Tolak usulan terpilih"), permissions=["decide"])
    def reject_moves(self, request, queryset):
        return self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve: bool):
        """First show the chosen proposals and ask for the note; then decide each one."""
        form = DecideForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid() and self._decide_each(request, queryset, form, approve=approve):
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Setujui usulan") if approve else _("Tolak usulan"),
            "approve": approve,
            "form": form,
            "decisions": [decision_facts(request.user, move) for move in queryset],
            "action_name": "approve_moves" if approve else "reject_moves",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/beneficiaries/stagetransition/decide.html", context)

    def _decide_each(self, request, queryset, form, *, approve: bool) -> bool:
        """Decide every chosen proposal; False (nothing written) when the note is refused."""
        done = 0
        for move in queryset:
            try:
                decide_move(move=move, actor=request.user, approve=approve, note=form.cleaned_data["note"])
            except DomainError as error:
                if error.field in form.fields:  # the same for every proposal: ask again
                    add_domain_errors(form, error)
                    return False
                messages.error(request, f"{move.case}: {error.message}")
            else:
                done += 1
        if done:
            text = _("%(n)s usulan disetujui.") if approve else _("%(n)s usulan ditolak.")
            messages.success(request, text % {"n": done})
        return True


def decision_facts(user, move: StageTransition) -> dict:
    """What an approver weighs before "Setujui" or "Tolak": the move's guards met or not (as
    the service will check them), its reason and evidence, and the household's aid so far."""
    aid = household_aid(user, move.case.household).order_by("-delivered_on", "-pk")
    decidable = move.state == MoveState.PENDING and move.case.is_open
    return {
        "move": move,
        "guards": move_guards(case=move.case, to=move.to) if decidable else [],
        "aid": list(aid),
        "aid_total": aid_total(aid),
    }


@admin.register(Assistance)
class AssistanceAdmin(ScopedAdminMixin, IdentitySearchMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = [
        "aid_header",
        "amount_rp",
        "delivered",
        "case_header",
        "recipient_header",
        "village",
    ]
    list_display_links = ["aid_header"]
    scoped_select_related = ("case__household", "program", "recipient", "village", "partner")
    list_filter = [
        *region_filters(),
        ("kind", ChoicesDropdownFilter),
        ("program", ScopedRelatedFilter),
        ("partner", ScopedRelatedFilter),
    ]
    search_fields = ["^case__household__kk_number", "=recipient__nik", "recipient__full_name"]
    search_help_text = gettext_lazy("Cari nomor KK, NIK lengkap penerima, atau nama penerima.")
    autocomplete_fields = ["case", "recipient"]
    readonly_preprocess_fields = {"amount": "core.admin.rupiah_text"}

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["case", *ASSISTANCE_FIELDS]
        return ["case", *ASSISTANCE_FIELDS, "amount_rp", "village", "recorded_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # recorded aid is not edited; a correction is a new record with a note

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=gettext_lazy("bantuan"), ordering="kind", header=True)
    def aid_header(self, obj):
        return obj.get_kind_display(), obj.program

    @display(description=gettext_lazy("nilai"), ordering="amount")
    def amount_rp(self, obj):
        return nowrap(rupiah(obj.amount))

    @display(description=gettext_lazy("diserahkan"), ordering="delivered_on")
    def delivered(self, obj):
        return nowrap(long_date(obj.delivered_on))

    @display(description=gettext_lazy("kasus"), ordering="case", header=True)
    def case_header(self, obj):
        return f"#{obj.case_id}", obj.case.household

    @display(description=gettext_lazy("penerima"), header=True)
    def recipient_header(self, obj):
        if obj.recipient is None:
            return "—", ""
        return obj.recipient.full_name, obj.recipient.masked_nik

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in ["case", *ASSISTANCE_FIELDS]}
        data["amount"] = data["amount"] or 0
        copy_saved(obj, record_assistance(actor=request.user, **data))
