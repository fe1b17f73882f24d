"""beneficiaries.growth_tally: the growth village-months equal a recount from the
measurements after every path that writes them (record, a second weighing in the month,
corrections of the date, weight, height and position, a child's history at once, a
delete, the erasure of the child), and `refresh` rebuilds them from the rows."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from beneficiaries import growth_tally
from beneficiaries.models import GrowthMonth, Measurement
from beneficiaries.services import erase_person
from beneficiaries.services.growth import correct_measurement, record_measurement, record_measurement_history
from core.errors import DomainError
from tests.beneficiaries.growth_helpers import BIRTH, FEBRUARY, build_february, household_in, weigh
from tests.factories import VILLAGE_A, VILLAGE_B, ToddlerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def march_2025():
    moment = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False):
        yield


def assert_in_step() -> None:
    assert growth_tally.stored() == growth_tally.recounted()


def test_the_hand_counted_month_is_tallied_as_counted(cadre, head_b, north_official):
    """February of the hand-built month: village A has 5 measured, 1 flagged, 4 assessed,
    2 stunted (1 severely), 1 wasted, 1 underweight; January has c5."""
    build_february(cadre=cadre, head_b=head_b, north_official=north_official)
    assert_in_step()
    february = GrowthMonth.objects.get(village_id=VILLAGE_A, month=FEBRUARY)
    assert (february.measured, february.implausible, february.assessed, february.whz_assessed) == (5, 1, 4, 4)
    assert (february.stunted, february.severely_stunted, february.wasted, february.underweight) == (2, 1, 1, 1)
    assert (february.district_id, february.regency_id) == (VILLAGE_A[:8], VILLAGE_A[:5])
    assert GrowthMonth.objects.get(village_id=VILLAGE_A, month=D(2025, 1, 1)).measured == 1


def test_a_second_weighing_in_the_month_replaces_the_first(cadre):
    """Wasted on 3 February, normal on 24 February: the month counts the later one only."""
    child = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)
    weigh(cadre, child, D(2025, 2, 3), "10.0", "86.4")
    assert GrowthMonth.objects.get(village_id=VILLAGE_A, month=FEBRUARY).wasted == 1
    weigh(cadre, child, D(2025, 2, 24), "11.3", "86.4")
    assert_in_step()
    month = GrowthMonth.objects.get(village_id=VILLAGE_A, month=FEBRUARY)
    assert (month.measured, month.wasted) == (1, 0)


def test_a_correction_moves_the_count_between_months_and_statuses(cadre):
    child = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)
    january = weigh(cadre, child, D(2025, 1, 10), "12.0", "86.0")
    weigh(cadre, child, D(2025, 2, 10), "12.2", "86.4")
    correct_measurement(actor=cadre, measurement=january, height_cm="60.0")  # flagged now
    assert_in_step()
    assert GrowthMonth.objects.get(village_id=VILLAGE_A, month=D(2025, 1, 1)).implausible == 1
    correct_measurement(actor=cadre, measurement=january, measured_on=D(2025, 2, 20), height_cm="80.0")
    assert_in_step()
    assert GrowthMonth.objects.get(village_id=VILLAGE_A, month=D(2025, 1, 1)).measured == 0
    february = GrowthMonth.objects.get(village_id=VILLAGE_A, month=FEBRUARY)
    assert (february.measured, february.stunted, february.implausible) == (1, 1, 0)  # the later, stunted one


def test_a_refused_write_leaves_the_tally_as_it_was(cadre):
    child = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)
    weigh(cadre, child, D(2025, 2, 10), "12.2", "86.4")
    before = growth_tally.stored()
    with pytest.raises(DomainError):
        weigh(cadre, child, D(2025, 2, 10), "12.0", "86.0")  # the same day again
    with pytest.raises(DomainError):
        weigh(cadre, child, D(2025, 2, 11), "99.0", "86.0")  # weight out of range
    assert growth_tally.stored() == before
    assert_in_step()


def test_a_childs_history_at_once_is_tallied(cadre):
    child = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)
    weighings = [
        {"measured_on": D(2024, 12, 9), "weight_kg": "11.0", "height_cm": "84.0", "position": "standing"},
        {"measured_on": D(2025, 1, 6), "weight_kg": "11.2", "height_cm": "80.0", "position": "standing"},
        {"measured_on": D(2025, 1, 27), "weight_kg": "11.4", "height_cm": "85.0", "position": "standing"},
        {"measured_on": D(2025, 2, 10), "weight_kg": "9.5", "height_cm": "86.0", "position": "standing"},
    ]
    record_measurement_history(actor=cadre, person=child, weighings=weighings)
    assert_in_step()
    assert sorted(GrowthMonth.objects.values_list("month", "measured")) == [
        (D(2024, 12, 1), 1),
        (D(2025, 1, 1), 1),
        (FEBRUARY, 1),
    ]


def test_a_deleted_measurement_is_taken_out(cadre):
    child = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)
    first = weigh(cadre, child, D(2025, 2, 3), "12.0", "86.4")
    second = weigh(cadre, child, D(2025, 2, 24), "12.2", "86.4")
    Measurement.objects.filter(pk=second.pk).first().delete()
    Measurement.objects.filter(pk=first.pk).first().delete()  # (not last of the month: adds nothing)
    assert growth_tally.stored() == {}


def test_the_erasure_of_a_child_keeps_the_counts(cadre, province):
    child = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)
    weigh(cadre, child, D(2025, 2, 10), "12.2", "80.0")
    before = growth_tally.stored()
    erase_person(person=child, actor=province, reason="Didaftarkan dua kali karena salah ketik.")
    assert growth_tally.stored() == before
    assert_in_step()


def test_random_weighings_and_corrections_stay_in_step(cadre, head_b):
    """A seeded walk of weighings and corrections over children of two villages: the
    tally equals the recount after every step, refusals included."""
    rng = random.Random(12)
    children = [
        (ToddlerFactory(household=household_in(village), birth_date=BIRTH), actor)
        for village, actor in ((VILLAGE_A, cadre), (VILLAGE_A, cadre), (VILLAGE_B, head_b))
    ]
    written: list[tuple[Measurement, object]] = []
    for _step in range(30):
        child, actor = rng.choice(children)
        day = D(2025, rng.choice([1, 2, 3]), rng.randint(1, 19))
        values = {
            "weight_kg": f"{rng.uniform(6, 14):.1f}",
            "height_cm": rng.choice(["60.0", "78.0", "86.4", "90.0"]),
            "position": rng.choice(["standing", "lying"]),
        }
        try:
            if written and rng.random() < 0.4:
                measurement, actor = rng.choice(written)
                correct_measurement(actor=actor, measurement=measurement.pk, measured_on=day, **values)
            else:
                written.append((record_measurement(actor=actor, person=child, measured_on=day, **values), actor))
        except DomainError:
            pass  # the same day twice: refused, nothing written
        assert_in_step()
    assert GrowthMonth.objects.exists()


def test_refresh_rebuilds_the_village_months_from_the_rows(cadre, head_b, north_official):
    build_february(cadre=cadre, head_b=head_b, north_official=north_official)
    kept = growth_tally.stored()
    GrowthMonth.objects.update(measured=99)
    assert growth_tally.refresh() == len(kept)
    assert growth_tally.stored() == kept
    GrowthMonth.objects.all().delete()
    growth_tally.refresh(apps=apps)  # as the data migration calls it, with an app registry
    assert growth_tally.stored() == kept
