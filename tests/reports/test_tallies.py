"""The village-month tallies the report reads stay equal to what the rows say, whichever way
the rows were written; `refresh` rebuilds them after a write that bypassed `save()`."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Assistance, MoveState, StageTransition
from beneficiaries.services import (
    decide_move,
    open_case,
    record_activity,
    record_assistance,
    request_move,
    set_attendance,
    update_activity,
    update_household,
)
from reports import tallies
from reports.models import AidedHouseholdMonth, AttendedWomanMonth, VillageMonth
from reports.selectors import report_figures
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    CaseFactory,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
)

from .conftest import PERIOD, build_world
from .test_selectors import as_tuples, expected
from .truth import truth

WIB = ZoneInfo("Asia/Jakarta")


def assert_in_step() -> None:
    assert tallies.stored() == tallies.normalised(tallies.computed())
    assert tallies.stored_households() == tallies.computed_households()
    assert tallies.stored_attended() == tallies.computed_attended()


@pytest.fixture
def household(db):
    household = HouseholdFactory(village_id=VILLAGE_A)
    PersonFactory(household=household, sex="P")
    return household


def test_it_keeps_the_tallies_of_the_report_world_equal_to_its_rows(world):
    """Every aid row and move of the test province, written through save(), is tallied once."""
    assert VillageMonth.objects.exists() and AidedHouseholdMonth.objects.filter(first=True).exists()
    assert_in_step()


def test_it_follows_the_stage_workflow_through_the_services(household, head_a, district_official):
    """Entry, aid, an official's advance, a proposal refused, one waiting that moves village
    with its household and is then approved: after each step the tallies match the rows,
    and the report says where the case stands."""
    program = ProgramFactory(name="Bantuan Pangan")
    case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
    assert_in_step()
    record_assistance(actor=head_a, case=case, kind="food", program=program,
                      delivered_on=datetime.date(2025, 1, 20), amount=300_000)  # fmt: skip
    assert_in_step()
    request_move(case=case, to="2", actor=district_official)
    assert_in_step()
    refused = request_move(case=case, to="exited", actor=head_a, exit_reason="moved")
    decide_move(move=refused, actor=district_official, approve=False, note="Masih tinggal di desa")
    assert_in_step()
    waiting = request_move(case=case, to="1", actor=head_a, reason="Terdampak banjir")
    update_household(actor=district_official, household=household, village=VILLAGE_B)
    assert_in_step()
    today = datetime.date.today().replace(day=1)
    figures = report_figures(region_code="36.01", period=today).villages
    by_code = {v.code: v.figures for v in figures}
    assert by_code[VILLAGE_B]["pending"].current == 1 and by_code[VILLAGE_A]["pending"].current == 0
    assert by_code[VILLAGE_A]["stage_2"].current == 1
    decide_move(move=waiting, actor=district_official, approve=True)
    assert_in_step()
    by_code = {v.code: v.figures for v in report_figures(region_code="36.01", period=today).villages}
    assert by_code[VILLAGE_A]["stage_2"].current == 0 and by_code[VILLAGE_B]["stage_1"].current == 1
    assert by_code[VILLAGE_A]["women_assisted"].cumulative == 1


def test_it_keeps_the_level_right_when_moves_are_written_out_of_order(db):
    """Moves saved in any order leave each case standing at its latest applied move."""
    rnd = random.Random(3)
    for _ in range(5):
        case = CaseFactory(
            household=HouseholdFactory(village_id=VILLAGE_A), opened_on=datetime.date(2024, 1, 2)
        )
        path = [("entry", "", "1"), ("advance", "1", "2"), ("fallback", "2", "1"), ("advance", "1", "2")]
        days = sorted(rnd.sample(range(1, 200), len(path)))
        moves = list(zip(path, days, strict=True))
        rnd.shuffle(moves)
        for (kind, origin, to), day in moves:
            moment = datetime.datetime(2024, 1, 1, 9, tzinfo=WIB) + datetime.timedelta(days=day)
            StageTransition.objects.create(case=case, village_id=VILLAGE_A, kind=kind, from_position=origin, to=to,
                                           state=MoveState.APPLIED, proposed_at=moment, decided_at=moment)  # fmt: skip
    assert_in_step()
    figures = report_figures(region_code="36.01", period=datetime.date(2024, 9, 1)).figures
    assert figures["stage_2"].current == 5 and figures["stage_1"].current == 0


def test_it_follows_aid_that_is_corrected_or_deleted(household, head_a):
    """A changed date, kind, amount or village moves the row's tally; a deletion removes it,
    and the household's first month follows."""
    program = ProgramFactory(name="Bantuan Tunai")
    case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
    rows = [
        record_assistance(
            actor=head_a, case=case, kind="cash", program=program, delivered_on=day, amount=100_000
        )
        for day in (datetime.date(2025, 2, 3), datetime.date(2025, 3, 4), datetime.date(2025, 3, 28))
    ]
    assert_in_step()
    rows[0].delivered_on, rows[0].kind, rows[0].amount = datetime.date(2025, 4, 1), "food", 250_000
    rows[0].save()
    assert_in_step()
    assert AidedHouseholdMonth.objects.get(first=True).month == datetime.date(2025, 3, 1)
    rows[1].village_id = VILLAGE_B
    rows[1].save()
    assert_in_step()
    rows[2].delete()
    assert_in_step()
    Assistance.objects.get(pk=rows[1].pk).delete()
    assert_in_step()


def test_refresh_rebuilds_the_tallies_after_a_bulk_write(db):
    """bulk_create skips save(): the tallies miss those rows until `refresh`, and then the
    report says what the rows say."""
    world = build_world(cases_per_village=3)
    program = ProgramFactory(name="Bantuan Massal")
    case = CaseFactory(household=HouseholdFactory(village_id=VILLAGE_A), opened_on=datetime.date(2024, 1, 2))
    Assistance.objects.bulk_create([
        Assistance(case=case, village_id=VILLAGE_A, district_id=VILLAGE_A[:8], regency_id=VILLAGE_A[:5], kind="food",
                   program=program, amount=50_000,
                   delivered_on=datetime.date(2024, 6, 10)),
    ])  # fmt: skip
    assert tallies.stored() != tallies.normalised(tallies.computed())
    tallies.refresh()
    assert_in_step()
    world.aid.append((VILLAGE_A, "food", datetime.date(2024, 6, 10), 50_000, case.household_id))
    figures = report_figures(region_code="36.01", period=PERIOD)
    assert as_tuples(figures.figures) == expected(truth(world, "36.01", PERIOD)["all"])


def _rebuilt_from_empty() -> tuple[int, int]:
    """Empty both tallies, rebuild them with `refresh`: (village-months written, statements)."""
    VillageMonth.objects.all().delete()
    AidedHouseholdMonth.objects.all().delete()
    AttendedWomanMonth.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        written = tallies.refresh()
    return written, len(ctx.captured_queries)


def test_refresh_rebuilds_in_the_database_exactly_what_the_saves_kept(world):
    """Emptied and rebuilt by `refresh`, the village-months and the aided household-months
    are exactly the ones every save kept: Jakarta month edges (30 June 23:30, 1 July 00:30),
    aid of 0 rupiah, refused and waiting proposals, each household's first month."""
    kept, kept_households, kept_attended = tallies.stored(), tallies.stored_households(), tallies.stored_attended()
    assert kept_attended
    written, _statements = _rebuilt_from_empty()
    assert tallies.stored() == kept
    assert tallies.stored_households() == kept_households
    assert tallies.stored_attended() == kept_attended
    assert written == VillageMonth.objects.count() == len(kept)


def test_refresh_runs_the_same_statements_whatever_the_number_of_rows(db):
    """Set-based: the same few statements (three deletes, three INSERT ... SELECT) for an empty
    province and for three times the rows; no row is read into Python."""
    counts = []
    for seed in (None, 1, 2, 3):
        if seed:
            build_world(seed=seed, cases_per_village=3)
        counts.append(_rebuilt_from_empty()[1])
        assert_in_step()
    assert len(set(counts)) == 1 and counts[0] <= 8


def test_refresh_rebuilds_stage_levels_of_moves_written_out_of_order(db):
    """Moves saved in random order, then rebuilt: each case stands at its latest applied
    move (the next applied move of the same case, by decision time, ends the standing)."""
    rnd = random.Random(11)
    for _ in range(4):
        case = CaseFactory(household=HouseholdFactory(village_id=VILLAGE_B), opened_on=datetime.date(2024, 1, 2))
        path = [("entry", "", "1"), ("advance", "1", "2"), ("advance", "2", "3"), ("fallback", "3", "2")]
        days = sorted(rnd.sample(range(1, 300), len(path)))
        moves = list(zip(path, days, strict=True))
        rnd.shuffle(moves)
        for (kind, origin, to), day in moves:
            moment = datetime.datetime(2024, 1, 1, 0, 30, tzinfo=WIB) + datetime.timedelta(days=day)
            StageTransition.objects.create(case=case, village_id=VILLAGE_B, kind=kind, from_position=origin, to=to,
                                           state=MoveState.APPLIED, proposed_at=moment, decided_at=moment)  # fmt: skip
    kept = tallies.stored()
    _rebuilt_from_empty()
    assert tallies.stored() == kept == tallies.normalised(tallies.computed())
    figures = report_figures(region_code="36.01", period=datetime.date(2024, 12, 1)).figures
    assert figures["stage_2"].current == 4 and figures["stage_3"].current == 0


def test_it_counts_the_women_of_aided_households_as_their_members_change(household, head_a):
    """A woman added to an aided household, a member's sex corrected, a woman moved to
    another aided household, and a person deleted: after each, the women kept on the aided
    household-months are the ones the persons say, and the report counts them."""
    program = ProgramFactory(name="Bantuan Pangan")
    case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
    record_assistance(actor=head_a, case=case, kind="food", program=program,
                      delivered_on=datetime.date(2025, 2, 3), amount=100_000)  # fmt: skip
    other = HouseholdFactory(village_id=VILLAGE_A)
    PersonFactory(household=other, sex="L")
    other_case = open_case(actor=head_a, household=other, opened_on=datetime.date(2025, 1, 6))
    record_assistance(actor=head_a, case=other_case, kind="cash", program=program,
                      delivered_on=datetime.date(2025, 2, 10), amount=100_000)  # fmt: skip
    assert_in_step()

    def women_assisted() -> int:
        return report_figures(region_code="36.01", period=datetime.date(2025, 2, 1)).figures["women_assisted"].current

    assert women_assisted() == 1
    daughter = PersonFactory(household=household, sex="P", relation="child")
    assert_in_step()
    assert women_assisted() == 2
    son = PersonFactory(household=other, sex="L", relation="child")
    son.sex = "P"
    son.save()
    assert_in_step()
    assert women_assisted() == 3
    daughter.household = other
    daughter.save()
    assert_in_step()
    assert AidedHouseholdMonth.objects.get(household=other).women == 2
    son.delete()
    assert_in_step()
    assert women_assisted() == 2


def test_it_counts_the_women_attending_as_attendance_activities_and_persons_change(household, head_a):
    """Attendance written by the service (a bulk write), an activity moved to another month
    and to a women's programme, a member's sex corrected, a programme that starts to target
    women, attendance replaced: after each, the attended woman-months are what the
    attendance says, and the report counts each woman once a village."""
    general, women = ProgramFactory(name="Umum"), ProgramFactory(name="Perempuan", targets_women=True)
    partner = PartnerFactory(region_code=VILLAGE_A)
    head = household.members.get()
    daughter = PersonFactory(household=household, sex="P", relation="child")
    son = PersonFactory(household=household, sex="L", relation="child")
    june = datetime.date(2025, 6, 1)
    first = record_activity(actor=head_a, partner=partner, village=VILLAGE_A, topic="culinary", title="Tata boga",
                            held_on=datetime.date(2025, 5, 20), attendees=[head, son], program=general)  # fmt: skip
    second = record_activity(actor=head_a, partner=partner, village=VILLAGE_A, topic="culinary", title="Gizi",
                             held_on=datetime.date(2025, 6, 2), attendees=[head, daughter], program=women)  # fmt: skip
    assert_in_step()

    def attending() -> tuple:
        f = report_figures(region_code="36.01", period=june).figures
        return (f["women_attending"].current, f["women_attending"].previous, f["women_attending"].cumulative,
                f["women_program_attending"].current, f["women_program_attending"].cumulative)  # fmt: skip

    assert attending() == (2, 1, 2, 2, 2)
    update_activity(actor=head_a, activity=first, held_on=datetime.date(2025, 6, 10), program=women)
    assert_in_step()
    assert attending() == (2, 0, 2, 2, 2)
    son.sex = "P"
    son.save()
    assert_in_step()
    assert attending() == (3, 0, 3, 3, 3)
    general.targets_women = True
    general.save()
    update_activity(actor=head_a, activity=second, program=general)
    general.targets_women = False
    general.save()
    assert_in_step()
    assert attending() == (3, 0, 3, 2, 2)
    set_attendance(actor=head_a, activity=second, persons=[son])
    assert_in_step()
    assert attending() == (2, 0, 2, 2, 2)
