"""Demo data for development: `manage.py seed_demo`.

Two steps keep it deterministic and idempotent:
- `build_plan(anchor)` is pure: a fixed random seed and dates counted back from a fixed
  anchor (the first day of the month) give the same plan on every run, with no database read.
- `Seeder(plan).run()` carries the plan out through the services, acting as the demo users,
  so the data obeys every rule. Each object is looked up first by a stable key (username,
  KK number, names), so running it again changes nothing. The services date what they
  write today; the seeder then dates each step on its day in the story (backdate.py).

Apps above this one add their own demo rows on the `demo_seeded` signal (reports: the
report recipients), since this app may not import them.
"""

from .data import PASSWORD, USERS
from .plan import Plan, build_plan, demo_anchor
from .seed import Seeder, demo_second_factor, demo_seeded, logins

__all__ = [
    "PASSWORD",
    "USERS",
    "Plan",
    "Seeder",
    "build_plan",
    "demo_anchor",
    "demo_second_factor",
    "demo_seeded",
    "logins",
]
