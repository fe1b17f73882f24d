"""Budgets per user in the shared cache, for answers that tell something about rows the
user cannot see: "already registered" refusals, searches by a whole NIK or KK. Past the
budget the question is not asked of the database at all, so a sweep learns nothing more.

The cache is the one every process shares (`CACHE_URL`, Redis in production), so the
budget holds across web workers and API clients."""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Budget:
    name: str
    limit: int
    window_seconds: int

    def _key(self, user) -> str:
        return f"budget:{self.name}:{user.pk}"

    def spent(self, user) -> bool:
        return (cache.get(self._key(user)) or 0) >= self.limit

    def charge(self, user, n: int = 1) -> None:
        """Count n more uses; the window starts with the first use."""
        if n <= 0:
            return
        key = self._key(user)
        cache.add(key, 0, self.window_seconds)
        try:
            cache.incr(key, n)
        except ValueError:  # expired between add and incr
            cache.set(key, n, self.window_seconds)
