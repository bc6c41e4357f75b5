"""The machine-readable export: the whole catalogue as one JSON document."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from kraken_spec.codec import (
    enrichment_document,
    enrichment_from_document,
    headless_document,
    headless_from_document,
    mutation_document,
    mutation_from_document,
    provenance_document,
    provenance_from_document,
    type_document,
)
from kraken_spec.model import (
    Catalogue,
    Endpoint,
    ErrorEntry,
    Headless,
    Mutation,
    NamedType,
    TypeField,
)

EXPORT_FORMAT_VERSION = 1


# Key order of an exported mutation: a stable interface, fixed since the first export;
# keys are only ever added, at the end.
_MUTATION_KEYS = ("name", "endpoint", "endpointName", "payload", "description",
                  "requiresAuthorization", "deprecationReason", "arguments", "returnFields",
                  "errors", "example", "payloadSource", "authorization")
# The same for an entry the page shows without its heading.
_HEADLESS_KEYS = ("name", "endpoint", "endpointName", "line", "arguments", "returnFields",
                  "example")


def _export_entry(entry: dict[str, Any], endpoint: str, urls: dict[str, str],
                  keys: tuple[str, ...]) -> dict[str, Any]:
    entry["endpointName"], entry["endpoint"] = endpoint, urls[endpoint]
    for field in entry["returnFields"] or ():
        # Written beside the basis so that readers need not know which bases are inferences.
        basis = field.pop("basis")
        example = field.pop("example", None)
        field.update(basis=basis, documented=basis != "example")
        if example is not None:
            field["example"] = example
    return {key: entry[key] for key in keys}


def _mutation(m: Mutation, urls: dict[str, str]) -> dict[str, Any]:
    entry = mutation_document(m)
    # null: the page states the payload type; else the schema source that does.
    entry["payloadSource"] = (None if m.payload_source is None
                              else provenance_document(m.payload_source))
    # Derived from requiresAuthorization and the errors, and written out so that readers
    # need not know which code means a missing header; never read back.
    basis = m.authorization
    entry["authorization"] = None if basis is None else {
        "basis": basis, "evidence": m.authorization_evidence}
    return _export_entry(entry, m.endpoint, urls, _MUTATION_KEYS)


def _headless(h: Headless, urls: dict[str, str]) -> dict[str, Any]:
    return _export_entry(headless_document(h), h.endpoint, urls, _HEADLESS_KEYS)


def _type(t: NamedType) -> dict[str, Any]:
    entry = type_document(t)
    entry.setdefault("kind", None)
    entry.setdefault("description", None)
    return entry


def export_document(catalogue: Catalogue) -> dict[str, Any]:
    """The export as plain data; key names are a stable interface for other tools."""
    urls = {e.name: e.url for e in catalogue.endpoints}
    return {
        "formatVersion": EXPORT_FORMAT_VERSION,
        "endpoints": [{"name": e.name, "title": e.title, "url": e.url}
                      for e in catalogue.endpoints],
        "mutations": [_mutation(m, urls) for m in catalogue.mutations],
        "errors": [{"code": e.code, "message": e.message, "domain": e.domain}
                   for e in catalogue.errors],
        "types": [_type(t) for t in catalogue.types],
        # Facts of schema sources, kept apart from the page's, each source with its
        # provenance; the page's facts above never depend on them (but for the payload
        # types of mutations whose "payloadSource" names their source).
        "enrichments": [enrichment_document(e) for e in catalogue.enrichments],
        # Every entry the page shows without its heading: the facts of its body. Those a
        # schema source confirms are among the mutations too.
        "headless": [_headless(h, urls) for h in catalogue.headless],
    }


def is_export(data: bytes) -> bool:
    """True when ``data`` begins as an export written by :func:`export_json` does."""
    return data.startswith(b'{\n  "formatVersion": ')


def export_json(catalogue: Catalogue) -> str:
    """The export serialized deterministically (fixed key order, UTF-8, final newline)."""
    return json.dumps(export_document(catalogue), indent=2, ensure_ascii=False) + "\n"


def catalogue_from_export(text: str) -> Catalogue:
    """Read an export back into the model (the inverse of :func:`export_json`).

    The export is the tool's own output, checked against its JSON Schema when it was built;
    a document of another shape raises ``ValueError``.
    """
    try:
        doc = json.loads(text)
        if doc.get("formatVersion") != EXPORT_FORMAT_VERSION:
            raise ValueError(f"unsupported export formatVersion {doc.get('formatVersion')!r}")
        return Catalogue(
            endpoints=tuple(Endpoint(e["name"], e["title"], e["url"]) for e in doc["endpoints"]),
            mutations=tuple(_mutation_from(m) for m in doc["mutations"]),
            errors=tuple(ErrorEntry(e["code"], e["message"]) for e in doc["errors"]),
            types=tuple(_type_from(t) for t in doc["types"]),
            enrichments=tuple(enrichment_from_document(e) for e in doc.get("enrichments", ())),
            # Exports written before entries without heading were kept have neither key.
            headless=tuple(headless_from_document(h | {"endpoint": h["endpointName"]})
                           for h in doc.get("headless", ())),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a kraken-spec export: {exc!r}") from None


def _mutation_from(m: dict[str, Any]) -> Mutation:
    source = m.get("payloadSource")
    return replace(mutation_from_document(m | {"endpoint": m["endpointName"]}),
                   payload_source=None if source is None else provenance_from_document(source))


def _type_from(t: dict[str, Any]) -> NamedType:
    return NamedType(
        name=t["name"], status=t["status"], role=t["role"], kind=t["kind"],
        description=t["description"],
        fields=tuple(TypeField(f["name"], f["type"], f.get("description"))
                     for f in t.get("fields", ())),
        values=tuple(t.get("values", ())),
    )
