"""The stack's typed config: one pydantic schema, loaded and validated before any resource exists."""
