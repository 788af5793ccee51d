"""Pausing the cyclic garbage collector while large inputs are read.

Parsing 100,000 case records creates millions of lists, dicts and strings, and no
reference cycles. The collector would scan that growing heap again and again (it is
triggered by allocations), which costs about as much as the parsing itself; reference
counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
