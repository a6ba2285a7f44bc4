"""Summary builds shared among worker processes: run_jobs(fn, jobs, workers).

The first report on a store builds a summary of every day and a roll-up of every closed month:
CPU-bound Python, so with several cores the jobs are shared between this process and a pool of
forked worker processes (one fewer than the cores), each writing its own summary files: the
workers take the biggest jobs first, this process the smallest, until they meet. Each process
claims its next job when it is free, from one pair of counters in shared memory (jobs
submitted to the pool ahead would be stuck in its queue while this process sat idle: with a
year of month jobs, one worker ended two jobs after this process). The pool is imported and
started only then: a report that finds its summaries current never pays for it.

It runs the jobs in this process instead when there is one core or one job, when this process
runs other threads (a fork copies any lock another thread holds), when it is a daemonic process
(which may have no children) or when fork is unavailable (spawn would start a fresh
interpreter per worker and import everything again). A worker that dies (killed, out of
memory) breaks the pool: every job whose result did not come back runs here, one after
another. A job run twice writes the same bytes (summary files are written whole, atomically).
A leaf module: nothing of llm-core's but the error it raises.
"""

from __future__ import annotations

import contextlib
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

    ctx = multiprocessing.get_context("fork")
    # [the next job from the front, one past the last job left]: worker k starts with job k.
    ends = ctx.Array("q", [workers - 1, len(jobs)])
    out: dict[int, object] = {}
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=ctx, initializer=_share, initargs=(ends,)) as pool:
        futures = [pool.submit(_from_the_front, fn, jobs, k) for k in range(workers - 1)]
        while (k := _claim(ends, front=False)) is not None:  # the smallest first
            out[k] = fn(jobs[k])
        for future in futures:
            with contextlib.suppress(BrokenProcessPool):  # a worker died: the jobs it took run here
                out.update(future.result())
    for k in range(len(jobs)):
        if k not in out:
            out[k] = fn(jobs[k])
    return [out[k] for k in range(len(jobs))]


_ends = None  # a worker's copy of _run's counters (inherited through the fork)


def _share(ends) -> None:
    global _ends
    _ends = ends


def _from_the_front(fn, jobs: list, first: int) -> dict[int, object]:
    """A worker's part: job `first`, then the biggest left, until none is left."""
    done = {first: fn(jobs[first])}
    while (k := _claim(_ends, front=True)) is not None:
        done[k] = fn(jobs[k])
    return done


def _claim(ends, front: bool) -> int | None:
    """The next job from the front (or the back) of those left; None when none is."""
    with ends.get_lock():
        lo, hi = ends[0], ends[1]
        if lo >= hi:
            return None
        if front:
            ends[0] = lo + 1
            return lo
        ends[1] = hi - 1
        return hi - 1
