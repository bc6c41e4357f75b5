"""Work split over cores: chunks that partition their items evenly, results in order."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kraken_spec import parallel


@given(st.lists(st.integers(), max_size=300), st.integers(1, 50), st.integers(1, 8))
def test_chunks_partition_their_items_evenly(items: list[int], size: int, cores: int) -> None:
    original = parallel.workers
    parallel.workers = lambda: cores  # type: ignore[assignment]
    try:
        chunks = parallel.chunked(items, size)
    finally:
        parallel.workers = original  # type: ignore[assignment]
    assert [x for chunk in chunks for x in chunk] == items
    assert all(0 < len(chunk) <= size for chunk in chunks)
    if chunks:
        assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
    # Several chunks come in a multiple of the workers, unless there are too few items.
    if len(chunks) > 1:
        assert len(chunks) % cores == 0 or len(chunks) == len(items)


def _square_all(chunk: Sequence[int]) -> list[int]:
    return [x * x for x in chunk]


@pytest.mark.parametrize("cores", [1, 2])
def test_map_chunks_returns_every_result_in_order(cores: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: cores)
    offset = 7  # a closure's state reaches the forked workers without pickling

    def shifted(chunk: Sequence[int]) -> list[int]:
        return [x + offset for x in _square_all(chunk)]

    chunks = parallel.chunked(list(range(100)), 9)
    assert parallel.map_chunks(shifted, chunks) == [shifted(c) for c in chunks]
    assert parallel._WORK is None


def test_a_batch_split_inside_a_worker_runs_in_that_worker(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)

    def nested(chunk: Sequence[int]) -> list[int]:
        inner = parallel.map_chunks(_square_all, parallel.chunked(list(chunk), 1))
        return [x for part in inner for x in part]

    chunks = parallel.chunked(list(range(10)), 5)
    assert parallel.map_chunks(nested, chunks) == [_square_all(c) for c in chunks]
