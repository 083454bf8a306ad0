import gc

import pytest

from ivp.opendata.odata.gc_pause import cyclic_gc_paused


def test_the_collector_is_paused_inside_and_restored_after_also_on_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
