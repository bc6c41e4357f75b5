"""Enrichment files (spec/enriched/SOURCE.json): their model and the rules across one file."""

from __future__ import annotations

import os
from collections.abc import Iterator

from kraken_spec.authority import AUTHORITIES
from kraken_spec.codec import enrichment_from_document
from kraken_spec.diagnostics import Diagnostic, excerpt
from kraken_spec.model import BUILTIN_SCALARS, Enrichment, named_type
from kraken_spec.spec.sources import diagnostic_at
from kraken_spec.spec.yamlio import JsonPath, Located

# The kinds a name in a type's "interfaces" and "members" must have.
_WANTED = {"interfaces": ("INTERFACE",), "members": ("OBJECT",)}


def _type_problems(doc: Located) -> Iterator[Diagnostic]:
    """Repeated names, and references to types the file does not state."""
    kinds: dict[str, str] = {}
    for i, entry in enumerate(doc.data["types"]):
        if entry["name"] in BUILTIN_SCALARS:
            yield diagnostic_at(doc, ("types", i, "name"), f"type {excerpt(entry['name'])} "
                                "is a built-in scalar", rule="builtin-scalar")
        elif entry["name"] in kinds:
            yield diagnostic_at(doc, ("types", i, "name"), f"type {excerpt(entry['name'])} "
                                "is stated twice", rule="duplicate-name")
        kinds.setdefault(entry["name"], entry["kind"])
    for i, entry in enumerate(doc.data["types"]):
        seen: set[str] = set()
        for j, f in enumerate(entry.get("fields", ())):
            path: JsonPath = ("types", i, "fields", j)
            if f["name"] in seen:
                yield diagnostic_at(doc, (*path, "name"), f"field {excerpt(f['name'])} of "
                                    f"{entry['name']} is stated twice", rule="duplicate-name")
            seen.add(f["name"])
            refs = [((*path, "type"), f["type"])] + [
                ((*path, "arguments", k, "type"), a["type"])
                for k, a in enumerate(f.get("arguments", ()))]
            for where, ref in refs:
                name = named_type(ref)
                if name not in kinds and name not in BUILTIN_SCALARS:
                    yield diagnostic_at(doc, where, f"unknown type {excerpt(name)}: an "
                                        "enrichment states every type its types use",
                                        rule="unknown-type")
        for key, wanted in _WANTED.items():
            for j, name in enumerate(entry.get(key, ())):
                if kinds.get(name) not in wanted:
                    yield diagnostic_at(doc, ("types", i, key, j), f"{excerpt(name)} is not "
                                        f"an {wanted[0].lower()} type of this file",
                                        rule="enriched-kind")
    yield from _payload_problems(doc, kinds)


def _payload_problems(doc: Located, kinds: dict[str, str]) -> Iterator[Diagnostic]:
    """Each headless entry has one payload, an object type of the file, whose arguments
    name types the file states: enrich writes them so, and the SDL relies on it."""
    seen: set[str] = set()
    for i, payload in enumerate(doc.data.get("payloads", ())):
        if payload["mutation"] in seen:
            yield diagnostic_at(doc, ("payloads", i, "mutation"), "the payload of "
                                f"{excerpt(payload['mutation'])} is stated twice",
                                rule="duplicate-name")
        seen.add(payload["mutation"])
        if kinds.get(payload["type"]) != "OBJECT":
            yield diagnostic_at(doc, ("payloads", i, "type"), f"{excerpt(payload['type'])} "
                                "is not an object type of this file", rule="enriched-kind")
        for j, argument in enumerate(payload.get("arguments", ())):
            name = named_type(argument["type"])
            if name not in kinds and name not in BUILTIN_SCALARS:
                yield diagnostic_at(doc, ("payloads", i, "arguments", j, "type"),
                                    f"unknown type {excerpt(name)}: an enrichment states "
                                    "every type its types use", rule="unknown-type")


def read_enrichments(docs: list[Located],
                     problems: list[Diagnostic]) -> tuple[Enrichment, ...]:
    """The enrichments of valid files, own sources first, then by source name; the
    problems of the others are added to ``problems``."""
    out: list[Enrichment] = []
    for doc in docs:
        stem = os.path.splitext(os.path.basename(doc.path))[0]
        found = list(_type_problems(doc))
        if doc.data["source"] != stem:
            found.append(diagnostic_at(
                doc, ("source",), f"source {excerpt(doc.data['source'])} is in the file "
                f"{stem}.json; its file must be named {excerpt(doc.data['source'] + '.json')}",
                rule="file-name"))
        if any(e.provenance.source == doc.data["source"] for e in out):
            found.append(diagnostic_at(doc, ("source",), f"source {excerpt(doc.data['source'])}"
                                       " has two enrichment files", rule="duplicate-name"))
        problems.extend(found)
        if not found:
            out.append(enrichment_from_document(doc.data))
    return tuple(sorted(out, key=lambda e: (AUTHORITIES.index(e.provenance.authority),
                                            e.provenance.source)))
