"""The cyclic collector is held off inside the block and left as it was found after it, error or not."""

from __future__ import annotations

import gc

import pytest

from infra.toolkit.collector import cyclic_collection_paused


def test_the_collector_is_off_inside_and_back_on_after_even_when_the_block_fails() -> None:
    assert gc.isenabled()
    with cyclic_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()

    with pytest.raises(RuntimeError), cyclic_collection_paused():
        raise RuntimeError("bad input")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with cyclic_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
