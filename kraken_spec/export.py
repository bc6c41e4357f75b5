"""The machine-readable export: the whole catalogue as one JSON document."""

from __future__ import annotations

import json
from typing import Any

from kraken_spec.model import Catalogue, Mutation, NamedType
from kraken_spec.specfiles import type_document

EXPORT_FORMAT_VERSION = 1


def _mutation(m: Mutation, urls: dict[str, str]) -> dict[str, Any]:
    return_fields = None
    if m.return_fields is not None:
        return_fields = [
            {"name": f.name, "type": f.type, "basis": f.basis, "documented": f.documented}
            | ({"example": f.example} if f.example is not None else {})
            for f in m.return_fields
        ]
    return {
        "name": m.name,
        "endpoint": urls[m.endpoint],
        "endpointName": m.endpoint,
        "payload": {"type": m.payload_type, "nonNull": m.payload_non_null},
        "description": m.description,
        "requiresAuthorization": m.requires_authorization,
        "deprecationReason": m.deprecation_reason,
        "arguments": [{"name": a.name, "type": a.type, "description": a.description}
                      for a in m.arguments],
        "returnFields": return_fields,
        "errors": list(m.errors),
        "example": {"operation": m.example.operation, "variables": m.example.variables,
                    "response": m.example.response},
    }


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
    }


def is_export(data: bytes) -> bool:
    """True when ``data`` begins as an export written by :func:`export_json` does."""
    return data.startswith(b'{\n  "formatVersion": ')


def export_json(catalogue: Catalogue) -> str:
    """The export serialized deterministically (fixed key order, UTF-8, final newline)."""
    return json.dumps(export_document(catalogue), indent=2, ensure_ascii=False) + "\n"
