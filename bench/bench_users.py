"""Users the write, load and search measurements act as: the fill's (`bench-<region code>`,
see bench/generator.py) when they are there, else created once through the regions service."""

import os

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password")


def user_for(role: str, region_code: str):
    from regions.models import User
    from regions.services import create_user

    found = User.objects.filter(role=role, region_code=region_code, is_active=True).order_by("pk").first()
    if found is not None:
        return found
    return create_user(username=f"bench-{region_code}", role=role, region_code=region_code, password=PASSWORD)


def busiest_village() -> str:
    """The village with the most households: the village head's lists are the longest there."""
    from django.db.models import Count

    from beneficiaries.models import Household

    row = Household.objects.order_by().values("village_id").annotate(n=Count("id")).order_by("-n").first()
    return row["village_id"] if row else "36.01.01.2001"


def users_for(role: str, region_code: str, n: int) -> list:
    """`n` distinct users of one role and region: the fill's first, then `bench-<code>-<i>`
    (created once, no password: the load test writes their sessions). Concurrent clients are
    distinct people, so each counts against its own API read limit, as real clients would."""
    from regions.models import User
    from regions.services import create_user

    users = [user_for(role, region_code)]
    for i in range(2, n + 1):
        username = f"bench-{region_code}-{i}"
        found = User.objects.filter(username=username, is_active=True).first()
        users.append(found or create_user(username=username, role=role, region_code=region_code))
    return users
