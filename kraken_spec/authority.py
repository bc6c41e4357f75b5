"""The authority of a schema source: who states a fact beyond the page, in order of trust."""

from __future__ import annotations

from typing import Literal

# Who states a fact, by authority: the page first, then an introspection of the endpoint
# itself ("own"), then another Kraken brand on the same platform ("sibling"). Kept apart
# from the model so that the command line offers the choice without importing the model.
Authority = Literal["own", "sibling"]
AUTHORITIES: tuple[Authority, ...] = ("own", "sibling")
