"""Requests drawn for random mutations, checked by graphql-core against the published SDL."""

from __future__ import annotations

from typing import Any

from conftest import REPO
from graphql import build_schema
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_strategies import check, graphql_core_problems, reported

from kraken_spec.strategies import Reason, invalid_requests, valid_requests

# The published schema, read as any client would: no provenance, so every fact it states is
# checked as an own source's (errors, never warnings).
PUBLISHED = build_schema((REPO / "build" / "schema" / "api.graphql").read_text(encoding="utf-8"))

DRAWN = st.one_of(valid_requests(endpoint="api").map(lambda body: (body, None)),
                  invalid_requests(endpoint="api"))


# 1,000 requests in CI too (about ten seconds): the acceptance figure is checked every run.
@settings(max_examples=1000,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(DRAWN)
def test_drawn_requests_against_the_published_sdl(case: tuple[Any, Reason | None]) -> None:
    body, reason = case
    problems = graphql_core_problems(body, PUBLISHED)
    found = check(body, PUBLISHED)
    if reason is None:
        event("valid: accepted by graphql-core")
        assert problems == [], (body, problems)
        assert not [f for f in found if f.severity == "error"], (body, found)
    else:
        event(f"invalid: refused by graphql-core ({reason.kind})")
        assert problems, (body, str(reason))
        # Without provenance every fact counts as the endpoint's own: an error.
        assert reported(Reason(reason.kind, reason.rule, reason.where, "error", reason.detail),
                        found), (body, str(reason), found)
