"""How a run holds memory: chosen for a national roster, where every gigabyte a run touches
afresh costs seconds of the operating system's time.

A vet of 3 million rows allocates and frees about 12 GB over its life, in arrays of tens of
megabytes. Two choices made here cut what that costs, measured on the national benchmark
(README, Performance):

- numpy's arrays on ordinary pages, not transparent huge pages: a huge page is cleared whole,
  2 MB at a time, each time an array is made again after the one before was freed;
- pyarrow's jemalloc pool, where the build has one, in place of its default mimalloc, which
  on the benchmark machine spent most of a big run in the kernel (pyarrow alone reading and
  writing the national CSV: 12-17 s on mimalloc, 5 s on jemalloc) and peaked 0.6 GB higher.

A setting the user made (NUMPY_MADVISE_HUGEPAGE, ARROW_DEFAULT_MEMORY_POOL) stands.
"""

from __future__ import annotations

import os


def before_numpy() -> None:
    """Call before numpy is first imported (it reads the setting then)."""
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


_ARROW_POOL_SET = False


def arrow_pool() -> None:
    """Make jemalloc pyarrow's pool for what is allocated from now on, once, where it can."""
    global _ARROW_POOL_SET
    if _ARROW_POOL_SET or os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    _ARROW_POOL_SET = True
    import pyarrow as pa

    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a build without jemalloc keeps its own default
        return
    pa.set_memory_pool(pool)
