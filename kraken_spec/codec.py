"""The model as plain data, in the key order of spec files: one serialization for every output."""

from __future__ import annotations

from typing import Any

from kraken_spec.model import (
    Argument,
    Enrichment,
    Example,
    Headless,
    Mutation,
    NamedType,
    Provenance,
    ReturnField,
    SourcedField,
    SourcedPayload,
    SourcedType,
    SourcedValue,
)


def _return_fields_document(fields: tuple[ReturnField, ...] | None) -> list[dict[str, Any]] | None:
    if fields is None:
        return None
    out: list[dict[str, Any]] = []
    for f in fields:
        entry: dict[str, Any] = {"name": f.name, "type": f.type, "basis": f.basis}
        if f.example is not None:
            entry["example"] = f.example
        out.append(entry)
    return out


def _example_document(e: Example) -> dict[str, Any]:
    return {"operation": e.operation, "variables": e.variables, "response": e.response}


def mutation_document(m: Mutation) -> dict[str, Any]:
    """A mutation as the plain data of its spec file (the page's facts: a headless entry's
    sourced payload is written by its enrichment, never here)."""
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
        "returnFields": _return_fields_document(m.return_fields),
        "example": _example_document(m.example),
    }


def headless_document(h: Headless) -> dict[str, Any]:
    """An entry shown without its heading as the plain data of its spec file: a mutation's
    keys less those its missing heading held, plus the page line of its body."""
    return {
        "name": h.name,
        "endpoint": h.endpoint,
        "line": h.line,
        "arguments": [
            {"name": a.name, "type": a.type, "description": a.description} for a in h.arguments
        ],
        "returnFields": _return_fields_document(h.return_fields),
        "example": _example_document(h.example),
    }


def _arguments_from(data: list[dict[str, Any]]) -> tuple[Argument, ...]:
    return tuple(Argument(a["name"], a["type"], a["description"]) for a in data)


def _return_fields_from(data: list[dict[str, Any]] | None) -> tuple[ReturnField, ...] | None:
    return None if data is None else tuple(
        ReturnField(f["name"], f["type"], f["basis"], f.get("example")) for f in data)


def _example_from(data: dict[str, Any]) -> Example:
    return Example(data["operation"], data["variables"], data["response"])


def headless_from_document(data: dict[str, Any]) -> Headless:
    """The entry of a headless spec file's plain data (the inverse of
    :func:`headless_document`)."""
    return Headless(name=data["name"], endpoint=data["endpoint"], line=data["line"],
                    arguments=_arguments_from(data["arguments"]),
                    return_fields=_return_fields_from(data["returnFields"]),
                    example=_example_from(data["example"]))


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
    return Mutation(
        name=data["name"],
        endpoint=data["endpoint"],
        payload_type=data["payload"]["type"],
        payload_non_null=data["payload"]["nonNull"],
        description=data["description"],
        requires_authorization=data["requiresAuthorization"],
        deprecation_reason=data["deprecationReason"],
        errors=tuple(data["errors"]),
        arguments=_arguments_from(data["arguments"]),
        return_fields=_return_fields_from(data["returnFields"]),
        example=_example_from(data["example"]),
    )


def provenance_document(p: Provenance) -> dict[str, Any]:
    """A provenance as plain data: source, authority, date."""
    return {"source": p.source, "authority": p.authority, "date": p.date}


def provenance_from_document(data: dict[str, Any]) -> Provenance:
    """The provenance of :func:`provenance_document`'s plain data."""
    return Provenance(data["source"], data["authority"], data["date"])


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


def _payload_document(p: SourcedPayload) -> dict[str, Any]:
    entry: dict[str, Any] = {"mutation": p.mutation, "type": p.type, "nonNull": p.non_null}
    if p.arguments:
        entry["arguments"] = [_field_document(a) for a in p.arguments]
    return entry


def enrichment_document(e: Enrichment) -> dict[str, Any]:
    """An enrichment as the plain data of its spec file (absent facts are left out)."""
    head = provenance_document(e.provenance)
    if e.origin is not None:
        head["origin"] = e.origin
    if e.payloads:
        # Before the types: a few entries that would otherwise end a file of a thousand.
        head["payloads"] = [_payload_document(p) for p in e.payloads]
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
        provenance=provenance_from_document(data),
        origin=data.get("origin"),
        types=tuple(sourced_type_from_document(t) for t in data["types"]),
        payloads=tuple(
            SourcedPayload(p["mutation"], p["type"], p["nonNull"],
                           tuple(_field_from_document(a) for a in p.get("arguments", ())))
            for p in data.get("payloads", ())))
