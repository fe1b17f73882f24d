"""factory_boy factories. NIKs and KKs are generated valid, unique per sequence."""

import datetime

import factory
from django.utils import timezone

from beneficiaries.models import (
    Assistance,
    Case,
    Enterprise,
    Group,
    GroupMembership,
    Household,
    Person,
    Relation,
    Sex,
)
from programs.models import Agency, Partner, Program
from regions.models import Role, User

VILLAGE_A = "36.01.01.2001"  # Sumberjaya, Kec. Sumur, Kab. Pandeglang (south)
VILLAGE_B = "36.01.01.2002"  # Kertajaya, same district
VILLAGE_NORTH = "36.71.01.1001"  # Sukarasa, Kec. Tangerang, Kota Tangerang (north)


def make_nik(*, village: str = VILLAGE_A, birth: datetime.date, sex: str, serial: int) -> str:
    region = village.replace(".", "")[:6]
    day = birth.day + (40 if sex == Sex.FEMALE else 0)
    return f"{region}{day:02d}{birth:%m%y}{serial % 10000 or 1:04d}"


def make_kk(serial: int, *, village: str = VILLAGE_A) -> str:
    region = village.replace(".", "")[:6]
    return f"{region}{(serial // 10000) % 1000000:06d}{serial % 10000 or 1:04d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VILLAGE
    region_code = VILLAGE_A
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @factory.post_generation
    def with_role_group(obj, create, extracted, **kwargs):
        from django.contrib.auth.models import Group as AuthGroup

        from regions.roles import role_group_name

        if not create:
            return
        obj.save()
        if obj.role:
            obj.groups.set([AuthGroup.objects.get(name=role_group_name(obj.role))])


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Program {n}")
    agency = Agency.DINSOS
    starts_on = datetime.date(2020, 1, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"PKK Desa {n}")
    kind = Partner.Kind.PKK
    region_code = VILLAGE_A


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    kk_number = factory.Sequence(lambda n: make_kk(n + 1))
    village_id = VILLAGE_A
    address = factory.Sequence(lambda n: f"Kp. Sukamaju No. {n}")
    rt = "001"
    rw = "002"
    desil = 1


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Sequence(lambda n: f"Warga {n}")
    sex = Sex.MALE
    birth_date = datetime.date(1985, 3, 12)
    relation = Relation.HEAD
    nik = factory.LazyAttributeSequence(
        lambda o, n: make_nik(village=o.household.village_id, birth=o.birth_date, sex=o.sex, serial=n + 1)
    )


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    household = factory.SubFactory(HouseholdFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))


class AssistanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assistance

    case = factory.SubFactory(CaseFactory)
    kind = Assistance.Kind.FOOD
    program = factory.SubFactory(ProgramFactory)
    delivered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    amount = 250_000


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"KUBE Mekar {n}")
    village_id = VILLAGE_A
    sector = "culinary"
    formed_on = datetime.date(2024, 1, 15)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    household = factory.SubFactory(HouseholdFactory)
    joined_on = datetime.date(2024, 2, 1)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Koperasi Sejahtera {n}")
    legal_form = Enterprise.LegalForm.COOPERATIVE
    village_id = VILLAGE_A
    founded_on = datetime.date(2024, 6, 1)


class ToddlerFactory(PersonFactory):
    """A child of the household with no NIK yet (a newborn's is often not issued)."""

    relation = Relation.CHILD
    birth_date = datetime.date(2023, 6, 15)
    nik = None
    has_no_nik = True


class PosyanduFactory(PartnerFactory):
    name = factory.Sequence(lambda n: f"Posyandu Melati {n}")
    kind = Partner.Kind.POSYANDU


class WomanFactory(PersonFactory):
    """A wife in her household (a male head is made beside her when none is given)."""

    sex = Sex.FEMALE
    relation = Relation.SPOUSE
    birth_date = datetime.date(1988, 7, 4)


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "beneficiaries.Business"

    owner_person = factory.SubFactory(WomanFactory)
    name = factory.Sequence(lambda n: f"Warung Kue {n}")
    sector = "culinary"
    started_on = datetime.date(2025, 1, 10)
    sells_at_market = True


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "beneficiaries.WomenEnrolment"

    person = factory.SubFactory(WomanFactory)
    enrolled_on = datetime.date(2025, 1, 5)
