Text with terminal control characters in a record (a label a repository's .env sets, a model
name a server sends, a prompt) is shown escaped in the human output of the reports, log and
conversations: printed raw, an ESC sequence could retitle the terminal, clear it or, on some
terminals, write the clipboard. --json keeps the values as they are (JSON escapes them).

  $ . "$TESTDIR/../_setup.sh"
  $ LLM_AGENT_NAME=$'evil\e]0;pwned\a' llm-chat -m echo --save-conversation --cid e1 $'hi \e[2J there' < /dev/null > /dev/null
  $ llm-telemetry log | grep -c $'\e'
  0
  [1]
  $ llm-telemetry log | grep -o 'evil[^ ]*'
  evil\x1b]0;pwned\x07/chat
  $ llm-telemetry agents | grep -o 'evil[^ ]*'
  evil\x1b]0;pwned\x07
  $ llm-telemetry conversations show e1 | grep '^user'
  user: hi \x1b[2J there
  $ llm-telemetry log --json | grep -c 'evil\\u001b'
  1

A turn that lost its time and model (edited by hand, say) shows "?" for them, not "None":

  $ echo '{"timestamp": null, "messages": [{"role": "user", "content": "again"}]}' >> "$LLM_TELEMETRY_DIR/conversations/e1.jsonl"
  $ llm-telemetry conversations show e1 | grep '^--- turn 2'
  --- turn 2  ?  ?  unknown
