"""beneficiaries.services.growth: recording and correcting toddlers' measurements, their
growth signs, and the follow-up (pendampingan) they open and close, with interventions.

The WHO arithmetic itself is tested in test_growth_who.py; here what is stored, refused,
opened and closed."""

import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine

from beneficiaries.models import GrowthFollowUp, Intervention, Measurement
from beneficiaries.services import growth, open_case
from core.errors import DomainError
from programs.models import Partner
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
    PosyanduFactory,
    ToddlerFactory,
)

WIB = ZoneInfo("Asia/Jakarta")
BIRTH = datetime.date(2023, 1, 10)  # 24 months on 10 January 2025
JANUARY = datetime.date(2025, 1, 10)
D = datetime.date


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(*args, tzinfo=WIB).astimezone(datetime.UTC), tick=False)


pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def march_2025():
    with at(2025, 3, 20, 10, 0):
        yield


@pytest.fixture
def child(db):
    household = HouseholdFactory()
    PersonFactory(household=household)
    return ToddlerFactory(household=household, birth_date=BIRTH, full_name="Rizky")


@pytest.fixture
def measure(cadre, child):
    """Record a measurement of `child` (standing, normal unless told) as the cadre of village A."""

    def measure(on=JANUARY, weight="12.2", height="86.4", *, person=None, actor=None, **extra):
        return growth.record_measurement(
            actor=actor or cadre,
            person=person or child,
            measured_on=on,
            weight_kg=weight,
            height_cm=height,
            position=extra.pop("position", "standing"),
            **extra,
        )

    return measure


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


# ---------------------------------------------------------------- what is stored


def test_it_stores_age_z_scores_statuses_sign_and_region_codes(measure, cadre):
    """A measurement keeps what was written and what WHO says of it, with the village,
    district and regency of the child's household."""
    posyandu = PosyanduFactory(region_code=VILLAGE_A)
    m = measure(posyandu=posyandu, muac_cm="15.0", head_cm="48.5")
    m.refresh_from_db()
    assert (m.weight_kg, m.height_cm, m.position) == (Decimal("12.20"), Decimal("86.4"), "standing")
    assert (m.muac_cm, m.head_cm, m.posyandu) == (Decimal("15.0"), Decimal("48.5"), posyandu)
    assert (m.age_months, m.haz, m.waz, m.whz) == (24, Decimal("-0.23"), Decimal("0.03"), Decimal("0.19"))
    assert (m.haz_status, m.waz_status, m.whz_status) == ("normal", "normal", "normal")
    assert (m.growth_sign, m.two_t, m.flagged, m.flags, m.last_of_month) == ("B", False, False, "", True)
    assert (m.village_id, m.district_id, m.regency_id) == (VILLAGE_A, "36.01.01", "36.01")
    assert m.recorded_by == cadre
    assert m.history.get().history_user == cadre
    assert not GrowthFollowUp.objects.exists()


@pytest.mark.parametrize(
    ("weight", "height", "haz_status", "waz_status", "whz_status"),
    [
        ("12.2", "80.0", "stunted", "normal", "possible_risk_of_overweight"),
        ("12.2", "77.0", "severely_stunted", "normal", "overweight"),
        ("12.2", "100.0", "tall", "normal", "wasted"),
        ("10.0", "86.4", "normal", "normal", "wasted"),
        ("9.0", "86.4", "normal", "underweight", "severely_wasted"),
        ("8.2", "86.4", "normal", "severely_underweight", "severely_wasted"),
        ("14.0", "86.4", "normal", "risk_of_overweight", "possible_risk_of_overweight"),
        ("16.5", "86.4", "normal", "risk_of_overweight", "obese"),
        ("11", "86.4", "normal", "normal", "normal"),
    ],
)
def test_it_stores_each_permenkes_status(measure, weight, height, haz_status, waz_status, whz_status):
    """Every status code of the three indicators, as Permenkes 2/2020 cuts them."""
    m = Measurement.objects.get(pk=measure(weight=weight, height=height).pk)
    assert (m.haz_status, m.waz_status, m.whz_status) == (haz_status, waz_status, whz_status)


def test_it_applies_the_07_cm_rule_before_the_z_scores(measure):
    """At 24 months a child measured lying is 0.7 cm shorter standing: lying 87.1 scores as
    standing 86.4."""
    lying = measure(height="87.1", position="lying")
    assert (lying.haz, lying.whz) == (Decimal("-0.23"), Decimal("0.19"))


def test_it_leaves_whz_null_with_the_reason_outside_the_table_and_flags_implausible_values(measure):
    """60 cm at 24 months: HAZ -8.88 (flagged), WHZ outside the weight-for-height table."""
    m = measure(height="60.0")
    m.refresh_from_db()
    assert (m.whz, m.whz_status) == (None, "")
    assert m.whz_note == "BB/TB tidak dihitung: tinggi badan 60,0 cm di luar tabel WHO (65-120 cm)."
    assert (m.flagged, m.flags, m.flag_list) == (True, "haz", ["haz"])


def test_a_flagged_measurement_opens_no_follow_up(measure):
    """Implausible values (WAZ -8.41, WHZ -11.71) are to be measured again, not followed up."""
    m = measure(weight="3")
    assert (m.flagged, m.flags) == (True, "waz,whz")
    assert not GrowthFollowUp.objects.exists()


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"on": D(2022, 12, 31)},
            "measured_on",
            "Tanggal pengukuran tidak boleh sebelum tanggal lahir anak.",
        ),
        ({"on": D(2025, 3, 21)}, "measured_on", "Tanggal pengukuran tidak boleh di masa depan."),
        ({"weight": "0.4"}, "weight_kg", "Berat badan harus antara 0,5 dan 40 kg."),
        ({"weight": "40.01"}, "weight_kg", "Berat badan harus antara 0,5 dan 40 kg."),
        ({"weight": "12.255"}, "weight_kg", "Isi berat badan dengan paling banyak 2 angka di belakang koma."),
        ({"weight": "dua belas"}, "weight_kg", "Isi berat badan dengan angka."),
        ({"height": "34.9"}, "height_cm", "Panjang/tinggi badan harus antara 35 dan 130 cm."),
        ({"height": "130.1"}, "height_cm", "Panjang/tinggi badan harus antara 35 dan 130 cm."),
        (
            {"height": "86.45"},
            "height_cm",
            "Isi panjang/tinggi badan dengan paling banyak 1 angka di belakang koma.",
        ),
        ({"position": "sitting"}, "position", "Cara ukur harus berbaring atau berdiri."),
        ({"muac_cm": "45"}, "muac_cm", "LiLA harus antara 5 dan 30 cm."),
        ({"head_cm": "10"}, "head_cm", "Lingkar kepala harus antara 20 dan 60 cm."),
    ],
)
def test_it_refuses_a_bad_value_with_the_field_named(measure, changes, field, message):
    """Each rule of the issue refuses in Indonesian on its own field; nothing is written."""
    error = refusal(lambda: measure(**changes))
    assert (error.code, error.errors) == ("invalid", {field: [message]})
    assert not Measurement.objects.exists()


def test_it_refuses_every_bad_field_at_once(measure):
    error = refusal(lambda: measure(weight="0.1", height="200"))
    assert set(error.errors) == {"weight_kg", "height_cm"}


def test_it_refuses_a_child_of_60_months_or_more(measure, child):
    """Born 10 January 2020: 60 months on 10 January 2025, 59 the day before."""
    child.birth_date = D(2020, 1, 10)
    child.save()
    error = refusal(lambda: measure(on=D(2025, 1, 10), height="110.0", weight="18"))
    assert error.errors == {
        "measured_on": ["Anak sudah berumur 60 bulan atau lebih pada tanggal pengukuran."]
    }
    assert measure(on=D(2025, 1, 9), height="110.0", weight="18").age_months == 59


def test_it_refuses_a_measurement_after_the_child_left(measure, child):
    child.left_on, child.left_reason = D(2025, 2, 1), "moved_out"
    child.save()
    error = refusal(lambda: measure(on=D(2025, 2, 2)))
    assert error.errors == {
        "measured_on": ["Anak sudah keluar dari rumah tangga sebelum tanggal pengukuran."]
    }


def test_it_refuses_a_second_measurement_on_the_same_day_as_a_conflict(measure):
    measure()
    error = refusal(lambda: measure(weight="12.5"))
    assert error.code == "conflict"
    assert error.errors == {
        "measured_on": ["Anak ini sudah diukur pada tanggal 10-01-2025; perbaiki pengukuran itu bila perlu."]
    }
    assert Measurement.objects.get().weight_kg == Decimal("12.20")


def test_a_raced_second_measurement_is_a_conflict_not_a_crash(measure):
    """Two cadres pass the check at once: the database's unique constraint refuses the
    second, and the service answers the same conflict."""
    measure()
    with mock.patch.object(growth, "_already_measured", side_effect=[False, True]):
        error = refusal(lambda: measure(weight="12.5"))
    assert (error.code, error.field) == ("conflict", "measured_on")
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize(
    "posyandu",
    [
        lambda: PosyanduFactory(region_code=VILLAGE_B),  # another village's
        lambda: PartnerFactory(region_code=VILLAGE_A),  # a PKK, not a posyandu
        lambda: PosyanduFactory(region_code="36.01.01"),  # serves the district, not the village
    ],
)
def test_it_refuses_a_posyandu_that_is_not_one_of_the_childs_village(measure, posyandu):
    error = refusal(lambda: measure(posyandu=posyandu()))
    assert error.errors == {"posyandu": ["Pilih posyandu di desa anak ini."]}


def test_a_child_out_of_region_is_not_found(measure, head_b, north_official, stranger):
    """The head of village B, another regency's official and a user without region do not
    reach the child of village A: not found, nothing revealed, nothing written."""
    for user in (head_b, north_official, stranger):
        error = refusal(lambda user=user: measure(actor=user))
        assert (error.code, error.field) == ("not_found", "person")
    assert not Measurement.objects.exists()


def test_the_village_head_and_officials_above_record_too(
    measure, head_a, district_official, regency_official
):
    for i, user in enumerate((head_a, district_official, regency_official)):
        assert measure(on=D(2025, 1, 10 + i), actor=user).recorded_by == user


# ---------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("moment", "on", "months"),
    [
        ((2024, 2, 29, 10, 0), D(2024, 2, 29), 0),
        ((2024, 3, 1, 0, 30), D(2024, 3, 1), 1),  # 00:30 WIB: still 29 February in UTC
    ],
)
def test_age_is_in_completed_calendar_months(cadre, moment, on, months):
    """Born 31 January 2024: 0 months on 29 February, 1 month on 1 March, recorded the
    same day (in Jakarta) it happened."""
    baby = ToddlerFactory(birth_date=D(2024, 1, 31))
    with at(*moment):
        m = growth.record_measurement(
            actor=cadre, person=baby, measured_on=on, weight_kg="4.5", height_cm="54.0", position="lying"
        )
    assert m.age_months == months


def test_today_is_jakartas_date_half_an_hour_after_midnight(measure):
    """At 00:30 WIB on 21 March (still 20 March in UTC) the 21st is today, not the future."""
    with at(2025, 3, 21, 0, 30):
        assert measure(on=D(2025, 3, 21)).measured_on == D(2025, 3, 21)


# ---------------------------------------------------------------- growth signs


def test_growth_signs_b_n_t_o_and_2t(measure):
    """First weighing B; up N; not up T; a month skipped O; two T in a row is 2T."""
    signs = [
        measure(on=D(2024, 9, 10), weight="11.0", height="84.0"),
        measure(on=D(2024, 10, 10), weight="11.2", height="84.5"),
        measure(on=D(2024, 11, 10), weight="11.2", height="85.0"),
        measure(on=D(2025, 1, 10), weight="11.5", height="86.0"),
        measure(on=D(2025, 2, 10), weight="11.4", height="86.2"),
        measure(on=D(2025, 3, 10), weight="11.4", height="86.4"),
    ]
    stored = list(Measurement.objects.order_by("measured_on").values_list("growth_sign", "two_t"))
    assert stored == [("B", False), ("N", False), ("T", False), ("O", False), ("T", False), ("T", True)]
    assert [(m.growth_sign, m.two_t) for m in signs] == stored


def test_the_sign_compares_with_last_months_last_weighing(measure):
    """Two weighings in February: March compares with the later one; only it counts in
    coverage (last of the month)."""
    measure(on=D(2025, 2, 3), weight="11.0")
    measure(on=D(2025, 2, 24), weight="11.6")
    march = measure(on=D(2025, 3, 10), weight="11.4")
    assert march.growth_sign == "T"
    assert list(Measurement.objects.order_by("measured_on").values_list("last_of_month", flat=True)) == [
        False,
        True,
        True,
    ]


def test_a_backdated_measurement_resigns_the_later_ones(measure):
    """February recorded first is B; January recorded afterwards makes it N."""
    february = measure(on=D(2025, 2, 10), weight="11.6")
    measure(on=D(2025, 1, 10), weight="11.2")
    february.refresh_from_db()
    assert february.growth_sign == "N"
    assert february.history.first().history_user is not None


def test_two_t_opens_a_follow_up(measure):
    measure(on=D(2025, 1, 10), weight="11.4")
    measure(on=D(2025, 2, 10), weight="11.4")
    measure(on=D(2025, 3, 10), weight="11.3")
    followup = GrowthFollowUp.objects.get()
    assert (followup.reasons, followup.opened_on) == ("two_t", D(2025, 3, 10))


# ---------------------------------------------------------------- follow-up


def test_a_stunted_child_opens_a_follow_up_with_its_reasons(measure, cadre, child):
    m = measure(weight="8.5", height="79.0")  # HAZ -2.66, WAZ -3.13, WHZ -2.51
    followup = GrowthFollowUp.objects.get()
    assert followup.person == child
    assert followup.reason_list == ["stunted", "wasted", "severely_underweight"]
    assert (followup.opened_on, followup.opening_measurement, followup.status) == (m.measured_on, m, "open")
    assert (followup.village_id, followup.regency_id, followup.opened_by) == (VILLAGE_A, "36.01", cadre)
    assert (
        followup.get_reasons_display()
        == "pendek/sangat pendek (stunting), gizi kurang/gizi buruk (wasting), berat badan sangat kurang"
    )


@pytest.mark.parametrize(
    ("values", "reasons"),
    [
        ({"weight": "8.2"}, ["wasted", "severely_underweight"]),
        ({"muac_cm": "11.4"}, ["low_muac"]),
        ({"muac_cm": "11.5"}, []),
    ],
)
def test_the_reasons_that_open_a_follow_up(measure, values, reasons):
    measure(**values)
    assert [f.reason_list for f in GrowthFollowUp.objects.all()] == ([reasons] if reasons else [])


def test_an_open_follow_up_widens_its_reasons_and_stays_one(measure):
    measure(on=D(2025, 1, 10), height="80.0")
    measure(on=D(2025, 2, 10), weight="9.0", height="80.5")
    assert GrowthFollowUp.objects.get().reason_list == ["stunted", "wasted"]


def test_it_closes_as_recovered_after_two_monthly_measurements_in_range(measure, cadre):
    """Wasted in January; back in range in February (still open: one month) and March:
    closed as recovered on the day of the second."""
    measure(on=D(2024, 12, 10), weight="10.0")
    measure(on=D(2025, 1, 10), weight="11.0")
    followup = GrowthFollowUp.objects.get()
    assert followup.is_open
    measure(on=D(2025, 2, 10), weight="11.3")
    followup.refresh_from_db()
    assert (followup.status, followup.close_reason, followup.closed_on) == (
        "closed",
        "recovered",
        D(2025, 2, 10),
    )
    assert followup.closed_by == cadre


def test_two_measurements_in_one_month_are_not_two_monthly_ones(measure):
    measure(on=D(2025, 1, 10), weight="10.0")
    measure(on=D(2025, 2, 3), weight="11.0")
    measure(on=D(2025, 2, 24), weight="11.2")
    assert GrowthFollowUp.objects.get().is_open


def test_a_stunted_child_recovers_only_with_haz_back_to_minus_two(measure):
    """WAZ and WHZ in range but HAZ still below -2: the stunting follow-up stays open."""
    measure(on=D(2025, 1, 10), height="80.0")
    measure(on=D(2025, 2, 10), weight="12.0", height="80.5")
    measure(on=D(2025, 3, 10), weight="12.2", height="80.8")
    followup = GrowthFollowUp.objects.get()
    assert followup.is_open
    assert followup.reason_list == ["stunted"]


def test_a_follow_up_closed_by_hand_is_not_reopened_by_a_correction(measure, cadre):
    m = measure(height="80.0")
    growth.close_followup(actor=cadre, followup=GrowthFollowUp.objects.get(), reason="moved")
    growth.correct_measurement(actor=cadre, measurement=m, height_cm="79.9")
    assert GrowthFollowUp.objects.get().status == "closed"


# ---------------------------------------------------------------- corrections


def test_a_correction_recomputes_this_and_the_next_measurement(measure, cadre):
    """January's weight corrected down: its z-scores and status change, and February's sign
    turns from T to N; the change is in the history with who made it."""
    january = measure(on=D(2025, 1, 10), weight="11.0")
    february = measure(on=D(2025, 2, 10), weight="11.0")
    assert february.growth_sign == "T"
    corrected = growth.correct_measurement(actor=cadre, measurement=january.pk, weight_kg="10.0")
    corrected.refresh_from_db()
    february.refresh_from_db()
    assert (corrected.weight_kg, corrected.whz, corrected.whz_status) == (
        Decimal("10.00"),
        Decimal("-2.34"),
        "wasted",
    )
    assert february.growth_sign == "N"
    assert corrected.history.first().history_user == cadre


def test_a_correction_that_opens_the_latest_measurement_opens_a_follow_up(measure, cadre):
    m = measure()
    growth.correct_measurement(actor=cadre, measurement=m, height_cm="80.0")
    assert GrowthFollowUp.objects.get().reason_list == ["stunted"]


def test_a_correction_moving_the_date_onto_another_measurement_is_a_conflict(measure, cadre):
    measure(on=D(2025, 1, 10))
    february = measure(on=D(2025, 2, 10))
    error = refusal(
        lambda: growth.correct_measurement(actor=cadre, measurement=february, measured_on=D(2025, 1, 10))
    )
    assert (error.code, error.field) == ("conflict", "measured_on")


def test_a_correction_refuses_the_computed_fields_and_bad_values(measure, cadre):
    m = measure()
    assert refusal(lambda: growth.correct_measurement(actor=cadre, measurement=m, haz="0")).field == "__all__"
    error = refusal(lambda: growth.correct_measurement(actor=cadre, measurement=m, weight_kg="41"))
    assert error.errors == {"weight_kg": ["Berat badan harus antara 0,5 dan 40 kg."]}


def test_a_correction_out_of_region_is_not_found(measure, head_b):
    m = measure()
    assert (
        refusal(lambda: growth.correct_measurement(actor=head_b, measurement=m, weight_kg="12")).code
        == "not_found"
    )


# ---------------------------------------------------------------- interventions and closing


@pytest.fixture
def followup(measure):
    measure(on=D(2025, 1, 10), height="80.0")
    return GrowthFollowUp.objects.get()


def test_it_records_an_intervention_with_its_partner(followup, cadre):
    puskesmas = PartnerFactory(kind=Partner.Kind.OTHER, name="Puskesmas Sumur", region_code="36.01.01")
    intervention = growth.record_intervention(
        actor=cadre,
        followup=followup,
        given_on=D(2025, 1, 15),
        kind="pmt",
        partner=puskesmas,
        note=" PMT 90 hari ",
    )
    stored = Intervention.objects.get()
    assert stored == intervention
    assert (stored.kind, stored.partner, stored.note, stored.is_specific) == (
        "pmt",
        puskesmas,
        "PMT 90 hari",
        True,
    )
    assert (stored.village_id, stored.regency_id, stored.recorded_by) == (VILLAGE_A, "36.01", cadre)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"given_on": D(2025, 1, 9)},
            "given_on",
            "Tanggal intervensi tidak boleh sebelum pendampingan dibuka.",
        ),
        ({"given_on": D(2025, 3, 21)}, "given_on", "Tanggal tidak boleh di masa depan."),
        ({"kind": "magic"}, "kind", "Pilih jenis intervensi."),
        (
            {"kind": "family_aid"},
            "kind",
            "Rumah tangga anak ini belum punya kasus aktif; daftarkan ke program dulu.",
        ),
        ({"partner": -1}, "partner", "Mitra tidak ditemukan di wilayah kerja Anda."),
    ],
)
def test_it_refuses_a_bad_intervention_with_the_field_named(followup, cadre, values, field, message):
    data = {"given_on": D(2025, 2, 1), "kind": "vitamin_a", **values}
    error = refusal(lambda: growth.record_intervention(actor=cadre, followup=followup, **data))
    assert error.errors == {field: [message]}
    assert not Intervention.objects.exists()


def test_family_aid_needs_the_households_case_and_enrolment_needs_none(followup, cadre, head_a, child):
    open_case(actor=head_a, household=child.household, opened_on=D(2025, 1, 20))
    given = growth.record_intervention(
        actor=cadre, followup=followup, given_on=D(2025, 2, 1), kind="family_aid"
    )
    assert given.kind == "family_aid"
    error = refusal(
        lambda: growth.record_intervention(
            actor=cadre, followup=followup, given_on=D(2025, 2, 1), kind="programme_enrolment"
        )
    )
    assert error.errors == {"kind": ["Rumah tangga anak ini sudah punya kasus aktif."]}


def test_close_followup_by_hand_with_a_reason(followup, head_a):
    growth.close_followup(
        actor=head_a, followup=followup.pk, reason="other", note="Ikut orang tua ke Jakarta"
    )
    followup.refresh_from_db()
    assert (followup.status, followup.close_reason, followup.closed_on) == ("closed", "other", D(2025, 3, 20))
    assert (followup.close_note, followup.closed_by) == ("Ikut orang tua ke Jakarta", head_a)
    error = refusal(lambda: growth.close_followup(actor=head_a, followup=followup, reason="died"))
    assert (error.code, error.field) == ("conflict", "followup")
    closed = refusal(
        lambda: growth.record_intervention(
            actor=head_a, followup=followup, given_on=D(2025, 3, 1), kind="pmt"
        )
    )
    assert closed.code == "conflict"


def test_close_followup_refuses_a_missing_reason_or_note(followup, head_a):
    assert (
        refusal(lambda: growth.close_followup(actor=head_a, followup=followup, reason="")).field == "reason"
    )
    assert (
        refusal(lambda: growth.close_followup(actor=head_a, followup=followup, reason="other")).field
        == "note"
    )


def test_interventions_and_closing_out_of_region_are_not_found(followup, head_b):
    error = refusal(
        lambda: growth.record_intervention(
            actor=head_b, followup=followup, given_on=D(2025, 2, 1), kind="pmt"
        )
    )
    assert error.code == "not_found"
    assert (
        refusal(lambda: growth.close_followup(actor=head_b, followup=followup, reason="moved")).code
        == "not_found"
    )
