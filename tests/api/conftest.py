"""API fixtures: a client signed in as any standing user, and a case in village A."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from beneficiaries.services import open_case
from tests.factories import HouseholdFactory, PartnerFactory, PersonFactory, ProgramFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The standing users are created with a password; hashing it fast saves minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request with Accept-Language leaves its language active in the thread; later
    code (role group names are translated labels) must see the default again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clear_login_failures():
    """The login limiter counts in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user)`: a client authenticated as `user` (None: anonymous)."""

    def client_for(user=None, **headers):
        client = APIClient(**headers)
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def program(db):
    return ProgramFactory(name="Bantuan Pangan Banten")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="PKK Sumberjaya")


@pytest.fixture
def household_a(db):
    household = HouseholdFactory()
    PersonFactory(household=household, full_name="Siti Aminah", sex="P", birth_date=datetime.date(1980, 5, 4))
    return household


@pytest.fixture
def head_of_a(household_a):
    return household_a.members.get()


@pytest.fixture
def case_a(household_a, head_a):
    return open_case(actor=head_a, household=household_a, opened_on=datetime.date(2025, 1, 6))


def errors_of(response) -> dict:
    """The `{field: [messages]}` body of a 400/409, with a sanity check of its shape."""
    body = response.json()
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body.values()), body
    return body
