"""A hand-built month of posyandu weighing (February 2025) whose coverage figures are
counted by hand in the docstring, for the selector's and the API's tests."""

import datetime

from beneficiaries.services.growth import record_measurement
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_NORTH,
    HouseholdFactory,
    PersonFactory,
    ToddlerFactory,
)

D = datetime.date
BIRTH = D(2023, 1, 10)
FEBRUARY = D(2025, 2, 1)


def household_in(village: str):
    household = HouseholdFactory(village_id=village)
    PersonFactory(household=household)
    return household


def weigh(actor, child, on, weight, height):
    return record_measurement(
        actor=actor, person=child, measured_on=on, weight_kg=weight, height_cm=height, position="standing"
    )


def build_february(*, cadre, head_b, north_official, extra_normal: int = 0) -> dict:
    """Village A: c1 normal; c2 stunted; c3 severely stunted, wasted and severely
    underweight; c4 flagged (60 cm: HAZ < -6); c5 weighed in January only; c6 wasted on
    3 February and normal on 24 February (the month counts the later one); not toddlers
    of February: c7 (61 months), c8 (born in March), c9 (left in January).
    Village B (same district): b1 wasted. Kota Tangerang: n1 normal.

    Village A: 6 toddlers, 5 measured (83.3 %), 4 assessed, 2 stunted (1 severely),
    1 wasted, 1 underweight, stunting 50.0 %, wasting 25.0 %, 3 follow-ups open at the
    end of February (c2, c3, c6). `extra_normal` more normal children in village A."""
    home = household_in(VILLAGE_A)
    kids = {f"c{i}": ToddlerFactory(household=home, birth_date=BIRTH) for i in range(1, 7)}
    weigh(cadre, kids["c1"], D(2025, 2, 10), "12.2", "86.4")
    weigh(cadre, kids["c2"], D(2025, 2, 10), "12.2", "80.0")
    weigh(cadre, kids["c3"], D(2025, 2, 10), "8.0", "77.0")
    weigh(cadre, kids["c4"], D(2025, 2, 10), "12.2", "60.0")
    weigh(cadre, kids["c5"], D(2025, 1, 10), "12.0", "86.0")
    weigh(cadre, kids["c6"], D(2025, 2, 3), "10.0", "86.4")
    weigh(cadre, kids["c6"], D(2025, 2, 24), "11.3", "86.4")
    ToddlerFactory(household=home, birth_date=D(2020, 1, 1))
    ToddlerFactory(household=home, birth_date=D(2025, 3, 5))
    ToddlerFactory(household=home, birth_date=BIRTH, left_on=D(2025, 1, 20), left_reason="moved_out")
    for _ in range(extra_normal):
        weigh(cadre, ToddlerFactory(household=home, birth_date=BIRTH), D(2025, 2, 11), "12.2", "86.4")
    b1 = ToddlerFactory(household=household_in(VILLAGE_B), birth_date=BIRTH)
    weigh(head_b, b1, D(2025, 2, 12), "10.0", "86.4")
    n1 = ToddlerFactory(household=household_in(VILLAGE_NORTH), birth_date=BIRTH)
    weigh(north_official, n1, D(2025, 2, 12), "12.2", "86.4")
    return {**kids, "b1": b1, "n1": n1}
