"""The shared cache on Redis, tolerant of Redis being down.

The cache holds only counters (the API's read throttles, the budgets of core.limits) and
nothing that must not be lost. When Redis goes away, Django's own backend raises on every
call and every API request and household save answers 500. This one logs the outage and
answers as an empty cache (reads miss, writes are dropped), so people keep working while
the counters restart; the outbox (core.outbox) keeps the tasks meanwhile."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


def _tolerant(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except DOWN as exc:
            log.warning("cache unreachable, %s answered as an empty cache: %s", name, exc)
            return fallback(*args, **kwargs)

    return call


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _incr(key: Any, delta: int = 1, *args: Any, **kwargs: Any) -> int:
    return delta


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default)
    set = _tolerant("set", lambda *a, **k: None)
    add = _tolerant("add", lambda *a, **k: True)
    delete = _tolerant("delete", lambda *a, **k: False)
    touch = _tolerant("touch", lambda *a, **k: False)
    incr = _tolerant("incr", _incr)
    decr = _tolerant("decr", lambda key, delta=1, *a, **k: -delta)
    has_key = _tolerant("has_key", lambda *a, **k: False)
    get_many = _tolerant("get_many", lambda *a, **k: {})
    set_many = _tolerant("set_many", lambda data, *a, **k: list(data))
    delete_many = _tolerant("delete_many", lambda *a, **k: None)
    clear = _tolerant("clear", lambda *a, **k: False)
