"""Each role lands on its own home page after signing in; the village home shows the
first items of each block and links to the whole list."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from regions.models import Role
from regions.selectors import scope_of

from .. import selectors
from ..forms import SearchForm

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
    }
    return render(request, "pages/home_official.html", context)


def cadre_home(request):
    user = request.user
    return render(
        request,
        "pages/home_cadre.html",
        {"activities": list(selectors.activities_for(user).filter(recorded_by=user)[:30])},
    )


@login_required
def attention_list(request):
    """Every case that needs attention, a page at a time, with the reasons."""
    page = Paginator(selectors.attention_cases(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "attention": selectors.with_reasons(page.object_list)}
    return render(request, "pages/home_attention.html", context)


@login_required
def event_list(request):
    """The whole feed of moves and aid, newest first, a page at a time."""
    page = Paginator(selectors.EventFeed(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pages/home_events.html", {"page": page})
