"""EXPLAIN (ANALYZE, BUFFERS) of the real selectors' household queries by region, the
number search by its start, and the history reads of the timeline: the evidence that the
indexes migration 0013 dropped (the LIKE twins of the region codes, regency alone, and the
history tables' copies) serve none of them, and that those kept still do (issue 10).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<filled db> \\
        .venv/bin/python bench/explain_household_indexes.py

Prints each query's scan lines and its execution time."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")


def main() -> None:
    import django

    django.setup()
    from django.db.models import Count

    from beneficiaries.models import Household, Person
    from beneficiaries.selectors import households_matching
    from regions.models import User

    def user(role: str, code: str) -> User:
        return User(username=f"explain-{role}", role=role, region_code=code, is_active=True)

    def show(title: str, rows) -> None:
        print(f"### {title}")
        plan = rows.explain(analyze=True, buffers=True)
        keep = ("Index", "Seq Scan", "Bitmap", "Execution")
        print("\n".join(line for line in plan.splitlines() if any(k in line for k in keep)))

    home = Household.objects.order_by("id")[Household.objects.count() // 2]
    regency, district, village = home.regency_id, home.district_id, home.village_id
    for role, code in (("regency", regency), ("district", district), ("village", village)):
        show(f"household list of {role} {code} (page of 50)", households_matching(user(role, code), "")[:50])
    show(f"households of regency {regency}, counted",
         Household.objects.visible_to(user("regency", regency)).values("regency").annotate(n=Count("id")))  # fmt: skip
    show(f"households of district {district}, counted",
         Household.objects.visible_to(user("district", district)).values("district").annotate(n=Count("id")))  # fmt: skip
    everyone = User(username="explain-superuser", is_superuser=True, is_active=True)
    show(
        f"KK/NIK search by its start ({home.kk_number[:12]})",
        households_matching(everyone, home.kk_number[:12])[:50],
    )
    show(
        "a household's history by id (timeline)",
        Household.history.filter(id=home.pk).order_by("history_date"),
    )
    show("its members' history by household (timeline)",
         Person.history.filter(household_id=home.pk).order_by("history_date", "history_id"))  # fmt: skip


if __name__ == "__main__":
    main()
