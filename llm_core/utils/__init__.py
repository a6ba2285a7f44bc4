"""Small shared utilities: token counting, retries, prompt caching."""
