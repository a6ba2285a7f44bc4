Templates: --save NAME writes the options and the prompt (with $input and $1 placeholders) to
$XDG_CONFIG_HOME/llm-core/templates/NAME.toml without calling; -t NAME uses it; --templates lists.

  $ . "$TESTDIR/../_setup.sh"
  $ start_fake_provider
  $ llm-chat --templates
  (no templates in */config/llm-core/templates) (glob)
  $ llm-chat --save review -s "You review diffs" --max-tokens 200 --temperature 0.2 'Review in $1 bullets:
  > $input'
  Saved template review to */config/llm-core/templates/review.toml (glob)
  $ cat "$XDG_CONFIG_HOME"/llm-core/templates/review.toml
  system = "You review diffs"
  prompt = "Review in $1 bullets:\n$input"
  
  [options]
  max_tokens = 200
  temperature = 0.2
  $ echo "+ added a line" | llm-chat --no-stream -t review 3
  You said: Review in 3 bullets:
  + added a line

Saving under a name in use replaces that template (how one is changed), and says so:

  $ llm-chat --save review -s "You review diffs" --max-tokens 200 --temperature 0.2 'Review in $1 bullets:
  > $input'
  Replaced template review at */config/llm-core/templates/review.toml (glob)
  $ llm-chat --save review --json -s "You review diffs" --max-tokens 200 --temperature 0.2 'Review in $1 bullets:
  > $input' | python -c 'import json, sys; print(json.load(sys.stdin)["replaced"])'
  True

The template's options are used unless the command line gives its own; the request shows them.

  $ echo "x" | llm-chat --json --no-stream -t review -m gpt-4.1-mini 2 | python -c '
  > import json, sys; d = json.load(sys.stdin); print(d["model"], d["text"].splitlines()[0])'
  gpt-4.1-mini You said: Review in 2 bullets:

A template without placeholders gets the input appended; one without a prompt is just options.

  $ cat > "$XDG_CONFIG_HOME"/llm-core/templates/pirate.toml <<'TOML'
  > description = "Answer like a pirate"
  > system = "Talk like a pirate"
  > model = "echo"
  > prompt = "Answer this:"
  > TOML
  $ llm-chat -t pirate "where is the treasure?" < /dev/null
  Answer this:
  
  where is the treasure?
  $ llm-chat --templates
  name    model  description
  ------  -----  --------------------
  pirate  echo   Answer like a pirate
  review         You review diffs
  $ llm-chat --templates --json | python -c 'import json,sys; print([t["name"] for t in json.load(sys.stdin)])'
  ['pirate', 'review']

A template is data: a $(...) or a backtick in it is text, never run.

  $ llm-chat --save shell -m echo 'echo $(touch pwned) `touch pwned2` $input'
  Error: the template's prompt: a '$' that starts no placeholder at character 6 (write $$ for a dollar sign)
  Try 'llm-chat --help'.
  [2]
  $ llm-chat --save shell2 -m echo 'echo $$(touch pwned) `touch pwned2` $input'
  Saved template shell2 to */shell2.toml (glob)
  $ llm-chat -t shell2 "hi" < /dev/null
  echo $(touch pwned) `touch pwned2` hi
  $ ls pwned pwned2 2>&1 | sed 's/.*: //'
  No such file or directory
  No such file or directory

Errors: an unknown placeholder (exit 2, at --save too), a missing argument, a missing or broken
template (exit 3), a name that is not one.

  $ llm-chat --save bad 'Hello $name'
  Error: the template's prompt uses $name: the placeholders are $input and $1, $2, ...
  Try 'llm-chat --help'.
  [2]
  $ printf 'prompt = "Hello $name"\n' > "$XDG_CONFIG_HOME"/llm-core/templates/bad.toml
  $ llm-chat -t bad "x" < /dev/null
  Error: the template's prompt uses $name: the placeholders are $input and $1, $2, ...
  Try 'llm-chat --help'.
  [2]
  $ llm-chat -t review < /dev/null
  Error: the template's prompt uses $1, but 0 argument(s) were given
  Try 'llm-chat --help'.
  [2]
  $ llm-chat -t nosuch "x" < /dev/null
  Error: no template 'nosuch' (looked for */config/llm-core/templates/nosuch.toml; llm-chat --templates lists them) (glob)
  [3]
  $ printf 'prompt = "unterminated\n' > "$XDG_CONFIG_HOME"/llm-core/templates/broken.toml
  $ llm-chat -t broken "x" < /dev/null
  Error: template */broken.toml: Illegal character '\\n' (at line 1, column 23) (glob)
  [3]
  $ printf 'prompt = "x"\nshell = "rm -rf /"\n' > "$XDG_CONFIG_HOME"/llm-core/templates/extra.toml
  $ llm-chat -t extra "x" < /dev/null
  Error: template */extra.toml: unknown key(s) shell (known: description, system, model, prompt, options) (glob)
  [3]
  $ llm-chat -t ../../etc/passwd "x" < /dev/null
  Error: '../../etc/passwd' is not a template name (letters, digits, '.', '-' and '_')
  Try 'llm-chat --help'.
  [2]
