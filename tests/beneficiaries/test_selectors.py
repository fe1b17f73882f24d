"""The read layer: one search over NIK, KK and names, the head's name and the aid total."""

import datetime

import pytest

from beneficiaries.models import Case, Household, Person, StageTransition
from beneficiaries.selectors import (
    aid_total,
    head_name_subquery,
    household_aid,
    households_matching,
    search_households,
    search_persons,
)
from beneficiaries.services import open_case
from tests.factories import VILLAGE_A, VILLAGE_B, AssistanceFactory, HouseholdFactory, PersonFactory

NIK = "3601011203857391"
KK = "3601012001208264"


@pytest.fixture
def planted(db):
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number=KK)
    PersonFactory(household=household, nik=NIK, full_name="Siti Aminah", relation="head")
    PersonFactory(household=household, full_name="Budi Santoso", relation="child")
    return household


def found(user, query) -> list[int]:
    households = search_households(Household.objects.visible_to(user), user, query)
    persons = search_persons(Person.objects.visible_to(user), user, query)
    return [
        sorted(households.values_list("pk", flat=True)),
        sorted(persons.values_list("household_id", flat=True)),
    ]


@pytest.mark.parametrize("user", ["district_official", "regency_official", "cadre"])
@pytest.mark.parametrize(
    "query", [NIK[:12], NIK[:15], NIK[-4:], KK[:12], KK[:15], NIK[:-1] + "0", "36", "3601 0112 0385"]
)
def test_it_finds_nothing_by_part_of_a_number_for_who_may_not_see_it_whole(request, planted, user, query):
    """A prefix, a suffix or a near miss of a NIK or KK finds nothing: the hidden serial
    cannot be found out digit by digit."""
    assert found(request.getfixturevalue(user), query) == [[], []]


@pytest.mark.parametrize("user", ["district_official", "cadre", "head_a"])
def test_it_finds_a_household_by_its_whole_nik_or_kk(request, planted, user):
    user = request.getfixturevalue(user)
    head = planted.members.get(relation="head")
    assert found(user, NIK) == [[planted.pk], [planted.pk]]
    assert search_persons(Person.objects.visible_to(user), user, NIK).get() == head
    assert found(user, KK)[0] == [planted.pk]
    assert found(user, "3601 0120 0120 8264")[0] == [planted.pk]  # typed in groups of four
    assert found(user, "3601.0112.0385.7391")[0] == [planted.pk]


def test_it_lets_who_sees_every_number_whole_search_by_the_start(planted, head_a, province):
    """The village head and the province see every number of their region whole, so the
    start of one is enough for them."""
    for user in (head_a, province):
        assert found(user, NIK[:8])[0] == [planted.pk]
        assert found(user, KK[:10])[0] == [planted.pk]
        assert found(user, NIK[-4:]) == [[], []]  # the start, not any part


def test_a_search_by_the_start_is_cut_within_the_users_region_not_before_it(planted, head_a, monkeypatch):
    """The start of a number is cut at NAME_MATCHES matches, counted among the rows the user
    sees: numbers of another village that sort first do not crowd out the user's own."""
    monkeypatch.setattr("beneficiaries.selectors.NAME_MATCHES", 2)
    for n in range(3):  # sort before KK and NIK, in village B
        other = HouseholdFactory(village_id=VILLAGE_B, kk_number=f"360101000000000{n}")
        PersonFactory(household=other, nik=f"360101010101000{n}", relation="head")
    assert found(head_a, "3601") == [[planted.pk], [planted.pk, planted.pk]]  # the head by NIK, both by KK


def test_a_search_by_the_start_lists_at_most_name_matches(planted, province, monkeypatch):
    monkeypatch.setattr("beneficiaries.selectors.NAME_MATCHES", 2)
    for n in range(3):
        other = HouseholdFactory(village_id=VILLAGE_B, kk_number=f"360101000000000{n}")
        PersonFactory(household=other, nik=f"360101010101000{n}", relation="head")
    households = search_households(Household.objects.visible_to(province), province, "3601")
    assert households.count() == 2


def test_a_start_of_nines_finds_the_numbers_from_it_up(planted, province):
    """"99" has no next number of its length: its range is open above."""
    nines = HouseholdFactory(village_id=VILLAGE_B, kk_number="9900000000000001")
    assert found(province, "99")[0] == [nines.pk]
    assert found(province, "999") == [[], []]


def test_it_finds_names_in_part_and_word_by_word(planted, district_official):
    assert found(district_official, "aminah") == [[planted.pk], [planted.pk]]
    assert found(district_official, "siti amin")[0] == [planted.pk]
    assert found(district_official, "siti budi") == [[], []]  # both words in one name
    assert found(district_official, "tidak ada") == [[], []]


def test_it_searches_only_inside_the_region(planted, head_b):
    assert found(head_b, NIK) == [[], []]
    assert found(head_b, "aminah") == [[], []]


def test_households_matching_lists_each_household_once_with_its_head(planted, district_official):
    """Two members match the name; the household is listed once, with its head's name."""
    PersonFactory(household=planted, full_name="Budi Kecil", relation="child")
    rows = list(households_matching(district_official, "budi"))
    assert [(h.pk, h.head_name) for h in rows] == [(planted.pk, "Siti Aminah")]


def test_the_head_name_subquery_follows_a_path_to_the_household(planted, head_a):
    open_case(actor=head_a, household=planted, opened_on=datetime.date(2025, 1, 6))  # writes the entry move
    assert Household.objects.annotate(n=head_name_subquery("pk")).get().n == "Siti Aminah"
    assert Case.objects.annotate(n=head_name_subquery()).get().n == "Siti Aminah"
    moves = StageTransition.objects.annotate(n=head_name_subquery("case__household"))
    assert {m.n for m in moves} == {"Siti Aminah"}


def test_the_aid_total_is_summed_by_the_database(planted, head_a, head_b, django_assert_num_queries):
    """Only the aid the user sees, one query, zero when there is none."""
    case = Case.objects.create(household=planted, village_id=VILLAGE_A, opened_on=datetime.date(2025, 1, 6))
    AssistanceFactory(case=case, amount=300_000)
    AssistanceFactory(case=case, amount=1_250_000)
    with django_assert_num_queries(1):
        assert aid_total(household_aid(head_a, planted)) == 1_550_000
    assert aid_total(household_aid(head_b, planted)) == 0
    other = HouseholdFactory(village_id=VILLAGE_B)
    assert aid_total(household_aid(head_b, other)) == 0
