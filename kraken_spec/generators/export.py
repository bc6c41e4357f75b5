"""The machine-readable export: the whole catalogue as one JSON document."""

from __future__ import annotations

import json
from typing import Any

from kraken_spec.codec import (
    enrichment_document,
    enrichment_from_document,
    mutation_document,
    mutation_from_document,
    type_document,
)
from kraken_spec.model import (
    Catalogue,
    Endpoint,
    ErrorEntry,
    Mutation,
    NamedType,
    TypeField,
)

EXPORT_FORMAT_VERSION = 1


# Key order of an exported mutation: a stable interface, fixed since the first export.
_MUTATION_KEYS = ("name", "endpoint", "endpointName", "payload", "description",
                  "requiresAuthorization", "deprecationReason", "arguments", "returnFields",
                  "errors", "example")


def _mutation(m: Mutation, urls: dict[str, str]) -> dict[str, Any]:
    entry = mutation_document(m)
    entry["endpointName"], entry["endpoint"] = m.endpoint, urls[m.endpoint]
    for field in entry["returnFields"] or ():
        # Written beside the basis so that readers need not know which bases are inferences.
        basis = field.pop("basis")
        example = field.pop("example", None)
        field.update(basis=basis, documented=basis != "example")
        if example is not None:
            field["example"] = example
    return {key: entry[key] for key in _MUTATION_KEYS}


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
        # provenance; the page's facts above never depend on them.
        "enrichments": [enrichment_document(e) for e in catalogue.enrichments],
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
            mutations=tuple(mutation_from_document(m | {"endpoint": m["endpointName"]})
                            for m in doc["mutations"]),
            errors=tuple(ErrorEntry(e["code"], e["message"]) for e in doc["errors"]),
            types=tuple(_type_from(t) for t in doc["types"]),
            enrichments=tuple(enrichment_from_document(e) for e in doc.get("enrichments", ())),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a kraken-spec export: {exc!r}") from None


def _type_from(t: dict[str, Any]) -> NamedType:
    return NamedType(
        name=t["name"], status=t["status"], role=t["role"], kind=t["kind"],
        description=t["description"],
        fields=tuple(TypeField(f["name"], f["type"], f.get("description"))
                     for f in t.get("fields", ())),
        values=tuple(t.get("values", ())),
    )
