"""beneficiaries.services.growth.record_measurement_history: a child's past weighings in
one pass (the demo seeds a year per toddler with it) writes what `record_measurement`
writes weighing by weighing, without recomputing the child's history on every write."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from beneficiaries.demo.growth import _measure
from beneficiaries.models import GrowthFollowUp, Intervention, Measurement
from beneficiaries.services import growth
from core.errors import DomainError
from tests.factories import HouseholdFactory, PersonFactory, PosyanduFactory, ToddlerFactory

WIB = ZoneInfo("Asia/Jakarta")
D = datetime.date
BIRTH = D(2023, 1, 10)
# (day, HAZ, WHZ) the child's heights and weights are read off the WHO curves at: stunted
# at first, a wasting episode in June-July, two weighings in September, October missed,
# then back in range.
PATH = [
    (D(2024, 3, 12), -2.6, -0.5),
    (D(2024, 4, 11), -2.5, -0.6),
    (D(2024, 5, 13), -2.4, -0.7),
    (D(2024, 6, 10), -2.3, -2.6),
    (D(2024, 7, 9), -2.2, -2.7),
    (D(2024, 8, 12), -2.0, -0.8),
    (D(2024, 9, 2), -1.7, -0.4),
    (D(2024, 9, 27), -1.6, -0.3),
    (D(2024, 11, 11), -1.5, -0.2),
    (D(2024, 12, 9), -1.5, -0.2),
    (D(2025, 1, 13), -1.4, -0.1),
    (D(2025, 2, 10), -1.4, 0.0),
]
COMPARED = [
    "measured_on", "weight_kg", "height_cm", "position", "muac_cm", "head_cm", "posyandu_id", "age_months",
    "haz", "waz", "whz", "whz_note", "haz_status", "waz_status", "whz_status", "growth_sign", "two_t",
    "last_of_month", "flagged", "flags", "village_id", "district_id", "regency_id", "recorded_by_id",
]  # fmt: skip


@pytest.fixture(autouse=True)
def march_2025():
    moment = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=WIB)
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False):
        yield


def toddler():
    household = HouseholdFactory()
    PersonFactory(household=household)
    return ToddlerFactory(household=household, birth_date=BIRTH, sex="L")


def weighings(posyandu) -> list[dict]:
    rows = []
    for day, haz, whz in PATH:
        weight, height, position = _measure("L", BIRTH, day, haz, whz)
        rows.append(
            {"measured_on": day, "weight_kg": weight, "height_cm": height, "position": position, "posyandu": posyandu}
        )
    return rows


def given_after(i: int) -> list[dict]:
    """Interventions after the i-th weighing opened a follow-up, before the next weighing."""
    day = PATH[i][0]
    return [
        {"given_on": day + datetime.timedelta(days=1), "kind": "nutrition_counselling"},
        {"given_on": day + datetime.timedelta(days=3), "kind": "pmt", "note": " PMT lokal "},
    ]


def written(child) -> dict:
    measurements = list(Measurement.objects.filter(person=child).order_by("measured_on").values(*COMPARED))
    followups = list(
        GrowthFollowUp.objects.filter(person=child)
        .order_by("opened_on")
        .values(
            "opened_on", "reasons", "status", "closed_on", "close_reason", "close_note",
            "opening_measurement__measured_on", "village_id", "opened_by_id", "closed_by_id",
        )  # fmt: skip
    )
    interventions = list(
        Intervention.objects.filter(followup__person=child)
        .order_by("given_on", "kind")
        .values("followup__opened_on", "given_on", "kind", "partner_id", "note", "village_id", "recorded_by_id")
    )
    return {
        "measurements": measurements,
        "followups": followups,
        "interventions": interventions,
    }


def test_a_childs_year_in_one_pass_is_what_the_service_writes_weighing_by_weighing(cadre):
    """The same weighings of two identical children, one recorded one by one through
    `record_measurement` (with the interventions recorded after each weighing that opened a
    follow-up), the other in one `record_measurement_history`: the same measurements with
    the same z-scores, statuses, signs, 2T and last-of-month, the same follow-ups opened,
    widened and closed, the same interventions; each measurement's history row holds its
    values (the service's extra row for the September weighing that a later one the same
    month made not the last of its month is the only difference)."""
    posyandu = PosyanduFactory()
    one_by_one, in_one_pass = toddler(), toddler()
    for i, values in enumerate(weighings(posyandu)):
        measurement = growth.record_measurement(actor=cadre, person=one_by_one, **values)
        opened = GrowthFollowUp.objects.filter(opening_measurement=measurement).first()
        for given in given_after(i) if opened else []:
            growth.record_intervention(actor=cadre, followup=opened, partner=posyandu, **given)

    def interventions(i, followup):
        return [{**given, "partner": posyandu} for given in given_after(i)]

    rows = growth.record_measurement_history(
        actor=cadre, person=in_one_pass, weighings=weighings(posyandu), interventions=interventions
    )

    expected, got = written(one_by_one), written(in_one_pass)
    assert got == expected
    assert [r.measured_on for r in rows] == [day for day, *_ in PATH]
    # the path exercised what it should: a stunting follow-up widened by wasting, then closed
    assert [f["reasons"] for f in got["followups"]][0].startswith("stunted")
    assert any(f["close_reason"] == "recovered" for f in got["followups"])
    assert {m["growth_sign"] for m in got["measurements"]} >= {"B", "N", "O"}
    assert [m["last_of_month"] for m in got["measurements"]].count(False) == 1
    assert got["interventions"]
    history = list(Measurement.history.filter(person_id=in_one_pass.pk).order_by("measured_on").values(*COMPARED))
    assert history == got["measurements"]
    assert set(Measurement.history.filter(person_id=in_one_pass.pk).values_list("history_type", flat=True)) == {"+"}
    assert Measurement.history.filter(person_id=one_by_one.pk).count() == len(PATH) + 1


def test_it_writes_a_childs_year_in_a_handful_of_queries(cadre, django_assert_max_num_queries):
    """Twelve weighings, their follow-up and interventions: a fixed handful of queries, not
    a handful per weighing."""
    posyandu = PosyanduFactory()
    child = toddler()
    with django_assert_max_num_queries(40):
        growth.record_measurement_history(
            actor=cadre,
            person=child,
            weighings=weighings(posyandu),
            interventions=lambda i, f: [{**g, "partner": posyandu} for g in given_after(i)],
        )
    assert Measurement.objects.filter(person=child).count() == len(PATH)


def test_it_rejects_a_bad_weighing_naming_it_and_writes_nothing(cadre):
    """A weight out of range and a second weighing on the same day are refused with the
    weighing's place and field named, in Indonesian; nothing is written."""
    posyandu = PosyanduFactory()
    child = toddler()
    rows = weighings(posyandu)
    rows[3]["weight_kg"] = "45"
    rows[5]["measured_on"] = rows[4]["measured_on"]
    with pytest.raises(DomainError) as refused:
        growth.record_measurement_history(actor=cadre, person=child, weighings=rows)
    assert set(refused.value.errors) == {"weighings.3.weight_kg", "weighings.5.measured_on"}
    assert "sudah diukur" in refused.value.errors["weighings.5.measured_on"][0]
    assert not Measurement.objects.filter(person=child).exists()
    assert not Measurement.history.filter(person_id=child.pk).exists()


def test_it_rejects_a_child_that_has_measurements_already(cadre):
    """One pass is for a child's first weighings: a child already measured is refused
    (its history would need recomputing), naming the child."""
    posyandu = PosyanduFactory()
    child = toddler()
    growth.record_measurement(actor=cadre, person=child, **weighings(posyandu)[0])
    with pytest.raises(DomainError) as refused:
        growth.record_measurement_history(actor=cadre, person=child, weighings=weighings(posyandu)[1:])
    assert "person" in refused.value.errors
    assert Measurement.objects.filter(person=child).count() == 1


def test_it_rejects_a_child_outside_the_region_as_not_found(cadre, north_official):
    """A child of another regency answers as a missing one."""
    child = toddler()
    with pytest.raises(DomainError) as refused:
        growth.record_measurement_history(actor=north_official, person=child, weighings=[])
    assert refused.value.code == DomainError.NOT_FOUND


# ---------------------------------------------------------------- aged out at 60 months


def stunted_child(cadre, birth: datetime.date, day: datetime.date):
    """A child measured stunted on `day`: its follow-up is open."""
    household = HouseholdFactory()
    PersonFactory(household=household)
    child = ToddlerFactory(household=household, birth_date=birth, sex="P")
    weight, height, position = _measure("P", birth, day, -2.7, 0.0)
    growth.record_measurement(
        actor=cadre, person=child, measured_on=day, weight_kg=weight, height_cm=height, position=position
    )
    return GrowthFollowUp.objects.get(person=child, status="open")


def test_it_closes_a_followup_as_aged_out_the_day_the_child_reaches_60_months(cadre):
    """Born 25 March 2020: still open on 24 March 2025 (59 months), closed as aged out on
    25 March, dated that day, by no one; running again closes nothing more."""
    followup = stunted_child(cadre, D(2020, 3, 25), D(2025, 3, 10))
    assert growth.close_aged_out_followups(today=D(2025, 3, 24)) == 0
    assert GrowthFollowUp.objects.get(pk=followup.pk).status == "open"
    assert growth.close_aged_out_followups(today=D(2025, 3, 25)) == 1
    closed = GrowthFollowUp.objects.get(pk=followup.pk)
    assert (closed.status, closed.close_reason, closed.closed_on, closed.closed_by) == (
        "closed", "aged_out", D(2025, 3, 25), None,
    )  # fmt: skip
    assert closed.history.first().history_type == "~"
    assert growth.close_aged_out_followups(today=D(2025, 3, 26)) == 0
    assert GrowthFollowUp.history.filter(id=followup.pk).count() == 2


def test_a_child_born_on_29_february_ages_out_on_1_march(cadre):
    """Born 29 February 2020: 59 months on 28 February 2025, 60 on 1 March; a run that
    comes later dates the closing 1 March all the same."""
    with time_machine.travel(datetime.datetime(2025, 2, 20, 10, tzinfo=WIB).astimezone(datetime.UTC), tick=False):
        followup = stunted_child(cadre, D(2020, 2, 29), D(2025, 2, 10))
    assert growth.close_aged_out_followups(today=D(2025, 2, 28)) == 0
    assert growth.close_aged_out_followups(today=D(2025, 3, 20)) == 1
    assert GrowthFollowUp.objects.get(pk=followup.pk).closed_on == D(2025, 3, 1)


def test_the_daily_task_closes_aged_out_followups_and_is_scheduled(cadre):
    """The beat task runs the service (idempotent), at 00:30 Asia/Jakarta every day, from
    a reversible data migration."""
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from beneficiaries.tasks import close_aged_out_followups

    followup = stunted_child(cadre, D(2020, 3, 1), D(2025, 2, 10))
    assert close_aged_out_followups.delay().get() == 1
    assert GrowthFollowUp.objects.get(pk=followup.pk).close_reason == "aged_out"
    assert close_aged_out_followups.delay().get() == 0
    schedule = importlib.import_module("beneficiaries.migrations.0012_growth_coverage_indexes_aged_out_schedule")
    schedule.create_schedule(apps, None)  # a flushed test database loses migration rows
    task = PeriodicTask.objects.get(name=schedule.TASK_NAME)
    assert task.task == "beneficiaries.tasks.close_aged_out_followups" and task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("30", "0", "*")
    assert str(task.crontab.timezone) == "Asia/Jakarta"
    schedule.remove_schedule(apps, None)
    assert not PeriodicTask.objects.filter(name=schedule.TASK_NAME).exists()
