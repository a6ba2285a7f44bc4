"""Summary builds shared among worker processes: run_jobs(fn, jobs, workers).

The first report on a store builds a summary of every day and a roll-up of every closed month:
CPU-bound Python, so with several cores the jobs are shared between this process and a pool of
forked worker processes (one fewer than the cores), each writing its own summary files: the
workers take the biggest jobs first, this process the smallest, until they meet. The pool is
imported and started only then: a report that finds its summaries current never pays for it.

It runs the jobs in this process instead when there is one core or one job, when this process
runs other threads (a fork copies any lock another thread holds), when it is a daemonic process
(which may have no children) or when fork is unavailable (spawn would start a fresh
interpreter per worker and import everything again). A worker that dies (killed, out of
memory) breaks the pool: its job and those not yet done run here, one after another. A job
run twice writes the same bytes (summary files are written whole, atomically).
A leaf module: nothing of llm-core's but the error it raises.
"""

from __future__ import annotations

import os
import threading

from llm_core.errors import StorageError

__all__ = ["run_jobs", "workers_for"]


def run_jobs(fn, jobs: list, workers: int | None = None) -> list:
    """[fn(job) for job in jobs], in worker processes when that pays; StorageError when a file
    cannot be read (an OSError in a job)."""
    try:
        return _run(fn, jobs, workers_for(len(jobs), workers))
    except OSError as e:
        raise StorageError(f"cannot read the telemetry store: {e.strerror or e}: {e.filename}") from e


def workers_for(njobs: int, workers: int | None = None) -> int:
    """How many worker processes `njobs` jobs get (0: run them in this process)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    workers = min(workers, njobs)
    if workers < 2 or threading.active_count() > 1:
        return 0
    # Imported here: ~25 ms that reports finding their summaries current need not pay.
    import multiprocessing

    if multiprocessing.current_process().daemon or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return workers


def _run(fn, jobs: list, workers: int) -> list:
    if not workers:
        return [fn(job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    out: dict[int, object] = {}
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(fn, job) for job in jobs]
        # This process is one of the workers (one process fewer holding a copy of everything):
        # it takes the jobs from the end (the smallest) until it meets one a worker started.
        for k in range(len(jobs) - 1, -1, -1):
            if not futures[k].cancel():
                break
            out[k] = fn(jobs[k])
        for k, future in enumerate(futures):
            if k not in out:
                try:
                    out[k] = future.result()
                except BrokenProcessPool:  # a worker died: this job and the rest run here
                    out[k] = fn(jobs[k])
    return [out[k] for k in range(len(jobs))]
