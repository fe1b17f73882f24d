"""Reads of case work. Every queryset starts from the visibility selector."""

from django.db.models import Count, Q, QuerySet

from regions.selectors import regencies_visible_to

from .models import Case, CaseStatus, MoveState, Stage, StageTransition


def cases_for(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("household", "village", "program")


def pending_moves_for(user) -> QuerySet[StageTransition]:
    """Proposals waiting for a decision in the user's region, oldest first."""
    return (
        StageTransition.objects.visible_to(user)
        .filter(state=MoveState.PENDING)
        .select_related("case__household", "village", "proposed_by")
        .order_by("proposed_at")
    )


def cases_by_stage_per_regency(user) -> list[dict]:
    """One row per visible regency: open cases per stage, graduated, exited. Two queries."""
    counts = {
        row["regency_id"]: row
        for row in Case.objects.visible_to(user)
        .values("regency_id")
        .annotate(
            **{f"stage_{s}": Count("id", filter=Q(status=CaseStatus.ACTIVE, stage=s)) for s in Stage.values},
            graduated=Count("id", filter=Q(status=CaseStatus.GRADUATED)),
            exited=Count("id", filter=Q(status=CaseStatus.EXITED)),
        )
    }
    rows = []
    for regency in regencies_visible_to(user):
        row = counts.get(regency.code, {})
        rows.append(
            {
                "regency": regency,
                "stages": [row.get(f"stage_{s}", 0) for s in Stage.values],
                "graduated": row.get("graduated", 0),
                "exited": row.get("exited", 0),
            }
        )
    return rows
