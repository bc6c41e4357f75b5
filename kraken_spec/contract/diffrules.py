"""The catalogue diff's classification table, grading by who states a fact, catalogue-wide facts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kraken_spec.diagnostics import excerpt
from kraken_spec.model import Catalogue, Enrichment

Level = Literal["breaking", "dangerous", "safe", "knowledge"]
LEVELS: tuple[Level, ...] = ("breaking", "dangerous", "safe", "knowledge")

# The base level of each kind: graphql-inspector's criticality where it has one (an argument
# or input field may become nullable, an output may become non-null, anything else that
# changes a type is breaking). Two choices differ from it, as the catalogue's clients see
# them: a new optional argument or input field is safe (inspector: dangerous), and so is a
# deprecation removed (inspector: dangerous).
KINDS: dict[str, Level] = {
    "mutation-removed": "breaking", "mutation-moved": "breaking",
    "authorization-required": "breaking", "argument-removed": "breaking",
    "argument-type-changed": "breaking", "argument-added-required": "breaking",
    "field-removed": "breaking", "field-type-changed": "breaking",
    "input-field-removed": "breaking", "input-field-type-changed": "breaking",
    "input-field-added-required": "breaking", "enum-value-removed": "breaking",
    "union-member-removed": "breaking", "interface-removed": "breaking",
    "type-kind-changed": "breaking", "endpoint-removed": "breaking",
    "endpoint-url-changed": "breaking",
    "error-code-added": "dangerous", "enum-value-added": "dangerous",
    "union-member-added": "dangerous", "interface-added": "dangerous",
    "default-changed": "dangerous",
    "mutation-added": "safe", "argument-added": "safe", "argument-type-changed-safely": "safe",
    "field-added": "safe", "field-type-changed-safely": "safe", "input-field-added": "safe",
    "input-field-type-changed-safely": "safe", "authorization-dropped": "safe",
    "error-code-removed": "safe", "error-message-changed": "safe",
    "description-changed": "safe", "deprecation-added": "safe", "deprecation-removed": "safe",
    "deprecation-changed": "safe", "endpoint-added": "safe", "endpoint-title-changed": "safe",
    # Not API changes: what is known of the API grew, shrank or moved between sources.
    "type-shape-known": "knowledge", "type-shape-lost": "knowledge",
    "inference-confirmed": "knowledge", "inference-refined": "knowledge",
    "provenance-changed": "knowledge", "fact-learned": "knowledge",
    "fact-unlearned": "knowledge", "source-added": "knowledge", "source-removed": "knowledge",
    "source-updated": "knowledge",
}


@dataclass(frozen=True)
class Change:
    """One change: a stable ``kind``, its ``level``, where (``coordinate``), why in plain
    words naming the old and the new (``message``) and the endpoint it concerns (None for
    a catalogue-wide fact)."""

    kind: str
    level: Level
    coordinate: str
    message: str
    endpoint: str | None = None

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        """Changes sort by level (breaking first), then coordinate, kind and message."""
        return (LEVELS.index(self.level), self.coordinate, self.kind, self.message)


class DiffError(ValueError):
    """A catalogue's schema cannot be built (a hand-edited export, say): nothing to compare."""


Authority = Literal["page", "own", "inferred", "sibling", "stand-in"]


@dataclass(frozen=True)
class Fact:
    """Who states a fact: ``authority`` grades a change of it, ``label`` names it."""

    authority: Authority
    label: str


PAGE = Fact("page", "the page")
INFERRED = Fact("inferred", "an inference from the page's example values")
STAND_IN = Fact("stand-in", "no source (it stands in as a scalar)")
# The page and an own source state the API; an inference and a sibling only suggest it.
STRENGTH: dict[str, int] = {"page": 0, "own": 0, "inferred": 1, "sibling": 2, "stand-in": 3}


def grade(base: Level, old: Fact, new: Fact) -> Level | None:
    """The level of a change of a fact ``old`` stated and ``new`` states; None when only
    knowledge changed."""
    so, sn = STRENGTH[old.authority], STRENGTH[new.authority]
    if sn < so:
        return None  # the new side knows better: the API did not change, knowledge did
    if sn > so and not (so == 0 and new.authority == "inferred"):
        return None  # the firmer statement is gone and a weaker one remains: knowledge lost
    # A sibling's or an example's word (or the page now showing only an example) may warn,
    # never fail a check.
    return "dangerous" if base == "breaking" and max(so, sn) > 0 else base


def note(old: Fact, new: Fact) -> str:
    """What a change's message adds to name a source that is not the page."""
    weak = max((new, old), key=lambda f: (STRENGTH[f.authority], f.authority != "page"))
    if weak.authority == "sibling":
        return f" (stated by {weak.label}; a sibling source's change is never breaking)"
    if weak.authority == "inferred":
        return " (inferred from the page's example values, so at most dangerous)"
    return f" (stated by {weak.label})" if weak.authority == "own" else ""


# A member's kind of change, coordinate and message, by its name.
Describe = Callable[[str], tuple[str, str, str]]
# Who lists a container's members, by authority: (the statement, the member names).
Coverage = dict[str, tuple[Fact, Sequence[str]]]


@dataclass
class Members:
    """Members by what happened to them: ``added``/``removed`` by a statement both sides
    make, ``learned``/``unlearned`` where only one side has such a statement."""

    added: dict[str, Fact] = field(default_factory=dict)
    removed: dict[str, Fact] = field(default_factory=dict)
    learned: dict[str, Fact] = field(default_factory=dict)
    unlearned: dict[str, Fact] = field(default_factory=dict)
    persisted: list[str] = field(default_factory=list)


def _strongest(cover: Coverage, name: str) -> Fact:
    return min((f for f, names in cover.values() if name in names),
               key=lambda f: STRENGTH[f.authority])


def membership(old: Coverage, new: Coverage) -> Members:
    """Compare member lists statement by statement: the page's listing against the page's,
    a source's shape against a source's of the same authority. A member only one side's
    statements know of is knowledge, not a change."""
    all_old = {n for _, names in old.values() for n in names}
    all_new = {n for _, names in new.values() for n in names}
    out = Members()
    for authority in sorted(old.keys() & new.keys(), key=STRENGTH.__getitem__):
        (fo, before), (fn, after) = old[authority], new[authority]
        for n in after:
            if n not in before and n not in all_old:
                out.added.setdefault(n, fn)
        for n in before:
            # Still listed by a statement as firm as the one that dropped it: not removed.
            kept = any(n in names and STRENGTH[a] <= STRENGTH[authority]
                       for a, (_, names) in new.items())
            if n not in after and not kept:
                out.removed.setdefault(n, fo)
    out.learned = {n: _strongest(new, n) for n in sorted(all_new - all_old - out.added.keys())}
    out.unlearned = {n: _strongest(old, n)
                     for n in sorted(all_old - all_new - out.removed.keys())}
    out.persisted = sorted(all_old & all_new)
    return out


def names_excerpt(items: Sequence[str]) -> str:
    """Up to ten names, sorted, and how many more there are."""
    listed = sorted(items)
    more = f" and {len(listed) - 10} more" if len(listed) > 10 else ""
    return ", ".join(listed[:10]) + more


def _source_changes(old: Enrichment, new: Enrichment) -> str:
    """What differs between two versions of one schema source, in a few words."""
    parts = []
    if old.provenance != new.provenance:
        parts.append(f"now {new.provenance.label()} (was {old.provenance.label()})")
    if old.origin != new.origin:
        parts.append(f"origin now {excerpt(new.origin)} (was {excerpt(old.origin)})")
    before, after = {t.name: t for t in old.types}, {t.name: t for t in new.types}
    restated = sum(1 for n, t in after.items() if n in before and before[n] != t)
    parts.append(f"{restated} type(s) restated, {len(after.keys() - before.keys())} added, "
                 f"{len(before.keys() - after.keys())} removed")
    return "; ".join(parts)


class Collector:
    """Collects each change once, graded by who states it on each side; compares the
    facts that are not in the schema: endpoints, error messages and schema sources."""

    def __init__(self, old: Catalogue, new: Catalogue) -> None:
        self.old_catalogue, self.new_catalogue = old, new
        self.found: dict[tuple[str, str, str], Change] = {}

    def changes(self) -> list[Change]:
        """Every change found, in a deterministic order (see :attr:`Change.sort_key`)."""
        return sorted(self.found.values(), key=lambda c: c.sort_key)

    def add(self, kind: str, coordinate: str, message: str, endpoint: str | None,
            level: Level | None = None) -> None:
        change = Change(kind, level or KINDS[kind], coordinate, message, endpoint)
        self.found.setdefault((kind, coordinate, message), change)

    def graded(self, kind: str, coordinate: str, message: str, endpoint: str | None,
               old: Fact, new: Fact, knowledge: str = "provenance-changed") -> None:
        """Add a change of a fact both sides state, or the ``knowledge`` kind when only
        what is known of it changed."""
        level = grade(KINDS[kind], old, new)
        if level is None:
            self.add(knowledge, coordinate, f"{message}: now stated by {new.label} (was "
                     f"{old.label}), so the API need not have changed", endpoint)
        else:
            self.add(kind, coordinate, message + note(old, new), endpoint, level)

    def members(self, owner: str, found: Members, what: str, endpoint: str | None,
                removed: Describe, added: Describe) -> None:
        """Report the removed and added members (``removed``/``added`` give each one's kind,
        coordinate and message), then what was learned or unlearned of the others, one
        note per statement."""
        for describe, group in ((removed, found.removed), (added, found.added)):
            for name, fact in group.items():
                kind, coordinate, message = describe(name)
                self.graded(kind, coordinate, message, endpoint, fact, fact)
        for kind, facts, verb in (("fact-learned", found.learned, "newly states"),
                                  ("fact-unlearned", found.unlearned, "no longer states")):
            by_label: dict[str, list[str]] = {}
            for name, fact in facts.items():
                by_label.setdefault(fact.label, []).append(name)
            for label, names in sorted(by_label.items()):
                self.add(kind, owner, f"{label} {verb} {len(names)} {what}(s) of {owner}: "
                         f"{names_excerpt(names)}", endpoint)

    # --- catalogue-wide facts ------------------------------------------------------------

    def endpoints(self) -> None:
        old = {e.name: e for e in self.old_catalogue.endpoints}
        new = {e.name: e for e in self.new_catalogue.endpoints}
        for name in sorted(old.keys() | new.keys()):
            o, n, coord = old.get(name), new.get(name), f"endpoints:{name}"
            if o is None and n is not None:
                self.add("endpoint-added", coord, f"new endpoint {name} ({n.url})", name)
            elif n is None and o is not None:
                self.add("endpoint-removed", coord, f"endpoint {name} ({o.url}) was removed",
                         name)
            elif o is not None and n is not None:
                if o.url != n.url:
                    self.add("endpoint-url-changed", coord, f"the URL of endpoint {name} "
                             f"changed from {o.url} to {n.url}", name)
                if o.title != n.title:
                    self.add("endpoint-title-changed", coord, f"the title of endpoint {name} "
                             f"changed from {excerpt(o.title)} to {excerpt(n.title)}", name)

    def errors(self) -> None:
        old = {e.code: e.message for e in self.old_catalogue.errors}
        new = {e.code: e.message for e in self.new_catalogue.errors}
        for code in sorted(old.keys() & new.keys()):
            if old[code] != new[code]:
                self.add("error-message-changed", f"errors:{code}", f"the message of {code} "
                         f"changed from {excerpt(old[code])} to {excerpt(new[code])}", None)

    def sources(self) -> None:
        old = {e.provenance.source: e for e in self.old_catalogue.enrichments}
        new = {e.provenance.source: e for e in self.new_catalogue.enrichments}
        for name in sorted(old.keys() | new.keys()):
            o, n, coord = old.get(name), new.get(name), f"sources:{name}"
            if o is None and n is not None:
                self.add("source-added", coord, f"new schema source {n.provenance.label()} "
                         f"stating {len(n.types)} type(s)", None)
            elif n is None and o is not None:
                self.add("source-removed", coord, f"schema source {o.provenance.label()} "
                         "was removed", None)
            elif o is not None and n is not None and o != n:
                self.add("source-updated", coord, f"schema source {name}: "
                         + _source_changes(o, n), None)
