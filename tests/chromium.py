"""Headless Chromium driven over the DevTools protocol on a pipe (no port, no websocket library).

Chromium started with --remote-debugging-pipe reads protocol messages from fd 3 and writes
them to fd 4, each a JSON object ended by a NUL byte (as Puppeteer's pipe transport does).

    with Chromium() as browser:
        page = browser.open(Path("report.html"), scheme="dark")
        page.evaluate("document.title"); png = page.screenshot()
        page.requests, page.problems   # URLs the page asked for; console errors, exceptions, log errors

Also a command, to take the README's screenshot:

    python tests/chromium.py report.html docs/report.png [--scheme light|dark] [--width 1280] [--colours 128]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-pipe")
NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    return next((path for path in map(shutil.which, NAMES) if path), None)


class ProtocolError(RuntimeError):
    pass


class Chromium:
    """One headless browser with a fresh profile; stopped (and its profile removed) on exit."""

    def __init__(self, binary: str | None = None, timeout: float = 60.0) -> None:
        self.binary = binary or find_chromium()
        if not self.binary:
            raise FileNotFoundError("no chromium on PATH")
        self.timeout = timeout
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._events: queue.Queue = queue.Queue()
        self._lock = threading.Lock()

    def __enter__(self) -> Chromium:
        self.profile = tempfile.mkdtemp(prefix="llm-chromium-")
        to_browser_r, to_browser_w = (_high(fd) for fd in os.pipe())
        from_browser_r, from_browser_w = (_high(fd) for fd in os.pipe())

        def wire_fds() -> None:  # in the child, before exec: the pipe ends become fds 3 and 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=wire_fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._out = os.fdopen(to_browser_w, "wb", buffering=0)
        self._in = os.fdopen(from_browser_r, "rb", buffering=0)
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(self.proc.stderr), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(ProtocolError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    # -------------------------------------------------------------- protocol

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = self._in.read(1 << 16)
            if not chunk:
                self._events.put(None)
                return
            buf += chunk
            *messages, buf = buf.split(b"\0")
            for raw in messages:
                msg = json.loads(raw)
                if "id" in msg:
                    with self._lock:
                        box = self._replies.get(msg["id"])
                    if box is not None:
                        box.put(msg)
                else:
                    self._events.put(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            box = self._replies[ident] = queue.Queue()
        msg = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        try:
            reply = box.get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise ProtocolError(f"{method}: no answer; chromium said: {self.stderr()[-2000:]}") from None
        if "error" in reply:
            raise ProtocolError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str, seen: list) -> dict:
        """Collect events into `seen` until `method` arrives for `session`."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                msg = self._events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if msg is None:
                raise ProtocolError(f"chromium exited; it said: {self.stderr()[-2000:]}")
            seen.append(msg)
            if msg.get("method") == method and msg.get("sessionId") == session:
                return msg
        raise ProtocolError(f"no {method} within {self.timeout} s")

    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def open(self, path: Path, scheme: str = "light", width: int = 1280, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        self.send("Emulation.setEmulatedMedia",
                  {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session)
        page.url = Path(path).resolve().as_uri()
        self.send("Page.navigate", {"url": page.url}, session)
        self.wait_event("Page.loadEventFired", session, page.events)
        page.evaluate("1")  # let events sent before the load settle on our side
        return page


class Page:
    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser, self.session = browser, session
        self.url = ""
        self.events: list[dict] = []

    def evaluate(self, expression: str):
        got = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                self.session)
        if "exceptionDetails" in got:
            raise ProtocolError(f"page script failed: {got['exceptionDetails']}")
        self._drain()
        return got["result"].get("value")

    def screenshot(self) -> bytes:
        """A PNG of the whole page (not only the viewport)."""
        size = self.browser.send("Page.getLayoutMetrics", session=self.session)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        got = self.browser.send("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                           "captureBeyondViewport": True}, self.session)
        return base64.b64decode(got["data"])

    def _drain(self) -> None:
        while True:
            try:
                msg = self.browser._events.get_nowait()
            except queue.Empty:
                return
            if msg is not None:
                self.events.append(msg)

    def _mine(self, method: str) -> list[dict]:
        self._drain()
        return [e["params"] for e in self.events if e.get("method") == method and e.get("sessionId") == self.session]

    @property
    def requests(self) -> list[str]:
        """Every URL the page requested, its own included."""
        return [p["request"]["url"] for p in self._mine("Network.requestWillBeSent")]

    @property
    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, errors the browser logged."""
        out = [f"console.{p['type']}: {p.get('args')}" for p in self._mine("Runtime.consoleAPICalled")
               if p["type"] in ("error", "warning", "assert")]
        out += [f"exception: {p['exceptionDetails']}" for p in self._mine("Runtime.exceptionThrown")]
        out += [f"log {p['entry']['level']}: {p['entry']['text']}" for p in self._mine("Log.entryAdded")
                if p["entry"]["level"] in ("error", "warning")]
        out += [f"failed: {p.get('errorText')}" for p in self._mine("Network.loadingFailed")]
        return out


def _high(fd: int) -> int:
    """The same pipe end on a descriptor above 10, so moving it to 3 or 4 clobbers nothing."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshot an HTML file in headless Chromium.")
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--colours", type=int, metavar="N",
                        help="reduce to N colours with Pillow (a third of the bytes for a page of charts)")
    args = parser.parse_args(argv)
    with Chromium() as browser:
        page = browser.open(args.html, scheme=args.scheme, width=args.width)
        png = page.screenshot()
        for problem in page.problems:
            print(problem, file=sys.stderr)
    if args.colours:  # Pillow only for --colours: the browser tests need nothing but chromium here
        import io

        from PIL import Image

        image = Image.open(io.BytesIO(png)).convert("RGB")
        image.quantize(colors=args.colours, method=Image.Quantize.MEDIANCUT,
                       dither=Image.Dither.NONE).save(args.png, optimize=True)
    else:
        args.png.write_bytes(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
