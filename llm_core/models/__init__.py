"""Models: what they are, what they cost, which one to use.

    registry.py   the merged registry (bundled models.json, the synced OpenRouter list, the
                  user's file): lookups, listing, aliases. Imports nothing else of models/.
    pricing.py    the cost of a call from normalized token counts; uses registry.py.
    select.py     ranking and choosing a model for requirements (select_model, rank_models,
                  explain_no_fit); uses registry.py and pricing.py.
    sync.py       `llm-models sync`: fetch OpenRouter's list and save it for registry.py.
"""
