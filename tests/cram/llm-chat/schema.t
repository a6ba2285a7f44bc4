Structured output: --schema asks for JSON matching a JSON Schema (a file, a JSON literal or
'name type' fields), checks the answer with jsonschema and prints it as one JSON document.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --schema 'name str, age int: in years' "Invent a person" < /dev/null
  {
    "name": "You said: Invent a person",
    "age": 42
  }
  $ llm-chat -m gpt-4.1-mini --schema 'name str, age int, happy bool, height float' "Invent one" < /dev/null
  {
    "name": "You said: Invent one",
    "age": 42,
    "happy": true,
    "height": 1.5
  }
  $ cat > person.json <<'JSON'
  > {"type": "object", "title": "person",
  >  "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}},
  >  "required": ["name", "tags"], "additionalProperties": false}
  > JSON
  $ echo "some text" | llm-chat --schema person.json "extract" | python -c 'import json,sys; print(json.load(sys.stdin)["tags"])'
  ['a']
  $ llm-chat --json --schema person.json -p openrouter -m llama-3.1-70b "x" < /dev/null | python -c '
  > import json, sys; d = json.load(sys.stdin); print(d["data"]["name"], d["provider"], d["tokens"]["output"] > 0)'
  You said: x openrouter True

An answer that does not match the schema is exit 6 with the validation error (the call is still
recorded); a schema that cannot be read is exit 3; one OpenAI's strict mode refuses is exit 5.

  $ start_fake_provider --scenario schema-mismatch
  $ llm-chat --schema 'name str, age int' "Invent a person" < /dev/null
  Error: the answer does not match the schema at age: '42' is not of type 'integer'
  [6]
  $ llm-chat -m gpt-4.1-mini --schema person.json "x" < /dev/null
  Error: the answer does not match the schema at tags: "['a']" is not of type 'array'
  [6]
  $ llm-chat --schema 'name str, age integer, size huge' x < /dev/null
  Error: --schema: cannot read 'size huge' (write 'name type' with the types str, int, float, bool, or give a JSON Schema file)
  [3]
  $ llm-chat --schema '{"type": "object", "properties": 5}' x < /dev/null
  Error: --schema: not a valid JSON Schema: 5 is not of type 'object'
  [3]
  $ llm-chat --schema '{"type": ' x < /dev/null
  Error: --schema: not valid JSON (Expecting value: line 1 column 9 (char 8))
  [3]
  $ llm-chat -m gpt-4.1-mini --schema '{"type": "object", "properties": {"a": {"type": "string"}}}' x < /dev/null
  Error: OpenAI: invalid_request_error: Invalid schema for response_format: In context=(), 'additionalProperties' must be false and 'required' must list every property when strict is true. (HTTP 400, request id *) (glob)
  [5]
