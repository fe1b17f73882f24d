"""Reads behind the village pages. Every queryset starts from `visible_to(user)`, and
each function runs a fixed number of queries whatever the size of the village."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Activity,
    Assistance,
    Case,
    CaseStatus,
    Household,
    MoveState,
    Person,
    Relation,
    Stage,
    StageTransition,
)
from ..selectors import cases_for

STUCK_IN_STAGE_1 = datetime.timedelta(days=183)
NO_AID_FOR = datetime.timedelta(days=90)
REJECTION_SHOWN_FOR = datetime.timedelta(days=90)


def stage_counts(user) -> list[tuple[str, int, str]]:
    """(label, number, stage key) for the open cases per stage, graduated and exited."""
    row = Case.objects.visible_to(user).aggregate(
        **{f"s{s}": Count("id", filter=Q(status=CaseStatus.ACTIVE, stage=s)) for s in Stage.values},
        graduated=Count("id", filter=Q(status=CaseStatus.GRADUATED)),
        exited=Count("id", filter=Q(status=CaseStatus.EXITED)),
    )
    counts = [(label, row[f"s{value}"], value) for value, label in Stage.choices]
    counts.append((CaseStatus.GRADUATED.label, row["graduated"], "graduated"))
    counts.append((CaseStatus.EXITED.label, row["exited"], "exited"))
    return counts


def with_head_and_stage(households: QuerySet[Household], household_ref: str = "pk") -> QuerySet:
    """Annotate the head's name and the open case's stage, so a list needs one query."""
    head = Person.objects.filter(household=OuterRef(household_ref), relation=Relation.HEAD)
    case = Case.objects.filter(household=OuterRef(household_ref), status=CaseStatus.ACTIVE)
    return households.annotate(
        head_name=Subquery(head.values("full_name")[:1]),
        case_stage=Subquery(case.values("stage")[:1]),
    )


def households_matching(user, query: str, stage: str = "") -> QuerySet[Household]:
    """Visible households by KK, NIK (whole or its start) or a member's name, and by the
    stage of their open case."""
    households = Household.objects.visible_to(user)
    if stage in Stage.values:
        households = households.filter(cases__status=CaseStatus.ACTIVE, cases__stage=stage)
    query = query.strip()
    if query:
        if query.isdigit():
            match = Q(kk_number__startswith=query) | Q(
                pk__in=Person.objects.filter(nik__startswith=query).values("household_id")
            )
        else:
            match = Q(pk__in=Person.objects.filter(full_name__icontains=query).values("household_id"))
        households = households.filter(match)
    return with_head_and_stage(households.select_related("village")).order_by("-created_at", "-id")


@dataclass
class Attention:
    case: Case
    reasons: list[str]


def cases_needing_attention(user, *, limit: int = 20) -> list[Attention]:
    """Open cases in stage 1 for over six months, without aid for 90 days, or whose
    proposal was rejected lately. One query."""
    now, today = timezone.now(), timezone.localdate()
    applied = StageTransition.objects.filter(case=OuterRef("pk"), state=MoveState.APPLIED)
    rejected = StageTransition.objects.filter(
        case=OuterRef("pk"), state=MoveState.REJECTED, decided_at__gte=now - REJECTION_SHOWN_FOR
    ).order_by("-decided_at")
    aid = Assistance.objects.filter(case=OuterRef("pk")).order_by("-delivered_on")
    cases = (
        cases_for(user)
        .filter(status=CaseStatus.ACTIVE)
        .annotate(
            stage_since=Subquery(applied.order_by("-decided_at").values("decided_at")[:1]),
            last_aid=Subquery(aid.values("delivered_on")[:1]),
            rejected_note=Subquery(rejected.values("decision_note")[:1]),
            rejected_at=Subquery(rejected.values("decided_at")[:1]),
        )
        .annotate(aid_or_opened=Coalesce("last_aid", "opened_on"))
    )
    stuck = Q(stage=Stage.BASIC_NEEDS) & (
        Q(stage_since__lt=now - STUCK_IN_STAGE_1)
        | Q(stage_since__isnull=True, opened_on__lt=today - STUCK_IN_STAGE_1)
    )
    no_aid = Q(aid_or_opened__lt=today - NO_AID_FOR)
    found = cases.filter(stuck | no_aid | Q(rejected_at__isnull=False)).order_by("opened_on", "id")[:limit]
    return [Attention(case, _reasons(case, now, today)) for case in found]


def _reasons(case: Case, now, today) -> list[str]:
    reasons = []
    since = case.stage_since or None
    if case.stage == Stage.BASIC_NEEDS and (
        (since and since < now - STUCK_IN_STAGE_1)
        or (not since and case.opened_on < today - STUCK_IN_STAGE_1)
    ):
        reasons.append(_("Lebih dari 6 bulan di tahap 1"))
    if case.aid_or_opened < today - NO_AID_FOR:
        reasons.append(_("Tidak ada bantuan selama 90 hari"))
    if case.rejected_at:
        reasons.append(_("Usulan ditolak: %(note)s") % {"note": case.rejected_note})
    return reasons


@dataclass
class Event:
    when: datetime.datetime
    household: Household | None  # None: the household has since moved out of the region
    text: str


def recent_events(user, *, limit: int = 10) -> list[Event]:
    """The latest moves and aid in the user's region, newest first. Three queries.

    Aid and moves stay in the village where they happened; a household that has since
    moved away is not named (no KK, no link): the village sees only what it recorded."""
    moves = (
        StageTransition.objects.visible_to(user)
        .select_related("case__household", "proposed_by")
        .order_by("-proposed_at", "-id")[:limit]
    )
    aid = (
        Assistance.objects.visible_to(user)
        .select_related("case__household")
        .order_by("-created_at", "-id")[:limit]
    )
    events = [Event(m.decided_at or m.proposed_at, m.case.household, _move_text(m)) for m in moves] + [
        Event(a.created_at, a.case.household, _("Bantuan %(kind)s dicatat") % {"kind": a.get_kind_display()})
        for a in aid
    ]
    events = sorted(events, key=lambda e: e.when, reverse=True)[:limit]
    ids = {e.household.pk for e in events if e.household is not None}
    here = set(Household.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for event in events:
        if event.household is not None and event.household.pk not in here:
            event.household = None
    return events


def _move_text(move: StageTransition) -> str:
    return _("%(kind)s ke %(to)s (%(state)s)") % {
        "kind": move.get_kind_display(),
        "to": move.get_to_display(),
        "state": move.get_state_display().lower(),
    }


def activities_for(user) -> QuerySet[Activity]:
    return (
        Activity.objects.visible_to(user)
        .select_related("partner", "village")
        .annotate(attendee_count=Count("attendance"))
        .order_by("-held_on", "-id")
    )
