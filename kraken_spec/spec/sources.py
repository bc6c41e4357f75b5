"""Where each spec entity was read, so that checks after loading can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field

from kraken_spec.diagnostics import Diagnostic
from kraken_spec.spec.yamlio import JsonPath, Located


@dataclass
class SourceMap:
    """Where each spec entity was read, so later checks can point at it."""

    mutations: dict[tuple[str, str], Located] = field(default_factory=dict)
    # Entries shown without heading, by name (those a source confirms are in ``mutations``
    # too, so that the rules over mutations place their findings in the same file).
    headless: dict[str, Located] = field(default_factory=dict)
    types: dict[str, tuple[Located, JsonPath]] = field(default_factory=dict)
    errors: Located | None = None
    endpoints: Located | None = None


def diagnostic_at(doc: Located, path: JsonPath, message: str, *, rule: str) -> Diagnostic:
    """An error of ``rule`` at the node for ``path`` in ``doc``."""
    line, column = doc.mark(path)
    return Diagnostic(doc.path, line, column, message, rule=rule)
