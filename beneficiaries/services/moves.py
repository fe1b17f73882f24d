"""The stage workflow: every move of a case, proposed or applied, goes through here.

One table says which moves exist and which guards they need. A village user's move is
pending until an official of a region above approves it; an official's own move applies
at once. Rows are locked so two approvals or two moves at once give one move.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from regions import policy
from regions.models import User

from ..models import (
    Assistance,
    Business,
    BusinessStatus,
    Case,
    ExitReason,
    GroupMembership,
    MoveState,
    StageTransition,
    Target,
)
from ..models.cases import BASIC_NEEDS_KINDS, PRODUCTIVE_KINDS
from .common import ensure_case_open, ensure_caseworker, ensure_fresh, save_as, visible_or_404

Kind = StageTransition.Kind


@dataclass(frozen=True)
class Guard:
    code: str
    label: str | Promise  # what must be true, in plain Indonesian
    check: Callable[[Case], bool]
    # Whether the guard holds for this case at all: an optional guard is switched on per programme.
    applies: Callable[[Case], bool] = lambda case: True


@dataclass(frozen=True)
class GuardResult:
    code: str
    label: str
    met: bool


def _has_assistance(kinds: frozenset[str]) -> Callable[[Case], bool]:
    return lambda case: Assistance.objects.filter(case=case, kind__in=kinds).exists()


def _in_active_group(case: Case) -> bool:
    return GroupMembership.objects.filter(household_id=case.household_id, group__is_active=True).exists()


def _group_in_enterprise(case: Case) -> bool:
    return GroupMembership.objects.filter(
        household_id=case.household_id, group__is_active=True, group__enterprise__isnull=False
    ).exists()


BASIC_NEEDS_AID = Guard(
    "basic_needs_assistance",
    gettext_lazy(
        "Sudah menerima minimal satu bantuan kebutuhan dasar (pangan, tunai, kesehatan, "
        "perumahan atau biaya sekolah)."
    ),
    _has_assistance(BASIC_NEEDS_KINDS),
)
PRODUCTIVE_AID = Guard(
    "productive_assistance",
    gettext_lazy("Sudah menerima minimal satu bantuan produktif (alat kerja, bahan baku atau modal kerja)."),
    _has_assistance(PRODUCTIVE_KINDS),
)
ACTIVE_GROUP = Guard(
    "active_group", gettext_lazy("Menjadi anggota kelompok usaha bersama yang aktif."), _in_active_group
)
ENTERPRISE = Guard(
    "group_in_enterprise",
    gettext_lazy("Kelompoknya sudah tergabung dalam badan usaha."),
    _group_in_enterprise,
)


def _household_business_running(case: Case) -> bool:
    return Business.objects.filter(
        household_id=case.household_id, last_status=BusinessStatus.RUNNING
    ).exists()


def _programme_requires_business(case: Case) -> bool:
    program = case.program if case.program_id else None
    return bool(program is not None and program.requires_running_business)


RUNNING_BUSINESS = Guard(
    "running_business",
    gettext_lazy("Usaha rumah tangga masih berjalan pada kunjungan terakhir."),
    _household_business_running,
    applies=_programme_requires_business,
)

# (from, to) -> (kind, guards). Anything not here is refused: no skipping stages.
MOVES: dict[tuple[str, str], tuple[str, tuple[Guard, ...]]] = {
    ("1", "2"): (Kind.ADVANCE, (BASIC_NEEDS_AID,)),
    ("2", "3"): (Kind.ADVANCE, (PRODUCTIVE_AID, ACTIVE_GROUP, RUNNING_BUSINESS)),
    ("3", Target.GRADUATED): (Kind.GRADUATE, (ENTERPRISE,)),
    ("2", "1"): (Kind.FALLBACK, ()),
    ("3", "1"): (Kind.FALLBACK, ()),
    ("3", "2"): (Kind.FALLBACK, ()),
    ("1", Target.EXITED): (Kind.EXIT, ()),
    ("2", Target.EXITED): (Kind.EXIT, ()),
    ("3", Target.EXITED): (Kind.EXIT, ()),
}


def allowed_targets(case: Case) -> list[str]:
    """The moves that exist from where the case stands (guards not yet checked)."""
    if not case.is_open:
        return []
    return [to for (origin, to) in MOVES if origin == case.stage]


# The one step forward from each stage, read off the table.
NEXT: dict[str, str] = {
    origin: to for (origin, to), (kind, _guards) in MOVES.items() if kind in (Kind.ADVANCE, Kind.GRADUATE)
}


def next_target(case: Case) -> str:
    """The stage after the case's own (graduation after stage 3); "" when there is none."""
    return NEXT.get(case.stage, "") if case.is_open else ""


def applies_at_once(*, actor: User, case: Case) -> bool:
    """Whether a move this actor asks for applies at once (an official who decides moves
    in the case's village) or waits as a proposal: what request_move will do."""
    return policy.may_decide_moves(actor, case.village_id)


def move_guards(*, case: Case, to: str) -> list[GuardResult]:
    """Each guard of a move, met or not: the proposal page shows these before submitting."""
    _kind, guards = _rule(case, to)
    return [GuardResult(g.code, str(g.label), g.check(case)) for g in guards if g.applies(case)]


def _rule(case: Case, to: str) -> tuple[str, tuple[Guard, ...]]:
    ensure_case_open(case, field="to")
    if to not in Target.values:
        raise DomainError(_("Tujuan perpindahan tidak dikenal: %(to)s.") % {"to": to}, field="to")
    rule = MOVES.get((case.stage, to))
    if rule is None:
        raise DomainError(
            _("Perpindahan dari %(origin)s ke %(to)s tidak diperbolehkan (tidak boleh melompati tahap).")
            % {"origin": Target(case.stage).label, "to": Target(to).label},
            field="to",
            code=DomainError.CONFLICT,
        )
    return rule


def _check(case: Case, to: str, *, reason: str, exit_reason: str, monthly_income: int | None = None) -> str:
    kind, guards = _rule(case, to)
    if kind == Kind.FALLBACK and not reason.strip():
        raise DomainError(
            _("Turun tahap wajib disertai alasan (misalnya bencana atau sakit)."), field="reason"
        )
    if kind == Kind.EXIT and exit_reason not in ExitReason.values:
        raise DomainError(
            _("Pilih alasan keluar: pindah, meninggal, menolak, tidak memenuhi syarat, atau data ganda."),
            field="exit_reason",
        )
    if kind != Kind.EXIT and exit_reason:
        raise DomainError(_("Alasan keluar hanya untuk perpindahan 'keluar'."), field="exit_reason")
    for guard in guards:
        if guard.applies(case) and not guard.check(case):
            raise DomainError(
                _("Syarat belum terpenuhi: %(guard)s") % {"guard": guard.label},
                field=guard.code,
                code=DomainError.CONFLICT,
            )
    if kind == Kind.GRADUATE and (monthly_income is None or monthly_income < 0):
        raise DomainError(
            _("Isi pendapatan rumah tangga per bulan (Rp) saat lulus mandiri."), field="monthly_income"
        )
    if kind != Kind.GRADUATE and monthly_income is not None:
        raise DomainError(_("Pendapatan per bulan hanya dicatat saat lulus mandiri."), field="monthly_income")
    return kind


def _apply(case: Case, move: StageTransition, actor: User) -> None:
    if move.to in {"1", "2", "3"}:
        case.stage = move.to
    else:
        case.status = move.to
        case.closed_on = timezone.localdate()
        case.exit_reason = move.exit_reason
    save_as(case, actor)


def _locked_case(case, actor: User) -> Case:
    return visible_or_404(Case, case, actor, lock=True)


@transaction.atomic
def request_move(
    *,
    case: Case,
    to: str,
    actor,
    reason: str = "",
    exit_reason: str = "",
    evidence: str = "",
    expected_version: int | None = None,
    monthly_income: int | None = None,
) -> StageTransition:
    """Move a case (official) or propose the move (village user). Returns the move row.
    Refused when the case changed since `expected_version` was read."""
    case = _locked_case(case, actor)  # out of region: not found, before any other refusal
    ensure_fresh(case, expected_version)
    ensure_caseworker(actor)
    to, reason, exit_reason = str(to), reason or "", exit_reason or ""
    if case.moves.filter(state=MoveState.PENDING).exists():
        raise DomainError(
            _("Kasus ini sudah punya usulan yang menunggu persetujuan."),
            field="to",
            code=DomainError.CONFLICT,
        )
    kind = _check(case, to, reason=reason, exit_reason=exit_reason, monthly_income=monthly_income)
    official = applies_at_once(actor=actor, case=case)
    now = timezone.now()
    move = StageTransition(
        case=case,
        village_id=case.village_id,
        kind=kind,
        from_position=case.position,
        to=to,
        state=MoveState.APPLIED if official else MoveState.PENDING,
        reason=reason,
        exit_reason=exit_reason,
        evidence=evidence or "",
        monthly_income=monthly_income,
        proposed_by=actor,
        proposed_at=now,
        decided_by=actor if official else None,
        decided_at=now if official else None,
    )
    save_as(move, actor)
    if official:
        _apply(case, move, actor)
    return move


@transaction.atomic
def decide_move(*, move: StageTransition, actor: User, approve: bool, note: str = "") -> StageTransition:
    """Approve (apply) or reject a pending proposal; the decision is recorded on the move."""
    move = visible_or_404(StageTransition, move, actor)
    policy.ensure_may_decide_moves(actor, move.village_id)
    case = _locked_case(move.case_id, actor)  # lock the case first, as request_move does
    move = StageTransition.objects.select_for_update().get(pk=move.pk)
    if move.state != MoveState.PENDING:
        raise DomainError(
            _("Usulan ini sudah diputuskan (%(state)s).") % {"state": move.get_state_display()},
            field="state",
            code=DomainError.CONFLICT,
        )
    if not approve and not note.strip():
        raise DomainError(_("Tulis catatan alasan penolakan."), field="note")
    if approve:
        if case.position != move.from_position:
            raise DomainError(_("Posisi kasus sudah berubah sejak diusulkan."), code=DomainError.CONFLICT)
        _check(
            case,
            move.to,
            reason=move.reason,
            exit_reason=move.exit_reason,
            monthly_income=move.monthly_income,
        )
    move.state = MoveState.APPLIED if approve else MoveState.REJECTED
    move.decided_by, move.decided_at, move.decision_note = actor, timezone.now(), note or ""
    save_as(move, actor)
    if approve:
        _apply(case, move, actor)
    return move


__all__ = [
    "MOVES",
    "allowed_targets",
    "applies_at_once",
    "decide_move",
    "ensure_caseworker",
    "move_guards",
    "next_target",
    "request_move",
]
