"""The model as plain data, in the key order of spec files: one serialization for every output."""

from __future__ import annotations

from typing import Any

from kraken_spec.model import Argument, Example, Mutation, NamedType, ReturnField


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


def mutation_from_document(data: dict[str, Any]) -> Mutation:
    """The mutation of a spec file's plain data (the inverse of :func:`mutation_document`)."""
    fields = data["returnFields"]
    return Mutation(
        name=data["name"],
        endpoint=data["endpoint"],
        payload_type=data["payload"]["type"],
        payload_non_null=data["payload"]["nonNull"],
        description=data["description"],
        requires_authorization=data["requiresAuthorization"],
        deprecation_reason=data["deprecationReason"],
        errors=tuple(data["errors"]),
        arguments=tuple(Argument(a["name"], a["type"], a["description"])
                        for a in data["arguments"]),
        return_fields=None if fields is None else tuple(
            ReturnField(f["name"], f["type"], f["basis"], f.get("example")) for f in fields
        ),
        example=Example(data["example"]["operation"], data["example"]["variables"],
                        data["example"]["response"]),
    )
