"""Sending each call on to a team's monitoring: a Prometheus Pushgateway, an OTLP endpoint.

Both are opt-in (LLM_PROMETHEUS_PUSHGATEWAY, OTEL_EXPORTER_OTLP_ENDPOINT) and need an extra
(`prometheus`, `otel`). `dispatch(record, storage)` is the one hook, called by telemetry.py
after a record is stored; telemetry.py only imports this package when one of them is set.

Same isolation as the local store: the caller's thread only hands the record over (no network,
no disk); a daemon thread per exporter does the work (the OTel SDK is even loaded there); at
exit the network gets a short bound (EXIT_BOUND seconds) in all, then the process ends anyway
(before that, a still-loading SDK or a push still reading the store gets up to SETUP_BOUND
seconds: local work, not waiting). Any failure is one warning
(`Warning: ...`, once per process), never an exception.

    prometheus.py   the store's cumulative metrics: exposition text, push to a Pushgateway
    otel.py         one span + GenAI metrics per call, over OTLP/HTTP
    _base.py        what both share: the missing-extra error, the once-per-process warning
"""

from __future__ import annotations

import _thread
import atexit
import os
import sys
import threading
import time
from collections import deque
from typing import Any

from llm_core.config import get_settings
from llm_core.dayfiles import day_file_stat
from llm_core.exporters._base import ExporterMissing, warn
from llm_core.records import TELEMETRY_FILE, day_names

__all__ = ["EXIT_BOUND", "ExporterMissing", "dispatch", "warn"]

EXIT_BOUND = 0.5  # seconds an exporter may hold up the end of the process waiting for the network
REPUSHES = 2  # more pushes at most when the store changed during one (Pusher.push_now)
SETUP_BOUND = 5.0  # seconds to let the OTel SDK finish loading (local work) before that

# A new worker first sleeps this long, so the caller gets on before it starts importing.
_YIELD = 0.002
_lock = threading.Lock()
_pusher = None
_otel = None
_disabled: set[str] = set()  # exporters whose extra is missing or whose set-up failed


def dispatch(record: dict, storage: Any = None) -> None:
    """Hand one stored record to the configured exporters. Never raises, never blocks."""
    try:
        settings = get_settings()
        if settings.prometheus_pushgateway and "prometheus" not in _disabled:
            _get_pusher(settings, storage).request()
        if settings.otlp_endpoint and "otel" not in _disabled:
            _get_otel(settings).submit(dict(record))  # record_call pops the texts after us
    except Exception as e:  # an exporter must never break the call it reports
        warn("dispatch", f"metrics not exported: {type(e).__name__}: {e}")


def _get_pusher(settings, storage):
    global _pusher
    with _lock:
        if _pusher is None or _pusher.gateway != settings.prometheus_pushgateway:
            _pusher = Pusher(settings.prometheus_pushgateway, storage)
            _register_exit()
        elif storage is not None:
            _pusher.storage = storage
        return _pusher


def _get_otel(settings):
    global _otel
    with _lock:
        if _otel is None or _otel.endpoint != settings.otlp_endpoint:
            _otel = OtelQueue(settings.otlp_endpoint, settings.store_prompts,
                              settings.store_responses)
            _register_exit()
        return _otel


class OtelQueue:
    """Hands records to the OTLP exporter from a daemon thread (which also pays for importing
    and setting up the OpenTelemetry SDK, so the first call is not slowed by it)."""

    MAX = 10_000  # records waiting; past this they are dropped with one warning

    def __init__(self, endpoint: str, prompts: bool, responses: bool) -> None:
        self.endpoint = endpoint
        self._options = {"include_prompts": prompts, "include_responses": responses}
        self._queue: deque = deque()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._ready = threading.Event()  # the SDK is loaded (or failed to)
        self._thread: int | None = None
        self._exporter = None
        self._pid = os.getpid()

    def submit(self, record: dict) -> None:
        if self._pid != os.getpid():
            self.__init__(self.endpoint, **{k[8:]: v for k, v in self._options.items()})
        if len(self._queue) >= self.MAX:
            warn("otel-full", f"calls not exported: more than {self.MAX} waiting for {self.endpoint}")
            return
        self._idle.clear()
        self._queue.append(record)
        self._wake.set()
        if self._thread is None:
            self._thread = _start(self._run)

    def _run(self) -> None:
        time.sleep(_YIELD)
        try:
            from llm_core.exporters.otel import CallExporter  # the otel extra: only when set

            self._exporter = CallExporter(self.endpoint, **self._options)
        except Exception as e:
            _disabled.add("otel")
            self._queue.clear()
            self._idle.set()
            warn("otel-setup", f"calls not exported over OTLP: {e}")
            return
        finally:
            self._ready.set()
        while True:
            self._wake.wait()
            self._wake.clear()
            while self._queue:
                try:
                    self._exporter.submit(self._queue.popleft())
                except Exception as e:
                    warn("otel-submit", f"a call not exported over OTLP: {type(e).__name__}: {e}")
            if not self._queue:
                self._idle.set()

    def close(self, timeout: float) -> bool:
        """Let the SDK finish loading (SETUP_BOUND), then within `timeout` seconds hand over
        what is queued and send it. True if all went."""
        if self._pid != os.getpid():
            return False
        if not self._ready.is_set():
            _import_while_exiting("concurrent.futures.thread")
        if not self._ready.wait(SETUP_BOUND):
            warn("otel-setup", "calls not exported: the OpenTelemetry SDK did not load in time")
            return False
        deadline = time.monotonic() + timeout
        if not self._idle.wait(timeout):
            return False
        exporter = self._exporter
        if exporter is None:
            return True
        done = threading.Event()

        def flush() -> None:
            if exporter.flush(max(0.05, deadline - time.monotonic())):
                done.set()

        # In its own daemon thread: a hung endpoint must not hold the exit past the bound.
        worker = threading.Thread(target=flush, name="llm-core-otlp-flush", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if not done.is_set():
            warn("otel-export", f"calls not exported: {self.endpoint} did not take them in time")
        return done.is_set()


class Pusher:
    """Pushes the store's cumulative metrics to a Pushgateway from a daemon thread.

    Requests made while a push runs fold into one more push after it, so pushes never queue
    up, and the last push always reads the store after the last call.
    """

    def __init__(self, gateway: str, storage: Any = None) -> None:
        self.gateway = gateway
        self.storage = storage
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._prepared = threading.Event()  # the push at hand is past its local work
        self._prepared.set()
        self._thread: int | None = None
        self._pid = os.getpid()

    def request(self) -> None:
        """Ask for a push soon. Cheap: sets two flags, starts the thread the first time."""
        if self._pid != os.getpid():  # a forked child: the parent's thread is not ours
            self.__init__(self.gateway, self.storage)
        self._idle.clear()
        self._prepared.clear()
        self._wanted.set()
        if self._thread is None:
            self._thread = _start(self._run)

    def _run(self) -> None:
        time.sleep(_YIELD)
        while True:
            self._wanted.wait()
            self._wanted.clear()
            self.push_now()
            if not self._wanted.is_set():
                self._idle.set()

    def push_now(self) -> bool:
        """Flush the store and push its metrics; False (and one warning) on failure.

        Processes sharing a store push the same group, and the Pushgateway keeps the push that
        lands last, which may have read the store before another process's last call. So after
        a push the store is looked at again, and pushed again (up to REPUSHES times) when it
        changed meanwhile: the push that lands last is then never older than the store it
        followed. (A lock across processes would hold every exit up behind a silent gateway.)"""
        try:
            from llm_core.exporters.prometheus import push  # the prometheus extra: only when set

            storage = self.storage
            if storage is not None:
                storage.flush()  # records still queued in its writer thread count too
                store = storage.base_dir
            else:
                store = get_settings().telemetry_dir
            before = store_fingerprint(store)
            for _ in range(1 + REPUSHES):
                push(store, self.gateway, on_send=self._prepared.set)
                after = store_fingerprint(store)
                if after == before:
                    break
                before = after
            return True
        except ExporterMissing as e:
            _disabled.add("prometheus")
            warn("prometheus-missing", f"metrics not pushed: {e}")
        except Exception as e:
            warn("prometheus-push", f"metrics not pushed to {self.gateway}: {_reason(e)}")
        finally:
            self._prepared.set()
        return False

    def prepare(self, timeout: float) -> None:
        """Wait up to `timeout` seconds for the local work of the push at hand (loading the
        client library, reading the store) to end: on a busy machine it alone can take longer
        than the network's bound."""
        self._prepared.wait(timeout)

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the requested pushes; True when done."""
        return self._idle.wait(timeout)


def store_fingerprint(store: Any) -> tuple:
    """What a new record changes: each day file's size and modification time."""
    found = []
    for day in day_names(store):
        try:
            st = day_file_stat(os.path.join(store, day, TELEMETRY_FILE))
        except OSError:
            continue
        found.append((day, st.st_size, st.st_mtime_ns))
    return tuple(found)


def _start(target) -> int:
    """Run `target` in a new daemon thread. _thread's start does not wait for the thread to be
    scheduled, as threading.Thread.start does (milliseconds on a busy machine)."""
    return _thread.start_new_thread(target, ())


def _import_while_exiting(name: str) -> None:
    """Import `name` for a thread still loading the OTel SDK after the main thread ended.

    concurrent.futures, which the SDK imports, registers with threading at import time, and
    threading refuses that once the main thread has ended; our exit hook runs at that moment,
    so it lifts the refusal for this one import.
    """
    if name in sys.modules:
        return
    shutting_down = getattr(threading, "_SHUTTING_DOWN", None)
    try:
        if shutting_down:
            threading._SHUTTING_DOWN = False
        __import__(name)
    except Exception:
        pass
    finally:
        if shutting_down:
            threading._SHUTTING_DOWN = True


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None)  # urllib's URLError wraps the socket error
    return f"{type(error).__name__}: {reason if reason is not None else error}"


_registered = False


def _register_exit() -> None:
    global _registered
    if not _registered:
        _registered = True
        try:
            # Runs when the main thread ends, before atexit's handlers: the exporters' threads
            # may still be importing modules that register atexit handlers of their own.
            from threading import _register_atexit as register
        except ImportError:
            register = atexit.register
        register(flush_at_exit)


def flush_at_exit(bound: float = EXIT_BOUND) -> None:
    """Give the exporters at most `bound` seconds in all to send what they hold (after their
    local work: at most SETUP_BOUND seconds more)."""
    deadline = time.monotonic() + bound
    pusher, otel = _pusher, _otel
    if pusher is not None and pusher._pid == os.getpid():
        if pusher.storage is not None:
            pusher.storage.flush()  # our atexit hook runs before the store's own
        pusher.prepare(SETUP_BOUND)
        deadline = time.monotonic() + bound
        if not pusher.wait(max(0.0, deadline - time.monotonic())):
            # The same key as a failed push: one warning either way.
            warn("prometheus-push", f"metrics not pushed to {pusher.gateway}: no answer before exit")
    if otel is not None:
        otel.close(max(0.0, deadline - time.monotonic()) if pusher is not None else bound)
