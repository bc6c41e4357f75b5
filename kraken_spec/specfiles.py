"""The on-disk layout of a spec and the serialization of the model into it."""

from __future__ import annotations

from typing import Any

from kraken_spec.model import Catalogue, Mutation, NamedType
from kraken_spec.yamlio import dump_yaml

ENDPOINTS_FILE = "spec/endpoints.yaml"
ERRORS_FILE = "spec/errors.yaml"
MUTATIONS_DIR = "spec/mutations"
TYPES_DIR = "spec/types"
IMPORTED_TYPES_FILE = "spec/types/imported.yaml"
SOURCE_DIR = "spec/source"

# Relative to the spec file that carries it, for editors' YAML language servers.
SCHEMA_REFS = {
    ENDPOINTS_FILE: "../kraken_spec/schemas/endpoints.schema.json",
    ERRORS_FILE: "../kraken_spec/schemas/errors.schema.json",
    MUTATIONS_DIR: "../../kraken_spec/schemas/mutation.schema.json",
    TYPES_DIR: "../../kraken_spec/schemas/types.schema.json",
}


def mutation_path(name: str) -> str:
    """Where the importer writes a mutation: its name is the file name."""
    return f"{MUTATIONS_DIR}/{name}.yaml"


def mutation_document(m: Mutation) -> dict[str, Any]:
    """A mutation as the plain data of its spec file."""
    return_fields: list[dict[str, Any]] | None = None
    if m.return_fields is not None:
        return_fields = []
        for f in m.return_fields:
            entry: dict[str, Any] = {"name": f.name, "type": f.type, "basis": f.basis}
            if f.example is not None:
                entry["example"] = f.example
            return_fields.append(entry)
    return {
        "name": m.name,
        "endpoint": m.endpoint,
        "payload": {"type": m.payload_type, "nonNull": m.payload_non_null},
        "description": m.description,
        "requiresAuthorization": m.requires_authorization,
        "deprecationReason": m.deprecation_reason,
        "errors": list(m.errors),
        "arguments": [
            {"name": a.name, "type": a.type, "description": a.description} for a in m.arguments
        ],
        "returnFields": return_fields,
        "example": {
            "operation": m.example.operation,
            "variables": m.example.variables,
            "response": m.example.response,
        },
    }


def type_document(t: NamedType) -> dict[str, Any]:
    """A named type as one entry of a types file (absent facts are left out)."""
    entry: dict[str, Any] = {"name": t.name, "status": t.status, "role": t.role}
    if t.kind is not None:
        entry["kind"] = t.kind
    if t.description is not None:
        entry["description"] = t.description
    if t.fields:
        entry["fields"] = [
            {"name": f.name, "type": f.type}
            | ({"description": f.description} if f.description is not None else {})
            for f in t.fields
        ]
    if t.values:
        entry["values"] = list(t.values)
    return entry


def spec_files(catalogue: Catalogue) -> dict[str, str]:
    """Every importer-owned spec file of ``catalogue``, as relative path -> text."""
    files = {
        ENDPOINTS_FILE: dump_yaml(
            {"endpoints": [{"name": e.name, "title": e.title, "url": e.url}
                           for e in catalogue.endpoints]},
            SCHEMA_REFS[ENDPOINTS_FILE],
        ),
        ERRORS_FILE: dump_yaml(
            {"errors": [{"code": e.code, "message": e.message} for e in catalogue.errors]},
            SCHEMA_REFS[ERRORS_FILE],
        ),
        IMPORTED_TYPES_FILE: dump_yaml(
            {"types": [type_document(t) for t in catalogue.types]}, SCHEMA_REFS[TYPES_DIR]
        ),
    }
    for m in catalogue.mutations:
        files[mutation_path(m.name)] = dump_yaml(mutation_document(m), SCHEMA_REFS[MUTATIONS_DIR])
    return files
