"""The store's file lock: an exclusive flock, taken the way portalocker takes it.

    lock = locker()
    lock.lock(fd, lock.LOCK_EX)        # or LOCK_EX | LOCK_NB, raising lock.LockException
    try: ...
    finally: lock.unlock(fd)

Writers append under it and pruning unlinks under it, so neither sees half of the other.
"""

from __future__ import annotations

__all__ = ["locker"]

_lock_api = None


class _Flock:
    """portalocker's POSIX locking (`fcntl.flock`, its default LOCKER) without its import.

    `import portalocker` costs 20-40 ms (it pulls in its redis support), which every one-shot
    command would pay at exit; `fcntl` costs 0.1 ms. It is the same flock lock, so processes
    locking through portalocker and through this exclude each other.
    """

    def __init__(self) -> None:
        import fcntl  # absent on Windows: locker() then falls back to portalocker

        self._flock = fcntl.flock
        self.LOCK_EX, self.LOCK_NB, self._LOCK_UN = fcntl.LOCK_EX, fcntl.LOCK_NB, fcntl.LOCK_UN
        self.LockException = BlockingIOError

    def lock(self, fd: int, flags: int) -> None:
        while True:
            try:
                return self._flock(fd, flags)
            except InterruptedError:  # a signal; PEP 475 retries flock, older kernels may not
                continue

    def unlock(self, fd: int) -> None:
        self._flock(fd, self._LOCK_UN)


def locker():
    """The lock API: flock on POSIX, portalocker elsewhere (imported on the first lock only)."""
    global _lock_api
    if _lock_api is None:
        try:
            _lock_api = _Flock()
        except ImportError:  # no fcntl: Windows
            import portalocker  # 20-40 ms: only where there is no fcntl, on the first lock

            _lock_api = portalocker
    return _lock_api
