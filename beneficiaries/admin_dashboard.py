"""The admin front page: cases by stage per regency of the user's region, the proposals
waiting for a decision, and a few totals. A fixed number of queries, whatever the data."""

import json
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import rupiah
from regions.models import find_region
from regions.selectors import scope_of

from .business_selectors import funnel_level_for, sector_focus_for, women_funnel, women_funnel_total
from .models import Assistance, CapitalAccess, CaseStatus, Enterprise, Group, MoveState, Stage, WomenEnrolment
from .selectors import cases_by_stage_per_regency, pending_moves_for

STAGE_COLORS = ["var(--color-primary-300)", "var(--color-primary-500)", "var(--color-primary-700)"]


def case_list_url(**params) -> str:
    return f"{reverse('admin:beneficiaries_case_changelist')}?{urlencode(params)}"


def stage_rows(user) -> list[dict]:
    rows = []
    for row in cases_by_stage_per_regency(user):
        code = row["regency"].code
        cells = [
            {"count": n, "url": case_list_url(regency=code, stage__exact=s, status__exact=CaseStatus.ACTIVE)}
            for s, n in zip(Stage.values, row["stages"], strict=True)
        ]
        cells.append(
            {"count": row["graduated"], "url": case_list_url(regency=code, status__exact="graduated")}
        )
        cells.append({"count": row["exited"], "url": case_list_url(regency=code, status__exact="exited")})
        rows.append({"regency": row["regency"], "cells": cells, "open": sum(row["stages"])})
    return rows


def totals(rows: list[dict]) -> list[int]:
    return [sum(r["cells"][i]["count"] for r in rows) for i in range(len(Stage.values) + 2)]


def chart(rows: list[dict]) -> tuple[str, str]:
    data = {
        "labels": [r["regency"].name.title() for r in rows],
        "datasets": [
            {
                "label": str(label).split(":")[0],
                "data": [r["cells"][i]["count"] for r in rows],
                "backgroundColor": STAGE_COLORS[i],
                "maxBarThickness": 56,
            }
            for i, label in enumerate(Stage.labels)
        ],
    }
    options = {
        "maintainAspectRatio": False,
        "plugins": {"legend": {"display": True, "align": "end", "labels": {"boxWidth": 10}}},
        "scales": {
            "x": {"stacked": True, "grid": {"display": False}},
            "y": {"stacked": True, "beginAtZero": True, "ticks": {"precision": 0}},  # counts: no 0,4 ticks
        },
    }
    return json.dumps(data), json.dumps(options)


def key_figures(user) -> list[dict]:
    year = timezone.localdate().year
    aid = (
        Assistance.objects.visible_to(user)
        .filter(delivered_on__year=year)
        .aggregate(total=Sum("amount"), households=Count("case__household", distinct=True))
    )
    capital = CapitalAccess.objects.visible_to(user).aggregate(
        disbursed=Sum("amount", filter=Q(status=CapitalAccess.Status.DISBURSED))
    )
    return [
        {
            "title": _("Bantuan tersalur %(year)s") % {"year": year},
            "value": rupiah(aid["total"] or 0),
            "note": _("%(n)s rumah tangga menerima") % {"n": aid["households"]},
            "url": reverse("admin:beneficiaries_assistance_changelist"),
        },
        {
            "title": _("Kelompok usaha aktif"),
            "value": Group.objects.visible_to(user).filter(is_active=True).count(),
            "note": _("%(n)s badan usaha") % {"n": Enterprise.objects.visible_to(user).count()},
            "url": reverse("admin:beneficiaries_group_changelist"),
        },
        {
            "title": _("Modal dicairkan"),
            "value": rupiah(capital["disbursed"] or 0),
            "note": _("dari akses permodalan badan usaha"),
            "url": reverse("admin:beneficiaries_capitalaccess_changelist") + "?status__exact=disbursed",
        },
    ]


def region_label(user) -> str:
    scope = scope_of(user)
    if scope.everything:
        return _("Seluruh Provinsi Banten")
    if scope.empty:
        return _("Belum ada wilayah kerja")
    region = find_region(user.region_code)
    return _("Provinsi Banten") if isinstance(region, str) else f"{region} ({user.region_code})"


def dashboard_callback(request, context):
    user = request.user
    rows = stage_rows(user)
    chart_data, chart_options = chart(rows)
    context.update(
        {
            "title": _("Beranda"),
            "stage_labels": [
                {"short": str(label).split(":")[0], "full": label}
                for label in [*Stage.labels, CaseStatus.GRADUATED.label, CaseStatus.EXITED.label]
            ],
            "stage_rows": rows,
            "stage_totals": totals(rows),
            "open_cases": sum(r["open"] for r in rows),
            "chart_data": chart_data,
            "chart_options": chart_options,
            "pending_count": pending_moves_for(user).count(),
            "pending_url": reverse("admin:beneficiaries_stagetransition_changelist")
            + f"?state__exact={MoveState.PENDING}",
            "key_figures": key_figures(user) if not scope_of(user).empty else [],
            "region_label": region_label(user),
            "has_region": not scope_of(user).empty,
            **women_programme(user),
        }
    )
    return context


def women_programme(user) -> dict:
    """The women's programme funnel per area below the user's region, and per regency the
    businesses and enterprises by sector against the zone's focus. Eight queries."""
    if scope_of(user).empty:
        return {}
    enrolments = WomenEnrolment.objects.visible_to(user)
    return {
        "funnel_rows": women_funnel(enrolments, level=funnel_level_for(user)),
        "funnel_total": women_funnel_total(enrolments),
        "sector_focus": sector_focus_for(user),
    }
