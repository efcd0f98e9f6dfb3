"""Memory a step of the run freed, handed back to the system before the next step starts.

Assembly frees what it held (Arrow buffers, Python values of keys), but the allocators keep
freed pages for reuse: Arrow's pool (mimalloc or jemalloc) until asked, glibc's malloc in its
heaps. Validation allocates in other shapes, so those pages only add to the run's peak.
Measured at ×10 after assembly: 80 MB from Arrow's pool, 90 MB more from glibc's heaps.
"""
from __future__ import annotations

import ctypes
import ctypes.util

import pyarrow as pa


def release_freed_memory() -> None:
    """Return the free pages of Arrow's pool and of glibc's heaps (a no-op for a libc without ``malloc_trim``)."""
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)
