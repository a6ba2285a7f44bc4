# Make recipes with llm-chat that never fail a build. Include from your Makefile:
#
#   include contrib/llm.mk        # then: make llm-review
#
# When llm-chat is missing, has no key or the provider fails, the recipe says so on stderr,
# leaves no half-written file and the build goes on (exit 0). LLM_TIMEOUT bounds the wait.

LLM_CHAT ?= llm-chat
LLM_REVIEW ?= REVIEW.md
LLM_TIMEOUT ?= 60
export LLM_TIMEOUT

.PHONY: llm-review
llm-review:
	@git diff HEAD | $(LLM_CHAT) --agent make --operation review \
	    -s "Review this diff: list likely bugs, one per line." >$(LLM_REVIEW).tmp 2>$(LLM_REVIEW).err \
	  && mv $(LLM_REVIEW).tmp $(LLM_REVIEW) \
	  || { sed -n 1p $(LLM_REVIEW).err >&2; echo "llm-review: skipped" >&2; rm -f $(LLM_REVIEW).tmp; }; \
	  rm -f $(LLM_REVIEW).err
