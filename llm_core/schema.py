"""Structured output: a JSON Schema for the answer, the request fields that ask for it, and
the check of what came back (llm-chat --schema).

    schema = load_schema("name str, age int")      # or a file, or a JSON Schema literal
    client.chat("...", **request_params(client.provider, schema))
    value = structured_answer(response, schema)    # the JSON value, validated

The short form is `name [type][: description], ...` with the types str, int, float, bool
(default str), every field required. Anthropic is asked by tool-forced JSON (one tool whose
input_schema is the schema, and tool_choice {"type": "tool", "name": ...}); OpenAI and
OpenRouter by `response_format: {"type": "json_schema", "json_schema": {name, schema,
strict: true}}`. The answer is validated with the `jsonschema` library (the optional extra
`schema`, imported only here); one that breaks the schema is a ResponseFormatError (exit 6).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from llm_core.errors import ConfigError, InputError, ResponseFormatError

TOOL_NAME = "structured_output"
_TYPES = {"str": "string", "string": "string", "int": "integer", "integer": "integer",
          "float": "number", "number": "number", "bool": "boolean", "boolean": "boolean"}
_FIELD_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+([A-Za-z]+))?\s*(?::\s*(.*?))?\s*", re.ASCII)
_NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII).fullmatch


def load_schema(spec: str) -> dict[str, Any]:
    """A JSON Schema from a file name, a JSON literal or the short form (InputError if none)."""
    text = spec.strip()
    if not text.startswith("{") and "," not in text and " " not in text and Path(text).is_file():
        try:
            text = Path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"--schema {spec}: {e}") from None
    if text.startswith("{"):
        try:
            schema = json.loads(text)
        except ValueError as e:
            raise InputError(f"--schema: not valid JSON ({e})") from None
        if not isinstance(schema, dict):
            raise InputError("--schema: a JSON Schema is a JSON object")
        _check_schema(schema)
        return schema
    return short_schema(text)


def short_schema(text: str) -> dict[str, Any]:
    """'name str, age int: in years' -> an object schema, every field required."""
    properties: dict[str, Any] = {}
    for part in text.split(","):
        match = _FIELD_RE.fullmatch(part)
        if not match or (match.group(2) and match.group(2).lower() not in _TYPES):
            raise InputError(f"--schema: cannot read '{part.strip()}' (write 'name type' with the types "
                             "str, int, float, bool, or give a JSON Schema file)")
        name, kind, about = match.groups()
        prop: dict[str, Any] = {"type": _TYPES[(kind or "str").lower()]}
        if about:
            prop["description"] = about
        properties[name] = prop
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def _check_schema(schema: dict[str, Any]) -> None:
    validator = _validator_class(schema)
    try:
        validator.check_schema(schema)
    except Exception as e:  # jsonschema.SchemaError
        raise InputError(f"--schema: not a valid JSON Schema: {getattr(e, 'message', e)}") from None


def _validator_class(schema: dict[str, Any]) -> Any:
    try:
        # Imported here: only --schema needs the validator (~30 ms).
        import jsonschema
    except ImportError:
        raise ConfigError("--schema needs the jsonschema package: pip install 'llm-cli-tools-core[schema]'") from None
    return jsonschema.validators.validator_for(schema)


def schema_name(schema: dict[str, Any]) -> str:
    title = schema.get("title")
    return title if isinstance(title, str) and _NAME_RE(title) else TOOL_NAME


def request_params(provider: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The request body fields that ask `provider` for JSON matching `schema`."""
    name = schema_name(schema)
    if provider == "anthropic":
        return {"tools": [{"name": name, "description": "Give the answer as this tool's input.",
                           "input_schema": schema}],
                "tool_choice": {"type": "tool", "name": name}}
    if provider in ("openai", "openrouter"):
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": name, "schema": schema, "strict": True}}}
    return {}  # echo: the answer is the prompt, which must then be the JSON itself


def structured_answer(response: Any, schema: dict[str, Any]) -> Any:
    """The answer's JSON value, checked against `schema` (ResponseFormatError when it is not
    JSON or does not match)."""
    name = schema_name(schema)
    calls = [c for c in response.tool_calls or () if c.get("name") == name]
    if calls:
        value = calls[0].get("input")
        if value is None:
            raise _error(response, f"the {name} tool input is not JSON")
    else:
        try:
            value = json.loads(response.text)
        except ValueError:
            raise _error(response, f"the answer is not JSON: {response.text[:80]!r}") from None
    validator = _validator_class(schema)(schema)
    error = next(iter(sorted(validator.iter_errors(value), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.path) or "(the top)"
        raise _error(response, f"the answer does not match the schema at {where}: {error.message}")
    return value


def _error(response: Any, message: str) -> ResponseFormatError:
    return ResponseFormatError(message, provider=response.provider, request_id=getattr(response, "request_id", None))
