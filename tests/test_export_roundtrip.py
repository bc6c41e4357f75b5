"""The export reads back into the same catalogue, so the bundled one serves installed tools."""

from __future__ import annotations

import json

import pytest
from conftest import MINI

from kraken_spec.generators.export import catalogue_from_export, export_json
from kraken_spec.resources import bundled_catalogue, bundled_export, bundled_sdl
from kraken_spec.spec.loader import load_spec


def test_the_mini_catalogue_round_trips() -> None:
    catalogue = load_spec(str(MINI)).assert_valid()
    assert catalogue_from_export(export_json(catalogue)) == catalogue


def test_the_bundled_catalogue_is_the_committed_export() -> None:
    catalogue = bundled_catalogue()
    assert export_json(catalogue) == bundled_export()
    assert len(catalogue.mutations) == 236
    assert [(h.name, h.line) for h in catalogue.headless] == [
        ("nextOperationsTeamRoundRobin", 4920)]
    assert bundled_sdl("auth").startswith("type CreateMfaDevice {")
    with pytest.raises(KeyError, match="known: api, auth"):
        bundled_sdl("../catalogue")


@pytest.mark.parametrize("text", ['{"formatVersion": 2}', '{"formatVersion": 1}', "[]"])
def test_other_documents_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        catalogue_from_export(text)


def test_a_damaged_mutation_is_refused() -> None:
    document = json.loads(bundled_export())
    del document["mutations"][0]["payload"]
    with pytest.raises(ValueError, match="not a kraken-spec export"):
        catalogue_from_export(json.dumps(document))
