"""Every route the desk's resolver knows, and every operation of its OpenAPI schema."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full pattern text and its namespaced name (when it has one)."""

    pattern: str
    name: str  # "" when the pattern has no name

    @property
    def key(self) -> str:
        """What a policy rule calls the route: its name when that is unique, else its pattern."""
        return self.name or self.pattern

    def path(self, kwargs: dict[str, Any]) -> str:
        """Return the path with ``kwargs`` filled in."""
        text = self.pattern.lstrip("^").rstrip("$").replace("^", "")
        text = _GROUP.sub(lambda m: str(kwargs[m["name"]]), text)
        text = _CONVERTER.sub(lambda m: str(kwargs[m["name"]]), text)
        return "/" + text

    def converters(self) -> dict[str, str]:
        """Return each argument's converter (``int``, ``slug``, ``uuid``, ``path``, ``str``)."""
        groups = {m["name"]: "str" for m in _GROUP.finditer(self.pattern)}
        text = _GROUP.sub("", self.pattern)
        return {m["name"]: m["converter"] or "str" for m in _CONVERTER.finditer(text)} | groups

    def schema_path(self) -> str:
        """Return the path as the OpenAPI schema spells it (``{name}`` for arguments)."""
        return "/" + _CONVERTER.sub(lambda m: "{" + m["name"] + "}", self.pattern)


def _walk(patterns: list[Any], prefix: str, namespace: str) -> list[Route]:
    routes: list[Route] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes += _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ""
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.append(Route(pattern=prefix + str(entry.pattern), name=name))
    return routes


def all_routes() -> list[Route]:
    """Return every route of the root URLconf; names shared by two routes are dropped."""
    routes = _walk(get_resolver().url_patterns, "", "")
    shared = {name for name, n in Counter(r.name for r in routes).items() if n > 1}
    return [Route(r.pattern, "" if r.name in shared else r.name) for r in routes]


def schema_operations() -> set[tuple[str, str]]:
    """Return (path, METHOD) of every operation the generated OpenAPI schema documents."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
