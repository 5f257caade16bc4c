"""An in-process store (mongomock) behind the async collection API: for local runs and tests only.

It keeps everything in memory, so data disappears with the process. This is the single-process path;
the workers of ``python -m app --workers N`` share one copy instead (embedded_server, embedded_client).
It enforces unique indexes and reports per-item errors from unordered inserts the way
MongoDB does, which the repository contract tests check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import mongomock
from pymongo.results import DeleteResult, InsertManyResult, InsertOneResult

from app.db.collection import Document, DocumentCursor, Filter


class EmbeddedCursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def sort(self, key_or_list: Sequence[tuple[str, int]]) -> DocumentCursor:
        self._cursor = self._cursor.sort(list(key_or_list))
        return self

    def skip(self, skip: int) -> DocumentCursor:
        self._cursor = self._cursor.skip(skip)
        return self

    def limit(self, limit: int) -> DocumentCursor:
        self._cursor = self._cursor.limit(limit)
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        documents: list[Document] = list(self._cursor)
        return documents if length is None else documents[:length]


class EmbeddedCollection:
    """Async facade over a mongomock collection; calls are in-memory, so running them inline is fine."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def find(self, filter: Filter) -> DocumentCursor:
        return EmbeddedCursor(self._collection.find(dict(filter)))

    async def find_one(self, filter: Filter) -> Document | None:
        document: Document | None = self._collection.find_one(dict(filter))
        return document

    async def insert_one(self, document: Document) -> InsertOneResult:
        result: InsertOneResult = self._collection.insert_one(document)
        return result

    async def insert_many(self, documents: Sequence[Document], *, ordered: bool) -> InsertManyResult:
        result: InsertManyResult = self._collection.insert_many(list(documents), ordered=ordered)
        return result

    async def find_one_and_update(
        self, filter: Filter, update: Mapping[str, Any], *, return_document: bool
    ) -> Document | None:
        document: Document | None = self._collection.find_one_and_update(
            dict(filter), dict(update), return_document=return_document
        )
        return document

    async def delete_one(self, filter: Filter) -> DeleteResult:
        result: DeleteResult = self._collection.delete_one(dict(filter))
        return result

    async def count_documents(self, filter: Filter) -> int:
        count: int = self._collection.count_documents(dict(filter))
        return count

    async def create_index(self, keys: Sequence[tuple[str, int]], *, unique: bool = False) -> str:
        name: str = self._collection.create_index(list(keys), unique=unique)
        return name


class EmbeddedDatabase:
    def __init__(self, name: str) -> None:
        self._client: Any = mongomock.MongoClient(tz_aware=True)
        self._database = self._client[name]

    def collection(self, name: str) -> EmbeddedCollection:
        return EmbeddedCollection(self._database[name])

    def close(self) -> None:
        self._client.close()
