--version, and numbers out of their range are usage errors (exit 2):

  $ . "$TESTDIR/../_setup.sh"
  $ llm-chat --version
  llm-chat \(llm-core\) 0\.\d+\.\d+ (re)
  $ llm-chat -m echo --temperature nan hi
  Error: Invalid value for '--temperature': 'nan' is not a finite number.
  Try 'llm-chat --help'.
  [2]
  $ llm-chat -m echo --max-tokens 99999999999999999999 hi
  Error: Invalid value for '--max-tokens': 99999999999999999999 is not in the range 1<=x<=10000000.
  Try 'llm-chat --help'.
  [2]
  $ llm-chat -m echo -p nowhere hi
  Error: Invalid value for '-p' / '--provider': 'nowhere' is not one of auto, anthropic, openai, openrouter, echo.
  Try 'llm-chat --help'.
  [2]
  $ llm-tokens --version; llm-cost --version; llm-models --version
  llm-tokens \(llm-core\) 0\.\d+\.\d+ (re)
  llm-cost \(llm-core\) 0\.\d+\.\d+ (re)
  llm-models \(llm-core\) 0\.\d+\.\d+ (re)
