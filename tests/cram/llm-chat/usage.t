--usage (or LLM_SHOW_USAGE=1) prints one line on stderr after the answer: tokens, cost,
latency, model, and today's spend (of the daily budget when one is set).

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --usage --no-stream "hello there" < /dev/null
  You said: hello there
  usage: 3 in, 6 out, 0 cache read, 0 cache write; \$0.000003; \d+ ms; claude-haiku-5-5; today \$0.0000\d\d (re)
  $ LLM_SHOW_USAGE=1 LLM_BUDGET_DAILY_USD=5 llm-chat "hello again" < /dev/null 2>usage.txt
  You said: hello again
  $ cat usage.txt
  usage: 3 in, 6 out, 0 cache read, 0 cache write; \$0.000003; \d+ ms; claude-haiku-5-5; today \$0.0000\d\d of \$5.00 (re)

Every other budget the call counts for follows: the monthly one, and those of budgets.toml
whose scope matches (here the agent's; the "docs" budget is another project's):

  $ mkdir -p "$XDG_CONFIG_HOME/llm-core"
  $ printf '[[budget]]\nname = "%s"\n%s = "%s"\nwindow = "%s"\nlimit_usd = %s\n' \
  >   ci-bot agent ci-bot week 2 docs project docs day 1 > "$XDG_CONFIG_HOME/llm-core/budgets.toml"
  $ LLM_BUDGET_MONTHLY_USD=20 llm-chat --usage --agent ci-bot --no-stream "once more" < /dev/null
  You said: once more
  usage: 3 in, 5 out, 0 cache read, 0 cache write; \$0.000003; \d+ ms; claude-haiku-5-5; today \$0.0000\d\d; this month \$0.0000\d\d of \$20.00; ci-bot \(week\) \$0.000003 of \$2.00 (re)
  $ rm "$XDG_CONFIG_HOME/llm-core/budgets.toml"

The answer on stdout stays clean for a pipe; the line goes to stderr:

  $ llm-chat --usage -m echo "pipe me" < /dev/null 2>/dev/null
  pipe me
  $ LLM_SHOW_USAGE=maybe llm-chat -m echo hi < /dev/null
  Error: LLM_SHOW_USAGE must be true or false (1/0, yes/no, on/off), got 'maybe'
  [4]
