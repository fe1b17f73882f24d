"""The expected figures of a report, computed in plain Python from the rows a test created.

Deliberately written without the selector or the ORM: loops over tuples, one metric at a time.
"""

import datetime
from collections import defaultdict

from .conftest import WIB, World


def months(period: datetime.date):
    start = period
    end = datetime.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    prev = datetime.date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
    return prev, start, end


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(WIB).date()


def truth(world: World, region: str, period: datetime.date, area_of=lambda v: "all") -> dict:
    """{area: {metric: (current, previous, cumulative)}}; `area_of` maps a village code to the
    area it is added into (a district, a village, or one bucket)."""
    prev, start, end = months(period)
    out: dict = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))

    def inside(village: str) -> bool:
        return region == "36" or village.startswith(region + ".")

    def flow(village: str, key: str, day: datetime.date | None, amount: int = 1) -> None:
        if day is None or not inside(village):
            return
        cell = out[area_of(village)][key]
        cell[0] += amount if start <= day < end else 0
        cell[1] += amount if prev <= day < start else 0
        cell[2] += amount if day < end else 0

    _positions(world, inside, area_of, out, start, end)
    _pending(world, inside, area_of, out, start, end)
    for _case, village, kind, _to, state, _p, decided, _id in world.moves:
        if state == "applied":
            flow(village, f"move_{kind}", local_day(decided))
    for village, kind, day, amount, _hh in world.aid:
        flow(village, f"aid_{kind}_count", day)
        flow(village, f"aid_{kind}_amount", day, amount)
        flow(village, "aid_total_count", day)
        flow(village, "aid_total_amount", day, amount)
    for village, day in world.groups:
        flow(village, "groups_formed", day)
    for village, day in world.enterprises:
        flow(village, "enterprises_founded", day)
    for village, amount, applied, approved, disbursed in world.capital:
        for step, day in (("applied", applied), ("approved", approved), ("disbursed", disbursed)):
            flow(village, f"capital_{step}_count", day)
            flow(village, f"capital_{step}_amount", day, amount)
    for village, kind, day in world.activities:
        flow(village, f"activities_{kind if kind in ('pkk', 'posyandu') else 'other'}", day)
        flow(village, "activities_total", day)
    _women(world, inside, area_of, out, prev, start, end)
    return out


def _positions(world, inside, area_of, out, start, end) -> None:
    names = {"1": "stage_1", "2": "stage_2", "3": "stage_3", "graduated": "graduated", "exited": "exited"}
    for slot, cutoff in ((0, end), (1, start)):
        latest: dict = {}
        for case, village, _kind, to, state, _p, decided, move_id in world.moves:
            if state != "applied" or local_day(decided) >= cutoff:
                continue
            if case not in latest or (decided, move_id) > latest[case][0]:
                latest[case] = ((decided, move_id), village, to)
        for _key, village, to in latest.values():
            if inside(village):
                out[area_of(village)][names[to]][slot] += 1
                if to in ("1", "2", "3"):
                    out[area_of(village)]["active"][slot] += 1


def _pending(world, inside, area_of, out, start, end) -> None:
    for _case, village, _kind, _to, _state, proposed, decided, _id in world.moves:
        if not inside(village):
            continue
        for slot, cutoff in ((0, end), (1, start)):
            if local_day(proposed) < cutoff and (decided is None or local_day(decided) >= cutoff):
                out[area_of(village)]["pending"][slot] += 1


def _women(world, inside, area_of, out, prev, start, end) -> None:
    windows = ((0, start, end), (1, prev, start), (2, datetime.date.min, end))
    for slot, lo, hi in windows:
        aided = {hh for _v, _k, day, _a, hh in world.aid if lo <= day < hi}
        for _id, village, household, sex, _nik, _name in world.persons:
            if sex == "P" and household in aided and inside(village):
                out[area_of(village)]["women_assisted"][slot] += 1
        for key, only_programme in (("women_attending", False), ("women_program_attending", True)):
            seen = set()
            for village, day, person, sex, programme in world.attendance:
                if sex == "P" and lo <= day < hi and inside(village) and (programme or not only_programme):
                    seen.add((area_of(village), person))
            for area, _person in seen:
                out[area][key][slot] += 1
