"""A Redis client whose concurrent commands share round trips (automatic pipelining).

Under load every request of a worker issues its commands at about the same moment. Sent one at a
time through redis-py, each command pays for its own pool checkout, retry wrapper, socket write,
event-loop wakeup and read: about 90 us of this process's CPU. Here one task owns one connection and
sends whatever commands are waiting as one batch, reads their replies in order, then sends the next
batch: the commands queued while a batch was on the wire. Batches grow with load, and the per-batch
costs are paid once per batch instead of once per command. go-redis and ioredis call this automatic
pipelining.

Nothing else changes for a caller: each command still gets its own reply or its own error (a NOSCRIPT
for one EVALSHA does not fail its neighbours), a connection error reaches every command of the batch
it broke, and each command stays atomic on the server. The connection comes from the client's pool
with the pool's timeouts, authentication and health checks. Not for blocking commands (BLPOP and the
like), which would hold up every command behind them; this app sends none.
"""

from __future__ import annotations

import asyncio
import inspect
import math
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection
from redis.client import EMPTY_RESPONSE, NEVER_DECODE
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

# A bound on one batch, so that one slow batch never holds thousands of replies.
MAX_BATCH = 256

_READ_OPTIONS = frozenset({NEVER_DECODE, EMPTY_RESPONSE, "keys"})

# A command waiting for the sender: its bytes on the wire, its name, its options, and its reply.
_Queued = tuple[list[bytes], Any, dict[str, Any], "asyncio.Future[Any]"]


class AutoPipelinedRedis(Redis):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queued: list[_Queued] = []
        # The sender task, while it lives: started by the first command, ended by aclose.
        self._sender: asyncio.Task[None] | None = None
        # The sender's connection, checked out of the pool while the sender has one.
        self._connection: AbstractConnection | None = None
        # Set while the sender waits for commands; a new command completes it to wake the sender.
        self._idle: asyncio.Future[None] | None = None
        self._closing = False
        # Never connected: it packs commands exactly as the pool's own connections would, encoding
        # settings included.
        pool = self.connection_pool
        self._packer: AbstractConnection = pool.connection_class(**pool.connection_kwargs)

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        # Packed here, so that an argument Redis cannot take fails its own caller, not a whole batch.
        packed = self._packer.pack_command(*args)
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[Any] = loop.create_future()
        self._queued.append((packed, args[0], options, reply))
        if self._sender is None:
            self._sender = loop.create_task(self._send_batches())
            self._sender.add_done_callback(self._sender_ended)
        elif self._idle is not None and not self._idle.done():
            self._idle.set_result(None)
        return await reply

    def _sender_ended(self, sender: asyncio.Task[None]) -> None:
        # Normally only at aclose. Should the sender ever die of a bug, the commands waiting for it fail
        # with its error instead of hanging, and the next command starts a new sender.
        if self._sender is sender:
            self._sender = None
        if sender.cancelled() or sender.exception() is None:
            return
        queued, self._queued = self._queued, []
        for *_, reply in queued:
            _settle(reply, error=sender.exception())

    async def _send_batches(self) -> None:
        try:
            while True:
                if not self._queued:
                    if self._closing:
                        return
                    self._idle = asyncio.get_running_loop().create_future()
                    await self._idle
                    self._idle = None
                    continue
                batch, self._queued = self._queued[:MAX_BATCH], self._queued[MAX_BATCH:]
                await self._send_batch(batch)
        finally:
            # Whether the sender ends at aclose or is cancelled mid-batch, its connection goes back.
            if self._connection is not None:
                connection, self._connection = self._connection, None
                await self.connection_pool.release(connection)

    async def _send_batch(self, batch: list[_Queued]) -> None:
        """Send one batch on the sender's connection (opened if need be) and settle every reply."""
        answered = 0
        try:
            if self._connection is None:
                self._connection = await self.connection_pool.get_connection()  # type: ignore[no-untyped-call]
            connection = self._connection
            await connection.send_packed_command([chunk for packed, *_ in batch for chunk in packed])
            try:
                # One deadline for the whole batch (the pool's socket timeout): redis-py's own read
                # arms and cancels a timer for every reply, about 5 us of CPU per command.
                async with asyncio.timeout(connection.socket_timeout):
                    for _, command, options, reply in batch:
                        try:
                            value = await self._read_reply(connection, command, options)
                        except ResponseError as error:  # an error Redis answered: this command's alone
                            _settle(reply, error=error)
                        else:
                            _settle(reply, value=value)
                        answered += 1
            except TimeoutError:
                # The error redis-py raises for a read past its socket timeout, so callers see one kind.
                raise RedisTimeoutError("Timeout reading from Redis") from None
        except Exception as error:
            # The connection failed (refused, reset, timed out): every unanswered command fails with
            # it, and so does every command queued behind it, which would otherwise wait out a timeout
            # of its own batch by batch. The callers take their fallbacks; the next command starts on a
            # fresh connection.
            behind, self._queued = self._queued, []
            for *_, reply in [*batch[answered:], *behind]:
                _settle(reply, error=error)
            if self._connection is not None:
                connection, self._connection = self._connection, None
                await connection.disconnect(nowait=True)
                await self.connection_pool.release(connection)
        except BaseException:  # cancelled (shutdown): no reply is coming for the rest
            for *_, reply in batch[answered:]:
                reply.cancel()
            if self._connection is not None:
                await self._connection.disconnect(nowait=True)
            raise

    async def _read_reply(self, connection: AbstractConnection, command: Any, options: dict[str, Any]) -> Any:
        """One command's reply, as ``Redis.parse_response`` gives it, read without a timer of its own."""
        try:
            # math.inf: no per-read timeout; the caller holds one deadline for the whole batch.
            undecoded = NEVER_DECODE in options
            response = await connection.read_response(disable_decoding=undecoded, timeout=math.inf)
        except ResponseError:
            if EMPTY_RESPONSE in options:
                return options[EMPTY_RESPONSE]
            raise
        callback = self.response_callbacks.get(command)
        if callback is None:
            return response
        # The options parse_response consumes itself; the rest are the callback's.
        extra = {name: value for name, value in options.items() if name not in _READ_OPTIONS}
        value = callback(response, **extra)
        return await value if inspect.isawaitable(value) else value

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        # Commands already queued are sent and answered before the connection closes, so none is cut
        # off mid-reply at shutdown.
        self._closing = True
        sender, self._sender = self._sender, None
        if sender is not None:
            if self._idle is not None and not self._idle.done():
                self._idle.set_result(None)
            await asyncio.gather(sender, return_exceptions=True)
        await super().aclose(close_connection_pool)


def _settle(reply: asyncio.Future[Any], *, value: Any = None, error: BaseException | None = None) -> None:
    if reply.done():
        return  # its request was cancelled (the client went away); the reply is not needed
    if error is not None:
        reply.set_exception(error)
    else:
        reply.set_result(value)
