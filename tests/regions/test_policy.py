"""regions.policy: each "may this user ... ?" answered once, and the services that enforce it.

The edges (pages, admin, API) are tested in their own files against the same rules."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.test import Client

from beneficiaries.models import MoveState
from beneficiaries.services import decide_move, open_case, request_move
from core.errors import DomainError
from regions import policy
from regions.models import Role, User
from regions.roles import role_group_name
from regions.services import change_user_role, create_user, set_active, set_password, update_user_details
from tests.factories import VILLAGE_A, AssistanceFactory, HouseholdFactory, PersonFactory, UserFactory

PASSWORD = "Pesisir#Banten77"


def without_decide_permission(user: User) -> User:
    """Take decide_move from the district group; the user fresh, without a cached permission."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=role_group_name(Role.DISTRICT))
    group.permissions.remove(Permission.objects.get(codename="decide_move"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def proposal(head_a):
    household = HouseholdFactory(village_id=VILLAGE_A)
    PersonFactory(household=household)
    case = open_case(actor=head_a, household=household)
    AssistanceFactory(case=case, kind="food")
    return request_move(case=case, to="2", actor=head_a, reason="Kebutuhan dasar terpenuhi")


@pytest.fixture
def peer(db):
    """Another official of Pandeglang, the regency of `regency_official`."""
    return UserFactory(username="pandeglang_2", role="regency", region_code="36.01", password=PASSWORD)


# ---------------------------------------------------------------- moves


def test_only_officials_above_a_village_decide(
    head_a, cadre, district_official, regency_official, north_official, province, superuser
):
    """District, regency, province and superuser decide in village A; its head, its cadre and
    another regency's official do not."""
    deciders = (district_official, regency_official, province, superuser)
    assert [policy.may_decide_moves(u, VILLAGE_A) for u in deciders] == [True] * 4
    assert [policy.may_decide_moves(u, VILLAGE_A) for u in (head_a, cadre, north_official)] == [False] * 3


def test_decide_move_refuses_a_district_official_whose_group_lost_the_permission(proposal, district_official):
    """The service itself refuses (forbidden), not only the pages: the move stays pending and
    the case where it was."""
    camat = without_decide_permission(district_official)
    assert not policy.may_decide_moves(camat, VILLAGE_A)
    with pytest.raises(DomainError) as error:
        decide_move(move=proposal, actor=camat, approve=True, note="ok")
    assert error.value.code == "forbidden"
    proposal.refresh_from_db()
    proposal.case.refresh_from_db()
    assert (proposal.state, proposal.decided_by, proposal.case.stage) == (MoveState.PENDING, None, "1")


# ---------------------------------------------------------------- accounts


def test_an_official_manages_only_lower_levels_inside_their_region(
    regency_official, province, district_official
):
    """Pandeglang's official: its districts, village heads and cadres, never a peer or above;
    the province: everyone below it; the camat (view-only role) nobody."""
    may = policy.may_manage_user
    assert may(regency_official, role="district", region_code="36.01.01")
    assert may(regency_official, role="cadre", region_code=VILLAGE_A)
    assert not may(regency_official, role="regency", region_code="36.01")
    assert not may(regency_official, role="province", region_code="36")
    assert not may(regency_official, role="village", region_code="36.71.01.1001")
    assert may(province, role="regency", region_code="36.71")
    assert not may(province, role="province", region_code="36")
    assert not may(district_official, role="village", region_code=VILLAGE_A)


def test_it_refuses_to_set_a_peers_password(regency_official, peer):
    """A regency official setting another's password would then act under their name."""
    with pytest.raises(DomainError) as error:
        set_password(actor=regency_official, user=peer, password="Baru#Sekali2026")
    assert error.value.code == "forbidden"
    peer.refresh_from_db()
    assert peer.check_password(PASSWORD) and not peer.check_password("Baru#Sekali2026")


def test_it_refuses_to_deactivate_a_peer_or_oneself(regency_official, peer):
    for target in (peer, regency_official):
        with pytest.raises(DomainError) as error:
            set_active(actor=regency_official, user=target, active=False)
        assert error.value.code == "forbidden"
    assert User.objects.filter(pk__in=[peer.pk, regency_official.pk], is_active=True).count() == 2


def test_it_refuses_to_create_a_peer_regency_official(regency_official):
    with pytest.raises(DomainError) as error:
        create_user(actor=regency_official, username="pandeglang_3", role="regency", region_code="36.01")
    assert (error.value.code, error.value.field) == ("forbidden", "role")
    assert not User.objects.filter(username="pandeglang_3").exists()


def test_it_refuses_to_promote_someone_to_the_officials_own_level(regency_official, district_official):
    """The camat cannot be made a second regency official, nor an official change their own role."""
    with pytest.raises(DomainError) as error:
        change_user_role(actor=regency_official, user=district_official, role="regency", region_code="36.01")
    assert error.value.code == "forbidden"
    with pytest.raises(DomainError):
        change_user_role(actor=regency_official, user=regency_official, role="province", region_code="36")
    district_official.refresh_from_db()
    regency_official.refresh_from_db()
    assert (district_official.role, regency_official.role) == ("district", "regency")


def test_it_lets_an_official_act_on_a_user_below(regency_official, head_a):
    """Password, deactivation, name: all written, for a village head of the official's regency."""
    set_password(actor=regency_official, user=head_a, password="Baru#Sekali2026")
    set_active(actor=regency_official, user=head_a, active=False)
    update_user_details(
        actor=regency_official, user=head_a, first_name="Siti", last_name="", email="s@desa.id"
    )
    head_a.refresh_from_db()
    assert head_a.check_password("Baru#Sekali2026")
    assert (head_a.is_active, head_a.first_name, head_a.email) == (False, "Siti", "s@desa.id")


def test_an_official_sets_their_own_password(regency_official):
    set_password(actor=regency_official, user=regency_official, password="Baru#Sekali2026")
    regency_official.refresh_from_db()
    assert regency_official.check_password("Baru#Sekali2026")


@pytest.mark.parametrize(
    "role,code", [("district", "36.01.02"), ("village", "36.01.01.2003"), ("cadre", VILLAGE_A)]
)
def test_only_province_and_regency_officials_get_the_admin(province, role, code):
    """District staff, village heads and cadres are created without is_staff, and /admin/
    refuses them (the login page, not the index)."""
    user = create_user(actor=province, username=f"u_{role}", role=role, region_code=code, password=PASSWORD)
    assert not user.is_staff
    client = Client()
    assert client.login(request=HttpRequest(), username=f"u_{role}", password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_role_change_follows_with_is_staff(province, regency_official):
    """A regency official made a camat loses the admin; made one again, gets it back."""
    user = change_user_role(actor=province, user=regency_official, role="district", region_code="36.01.01")
    assert not User.objects.get(pk=user.pk).is_staff
    change_user_role(actor=province, user=regency_official, role="regency", region_code="36.01")
    assert User.objects.get(pk=regency_official.pk).is_staff


def test_the_migration_clears_is_staff_below_the_regency(district_official, head_a, cadre, regency_official):
    """Accounts made before the rule lose is_staff; officials of the province and regencies keep it."""
    migration = importlib.import_module(
        "regions.migrations.0002_only_province_and_regency_officials_are_staff"
    )
    migration.clear_staff(apps, None)
    staff = dict(User.objects.values_list("username", "is_staff"))
    assert [staff[u.username] for u in (district_official, head_a, cadre, regency_official)] == [
        False,
        False,
        False,
        True,
    ]


# ---------------------------------------------------------------- programmes, partners, reports


def test_programmes_are_edited_only_at_the_province(regency_official, province, superuser, db):
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    assert not policy.may_edit_program(regency_official, program)
    assert not policy.may_edit_program(regency_official)
    assert policy.may_edit_program(province, program) and policy.may_edit_program(superuser)


def test_partners_are_saved_only_inside_the_officials_region(regency_official, district_official, db):
    from tests.factories import PartnerFactory

    province_pkk = PartnerFactory(region_code="36")
    assert policy.may_save_partner(regency_official, "36.01.01")
    assert not policy.may_save_partner(regency_official, "36.02")
    assert not policy.may_save_partner(regency_official, "36.01", province_pkk)  # it serves the province
    assert not policy.may_save_partner(district_official, "36.01.01")  # view-only role


def test_reports_are_read_by_the_province_and_each_regency(province, regency_official, district_official):
    """The province reads all nine; a regency official only their own; the camat none."""
    assert policy.reportable_regions(province)[:2] == ["36", "36.01"]
    assert len(policy.reportable_regions(province)) == 9
    assert policy.reportable_regions(regency_official) == ["36.01"]
    assert policy.reportable_regions(district_official) == []
    assert policy.may_resend(regency_official, "36.01") and not policy.may_resend(regency_official, "36")


# ---------------------------------------------------------------- growth monitoring


def test_growth_is_recorded_by_the_village_head_its_cadre_and_the_officials_above(
    head_a, head_b, cadre, district_official, regency_official, north_official, stranger, superuser
):
    from tests.factories import VILLAGE_A

    allowed = [head_a, cadre, district_official, regency_official, superuser]
    assert all(policy.may_record_growth(user, VILLAGE_A) for user in allowed)
    assert not any(policy.may_record_growth(user, VILLAGE_A) for user in (head_b, north_official, stranger))
    assert policy.may_record_growth(cadre) and not policy.may_record_growth(stranger)


def test_a_cadre_whose_group_lost_the_permission_records_no_growth(cadre):
    """The role's permission is necessary: the region alone does not let a cadre record."""
    from django.contrib.auth.models import Group

    from beneficiaries.models import Measurement
    from beneficiaries.services.growth import record_measurement
    from core.errors import DomainError
    from tests.factories import ToddlerFactory

    group = Group.objects.get(name=role_group_name(Role.CADRE))
    group.permissions.remove(Permission.objects.get(codename="add_measurement"))
    cadre = User.objects.get(pk=cadre.pk)
    assert not policy.may_record_growth(cadre, "36.01.01.2001")
    child = ToddlerFactory(birth_date=datetime.date(2023, 1, 10))
    with pytest.raises(DomainError) as caught:
        record_measurement(
            actor=cadre,
            person=child,
            measured_on=datetime.date(2025, 1, 10),
            weight_kg="12.2",
            height_cm="86.4",
            position="standing",
        )
    assert caught.value.code == "forbidden"
    assert not Measurement.objects.exists()


def test_growth_figures_are_read_in_ones_own_region_and_below(head_a, cadre, regency_official, stranger):
    from tests.factories import VILLAGE_A, VILLAGE_B

    assert policy.may_read_growth(head_a, VILLAGE_A) and policy.may_read_growth(cadre, VILLAGE_A)
    assert not policy.may_read_growth(head_a, VILLAGE_B) and not policy.may_read_growth(head_a, "36.01.01")
    assert policy.may_read_growth(regency_official, "36.01") and policy.may_read_growth(
        regency_official, VILLAGE_B
    )
    assert not policy.may_read_growth(regency_official, "36") and not policy.may_read_growth(
        stranger, VILLAGE_A
    )
    assert not policy.may_read_growth(regency_official, "bukan-kode")
