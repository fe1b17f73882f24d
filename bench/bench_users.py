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
