"""Every door of the project, found by walking the URL resolver (not a hand-written list),
and what a canary walk does at each: which model each path parameter names, or why the
pattern holds no personal data. A pattern this module cannot classify fails the canary
test, so a new view has to be looked at before it ships."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Door:
    """One URL pattern: its route with `<name>` placeholders, its name and its view."""

    route: str
    name: str
    callback: object
    params: tuple[str, ...]

    def fill(self, values: dict[str, object]) -> str:
        path = self.route
        for param in self.params:
            path = path.replace(f"<{param}>", str(values[param]))
        return "/" + path


# Regular-expression routes (the admin's app index, DRF's format suffixes) written with
# a placeholder per group so that every door reads the same way.
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _route_of(pattern) -> str:
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):
        return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", text)
    text = _GROUP.sub(r"<\1>", text).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    return text.replace("\\", "")


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Door]:
    """Every URL pattern of the project, with its full route."""
    doors: list[Door] = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + _route_of(pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            doors += walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            params = tuple(re.findall(r"<(\w+)>", route))
            doors.append(Door(route=route, name=name, callback=pattern.callback, params=params))
    return doors


def model_admin_of(door: Door):
    """The ModelAdmin behind an admin view (Django sets `model_admin` on its wrappers)."""
    return getattr(door.callback, "model_admin", None)


def viewset_of(door: Door):
    return getattr(door.callback, "cls", None)
