"""Entries the page shows without their heading (spec/headless/): rules, confirmation, notes."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from kraken_spec.codec import headless_from_document
from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.model import (
    Catalogue,
    Endpoint,
    Enrichment,
    Headless,
    Mutation,
    Provenance,
    SourcedPayload,
)
from kraken_spec.spec.sources import SourceMap, diagnostic_at
from kraken_spec.spec.yamlio import Located

# The rule of the notes on headless entries, shared with import-docs' warning.
RULE = "headless-entry"


def read_headless(docs: list[Located], endpoints: dict[str, Endpoint] | None,
                  mutation_docs: list[Located], sources: SourceMap,
                  problems: list[Diagnostic]) -> list[Headless]:
    """The entries of the files that follow the rules of a mutation file where they apply
    (file name, endpoint, one name for one entry, no mutation of the same name); each
    file's problems are added to ``problems`` and its entry left out."""
    mutation_files = {doc.data["name"]: doc.path for doc in mutation_docs}
    out: list[Headless] = []
    for doc in docs:
        name = doc.data["name"]
        found: list[Diagnostic] = []
        stem = os.path.splitext(os.path.basename(doc.path))[0]
        if name != stem:
            found.append(diagnostic_at(doc, ("name",), f"entry {excerpt(name)} is in the file "
                                       f"{stem}.yaml; its file must be named "
                                       f"{excerpt(name + '.yaml')}",
                                       rule="file-name"))
        if endpoints is not None and doc.data["endpoint"] not in endpoints:
            known = ", ".join(sorted(endpoints))
            found.append(diagnostic_at(doc, ("endpoint",), "unknown endpoint "
                                       f"{excerpt(doc.data['endpoint'])} (known: {known})",
                                       rule="unknown-endpoint"))
        if name in mutation_files:
            # The page would then document one mutation twice, once without its heading.
            found.append(diagnostic_at(doc, ("name",), f"{excerpt(name)} is also the mutation "
                                       f"of {mutation_files[name]}; an entry shown without "
                                       "its heading is named by a field no entry documents",
                                       rule="duplicate-name"))
        elif name in sources.headless:
            found.append(diagnostic_at(doc, ("name",), f"entry {excerpt(name)} is defined "
                                       f"twice (also in {sources.headless[name].path})",
                                       rule="duplicate-name"))
        problems.extend(found)
        if not found:
            sources.headless[name] = doc
            out.append(headless_from_document(doc.data))
    return out


@dataclass(frozen=True)
class Confirmation:
    """What the schema sources make of the headless entries: the mutations of those they
    confirm, and for each other one why no source does."""

    mutations: tuple[Mutation, ...]
    unconfirmed: dict[str, str]


def _same_arguments(payload: SourcedPayload, entry: Headless) -> bool:
    """The source's arguments of the field are exactly the page's, names and types (the
    order is the example's, not a fact of the schema)."""
    mine = {a.name: a.type for a in entry.arguments}
    theirs = {a.name: a.type for a in payload.arguments}
    return len(theirs) == len(payload.arguments) and mine == theirs


def confirm_headless(headless: Iterable[Headless], enrichments: Iterable[Enrichment],
                     declared: Collection[str], mutations: Iterable[Mutation]) -> Confirmation:
    """Each entry becomes a mutation when the most authoritative source that records its
    payload (own sources first) still records it for the page's arguments, and the page's
    facts leave the type name free: no declared type, no other mutation's payload."""
    sources = list(enrichments)
    taken = {m.payload_type: m.name for m in mutations}
    confirmed: list[Mutation] = []
    unconfirmed: dict[str, str] = {}
    for entry in headless:
        found: tuple[SourcedPayload, Provenance] | None = None
        stale: list[str] = []
        for enrichment in sources:
            payload = enrichment.payload(entry.name)
            if payload is None:
                continue
            if _same_arguments(payload, entry):
                found = (payload, enrichment.provenance)
                break
            stale.append(enrichment.provenance.source)
        if found is None:
            unconfirmed[entry.name] = (
                f"the record of {' and '.join(stale)} names other arguments than the page; "
                "re-run enrich" if stale else "no schema source confirms its payload type")
            continue
        payload, provenance = found
        if payload.type in declared or payload.type in taken:
            # The page's facts win: the name is already a type the page uses otherwise.
            other = (f"the payload type of {taken[payload.type]}" if payload.type in taken
                     else "a type the page declares")
            unconfirmed[entry.name] = (f"{provenance.source} names its payload type "
                                       f"{payload.type}, which is {other}")
            continue
        taken[payload.type] = entry.name
        confirmed.append(entry.confirmed(payload, provenance))
    return Confirmation(tuple(confirmed), unconfirmed)


def headless_notes(catalogue: Catalogue, sources: SourceMap,
                   unconfirmed: dict[str, str]) -> list[Diagnostic]:
    """A note per headless entry: which source confirms its payload type, or why none."""
    confirmed = catalogue.confirmed_headless()
    notes: list[Diagnostic] = []
    for entry in catalogue.headless:
        doc = sources.headless[entry.name]
        mutation = confirmed.get(entry.name)
        if mutation is not None and mutation.payload_source is not None:
            message = (f"the page shows {entry.name} without its heading; its payload type "
                       f"{mutation.payload_sdl} is from {mutation.payload_source.label()}, "
                       "so it is in the catalogue")
        else:
            reason = unconfirmed.get(entry.name, "no schema source confirms its payload type")
            message = (f"the page shows {entry.name} without its heading and it stays out of "
                       f"the catalogue: {reason}")
        line, column = doc.mark(("name",))
        notes.append(Diagnostic(doc.path, line, column, message, severity="info", rule=RULE))
    return notes


def headless_summary(catalogue: Catalogue) -> str | None:
    """A clause for validate's summary line, e.g. ``1 headless entry, confirmed by
    octopus-energy-it (sibling)``; None when the page shows every entry's heading."""
    if not catalogue.headless:
        return None
    confirmed = catalogue.confirmed_headless()
    by_source: dict[str, int] = {}
    for entry in catalogue.headless:
        mutation = confirmed.get(entry.name)
        source = mutation.payload_source if mutation is not None else None
        key = f"{source.source} ({source.authority})" if source is not None else ""
        by_source[key] = by_source.get(key, 0) + 1
    count = len(catalogue.headless)
    noun = "headless entry" if count == 1 else "headless entries"
    parts = []
    for key, n in sorted(by_source.items(), key=lambda item: (item[0] == "", item[0])):
        what = f"confirmed by {key}" if key else "confirmed by no schema source"
        parts.append(what if n == count else f"{n} {what}")
    return f"{count} {noun}, " + ", ".join(parts)


def examples_view(catalogue: Catalogue, sources: SourceMap) -> tuple[Catalogue, SourceMap]:
    """The page's own catalogue with every headless entry as a mutation, for checking the
    examples: the page does not name an entry's payload type, so each payload stands under
    a made-up name (``_Payload_<name>``, free in the catalogue) that only diagnostics show;
    and a source map that finds each entry's file."""
    page = catalogue.page_only()
    taken = {t.name for t in page.types} | {m.payload_type for m in page.mutations}
    stand_ins: list[Mutation] = []
    for entry in page.headless:
        name = f"_Payload_{entry.name}"
        while name in taken:
            name += "_"
        taken.add(name)
        stand_ins.append(Mutation(
            name=entry.name, endpoint=entry.endpoint, payload_type=name,
            payload_non_null=False, description=None, requires_authorization=False,
            deprecation_reason=None, errors=(), arguments=entry.arguments,
            return_fields=entry.return_fields, example=entry.example))
    view = Catalogue(page.endpoints, tuple(sorted([*page.mutations, *stand_ins],
                                                  key=lambda m: (m.endpoint, m.name))),
                     page.errors, page.types, headless=page.headless)
    found = SourceMap(mutations=dict(sources.mutations), types=sources.types,
                      errors=sources.errors, endpoints=sources.endpoints,
                      headless=sources.headless)
    for entry in page.headless:
        found.mutations[(entry.endpoint, entry.name)] = sources.headless[entry.name]
    return view, found
