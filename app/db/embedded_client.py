"""The embedded store as a worker process sees it when several workers share one store server.

It satisfies the same DocumentCollection protocol as the in-process adapter, so the repositories do
not know which one they use. Each call is one round trip over the server's Unix socket, run on a small
thread pool of its own so the event loop never waits on the socket (and never queues behind password
hashing, which uses the default pool).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Client, Connection
from typing import Any

from bson import ObjectId
from pymongo.errors import ConnectionFailure
from pymongo.results import DeleteResult, InsertManyResult, InsertOneResult

from app.db.collection import Document, DocumentCursor, Filter
from app.db.embedded_wire import Reply, Request, SharedStoreAddress, rebuild_error

# The server answers one request at a time, so a few threads are enough to keep the socket busy.
ROUND_TRIP_THREADS = 4


class StoreConnection:
    """Round trips to the store server, one connection per pool thread (a connection is not safe to
    share between threads)."""

    def __init__(self, address: SharedStoreAddress) -> None:
        self._address = address
        self._local = threading.local()
        self._opened: list[Connection] = []
        self._opened_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(ROUND_TRIP_THREADS, thread_name_prefix="embedded-store")

    async def call(self, database: str, collection: str, operation: str, *arguments: Any) -> Any:
        request: Request = (database, collection, operation, arguments)
        reply = await asyncio.get_running_loop().run_in_executor(self._pool, self._round_trip, request)
        if reply[0] == "ok":
            return reply[1]
        raise rebuild_error(reply)

    def _round_trip(self, request: Request) -> Reply:
        connection: Connection | None = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = Client(self._address.socket, family="AF_UNIX", authkey=self._address.authkey)
                self._local.connection = connection
                with self._opened_lock:
                    self._opened.append(connection)
            connection.send(request)
            reply: Reply = connection.recv()
        except (EOFError, OSError) as error:
            self._local.connection = None  # reconnect on the next call, should the server come back
            # A PyMongoError, so startup and readiness treat it as they treat an unreachable MongoDB.
            raise ConnectionFailure(
                f"the embedded store server at {self._address.socket} is not reachable "
                f"({type(error).__name__}); it stops when `python -m app` stops"
            ) from None
        return reply

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._opened_lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()


class SharedCursor:
    """Records sort, skip and limit and runs the whole query in one round trip when the list is asked for."""

    def __init__(self, collection: SharedCollection, filter: Document) -> None:
        self._collection = collection
        self._filter = filter
        self._sort: list[tuple[str, int]] | None = None
        self._skip = 0
        self._limit = 0  # MongoDB's "no limit"

    def sort(self, key_or_list: Sequence[tuple[str, int]]) -> DocumentCursor:
        self._sort = list(key_or_list)
        return self

    def skip(self, skip: int) -> DocumentCursor:
        self._skip = skip
        return self

    def limit(self, limit: int) -> DocumentCursor:
        self._limit = limit
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        limit = self._limit
        if length is not None:
            limit = min(limit, length) if limit else length
        documents: list[Document] = await self._collection.call(
            "find", self._filter, self._sort, self._skip, limit
        )
        return documents


class SharedCollection:
    def __init__(self, connection: StoreConnection, database: str, name: str) -> None:
        self._connection = connection
        self._database = database
        self._name = name

    async def call(self, operation: str, *arguments: Any) -> Any:
        return await self._connection.call(self._database, self._name, operation, *arguments)

    def find(self, filter: Filter) -> DocumentCursor:
        return SharedCursor(self, dict(filter))

    async def find_one(self, filter: Filter) -> Document | None:
        document: Document | None = await self.call("find_one", dict(filter))
        return document

    async def insert_one(self, document: Document) -> InsertOneResult:
        # Like PyMongo, give the document its _id here: the caller's dict then carries it.
        document.setdefault("_id", ObjectId())
        inserted_id = await self.call("insert_one", document)
        return InsertOneResult(inserted_id, acknowledged=True)

    async def insert_many(self, documents: Sequence[Document], *, ordered: bool) -> InsertManyResult:
        for document in documents:
            document.setdefault("_id", ObjectId())
        inserted_ids = await self.call("insert_many", list(documents), ordered)
        return InsertManyResult(inserted_ids, acknowledged=True)

    async def find_one_and_update(
        self, filter: Filter, update: Mapping[str, Any], *, return_document: bool
    ) -> Document | None:
        document: Document | None = await self.call(
            "find_one_and_update", dict(filter), dict(update), return_document
        )
        return document

    async def delete_one(self, filter: Filter) -> DeleteResult:
        deleted = await self.call("delete_one", dict(filter))
        return DeleteResult({"n": deleted, "ok": 1.0}, acknowledged=True)

    async def count_documents(self, filter: Filter) -> int:
        count: int = await self.call("count_documents", dict(filter))
        return count

    async def create_index(self, keys: Sequence[tuple[str, int]], *, unique: bool = False) -> str:
        name: str = await self.call("create_index", list(keys), unique)
        return name


class SharedEmbeddedDatabase:
    def __init__(self, name: str, address: SharedStoreAddress) -> None:
        self._name = name
        self._connection = StoreConnection(address)

    def collection(self, name: str) -> SharedCollection:
        return SharedCollection(self._connection, self._name, name)

    async def ping(self) -> None:
        await self._connection.call(self._name, "", "ping")

    def close(self) -> None:
        self._connection.close()
