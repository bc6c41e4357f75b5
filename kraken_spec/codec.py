"""The model as plain data, in the key order of spec files: one serialization for every output."""

from __future__ import annotations

from typing import Any

from kraken_spec.model import (
    Argument,
    Enrichment,
    Example,
    Mutation,
    NamedType,
    Provenance,
    ReturnField,
    SourcedField,
    SourcedType,
    SourcedValue,
)


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


def _field_document(f: SourcedField) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": f.name, "type": f.type}
    if f.description is not None:
        entry["description"] = f.description
    if f.default is not None:
        entry["default"] = f.default
    if f.deprecation_reason is not None:
        entry["deprecationReason"] = f.deprecation_reason
    if f.arguments:
        entry["arguments"] = [_field_document(a) for a in f.arguments]
    return entry


def _sourced_type_document(t: SourcedType) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": t.name, "kind": t.kind}
    if t.description is not None:
        entry["description"] = t.description
    if t.interfaces:
        entry["interfaces"] = list(t.interfaces)
    if t.fields:
        entry["fields"] = [_field_document(f) for f in t.fields]
    if t.values:
        entry["values"] = [
            {"name": v.name}
            | ({"description": v.description} if v.description is not None else {})
            | ({"deprecationReason": v.deprecation_reason}
               if v.deprecation_reason is not None else {})
            for v in t.values]
    if t.members:
        entry["members"] = list(t.members)
    return entry


def enrichment_document(e: Enrichment) -> dict[str, Any]:
    """An enrichment as the plain data of its spec file (absent facts are left out)."""
    head: dict[str, Any] = {"source": e.provenance.source,
                            "authority": e.provenance.authority, "date": e.provenance.date}
    if e.origin is not None:
        head["origin"] = e.origin
    return head | {"types": [_sourced_type_document(t) for t in e.types]}


def _field_from_document(data: dict[str, Any]) -> SourcedField:
    return SourcedField(
        name=data["name"], type=data["type"], description=data.get("description"),
        default=data.get("default"), deprecation_reason=data.get("deprecationReason"),
        arguments=tuple(_field_from_document(a) for a in data.get("arguments", ())))


def sourced_type_from_document(data: dict[str, Any]) -> SourcedType:
    """One type entry of an enrichment file as the model's :class:`SourcedType`."""
    return SourcedType(
        name=data["name"], kind=data["kind"], description=data.get("description"),
        fields=tuple(_field_from_document(f) for f in data.get("fields", ())),
        values=tuple(SourcedValue(v["name"], v.get("description"), v.get("deprecationReason"))
                     for v in data.get("values", ())),
        members=tuple(data.get("members", ())),
        interfaces=tuple(data.get("interfaces", ())))


def enrichment_from_document(data: dict[str, Any]) -> Enrichment:
    """The enrichment of a spec file's plain data (the inverse of
    :func:`enrichment_document`)."""
    return Enrichment(
        provenance=Provenance(data["source"], data["authority"], data["date"]),
        origin=data.get("origin"),
        types=tuple(sourced_type_from_document(t) for t in data["types"]))
