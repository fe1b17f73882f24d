"""Work on a case: record assistance, propose the next stage, decide a proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions import policy

from .. import services
from ..forms import AssistanceForm, DecisionForm, MoveForm
from ..models import Case, Household, MoveState, StageTransition, Target
from .common import run_service


def _visible_case(request, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("household", "village"), pk=pk
    )


@login_required
@permission_required("beneficiaries.add_assistance", raise_exception=True)
def assistance_create(request, pk: int):
    case = _visible_case(request, pk)
    form = AssistanceForm(request.POST or None, user=request.user, household=case.household)
    if request.method == "POST" and form.is_valid():
        assistance = run_service(
            services.record_assistance, form, actor=request.user, case=case, **form.cleaned_data
        )
        if assistance:
            messages.success(
                request, _("Bantuan %(kind)s dicatat.") % {"kind": assistance.get_kind_display().lower()}
            )
            return redirect("household_detail", pk=case.household_id)
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
        initial={"to": request.GET.get("ke")},
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
    return render(request, "pages/move_form.html", context)


def _visible_move(request, pk: int) -> StageTransition:
    return get_object_or_404(
        StageTransition.objects.visible_to(request.user).select_related(
            "case__household", "village", "proposed_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
def move_detail(request, pk: int, form: DecisionForm | None = None):
    move = _visible_move(request, pk)
    guards = []
    if move.state == MoveState.PENDING and move.case.is_open:
        guards = services.move_guards(case=move.case, to=move.to)
    # A move stays where it happened; a household since moved away is not shown here.
    household = move.case.household
    if not Household.objects.visible_to(request.user).filter(pk=household.pk).exists():
        household = None
    context = {"move": move, "household": household, "guards": guards, "form": form or DecisionForm()}
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
            messages.success(request, text % {"hh": move.case.household, "to": move.get_to_display()})
            if request.POST.get("next") == "queue":
                return redirect("home")
            return redirect("move_detail", pk=pk)
    return move_detail(request, pk, form=form)
