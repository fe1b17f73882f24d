"""Erasure of a person registered by mistake (UU 27/2022): a province official, with a
reason, removes what identifies the person from the row and from its history; the erasure
record and every aggregate figure stay. Correction goes through the services (history kept)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Household, Person, PersonErasure
from beneficiaries.services import erase_person, register_household, update_person
from beneficiaries.services.privacy import ERASED_ADDRESS, ERASED_NAME, coarse_birth_date, erased_kk
from core.errors import DomainError
from core.models import AccessKind, AccessLog
from reports.selectors import report_figures
from tests.factories import VILLAGE_A, VILLAGE_B, HouseholdFactory, PersonFactory, ToddlerFactory, make_kk
from tests.reports.conftest import PERIOD, build_world

REASON = "Salah daftar: orang yang sama sudah terdaftar di desa lain."


@pytest.fixture
def family(db):
    household = HouseholdFactory(village_id=VILLAGE_A, kk_number=make_kk(801), address="Kp. Duku RT 1")
    head = PersonFactory(household=household, full_name="Siti Aminah", birth_date=datetime.date(1984, 5, 23))
    child = PersonFactory(
        household=household, full_name="Rizky", relation="child", birth_date=datetime.date(2010, 4, 5)
    )
    return household, head, child


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- the service


def test_it_erases_identifying_fields_in_the_row_and_its_history(family, province, head_a):
    """NIK, name, day of birth and the leaving note go, in the row and in every history
    row; the erasure record names who, when, where and why; the access log has the run."""
    household, _head, child = family
    update_person(actor=head_a, person=child, full_name="Rizky Ramadhan")  # a second history row
    nik = child.nik
    erasure = erase_person(person=child, actor=province, reason=REASON)
    child.refresh_from_db()
    assert (child.nik, child.has_no_nik, child.full_name) == (None, True, ERASED_NAME)
    assert child.birth_date == datetime.date(2010, 4, 15)
    history = list(child.history.all())
    assert len(history) >= 2
    assert {(h.nik, h.full_name, h.birth_date) for h in history} == {(None, ERASED_NAME, child.birth_date)}
    assert not Person.history.filter(nik=nik).exists()
    assert (erasure.erased_by, erasure.region_code, erasure.reason) == (province, VILLAGE_A, REASON)
    assert AccessLog.objects.filter(kind=AccessKind.ERASURE, actor=province, object_id=str(child.pk)).exists()
    household.refresh_from_db()
    assert household.kk_number == make_kk(801)  # the head's data stays: so does the KK


def test_it_erases_the_kk_and_address_when_no_one_else_keeps_data(family, province):
    household, head, child = family
    erase_person(person=child, actor=province, reason=REASON)
    second = erase_person(person=head, actor=province, reason=REASON)
    household.refresh_from_db()
    assert (household.kk_number, household.address) == (erased_kk(household.pk), ERASED_ADDRESS)
    assert set(household.history.values_list("kk_number", "address")) == {(erased_kk(household.pk), ERASED_ADDRESS)}
    assert second.household_erased


def test_the_erased_nik_can_be_registered_again(family, province, head_a):
    """The person was registered by mistake: the real owner of the NIK can be registered."""
    _household, head, _child = family
    nik, born = head.nik, head.birth_date
    erase_person(person=head, actor=province, reason=REASON)
    member = {"nik": nik, "full_name": "Siti Aminah", "sex": "L", "birth_date": born, "relation": "head"}
    household = register_household(
        actor=head_a, village=VILLAGE_A, kk_number=make_kk(802), address="Kp. Baru", rt="1", rw="1",
        members=[member],
    )  # fmt: skip
    assert household.members.get().nik == nik


@pytest.mark.parametrize("reason", ["", "   ", "alasan\u202e"])
def test_it_rejects_an_erasure_without_a_plain_reason_and_writes_nothing(family, province, reason):
    _household, head, _child = family
    with pytest.raises(DomainError) as refused:
        erase_person(person=head, actor=province, reason=reason)
    assert refused.value.field == "reason"
    head.refresh_from_db()
    assert head.full_name == "Siti Aminah" and not PersonErasure.objects.exists()
    assert not AccessLog.objects.exists()


def test_it_rejects_an_erasure_by_anyone_but_a_province_official(family, regency_official, head_a):
    _household, head, _child = family
    for actor in (regency_official, head_a):
        with pytest.raises(DomainError) as refused:
            erase_person(person=head, actor=actor, reason=REASON)
        assert refused.value.code == DomainError.FORBIDDEN
    assert Person.objects.get(pk=head.pk).full_name == "Siti Aminah"


def test_an_out_of_region_person_is_not_found(family, head_b):
    _household, head, _child = family
    with pytest.raises(DomainError) as refused:
        erase_person(person=head, actor=head_b, reason=REASON)
    assert refused.value.code == DomainError.NOT_FOUND


def test_it_refuses_to_erase_twice(family, province):
    _household, head, _child = family
    erase_person(person=head, actor=province, reason=REASON)
    with pytest.raises(DomainError) as refused:
        erase_person(person=head, actor=province, reason=REASON)
    assert refused.value.code == DomainError.CONFLICT
    assert PersonErasure.objects.count() == 1


def test_a_correction_goes_through_the_service_and_keeps_history(family, head_a):
    _household, head, _child = family
    update_person(actor=head_a, person=head, full_name="Siti Aminah Binti Ahmad")
    names = list(head.history.order_by("history_id").values_list("full_name", "history_user"))
    assert names[-2:] == [("Siti Aminah", None), ("Siti Aminah Binti Ahmad", head_a.pk)]


def test_the_day_of_birth_is_kept_on_the_first_and_becomes_the_15th_otherwise():
    assert coarse_birth_date(datetime.date(2019, 6, 1)) == datetime.date(2019, 6, 1)
    for day in (2, 14, 16, 30):
        assert coarse_birth_date(datetime.date(2019, 6, day)) == datetime.date(2019, 6, 15)


# ---------------------------------------------------------------- aggregate figures


def test_every_report_figure_is_the_same_after_erasures(db, province):
    """The report of the province and of each regency, for the period and the months
    around it, is unchanged when heads with aid and toddlers at the age edge are erased."""
    build_world()
    edge = [datetime.date(2019, 6, 1), datetime.date(2019, 6, 2), datetime.date(2019, 7, 31), datetime.date(2024, 6, 30)]
    for born in edge:
        household = HouseholdFactory(village_id=VILLAGE_B)
        PersonFactory(household=household)
        ToddlerFactory(household=household, birth_date=born)
    periods = [PERIOD - datetime.timedelta(days=31), PERIOD, datetime.date(2024, 7, 1)]
    regions = ["36", "36.01", "36.02"]
    before = [report_figures(region_code=r, period=p) for r in regions for p in periods]
    erased = list(Person.objects.filter(relation="head").order_by("id")[:6]) + list(
        Person.objects.filter(birth_date__in=edge)
    )
    for person in erased:
        erase_person(person=person, actor=province, reason=REASON)
    assert PersonErasure.objects.count() == 10
    after = [report_figures(region_code=r, period=p) for r in regions for p in periods]
    assert after == before


# ---------------------------------------------------------------- the admin action


def changelist_post(client, person, **data):
    return client.post(
        reverse("admin:beneficiaries_person_changelist"),
        {"action": "erase_action", "_selected_action": [person.pk], **data},
    )


def test_the_admin_action_asks_for_a_reason_then_erases(family, province):
    _household, head, _child = family
    client = signed_in(province)
    confirm = changelist_post(client, head)
    assert confirm.status_code == 200
    assert "Alasan penghapusan" in confirm.content.decode()
    assert Person.objects.get(pk=head.pk).full_name == "Siti Aminah"
    empty = changelist_post(client, head, confirm="1", reason="")
    assert "Alasan penghapusan wajib diisi." in empty.content.decode()
    assert not PersonErasure.objects.exists()
    done = changelist_post(client, head, confirm="1", reason=REASON)
    assert done.status_code == 302
    assert PersonErasure.objects.get().person_id == head.pk
    assert Person.objects.get(pk=head.pk).full_name == ERASED_NAME


def test_the_admin_does_not_offer_erasure_to_others(family, regency_official, head_a):
    _household, head, _child = family
    for user in (regency_official, head_a):
        client = signed_in(user)
        response = client.get(reverse("admin:beneficiaries_person_changelist"))
        assert "erase_action" not in response.content.decode()
        changelist_post(client, head, confirm="1", reason=REASON)
    assert not PersonErasure.objects.exists()
    assert Household.objects.get(pk=head.household_id).kk_number == make_kk(801)
