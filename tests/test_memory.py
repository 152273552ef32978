"""How a run holds memory: numpy on ordinary pages and pyarrow on jemalloc, unless the user
chose otherwise (cadretool.memory)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa
import pytest

from cadretool import memory


@pytest.fixture
def fresh_pool(monkeypatch):
    before = pa.default_memory_pool()
    monkeypatch.setattr(memory, "_ARROW_POOL_SET", False)
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    yield
    pa.set_memory_pool(before)


def _has_jemalloc() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        return False
    return True


def test_a_big_table_is_read_into_jemalloc_where_pyarrow_has_it(fresh_pool):
    pa.set_memory_pool(pa.system_memory_pool())
    memory.arrow_pool()
    expected = "jemalloc" if _has_jemalloc() else "system"
    assert pa.default_memory_pool().backend_name == expected


def test_the_users_arrow_pool_stands(fresh_pool, monkeypatch):
    pa.set_memory_pool(pa.system_memory_pool())
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    memory.arrow_pool()
    assert pa.default_memory_pool().backend_name == "system"


def _numpy_setting(env: dict[str, str]) -> str:
    code = (
        "import os; from cadretool.memory import before_numpy; before_numpy(); "
        "print(os.environ['NUMPY_MADVISE_HUGEPAGE'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_numpy_uses_ordinary_pages_unless_the_user_says_otherwise():
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    assert _numpy_setting(env) == "0"
    assert _numpy_setting({**env, "NUMPY_MADVISE_HUGEPAGE": "1"}) == "1"
