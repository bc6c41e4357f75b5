"""The package's import graph: no cycles, and the layers import only what they may."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "kraken_spec"
# The YAML layer: modules that know spec files, their positions and their layout.
YAML_LAYER = {"kraken_spec.yamlio", "kraken_spec.loader", "kraken_spec.sources",
              "kraken_spec.specfiles", "kraken_spec.examples"}
# Layers that work on the model alone and must never reach back into the YAML layer.
MODEL_ONLY = ("kraken_spec.graphql_schema", "kraken_spec.generators", "kraken_spec.model",
              "kraken_spec.export", "kraken_spec.responses", "kraken_spec.errors")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (at any depth of its
    code, type-checking imports included: a cycle there is a cycle of design)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
    assert len(graph) > 20  # the walk saw the package


def test_model_layers_never_import_the_yaml_layer() -> None:
    for name, targets in import_graph().items():
        if name.startswith(MODEL_ONLY):
            assert not targets & YAML_LAYER, f"{name} imports {sorted(targets & YAML_LAYER)}"


def test_the_declared_api_resolves() -> None:
    import kraken_spec

    for name in kraken_spec.__all__:
        assert getattr(kraken_spec, name) is not None, name
    assert sorted(set(kraken_spec.__all__) - {"__version__"}) == sorted(kraken_spec._EXPORTS)
