"""A Redis client whose concurrent commands share round trips (automatic pipelining).

Under load every request of a worker issues its commands at about the same moment. Sent one at a
time, each command pays for its own socket write, event-loop wakeup and read: about 60 us of this
process's CPU with redis-py. Held for one turn of the event loop and sent together as one
non-transactional pipeline, they share those costs (about 15 us a command with 64 requests in flight)
and Redis answers them in order. go-redis and ioredis call this automatic pipelining.

Nothing else changes for a caller: each command still gets its own reply or its own error (a NOSCRIPT
for one EVALSHA does not fail its neighbours), a connection error reaches every command of the batch
it broke, and each command stays atomic on the server. Not for blocking commands (BLPOP and the like),
which would hold up the batch they share; this app sends none.
"""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio import Redis

# A bound on one pipeline's size, so that one slow batch never holds thousands of replies.
MAX_BATCH = 256

_Queued = tuple[tuple[Any, ...], dict[str, Any], "asyncio.Future[Any]"]


class AutoPipelinedRedis(Redis):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queued: list[_Queued] = []
        self._flush_scheduled = False
        # Strong references: the event loop keeps only weak ones to running tasks.
        self._in_flight: set[asyncio.Task[None]] = set()

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[Any] = loop.create_future()
        self._queued.append((args, options, reply))
        if not self._flush_scheduled:
            # call_soon runs after every callback already ready, so the commands of all requests that
            # the loop is working through in this turn join the same batch.
            self._flush_scheduled = True
            loop.call_soon(self._flush)
        return await reply

    def _flush(self) -> None:
        self._flush_scheduled = False
        queued, self._queued = self._queued, []
        for start in range(0, len(queued), MAX_BATCH):
            task = asyncio.create_task(self._send(queued[start : start + MAX_BATCH]))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _send(self, batch: list[_Queued]) -> None:
        pipeline = self.pipeline(transaction=False)
        for args, options, _ in batch:
            pipeline.execute_command(*args, **options)
        try:
            # Errors Redis answers (NOSCRIPT, WRONGTYPE) come back in place of that command's reply.
            replies = await pipeline.execute(raise_on_error=False)
        except asyncio.CancelledError:
            for _, _, reply in batch:
                reply.cancel()
            raise
        except Exception as error:  # the connection failed: every command of the batch failed with it
            for _, _, reply in batch:
                if not reply.done():
                    reply.set_exception(error)
            return
        for (_, _, reply), value in zip(batch, replies, strict=True):
            if reply.done():
                continue  # its request was cancelled (the client went away); the reply is not needed
            if isinstance(value, Exception):
                reply.set_exception(value)
            else:
                reply.set_result(value)

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        # Let batches already sent finish, so no command is cut off mid-reply at shutdown.
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        await super().aclose(close_connection_pool)
