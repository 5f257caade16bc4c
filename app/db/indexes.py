"""Indexes the queries rely on, ensured at startup (creating an existing index is a no-op)."""

from __future__ import annotations

from app.db.store import Store


async def ensure_indexes(store: Store) -> None:
    await store.users.create_index([("email", 1)], unique=True)
    await store.tasks.create_index([("userId", 1), ("createdAt", -1)])
    await store.tasks.create_index([("status", 1)])
    await store.tasks.create_index([("priority", 1)])
