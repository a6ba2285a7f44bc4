"""A fake Anthropic / OpenAI / OpenRouter server on 127.0.0.1 for tests and cram transcripts.

It speaks the real wire formats (JSON and server-sent events), validates what the real APIs
validate (API key, anthropic-version, required fields, max_tokens vs max_completion_tokens) and
answers with the real error bodies. Scripted scenarios: ok, 429-then-ok, 401, garbage, slow,
slow-stream, drip (every word after the first waits the delay), 500-always, overloaded,
mid-stream-error, stream-error-then-ok, cut-off, refusal, tool-call, 429-wait-30, 429-wait-150,
and hostile ones, each bounded: trickle (the answer one byte every 0.3 s), ping-forever
(`: ping` every 0.1 s, or a JSON body's leading blanks, for at most 120 s), deep (JSON nested
100,000 deep), huge-error (a 500 whose body is `huge_mb` MB, default 300, generated as it is
sent), huge (the same as a 200 answer). A script is a list of steps, one per request; the last
step repeats. `replay` answers with recorded bytes, verbatim.

    python tests/fake_provider.py [--scenario 429-then-ok] [--delay 2] [--request-log FILE]
    # prints its port; --request-log appends "METHOD path provider" per request it received;
    # it stops when the process that started it (a cram transcript's shell) is gone

    with FakeProvider(scenario="stream") as fake:
        fake.url("anthropic"), fake.requests[-1]["body"]

    fake.replay([b"data: {...", b"}\n\n"])   # each piece its own HTTP chunk, so its own read
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

KEYS = {
    "anthropic": "sk-ant-test-0123456789abcdef",
    "openai": "sk-test-0123456789abcdef",
    "openrouter": "sk-or-v1-test-0123456789abcdef",
}
SCENARIOS = {
    "ok": ["ok"],
    "stream": ["ok"],
    "429-then-ok": ["429", "ok"],
    "401": ["401"],
    "garbage": ["garbage"],
    "slow": ["slow"],
    "slow-stream": ["slow-stream"],
    "drip": ["drip"],
    "500-always": ["500"],
    "overloaded": ["overloaded"],
    "overloaded-then-ok": ["overloaded", "ok"],
    "mid-stream-error": ["mid-stream-error"],
    "stream-error-then-ok": ["stream-error", "ok"],
    "cut-off": ["cut-off"],
    "trickle": ["trickle"],
    "ping-forever": ["ping-forever"],
    "deep": ["deep"],
    "huge-error": ["huge-error"],
    "huge": ["huge"],
    "refusal": ["refusal"],
    "tool-call": ["tool-call"],
    "schema-mismatch": ["schema-mismatch"],
    "429-wait-30": [("error", 429, {"retry-after": "30"})],
    "429-wait-150": [("error", 429, {"retry-after": "150"})],
}
_KNOWN_MODEL = {
    "anthropic": re.compile(r"^claude-(?:(?:haiku|sonnet|opus)-\d|3-)"),
    "openai": re.compile(r"^(?:gpt-\d|o\d|chatgpt-)"),
    "openrouter": re.compile(r"^[a-z0-9][\w.-]*/[\w.:-]+$"),
}
_REASONING = re.compile(r"^(?:openai/)?(?:o\d|gpt-(?:[5-9]|\d\d)(?!.*-chat))")


def count_tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4) if text else 0


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


class FakeProvider:
    """The server; a context manager that runs it on a background thread."""

    def __init__(self, scenario: str = "ok", delay: float = 2.0, host: str = "127.0.0.1",
                 request_log: str | None = None) -> None:
        self.delay = delay
        self.request_log = request_log
        self.requests: list[dict[str, Any]] = []
        self.cached_prefixes: set[str] = set()
        self._lock = threading.Lock()
        self.replay_pieces: list[bytes] = []
        self.replay_headers: dict[str, str] = {}
        self.trickle_interval = 0.3
        self.huge_mb = 300
        self.set_scenario(scenario)
        handler = type("Handler", (_Handler,), {"fake": self})
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    def set_scenario(self, scenario: str | list[str]) -> None:
        steps = SCENARIOS[scenario] if isinstance(scenario, str) else list(scenario)
        with self._lock:
            self.script = list(steps)

    def replay(self, body: bytes | list[bytes], content_type: str = "text/event-stream", status: int = 200) -> None:
        """Answer every request (once it passes validation) with `body`, byte for byte.

        A list is sent piece by piece, each as its own HTTP/1.1 chunk: the client's reads see
        those boundaries (or finer ones), whatever the bytes are, so a test controls where a
        line ending or a character is split."""
        pieces = [body] if isinstance(body, bytes) else list(body)
        with self._lock:
            self.replay_pieces = [p for p in pieces if p]  # an empty chunk would end the body
            self.replay_headers = {"content-type": content_type, ":status": str(status)}
            self.script = ["replay"]

    def script_steps(self, *steps: str | tuple[Any, ...]) -> None:
        """Answer request n with step n (the last one repeats). A step is a scenario step's
        name or a tuple: ("error", status, headers) answers that status with those headers."""
        with self._lock:
            self.script = list(steps)

    def next_step(self) -> str | tuple[Any, ...]:
        with self._lock:
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def url(self, provider: str) -> str:
        base = f"http://127.0.0.1:{self.port}"
        return {"anthropic": base, "openai": f"{base}/v1", "openrouter": f"{base}/api/v1"}[provider]

    def __enter__(self) -> FakeProvider:
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    fake: FakeProvider
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # ------------------------------------------------------------ plumbing

    def do_POST(self) -> None:
        path = self.path.split("?")[0]
        provider = {
            "/v1/messages": "anthropic",
            "/v1/chat/completions": "openai",
            "/api/v1/chat/completions": "openrouter",
        }.get(path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.fake.request_log:
            with open(self.fake.request_log, "a") as log:
                log.write(f"POST {path} {provider or '-'}\n")
        if provider is None:
            self._json(404, {"error": {"message": f"no route for {path}", "type": "not_found"}})
            return
        self.provider = provider
        self.served: dict[str, Any] = {}  # what the request asked for and the answer reports
        self.request_id = ("req_" if provider == "anthropic" else "") + uuid.uuid4().hex[:24]
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        self.fake.requests.append(
            {"provider": provider, "path": path, "headers": dict(self.headers), "body": body}
        )
        if isinstance(body, dict):
            # Echoed as the real APIs report them: usage.inference_geo, a top-level service_tier.
            if provider == "anthropic" and body.get("inference_geo"):
                self.served["inference_geo"] = body["inference_geo"]
            if provider != "anthropic" and body.get("service_tier"):
                self.served["service_tier"] = {"auto": "default"}.get(body["service_tier"], body["service_tier"])
        problem = self._validate(body)
        if problem:
            self._error(*problem)
            return
        step = self.fake.next_step()
        name, args = (step[0], step[1:]) if isinstance(step, tuple) else (step, ())
        stream = bool(body.get("stream"))
        try:
            getattr(self, "_step_" + name.replace("-", "_"))(body, stream, *args)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (a timeout, a closed stream)

    def _send(self, status: int, content_type: str, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id" if self.provider == "anthropic" else "x-request-id", self.request_id)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, "application/json", json.dumps(obj).encode(), headers)

    def _error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None, code: Any = None) -> None:
        if self.provider == "anthropic":
            body = {"type": "error", "error": {"type": kind, "message": message}, "request_id": self.request_id}
        elif self.provider == "openrouter":
            body = {"error": {"message": message, "code": status}}
        else:
            body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
        self._json(status, body, headers)

    def _validate(self, body: Any) -> tuple[Any, ...] | None:
        p = self.provider
        if p == "anthropic":
            key = self.headers.get("x-api-key")
            if not key:
                return 401, "authentication_error", "x-api-key header is required"
            if key != KEYS[p]:
                return 401, "authentication_error", "invalid x-api-key"
            if not self.headers.get("anthropic-version"):
                return 400, "invalid_request_error", "anthropic-version: header is required"
        else:
            auth = self.headers.get("authorization") or ""
            if not auth.startswith("Bearer "):
                if p == "openrouter":
                    return 401, "", "No auth credentials found"
                return 401, "invalid_request_error", "You didn't provide an API key."
            key = auth[len("Bearer "):]
            if key != KEYS[p]:
                if p == "openrouter":
                    return 401, "", "User not found."
                shown = f"{key[:3]}*****{key[-4:]}" if len(key) > 8 else "***"
                return 401, "invalid_request_error", f"Incorrect API key provided: {shown}.", None, "invalid_api_key"
        if not isinstance(body, dict):
            return 400, "invalid_request_error", "request body is not valid JSON"
        for name in ("model", "messages") + (("max_tokens",) if p == "anthropic" else ()):
            if name not in body:
                return 400, "invalid_request_error", f"{name}: Field required"
        messages = body["messages"]
        if not isinstance(messages, list) or not messages:
            return 400, "invalid_request_error", "messages: at least one message is required"
        roles = {"user", "assistant"} if p == "anthropic" else {"system", "developer", "user", "assistant", "tool"}
        for i, message in enumerate(messages):
            if not isinstance(message, dict) or message.get("role") not in roles:
                return 400, "invalid_request_error", f"messages.{i}.role: Input should be one of {sorted(roles)}"
        problem = _check_turns(p, messages) or _check_blocks(p, messages) or _check_structured(p, body)
        if problem:
            return 400, "invalid_request_error", problem
        if p == "anthropic" and (not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1):
            return 400, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1"
        if p == "openai" and _REASONING.match(body["model"]):
            if "max_tokens" in body:
                return (400, "invalid_request_error", "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", None, "unsupported_parameter")
            if "temperature" in body and body["temperature"] != 1:
                return (400, "invalid_request_error", "Unsupported value: 'temperature' does not support this value with this model.", None, "unsupported_value")
        if not _KNOWN_MODEL[p].match(str(body["model"])):
            model = body["model"]
            if p == "anthropic":
                return 404, "not_found_error", f"model: {model}"
            if p == "openrouter":
                return 400, "", f"{model} is not a valid model ID"
            return 404, "invalid_request_error", f"The model `{model}` does not exist or you do not have access to it.", None, "model_not_found"
        return None

    # ------------------------------------------------------------ answers

    def _answer(self, body: dict[str, Any]) -> str:
        last = body["messages"][-1]
        seen = _attached(last.get("content"))
        return "You said: " + _text(last.get("content")).strip() + (f" [saw {', '.join(seen)}]" if seen else "")

    def _usage_counts(self, body: dict[str, Any], answer: str) -> dict[str, int]:
        """input / cache_read / cache_write the way Anthropic counts a marked prefix."""
        parts: list[tuple[str, bool]] = []
        system = body.get("system")
        if isinstance(system, list):
            parts += [(b.get("text", ""), "cache_control" in b) for b in system]
        elif system:
            parts.append((str(system), False))
        for message in body["messages"]:
            content = message.get("content")
            if isinstance(content, list):
                parts += [(b.get("text", ""), "cache_control" in b) for b in content]
            else:
                parts.append((_text(content), False))
        marks = [i for i, (_, marked) in enumerate(parts) if marked]
        total = count_tokens("".join(t for t, _ in parts))
        read = write = 0
        if marks and self.provider == "anthropic":
            prefix = "".join(t for t, _ in parts[: marks[-1] + 1])
            size = count_tokens(prefix)
            if size >= 1024:
                if prefix in self.fake.cached_prefixes:
                    read = size
                else:
                    write = size
                    self.fake.cached_prefixes.add(prefix)
        return {"input": total - read - write, "read": read, "write": write, "output": count_tokens(answer)}

    def _step_ok(self, body: dict[str, Any], stream: bool) -> None:
        if _wanted_schema(body) is not None:
            self._structured(body, stream, _sample(_wanted_schema(body)[1], self._answer(body)))
            return
        answer = self._answer(body)
        counts = self._usage_counts(body, answer)
        if self.provider == "anthropic":
            (self._anthropic_stream if stream else self._anthropic_json)(body, answer, counts)
        else:
            (self._openai_stream if stream else self._openai_json)(body, answer, counts)

    def _anthropic_usage(self, counts: dict[str, int]) -> dict[str, Any]:
        return {
            "input_tokens": counts["input"], "cache_creation_input_tokens": counts["write"],
            "cache_read_input_tokens": counts["read"],
            "cache_creation": {"ephemeral_5m_input_tokens": counts["write"], "ephemeral_1h_input_tokens": 0},
            "output_tokens": counts["output"], "service_tier": "standard",
            **({"inference_geo": self.served["inference_geo"]} if "inference_geo" in self.served else {}),
        }

    def _anthropic_message(self, body: dict[str, Any], content: list[Any], counts: dict[str, int]) -> dict[str, Any]:
        return {
            "id": "msg_" + uuid.uuid4().hex[:24], "type": "message", "role": "assistant",
            "model": body["model"], "content": content, "stop_reason": "end_turn",
            "stop_sequence": None, "usage": self._anthropic_usage(counts),
        }

    def _anthropic_json(self, body: dict[str, Any], answer: str, counts: dict[str, int]) -> None:
        self._json(200, self._anthropic_message(body, [{"type": "text", "text": answer}], counts))

    def _start_sse(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("request-id" if self.provider == "anthropic" else "x-request-id", self.request_id)
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True

    def _event(self, name: str | None, data: Any) -> None:
        payload = data if isinstance(data, str) else json.dumps(data)
        head = f"event: {name}\n" if name else ""
        self.wfile.write(f"{head}data: {payload}\n\n".encode())
        self.wfile.flush()

    def _anthropic_events(self, body: dict[str, Any], answer: str, counts: dict[str, int]) -> list[tuple[str, Any]]:
        start = self._anthropic_message(body, [], counts)
        start["stop_reason"] = None
        start["usage"] = {**self._anthropic_usage(counts), "output_tokens": 1}
        events: list[tuple[str, Any]] = [("message_start", {"type": "message_start", "message": start})]
        index = 0
        if body.get("thinking"):
            events += [
                ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": "", "signature": ""}}),
                ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Let me think."}}),
                ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "c2ln"}}),
                ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            ]
            index = 1
        events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}))
        events.append(("ping", {"type": "ping"}))
        for piece in re.findall(r"\S+\s*", answer):
            events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": piece}}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        # Cumulative usage; input and cache counts may be repeated here.
        usage = {"input_tokens": counts["input"], "cache_creation_input_tokens": counts["write"],
                 "cache_read_input_tokens": counts["read"], "output_tokens": counts["output"]}
        events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": usage}))
        events.append(("message_stop", {"type": "message_stop"}))
        return events

    def _anthropic_stream(self, body: dict[str, Any], answer: str, counts: dict[str, int]) -> None:
        self._start_sse()
        for name, data in self._anthropic_events(body, answer, counts):
            self._event(name, data)

    def _openai_usage(self, counts: dict[str, int]) -> dict[str, Any]:
        prompt = counts["input"] + counts["read"] + counts["write"]
        usage: dict[str, Any] = {
            "prompt_tokens": prompt, "completion_tokens": counts["output"],
            "total_tokens": prompt + counts["output"],
            "prompt_tokens_details": {"cached_tokens": counts["read"], "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        }
        if self.provider == "openrouter":
            usage["cost"] = round(prompt * 0.4e-6 + counts["output"] * 1.6e-6, 10)
            usage["is_byok"] = False
        return usage

    def _openai_json(self, body: dict[str, Any], answer: str, counts: dict[str, int]) -> None:
        obj = {
            "id": "chatcmpl-" + uuid.uuid4().hex[:24], "object": "chat.completion",
            "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer, "refusal": None}, "logprobs": None, "finish_reason": "stop"}],
            "usage": self._openai_usage(counts), "system_fingerprint": "fp_fake", **self.served,
        }
        if self.provider == "openrouter":
            obj["provider"] = "OpenAI"
        self._json(200, obj)

    def _chunk(self, body: dict[str, Any], delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body["model"], "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            **self.served, **extra,
        }

    def _openai_chunks(self, body: dict[str, Any], answer: str, counts: dict[str, int]) -> list[Any]:
        chunks: list[Any] = [self._chunk(body, {"role": "assistant", "content": ""})]
        chunks += [self._chunk(body, {"content": piece}) for piece in re.findall(r"\S+\s*", answer)]
        chunks.append(self._chunk(body, {}, "stop"))
        wants_usage = (body.get("stream_options") or {}).get("include_usage")
        if wants_usage or self.provider == "openrouter":
            final = self._chunk(body, {})
            final["choices"] = []
            final["usage"] = self._openai_usage(counts)
            chunks.append(final)
        chunks.append("[DONE]")
        return chunks

    def _openai_stream(self, body: dict[str, Any], answer: str, counts: dict[str, int]) -> None:
        self._start_sse()
        if self.provider == "openrouter":
            self.wfile.write(b": OPENROUTER PROCESSING\n\n")
        for chunk in self._openai_chunks(body, answer, counts):
            self._event(None, chunk)

    def _step_replay(self, body: dict[str, Any], stream: bool) -> None:
        with self.fake._lock:
            pieces, headers = list(self.fake.replay_pieces), dict(self.fake.replay_headers)
        self.send_response(int(headers.pop(":status")))
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("request-id" if self.provider == "anthropic" else "x-request-id", self.request_id)
        self.send_header("transfer-encoding", "chunked")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True
        for piece in pieces:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    # ------------------------------------------------------------ hostile servers (bounded)

    def _start_chunked(self, status: int, content_type: str) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("request-id" if self.provider == "anthropic" else "x-request-id", self.request_id)
        self.send_header("transfer-encoding", "chunked")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _ok_bytes(self, body: dict[str, Any], stream: bool) -> bytes:
        """What the ok step would send as the body, as bytes."""
        answer = self._answer(body)
        counts = self._usage_counts(body, answer)
        if not stream:
            if self.provider == "anthropic":
                return json.dumps(self._anthropic_message(body, [{"type": "text", "text": answer}], counts)).encode()
            return json.dumps({"id": "chatcmpl-t", "object": "chat.completion", "created": 0, "model": body["model"],
                               "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
                               "usage": self._openai_usage(counts)}).encode()
        frames = []
        for name, data in self._stream_events(body):
            payload = data if isinstance(data, str) else json.dumps(data)
            frames.append((f"event: {name}\n" if name else "") + f"data: {payload}\n\n")
        return "".join(frames).encode()

    def _step_trickle(self, body: dict[str, Any], stream: bool) -> None:
        """A whole, valid answer, one byte every trickle_interval seconds."""
        data = self._ok_bytes(body, stream)
        self._start_chunked(200, "text/event-stream" if stream else "application/json")
        for i in range(len(data)):
            self._write_chunk(data[i : i + 1])
            time.sleep(self.fake.trickle_interval)
        self.wfile.write(b"0\r\n\r\n")

    def _step_ping_forever(self, body: dict[str, Any], stream: bool) -> None:
        """Keep-alives and nothing else, for at most 120 s: `: ping` comments, or the blanks
        some gateways send ahead of a JSON body."""
        self._start_chunked(200, "text/event-stream" if stream else "application/json")
        end = time.monotonic() + 120
        while time.monotonic() < end:
            self._write_chunk(b": ping\n\n" if stream else b" ")
            time.sleep(0.1)

    def _step_deep(self, body: dict[str, Any], stream: bool) -> None:
        deep = "[" * 100_000 + "]" * 100_000
        if not stream:
            self._send(200, "application/json", deep.encode())
            return
        self._start_sse()
        self.wfile.write(f"event: message_start\ndata: {deep}\n\n".encode())

    def _step_huge_error(self, body: dict[str, Any], stream: bool) -> None:
        self._huge(500)

    def _step_huge(self, body: dict[str, Any], stream: bool) -> None:
        self._huge(200, "text/event-stream" if stream else "application/json")

    def _huge(self, status: int, content_type: str = "application/json") -> None:
        """`huge_mb` MB made as they are sent (a JSON string that never ends, or one line)."""
        self._start_chunked(status, content_type)
        piece = b"x" * (1 << 20)
        self._write_chunk(b'data: {"a": "' if content_type == "text/event-stream" else b'{"error": "')
        for _ in range(self.fake.huge_mb):
            self._write_chunk(piece)
        self.wfile.write(b"0\r\n\r\n")

    # ------------------------------------------------------------ refusals and tool calls

    REFUSAL = "I'm sorry, but I can't help with that."
    TOOL: ClassVar[dict[str, str]] = {"id": "call_fake1", "name": "get_weather", "arguments": '{"city": "Paris"}'}

    def _step_refusal(self, body: dict[str, Any], stream: bool) -> None:
        """Anthropic: text and stop_reason "refusal"; OpenAI: content null, the `refusal` field."""
        counts = self._usage_counts(body, self.REFUSAL)
        if self.provider == "anthropic":
            self._anthropic_answer(body, self.REFUSAL, counts, stream, "refusal", [])
        elif not stream:
            self._openai_answer(body, counts, {"content": None, "refusal": self.REFUSAL}, "stop")
        else:
            pieces = [{"refusal": p} for p in re.findall(r"\S+\s*", self.REFUSAL)]
            self._openai_deltas(body, counts, [{"role": "assistant", "content": None, "refusal": ""}, *pieces], "stop")

    def _step_tool_call(self, body: dict[str, Any], stream: bool) -> None:
        """The model calls get_weather({"city": "Paris"}), after a few words (Anthropic)."""
        counts = self._usage_counts(body, self.TOOL["arguments"])
        tool = self.TOOL
        if self.provider == "anthropic":
            self._anthropic_answer(body, "Let me check.", counts, stream, "tool_use", [tool])
        elif not stream:
            call = {"id": tool["id"], "type": "function", "function": {"name": tool["name"], "arguments": tool["arguments"]}}
            self._openai_answer(body, counts, {"content": None, "refusal": None, "tool_calls": [call]}, "tool_calls")
        else:
            first = {"index": 0, "id": tool["id"], "type": "function", "function": {"name": tool["name"], "arguments": ""}}
            args = [tool["arguments"][:7], tool["arguments"][7:]]
            deltas = [{"role": "assistant", "content": None, "tool_calls": [first]}]
            deltas += [{"tool_calls": [{"index": 0, "function": {"arguments": a}}]} for a in args]
            self._openai_deltas(body, counts, deltas, "tool_calls")

    def _anthropic_answer(self, body: dict[str, Any], text: str, counts: dict[str, int], stream: bool,
                          stop: str, tools: list[dict[str, str]]) -> None:
        blocks = [{"type": "tool_use", "id": t["id"], "name": t["name"], "input": json.loads(t["arguments"])} for t in tools]
        if not stream:
            message = self._anthropic_message(body, [{"type": "text", "text": text}, *blocks], counts)
            self._json(200, {**message, "stop_reason": stop})
            return
        events = self._anthropic_events(body, text, counts)
        end = events[-2:]
        end[0][1]["delta"]["stop_reason"] = stop
        events = events[:-2]
        for i, tool in enumerate(tools, start=1):
            block = {"type": "tool_use", "id": tool["id"], "name": tool["name"], "input": {}}
            half = len(tool["arguments"]) // 2
            events.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": block}))
            for part in (tool["arguments"][:half], tool["arguments"][half:]):
                events.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": part}}))
            events.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
        self._start_sse()
        for name, data in events + end:
            self._event(name, data)

    def _openai_answer(self, body: dict[str, Any], counts: dict[str, int], message: dict[str, Any], finish: str) -> None:
        self._json(200, {
            "id": "chatcmpl-" + uuid.uuid4().hex[:24], "object": "chat.completion", "created": int(time.time()),
            "model": body["model"], "service_tier": "default",
            "choices": [{"index": 0, "message": {"role": "assistant", **message}, "logprobs": None, "finish_reason": finish}],
            "usage": self._openai_usage(counts),
        })

    def _openai_deltas(self, body: dict[str, Any], counts: dict[str, int], deltas: list[dict[str, Any]], finish: str) -> None:
        self._start_sse()
        for delta in deltas:
            self._event(None, self._chunk(body, delta, service_tier="default"))
        self._event(None, self._chunk(body, {}, finish, service_tier="default"))
        final = self._chunk(body, {}, service_tier="default")
        final["choices"], final["usage"] = [], self._openai_usage(counts)
        self._event(None, final)
        self._event(None, "[DONE]")

    def _structured(self, body: dict[str, Any], stream: bool, value: Any) -> None:
        """JSON for a requested schema: Anthropic's forced tool's input, OpenAI's content."""
        name, _ = _wanted_schema(body)
        text = json.dumps(value)
        counts = self._usage_counts(body, text)
        if self.provider != "anthropic":
            (self._openai_stream if stream else self._openai_json)(body, text, counts)
            return
        tool = {"id": "toolu_fake1", "name": name, "arguments": text}
        if stream:
            self._anthropic_answer(body, "", counts, stream, "tool_use", [tool])
            return
        block = {"type": "tool_use", "id": tool["id"], "name": name, "input": value}
        self._json(200, {**self._anthropic_message(body, [block], counts), "stop_reason": "tool_use"})

    def _step_schema_mismatch(self, body: dict[str, Any], stream: bool) -> None:
        """A well-formed structured answer whose every value is a string (the wrong types)."""
        if _wanted_schema(body) is None:
            self._step_ok(body, stream)
            return
        value = _sample(_wanted_schema(body)[1], self._answer(body))
        self._structured(body, stream, {k: str(v) for k, v in value.items()} if isinstance(value, dict) else str(value))

    # ------------------------------------------------------------ scripted failures

    def _step_429(self, body: dict[str, Any], stream: bool) -> None:
        kind = "rate_limit_error" if self.provider == "anthropic" else "requests"
        self._error(429, kind, "Number of request tokens has exceeded your per-minute rate limit",
                    {"retry-after": "1", "retry-after-ms": "10"}, "rate_limit_exceeded")

    def _step_error(self, body: dict[str, Any], stream: bool, status: int, headers: dict[str, str]) -> None:
        kind = {400: "invalid_request_error", 429: "rate_limit_error"}.get(status, "api_error")
        self._error(status, kind, f"scripted HTTP {status}", headers)

    def _step_401(self, body: dict[str, Any], stream: bool) -> None:
        if self.provider == "anthropic":
            self._error(401, "authentication_error", "invalid x-api-key")
        else:
            self._error(401, "invalid_request_error", "Incorrect API key provided: sk-*****cdef.", None, "invalid_api_key")

    def _step_garbage(self, body: dict[str, Any], stream: bool) -> None:
        page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
        self._send(200, "text/html", page)

    def _step_slow(self, body: dict[str, Any], stream: bool) -> None:
        time.sleep(self.fake.delay)
        self._step_ok(body, stream)

    def _step_slow_stream(self, body: dict[str, Any], stream: bool) -> None:
        """The first words at once, the rest after the delay."""
        if not stream:
            self._step_slow(body, stream)
            return
        events = self._stream_events(body)
        first_text = next(i for i, (_, d) in enumerate(events) if _has_text(d))
        self._start_sse()
        for i, (name, data) in enumerate(events):
            if i == first_text + 1:
                time.sleep(self.fake.delay)
            self._event(name, data)

    def _step_drip(self, body: dict[str, Any], stream: bool) -> None:
        """A stream whose words after the first come `delay` seconds apart."""
        if not stream:
            self._step_slow(body, stream)
            return
        events = self._stream_events(body)
        self._start_sse()
        seen = False
        for name, data in events:
            if _has_text(data):
                if seen:
                    time.sleep(self.fake.delay)
                seen = True
            self._event(name, data)

    def _step_500(self, body: dict[str, Any], stream: bool) -> None:
        kind = "api_error" if self.provider == "anthropic" else "server_error"
        self._error(500, kind, "Internal server error")

    def _step_overloaded(self, body: dict[str, Any], stream: bool) -> None:
        if self.provider == "anthropic":
            self._error(529, "overloaded_error", "Overloaded")
        else:
            self._error(503, "server_error", "The engine is currently overloaded, please try again later")

    def _stream_events(self, body: dict[str, Any]) -> list[Any]:
        answer = self._answer(body)
        counts = self._usage_counts(body, answer)
        if self.provider == "anthropic":
            return self._anthropic_events(body, answer, counts)
        return [(None, c) for c in self._openai_chunks(body, answer, counts)]

    def _error_event(self, body: dict[str, Any]) -> tuple[str | None, Any]:
        if self.provider == "anthropic":
            return "error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        chunk = self._chunk(body, {"content": ""}, "error", error={"code": 502, "message": "Provider disconnected"})
        return None, chunk

    def _step_mid_stream_error(self, body: dict[str, Any], stream: bool) -> None:
        if not stream:
            self._step_overloaded(body, stream)
            return
        events = self._stream_events(body)
        first_text = next(i for i, (_, d) in enumerate(events) if _has_text(d))
        self._start_sse()
        for name, data in events[: first_text + 1]:
            self._event(name, data)
        self._event(*self._error_event(body))

    def _step_stream_error(self, body: dict[str, Any], stream: bool) -> None:
        if not stream:
            self._step_overloaded(body, stream)
            return
        self._start_sse()
        self._event(*self._stream_events(body)[0])
        self._event(*self._error_event(body))

    def _step_cut_off(self, body: dict[str, Any], stream: bool) -> None:
        events = self._stream_events(body)
        if not stream:
            data = json.dumps(self._anthropic_message(body, [{"type": "text", "text": "cut"}], {"input": 1, "read": 0, "write": 0, "output": 1}))
            self._send(200, "application/json", data[: len(data) // 2].encode())
            return
        self._start_sse()
        for name, data in events[: len(events) // 2 + 1]:
            self._event(name, data)


def _check_turns(provider: str, messages: list[dict[str, Any]]) -> str | None:
    """The documented multi-turn shape: user and assistant messages alternate, starting with a
    user one (Anthropic: the system prompt is the top-level `system`, never a message; OpenAI:
    system/developer messages come first, tool results answer an assistant's tool calls)."""
    previous = None
    for i, message in enumerate(messages):
        role = message["role"]
        if role in ("system", "developer"):
            if previous is not None:
                return f"messages.{i}: a {role} message must come before the conversation"
            continue
        if previous is None and role != "user":
            return f"messages.{i}: the first message must use the user role"
        if role == previous and role in ("user", "assistant"):
            return f"messages.{i}: roles must alternate between user and assistant"
        if not isinstance(message.get("content"), (str, list)) and not message.get("tool_calls"):
            return f"messages.{i}.content: Field required"
        previous = role
    return None


_IMAGE_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG", "image/gif": b"GIF8", "image/webp": b"RIFF"}
_DATA_URL = re.compile(r"^data:([\w/+.-]+);base64,(.*)$", re.S)


def _decoded(data: Any, media_type: str) -> bool:
    """`data` is base64 of a file of `media_type` (its first bytes say so)."""
    try:
        raw = base64.b64decode(str(data), validate=True)
    except ValueError:
        return False
    return raw.startswith(_IMAGE_TYPES.get(media_type, b"%PDF-"))


def _check_blocks(provider: str, messages: list[dict[str, Any]]) -> str | None:
    """Image and PDF content blocks as the providers document them."""
    for i, message in enumerate(messages):
        content = message.get("content")
        for j, b in enumerate(content if isinstance(content, list) else ()):
            where = f"messages.{i}.content.{j}"
            kind = b.get("type") if isinstance(b, dict) else None
            if kind == "text" and not (isinstance(b.get("text"), str) and b["text"]):
                return f"{where}.text: text content blocks must be non-empty"
            if provider == "anthropic" and kind in ("image", "document"):
                src = b.get("source") or {}
                allowed = set(_IMAGE_TYPES) if kind == "image" else {"application/pdf"}
                if src.get("type") != "base64" or src.get("media_type") not in allowed:
                    return f"{where}.source.media_type: Input should be one of {sorted(allowed)}"
                if not _decoded(src.get("data"), src["media_type"]):
                    return f"{where}.source.data: The image was specified using the {src['media_type']} media type, but the data does not match"
            elif provider != "anthropic" and kind == "image_url":
                m = _DATA_URL.match(str((b.get("image_url") or {}).get("url")))
                if not m or m.group(1) not in _IMAGE_TYPES or not _decoded(m.group(2), m.group(1)):
                    return f"Invalid image_url in {where}: expected a data:image/...;base64 URL of a PNG, JPEG, GIF or WebP image."
            elif provider != "anthropic" and kind == "file":
                f = b.get("file") or {}
                m = _DATA_URL.match(str(f.get("file_data")))
                if not isinstance(f.get("filename"), str) or not m or m.group(1) != "application/pdf" or not _decoded(m.group(2), "application/pdf"):
                    return f"Invalid file in {where}: expected filename and file_data 'data:application/pdf;base64,...'."
            elif kind not in ("text", "tool_use", "tool_result", "image", "document", "image_url", "file", None):
                return f"{where}.type: unknown content block type {kind!r}"
    return None


def _attached(content: Any) -> list[str]:
    """The media types of the image/PDF blocks of one message's content."""
    seen = []
    for b in content if isinstance(content, list) else ():
        if b.get("type") in ("image", "document"):
            seen.append(b["source"]["media_type"])
        elif b.get("type") == "image_url":
            seen.append(b["image_url"]["url"].split(";")[0][5:])
        elif b.get("type") == "file":
            seen.append("application/pdf")
    return seen


_SCHEMA_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def _check_structured(provider: str, body: dict[str, Any]) -> str | None:
    """Anthropic's tools/tool_choice and OpenAI's response_format, as their docs define them."""
    if provider == "anthropic":
        tools = body.get("tools", [])
        for i, tool in enumerate(tools if isinstance(tools, list) else [None]):
            if not isinstance(tool, dict) or not _SCHEMA_NAME.match(str(tool.get("name"))):
                return f"tools.{i}.name: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'"
            schema = tool.get("input_schema")
            if not isinstance(schema, dict) or schema.get("type") != "object":
                return f"tools.{i}.input_schema.type: Input should be 'object'"
        choice = body.get("tool_choice")
        if choice is None:
            return None
        if not isinstance(choice, dict) or choice.get("type") not in ("auto", "any", "tool", "none"):
            return "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'"
        if choice["type"] == "tool" and choice.get("name") not in {t["name"] for t in tools}:
            return f"tool_choice.name: no tool named {choice.get('name')!r} in tools"
        return None
    fmt = body.get("response_format")
    if fmt is None:
        return None
    if not isinstance(fmt, dict) or fmt.get("type") not in ("text", "json_object", "json_schema"):
        return "Invalid value for 'response_format.type': expected 'text', 'json_object' or 'json_schema'."
    if fmt["type"] != "json_schema":
        return None
    spec = fmt.get("json_schema")
    if not isinstance(spec, dict) or not _SCHEMA_NAME.match(str(spec.get("name"))):
        return "Missing required parameter: 'response_format.json_schema.name'."
    schema = spec.get("schema")
    if not isinstance(schema, dict):
        return "Invalid type for 'response_format.json_schema.schema': expected an object."
    if spec.get("strict") and schema.get("type") == "object":
        props = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False or sorted(schema.get("required") or []) != sorted(props):
            return ("Invalid schema for response_format: In context=(), 'additionalProperties' must be false "
                    "and 'required' must list every property when strict is true.")
    return None


def _wanted_schema(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(name, schema) when the request asks for structured output, else None."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "tool":
        tool = next(t for t in body["tools"] if t["name"] == choice["name"])
        return tool["name"], tool["input_schema"]
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        return fmt["json_schema"]["name"], fmt["json_schema"]["schema"]
    return None


def _sample(schema: Any, text: str) -> Any:
    """A value matching `schema` (strings are the prompt's echo)."""
    if not isinstance(schema, dict):
        return text
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: _sample(v, text) for k, v in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_sample(schema.get("items"), text)]
    return {"integer": 42, "number": 1.5, "boolean": True, "null": None}.get(kind, text)


def _has_text(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if data.get("type") == "content_block_delta":
        return data["delta"].get("type") == "text_delta"
    return any((c.get("delta") or {}).get("content") for c in data.get("choices") or ())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="ok", choices=sorted(SCENARIOS))
    parser.add_argument("--delay", type=float, default=2.0, help="seconds the 'slow' scenario waits")
    parser.add_argument("--request-log", help="append one line per request received to this file")
    args = parser.parse_args(argv)
    fake = FakeProvider(args.scenario, args.delay, request_log=args.request_log)
    threading.Thread(target=_stop_when_orphaned, args=(fake, os.getppid()), daemon=True).start()
    print(fake.port, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        fake.httpd.serve_forever(0.05)
    return 0


def _stop_when_orphaned(fake: FakeProvider, parent: int) -> None:
    """Stop serving once the starting process is gone (we are re-parented): a shell's EXIT
    trap does not run when the shell is killed, and a leftover server would run forever."""
    while os.getppid() == parent:
        time.sleep(0.1)
    fake.httpd.shutdown()


if __name__ == "__main__":
    sys.exit(main())
