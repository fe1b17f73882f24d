"""Each role lands on its own home page after signing in; the village home shows the
first items of each block and links to the whole list."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from regions import policy
from regions.models import District, Level, Regency, Role, Village, level_of
from regions.selectors import scope_of

from .. import business_selectors, growth_selectors, selectors
from ..forms import SearchForm
from ..growth_selectors import GrowthCoverage

FIRST = 5  # items of each block on the village home
QUEUE_FIRST = 10  # proposals on an official's home
PER_PAGE = 25


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


def _first(queryset, n: int) -> tuple[list, int]:
    """The first n rows and how many there are in all: two queries."""
    return list(queryset[:n]), queryset.count()


@dataclass
class NamedCoverage:
    name: str
    figures: GrowthCoverage


AREA_MODELS = {Level.PROVINCE: Regency, Level.REGENCY: District, Level.DISTRICT: Village}


def growth_context(user, *, by_area: bool = False) -> dict:
    """This month's coverage of the user's region from the one coverage selector (and,
    for an official, of each area below it, by name): three or seven queries."""
    month = timezone.localdate()
    region = user.region_code
    context = {
        "growth": growth_selectors.growth_coverage(region_code=region, period=month),
        "growth_month": month,
        "session_link": policy.may_record_growth(user) and level_of(region) == Level.VILLAGE,
    }
    model = AREA_MODELS.get(level_of(region))
    if by_area and model is not None:
        areas = growth_selectors.growth_coverage_by_area(region_code=region, period=month)
        names = dict(model.objects.filter(code__in=[a.region for a in areas]).values_list("code", "name"))
        context["growth_areas"] = [NamedCoverage(names.get(a.region, a.region), a) for a in areas]
    return context


def growth_attention(user, n: int) -> dict:
    """Children in follow-up and households to enrol, the first n of each and their counts."""
    followups, followup_count = _first(growth_selectors.open_followups_for(user), n)
    households, household_count = _first(growth_selectors.attention_households(user), n)
    return {
        "growth_followups": followups,
        "growth_followup_count": followup_count,
        "enrol_households": households,
        "enrol_household_count": household_count,
    }


def business_attention(user, n: int) -> dict:
    """Businesses whose scheduled follow-up is due and not recorded: the first n and their count."""
    due, count = _first(business_selectors.followups_due(user), n)
    return {"business_due": due, "business_due_count": count}


def village_home(request):
    user = request.user
    pending, pending_count = _first(selectors.pending_moves_for(user), FIRST)
    attention = selectors.attention_cases(user)
    groups, group_count = _first(selectors.groups_for(user), FIRST)
    feed = selectors.EventFeed(user)
    context = {
        "village": selectors.home_village(user),
        "search_form": SearchForm(),
        "stage_counts": selectors.stage_counts(user),
        "pending": pending,
        "pending_count": pending_count,
        "attention": selectors.with_reasons(attention[:FIRST]),
        "attention_count": attention.count(),
        "events": feed[:FIRST],
        "event_count": feed.count(),
        "groups": groups,
        "group_count": group_count,
        **growth_context(user),
        **growth_attention(user, FIRST),
        **business_attention(user, FIRST),
    }
    return render(request, "pages/home_village.html", context)


def official_home(request):
    user = request.user
    pending, pending_count = _first(selectors.pending_moves_for(user), QUEUE_FIRST)
    context = {
        "search_form": SearchForm(),
        "stage_counts": selectors.stage_counts(user),
        "pending": pending,
        "pending_count": pending_count,
        **growth_context(user, by_area=True),
    }
    return render(request, "pages/home_official.html", context)


def cadre_home(request):
    user = request.user
    context = {
        "activities": list(selectors.activities_for(user).filter(recorded_by=user)[:30]),
        **growth_context(user),
        **growth_attention(user, FIRST),
    }
    return render(request, "pages/home_cadre.html", context)


@login_required
def attention_list(request):
    """Every case that needs attention, a page at a time, with the reasons."""
    page = Paginator(selectors.attention_cases(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "attention": selectors.with_reasons(page.object_list),
        **growth_attention(request.user, PER_PAGE),
        **business_attention(request.user, PER_PAGE),
    }
    return render(request, "pages/home_attention.html", context)


@login_required
def event_list(request):
    """The whole feed of moves and aid, newest first, a page at a time."""
    page = Paginator(selectors.EventFeed(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pages/home_events.html", {"page": page})
