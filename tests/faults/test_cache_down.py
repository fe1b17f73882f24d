"""The shared cache (Redis in production) down: it holds only counters (API read throttles,
the budgets of core.limits), so the API and the pages keep answering and saving, as with
an empty cache, instead of a 500 on every request. Runs anywhere: the cache points at a
port where nothing listens."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from beneficiaries.models import Household
from tests.api.test_households import HOUSEHOLDS, new_household
from tests.factories import make_kk
from tests.pages.test_households import household_post, three_members
from tests.reports.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_it_answers_as_an_empty_cache_while_redis_is_down(cache_down):
    """Reads miss, writes are dropped, counters start again; nothing raises."""
    assert cache.get("budget:x", 7) == 7
    cache.set("budget:x", 1)
    assert cache.add("budget:x", 0) is True
    assert cache.incr("budget:x", 3) == 3
    assert cache.get_many(["a", "b"]) == {}


def test_the_api_and_the_pages_still_save_while_the_cache_is_down(cache_down, client, head_a):
    """A throttled API read, an API save and a page save: 200, 201, 302, and the rows written."""
    api = APIClient()
    api.force_authenticate(head_a)
    assert api.get(HOUSEHOLDS).status_code == 200
    posted = api.post(HOUSEHOLDS, new_household(serial=903), format="json")
    assert posted.status_code == 201
    client.force_login(head_a)
    page = client.post(reverse("household_create"), household_post(make_kk(504), *three_members()))
    assert page.status_code == 302
    assert Household.objects.filter(kk_number__in=[make_kk(504), posted.json()["kk_number"]]).count() == 2


def test_the_settings_use_the_tolerant_backend_for_a_redis_cache():
    """CACHE_URL / REDIS_URL naming Redis gets the tolerant backend with short timeouts."""
    import environ

    from banten_pm import settings as project

    assert (
        environ.Env.cache_url_config("redis://h:6379/1")["BACKEND"]
        == "django.core.cache.backends.redis.RedisCache"
    )
    if project.CACHES["default"]["LOCATION"].startswith("redis://"):
        assert project.CACHES["default"]["BACKEND"] == "core.cache.TolerantRedisCache"
        assert project.CACHES["default"]["OPTIONS"]["socket_timeout"] == 1
