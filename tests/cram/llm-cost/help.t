--help shows the options and examples.

  $ . "$TESTDIR/../_setup.sh"
  $ llm-cost --help | head -3
  Usage: llm-cost [OPTIONS] [MODEL]...
  
    What an LLM call costs, from token counts or from text on stdin.
  $ llm-cost --help | grep -A11 '^  Examples:'
    Examples:
      llm-cost -m claude-sonnet-4-6 --input 1000 --output 100
      llm-cost -m gpt-4o --input 200 --cache-read 1000 --output 300 --json
      git diff | llm-cost -m sonnet --output 500        # count the diff, expect 500 out
      llm-cost --compare --input 20000 --output 1000    # every current model, cheapest first
      llm-cost --compare gpt-4o sonnet llama-3.1-70b -i 5000 -o 500
      llm-cost -m claude-opus-4-6 -i 1000 -o 500 --geo us     # US-only inference: x 1.1
      llm-cost -m gpt-5 -i 1000 -o 500 --tier priority
      llm-cost --reprice < telemetry.jsonl > repriced.jsonl
      llm-cost -m gpt-4o -a photo.jpg -i 50 -o 300      # an image, a short prompt, 300 out
      llm-cost --compare -a report.pdf -o 1000           # the models that read PDFs, cheapest first
  
