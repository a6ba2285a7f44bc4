A model the registry does not know goes to the API as is, with one warning; here the API
does not know it either.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat -m claude-nonexistent-9 "hi" < /dev/null
  Warning: model 'claude-nonexistent-9' is not in the registry (did you mean *); sending it to anthropic as is (cost unknown) (glob)
  Error: Anthropic: not_found_error: model: claude-nonexistent-9 (HTTP 404, request id req_*) (glob)
  [5]
