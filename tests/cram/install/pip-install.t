`pip install` of the package (no -e, no test extra) into a fresh virtualenv gives the five
commands and their man pages in <venv>/share/man/man1, where man finds them. Built offline:
the wheel with the hatchling at hand, installed with --no-index; the dependencies are the ones
already installed (a .pth file), the package itself only the wheel's.

  $ [ -n "$CI" ] || command -v man >/dev/null || exit 80
  $ ROOT="$TESTDIR/../../.."
  $ DEPS=$(python -c 'import click, os; print(os.path.dirname(os.path.dirname(click.__file__)))')
  $ PIP="python -m pip --disable-pip-version-check -q"
  $ $PIP wheel --no-deps --no-build-isolation -w dist "$ROOT" 2>/dev/null
  $ ls dist
  llm_cli_tools_core-*-py3-none-any.whl (glob)
  $ python -m venv --without-pip venv
  $ $PIP --python venv/bin/python install --no-deps --no-index dist/*.whl 2>/dev/null
  $ echo "$DEPS" > "$(venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/deps.pth"
  $ unset PYTHONPATH
  $ ls venv/bin | grep '^llm-'
  llm-chat
  llm-cost
  llm-models
  llm-telemetry
  llm-tokens
  $ ls venv/share/man/man1
  llm-chat.1
  llm-cost.1
  llm-models.1
  llm-telemetry.1
  llm-tokens.1

The commands run from the installed package, not the source tree:

  $ venv/bin/python -c 'import llm_core; print(llm_core.__file__.startswith("'"$PWD"'/venv/"))'
  True
  $ echo hi | venv/bin/llm-chat -m echo
  hi
  $ echo "hello world" | venv/bin/llm-tokens
  3
  $ venv/bin/llm-cost -m gpt-4o -i 1000 --json | python -c 'import json,sys; print(json.load(sys.stdin)["model"])'
  gpt-4o
  $ venv/bin/llm-models show gpt-4o --json | python -c 'import json,sys; print(json.load(sys.stdin)["id"])'
  gpt-4o
  $ venv/bin/llm-telemetry stats today | head -n 1
  * (glob)
  $ venv/bin/llm-chat --print-hook prepare-commit-msg | head -n 1
  #!/bin/sh

man finds the pages with MANPATH pointed at the virtualenv:

  $ MANPATH="$PWD/venv/share/man" man -w llm-chat
  */venv/share/man/man1/llm-chat.1 (glob)
  $ MANPATH="$PWD/venv/share/man" man -w llm-telemetry
  */venv/share/man/man1/llm-telemetry.1 (glob)

An activated virtualenv needs no MANPATH: man looks beside each bin/ on PATH.

  $ (unset MANPATH; PATH="$PWD/venv/bin:$PATH" man -w llm-tokens)
  */venv/share/man/man1/llm-tokens.1 (glob)
