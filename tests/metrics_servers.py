"""Real monitoring servers on loopback for the exporter tests.

    with Pushgateway() as pg, Prometheus(scrape=pg.address) as prom:
        prom.query("sum(llm_calls_total)")           # the PromQL answer, a float (or None)

    with NodeExporter(folder) as ne:                 # its textfile collector reading folder
        ne.metrics_text()

    with OtlpReceiver() as rx:                       # a small OTLP/HTTP server (http.server)
        rx.endpoint, rx.spans(), rx.metric_points("gen_ai.client.token.usage")

Pushgateway, Prometheus and node_exporter are Debian's `prometheus-pushgateway`, `prometheus`
and `prometheus-node-exporter` (installed by .ci/run), each on a free port with its own temp data directory, stopped on exit.
`need(binary)` skips a test with a clear reason when one is absent -- except under CI=true,
where a missing server fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def need(binary: str) -> str:
    path = shutil.which(binary)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{binary} is not installed, and under CI it must be (.ci/run installs it)")
    pytest.skip(f"{binary} is not installed (Debian package {binary}; .ci/run installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_url() -> str:
    """A loopback URL where nothing listens (connections are refused at once)."""
    return f"http://127.0.0.1:{free_port()}"


def _get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


class _Server:
    binary = ""

    def __init__(self) -> None:
        self._pick_port()
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{self.binary}-"))
        self.proc: subprocess.Popen | None = None

    def _pick_port(self) -> None:
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"

    def args(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        try:
            _get(self.url + "/-/ready", timeout=0.5)
            return True
        except OSError:
            return False

    def __enter__(self):
        binary = need(self.binary)
        for attempt in range(3):
            if attempt:  # the free port was taken before the server bound it (parallel tests)
                self._pick_port()
            log = open(self.tmp / "log", "wb")
            self.proc = subprocess.Popen([binary, *self.args()], stdout=log,
                                         stderr=subprocess.STDOUT, cwd=self.tmp)
            log.close()
            deadline = time.monotonic() + 30
            while not self.ready():
                if self.proc.poll() is not None and "address already in use" in self.log():
                    break
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"{self.binary} did not start: {self.log()[-2000:]}")
                time.sleep(0.05)
            else:
                return self
        self.__exit__()
        raise RuntimeError(f"{self.binary} found no free port: {self.log()[-2000:]}")

    def log(self) -> str:
        try:
            return (self.tmp / "log").read_text(errors="replace")
        except OSError:
            return ""

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Pushgateway(_Server):
    binary = "prometheus-pushgateway"

    def args(self) -> list[str]:
        return [f"--web.listen-address={self.address}",
                f"--persistence.file={self.tmp / 'persistence'}"]

    def metrics_text(self) -> str:
        return _get(self.url + "/metrics").decode()


class Prometheus(_Server):
    binary = "prometheus"

    def __init__(self, scrape: str) -> None:
        super().__init__()
        self.scrape = scrape

    def args(self) -> list[str]:
        config = self.tmp / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 200ms\n  scrape_timeout: 200ms\n  evaluation_interval: 200ms\n"
            "scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n"
            f"    scrape_interval: 200ms\n    static_configs:\n      - targets: ['{self.scrape}']\n"
        )
        return [f"--config.file={config}", f"--storage.tsdb.path={self.tmp / 'data'}",
                f"--web.listen-address={self.address}"]

    def query(self, promql: str) -> float | None:
        data = json.loads(_get(f"{self.url}/api/v1/query?query={urllib.parse.quote(promql)}"))
        assert data["status"] == "success", data
        result = data["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    def scraped_since(self, t: float) -> bool:
        """Whether the Pushgateway target was scraped successfully after time `t`."""
        data = json.loads(_get(f"{self.url}/api/v1/targets"))
        for target in data["data"]["activeTargets"]:
            last = target.get("lastScrape", "")
            if target.get("health") == "up" and last:
                from datetime import datetime

                when = datetime.fromisoformat(last[:26].rstrip("Z") + "+00:00" if "." in last else last)
                if when.timestamp() > t:
                    return True
        return False

    def wait_for_scrape(self, timeout: float = 20.0) -> None:
        t = time.time()
        deadline = time.monotonic() + timeout
        while not self.scraped_since(t + 0.05):
            assert time.monotonic() < deadline, f"no scrape of the Pushgateway: {self.log()[-2000:]}"
            time.sleep(0.2)


class NodeExporter(_Server):
    """Debian's prometheus-node-exporter with only its textfile collector, reading `folder`."""

    binary = "prometheus-node-exporter"

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def args(self) -> list[str]:
        return [f"--web.listen-address={self.address}", "--collector.disable-defaults",
                "--collector.textfile", f"--collector.textfile.directory={self.folder}"]

    def ready(self) -> bool:
        try:
            _get(self.url + "/metrics", timeout=0.5)
            return True
        except OSError:
            return False

    def metrics_text(self) -> str:
        return _get(self.url + "/metrics").decode()


# ---------------------------------------------------------------- OTLP/HTTP receiver

class OtlpReceiver:
    """An OTLP/HTTP endpoint on loopback that decodes and keeps what it is sent (protobuf)."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[str, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding") == "gzip":
                    import gzip

                    body = gzip.decompress(body)
                receiver.requests.append((self.path, body))
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> OtlpReceiver:
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def spans(self) -> list:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
        )

        out = []
        for path, body in self.requests:
            if path == "/v1/traces":
                req = ExportTraceServiceRequest.FromString(body)
                for rs in req.resource_spans:
                    for ss in rs.scope_spans:
                        out.extend(ss.spans)
        return out

    def metrics(self) -> list:
        """Every metric of every request (the last request holds the cumulative values)."""
        from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
            ExportMetricsServiceRequest,
        )

        out = []
        for path, body in self.requests:
            if path == "/v1/metrics":
                req = ExportMetricsServiceRequest.FromString(body)
                for rm in req.resource_metrics:
                    for sm in rm.scope_metrics:
                        out.extend(sm.metrics)
        return out


def attributes(proto_attrs) -> dict:
    """OTLP KeyValue list -> a plain dict."""
    out = {}
    for kv in proto_attrs:
        v = kv.value
        kind = v.WhichOneof("value")
        if kind == "array_value":
            out[kv.key] = [getattr(x, x.WhichOneof("value")) for x in v.array_value.values]
        else:
            out[kv.key] = getattr(v, kind)
    return out
