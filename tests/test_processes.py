"""One owner of worker processes: the build's workers and their PDFs' never exceed `-j`, and the
PDF engine starts none of its own."""

from __future__ import annotations

import ast

import pytest

from reportgen.processes import LazyPool, layout_share, worker_pool
from tests.support import REPO


@pytest.mark.parametrize("workers", range(1, 17))
def test_reports_and_their_layouts_together_stay_within_the_workers(workers):
    for reports in range(1, 21):
        share = layout_share(workers, reports)
        assert share >= 1
        assert min(workers, reports) * share <= workers or share == 1


def test_a_pool_starts_no_process_until_it_is_given_work():
    with worker_pool(4) as pool:
        assert isinstance(pool, LazyPool) and pool._pool is None
    with worker_pool(1) as pool:
        assert pool is None


def imports(package: str) -> set[str]:
    found = set()
    for path in (REPO / "reportgen" / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_the_pdf_engine_makes_no_process_and_writes_no_file_itself():
    used = imports("pdf")
    assert not {m for m in used if m.startswith(("reportgen.make", "reportgen.write", "reportgen.layout",
                                                 "reportgen.processes", "multiprocessing"))}
    assert "concurrent.futures" in used  # it takes an Executor
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "reportgen" / "pdf").rglob("*.py"))
    writes = ("write_bytes", "write_text", "mkdir", "unlink", "rename", '"w"', '"wb"', '"a"', "os.replace")
    assert "ProcessPoolExecutor" not in source and not [w for w in writes if w in source]


def test_a_released_pool_lets_its_processes_go_and_starts_them_again_for_more_work():
    with worker_pool(2) as pool:
        assert pool.submit(abs, -1).result() == 1
        started = pool._pool
        pool.release()
        with pytest.raises(RuntimeError):  # its processes were let go
            started.submit(abs, -1)
        assert pool.submit(abs, -2).result() == 2 and pool._pool is not started
