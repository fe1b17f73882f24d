"""Work on a case: record assistance, propose the next stage, decide a proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions import policy

from .. import selectors, services
from ..forms import AssistanceForm, DecisionForm, MoveForm, focus_first_error
from ..identity import shown_kk
from ..models import Assistance, Case, Household, MoveState, StageTransition, Target
from .common import run_service

PER_PAGE = 25


def _visible_case(request, pk: int) -> Case:
    cases = Case.objects.visible_to(request.user).select_related("household", "village")
    return get_object_or_404(cases.annotate(head_name=selectors.head_name_subquery("household")), pk=pk)


@login_required
@permission_required("beneficiaries.add_assistance", raise_exception=True)
def assistance_create(request, pk: int):
    case = _visible_case(request, pk)
    form = AssistanceForm(request.POST or None, user=request.user, household=case.household)
    if request.method == "POST" and form.is_valid():
        assistance = run_service(
            services.record_assistance, form, actor=request.user, case=case, **form.cleaned_data
        )
        if assistance and getattr(assistance, "replayed", False):
            messages.info(
                request,
                _("Bantuan ini sudah tercatat dari kiriman sebelumnya; kiriman ganda tidak dicatat lagi."),
            )
            return redirect("household_detail", pk=case.household_id)
        if assistance:
            messages.success(
                request, _("%(recorded)s.") % {"recorded": selectors.aid_recorded_text(assistance.kind)}
            )
            return redirect("household_detail", pk=case.household_id)
    focus_first_error(form)
    return render(request, "pages/assistance_form.html", {"form": form, "case": case})


def _options(case: Case) -> list[dict]:
    """Each move open to the case with its guards met or not, as the service checks them."""
    return [
        {"value": to, "label": Target(to).label, "guards": services.move_guards(case=case, to=to)}
        for to in services.allowed_targets(case)
    ]


@login_required
@permission_required("beneficiaries.add_stagetransition", raise_exception=True)
def move_create(request, pk: int):
    case = _visible_case(request, pk)
    pending = case.moves.filter(state=MoveState.PENDING).first()
    options = _options(case)
    form = MoveForm(
        request.POST or None,
        targets=[(o["value"], o["label"]) for o in options],
        initial={"to": request.GET.get("ke"), "expected_version": case.version},
    )
    if request.method == "POST" and not pending and form.is_valid():
        move = run_service(services.request_move, form, actor=request.user, case=case, **form.cleaned_data)
        if move:
            if move.state == MoveState.PENDING:
                text = _("Usulan ke %(to)s dikirim dan menunggu persetujuan kecamatan.")
            else:
                text = _("Kasus dipindahkan ke %(to)s.")
            messages.success(request, text % {"to": move.get_to_display()})
            return redirect("household_detail", pk=case.household_id)
    chosen = form["to"].value()
    for option in options:
        option["checked"] = option["value"] == chosen
    context = {"form": form, "case": case, "options": options, "pending": pending}
    focus_first_error(form)
    return render(request, "pages/move_form.html", context)


def _visible_move(request, pk: int) -> StageTransition:
    moves = StageTransition.objects.visible_to(request.user).select_related(
        "case__household", "village", "proposed_by", "decided_by"
    )
    return get_object_or_404(moves.annotate(head_name=selectors.head_name_subquery("case__household")), pk=pk)


CONFIRM = {"approve", "reject"}


@login_required
def move_list(request):
    """The proposals of the user's region, a page at a time: waiting ones by default."""
    state = request.GET.get("status", MoveState.PENDING)
    moves = selectors.pending_moves_for(request.user)
    if state != MoveState.PENDING:
        moves = (
            StageTransition.objects.visible_to(request.user)
            .select_related("case__household", "village", "proposed_by")
            .annotate(head_name=selectors.head_name_subquery("case__household"))
            .order_by("-proposed_at", "-id")
        )
        state = ""
    page = Paginator(moves, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pages/move_list.html", {"page": page, "state": state})


@login_required
def move_detail(request, pk: int, form: DecisionForm | None = None, confirm: str = ""):
    """A proposal with all an approver weighs: the guards, the reason, the evidence and
    the household's aid so far, then the buttons. `?confirm=approve` (or reject), where the
    queue's buttons lead, asks for the one decision before it is sent."""
    move = _visible_move(request, pk)
    user = request.user
    decidable = move.state == MoveState.PENDING and move.case.is_open
    guards = services.move_guards(case=move.case, to=move.to) if decidable else []
    # A move stays where it happened; a household since moved away is not shown here.
    household = move.case.household
    if not Household.objects.visible_to(user).filter(pk=household.pk).exists():
        household = None
    # The aid so far is the approver's context; of a household gone elsewhere, none is named.
    aid = selectors.household_aid(user, household) if household else Assistance.objects.none()
    aid = aid.order_by("delivered_on", "id")
    confirm = confirm or request.GET.get("confirm", "")
    context = {
        "move": move,
        "household": household,
        "head_name": move.head_name if household else "",
        "guards": guards,
        "aid": list(aid),
        "aid_total": selectors.aid_total(aid),
        "may_decide": decidable and policy.may_decide_moves(user, move.village_id),
        "confirm": confirm if confirm in CONFIRM else "",
        "next": "queue" if request.GET.get("next", request.POST.get("next")) == "queue" else "",
        "form": form or DecisionForm(),
    }
    return render(request, "pages/move_detail.html", context)


@login_required
@require_POST
def move_decide(request, pk: int):
    move = _visible_move(request, pk)  # out of region is 404 first, whoever asks
    if not policy.may_decide_moves(request.user, move.village_id):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        decided = run_service(
            services.decide_move,
            form,
            actor=request.user,
            move=move,
            approve=approve,
            note=form.cleaned_data["note"],
        )
        if decided:
            text = _("Usulan disetujui: %(hh)s kini %(to)s.") if approve else _("Usulan %(hh)s ditolak.")
            messages.success(
                request, text % {"hh": _household_name(request, move), "to": move.get_to_display()}
            )
            if request.POST.get("next") == "queue":
                return redirect("home")
            return redirect("move_detail", pk=pk)
    return move_detail(request, pk, form=form, confirm="approve" if approve else "reject")


def _household_name(request, move: StageTransition) -> str:
    """ "Ahmad Sanusi (KK 3601…****)": the head's name, the KK as the user may see it."""
    kk = shown_kk(request.user, move.case.household)
    if move.head_name:
        return _("%(name)s (KK %(kk)s)") % {"name": move.head_name, "kk": kk}
    return _("KK %(kk)s") % {"kk": kk}
