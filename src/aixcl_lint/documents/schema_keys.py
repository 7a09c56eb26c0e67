"""The keys the Compose Specification's schema allows, for checking a policy's fields at
load time (``field: imagee`` on a service). Apart from ``compose_schema``, whose imports
(hashlib, the cache folder) a warm run that validates no model never needs."""

from __future__ import annotations

import functools
import json
from pathlib import Path


@functools.cache
def keys(*where: str) -> frozenset[str]:
    """The keys allowed at ``where`` (``()``: the top level; ``("service",)``: a service)."""
    text = (Path(__file__).parent / "compose-spec.json").read_text(encoding="utf-8")
    node = json.loads(text)
    if where:
        node = node["definitions"][where[0]]
    return frozenset(node["properties"])
