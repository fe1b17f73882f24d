"""Each role lands on its own home page after signing in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from regions.models import Role
from regions.selectors import scope_of

from .. import selectors
from ..forms import DecisionForm, SearchForm


@login_required
def home(request):
    user = request.user
    if scope_of(user).empty:
        return render(request, "pages/home_no_region.html")
    if user.role == Role.CADRE:
        return cadre_home(request)
    if user.role == Role.VILLAGE:
        return village_home(request)
    return official_home(request)


def village_home(request):
    user = request.user
    return render(
        request,
        "pages/home_village.html",
        {
            "search_form": SearchForm(),
            "stage_counts": selectors.stage_counts(user),
            "pending": list(selectors.pending_moves_for(user)[:20]),
            "attention": selectors.cases_needing_attention(user),
            "events": selectors.recent_events(user),
        },
    )


def official_home(request):
    user = request.user
    return render(
        request,
        "pages/home_official.html",
        {
            "search_form": SearchForm(),
            "stage_counts": selectors.stage_counts(user),
            "pending": list(selectors.pending_moves_for(user)[:50]),
            "decision_form": DecisionForm(),
        },
    )


def cadre_home(request):
    user = request.user
    return render(
        request,
        "pages/home_cadre.html",
        {"activities": list(selectors.activities_for(user).filter(recorded_by=user)[:30])},
    )
