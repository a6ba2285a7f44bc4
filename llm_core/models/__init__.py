"""The model registry: bundled data, synced prices, user overrides; selection and pricing."""
