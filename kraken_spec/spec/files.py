"""The on-disk layout of a spec and the serialization of the model into it."""

from __future__ import annotations

from kraken_spec.codec import headless_document, mutation_document, type_document
from kraken_spec.model import Catalogue
from kraken_spec.spec.yamlwrite import dump_yaml

ENDPOINTS_FILE = "spec/endpoints.yaml"
ERRORS_FILE = "spec/errors.yaml"
MUTATIONS_DIR = "spec/mutations"
# Entries the page shows without their heading, one file each; written by import-docs.
HEADLESS_DIR = "spec/headless"
TYPES_DIR = "spec/types"
IMPORTED_TYPES_FILE = "spec/types/imported.yaml"
SOURCE_DIR = "spec/source"
# Facts of schema sources, one file per source; written by enrich, never by import-docs.
ENRICHED_DIR = "spec/enriched"

# Relative to the spec file that carries it, for editors' YAML language servers.
SCHEMA_REFS = {
    ENDPOINTS_FILE: "../kraken_spec/spec/schemas/endpoints.schema.json",
    ERRORS_FILE: "../kraken_spec/spec/schemas/errors.schema.json",
    MUTATIONS_DIR: "../../kraken_spec/spec/schemas/mutation.schema.json",
    HEADLESS_DIR: "../../kraken_spec/spec/schemas/headless.schema.json",
    TYPES_DIR: "../../kraken_spec/spec/schemas/types.schema.json",
}


def enriched_path(source: str) -> str:
    """Where enrich writes the facts of the named source (JSON: see the loader)."""
    return f"{ENRICHED_DIR}/{source}.json"


def mutation_path(name: str) -> str:
    """Where the importer writes a mutation: its name is the file name."""
    return f"{MUTATIONS_DIR}/{name}.yaml"


def headless_path(name: str) -> str:
    """Where the importer writes an entry shown without its heading: named by its field."""
    return f"{HEADLESS_DIR}/{name}.yaml"


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
    for m in catalogue.page_only().mutations:
        files[mutation_path(m.name)] = dump_yaml(mutation_document(m), SCHEMA_REFS[MUTATIONS_DIR])
    for h in catalogue.headless:
        files[headless_path(h.name)] = dump_yaml(headless_document(h), SCHEMA_REFS[HEADLESS_DIR])
    return files
