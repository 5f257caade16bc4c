from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import DataError, NoScriptError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.redis.auto_pipeline import MAX_BATCH, AutoPipelinedRedis
from app.redis.client import SOCKET_TIMEOUT_SECONDS, close_redis, create_redis
from app.settings import Settings
from tests.app.redis_server import RedisServer, free_port

UNKNOWN_SCRIPT_SHA = "0" * 40


@pytest.fixture
def pipelined(app_redis: Redis) -> AutoPipelinedRedis:
    assert isinstance(app_redis, AutoPipelinedRedis)
    return app_redis


async def incr(client: Redis, key: str) -> int:
    return int(await client.incr(key))


async def reads_processed(observer: Redis) -> int:
    """How many socket reads the server has served: one per round trip a client made to it."""
    stats = await observer.info("stats")
    return int(stats["total_reads_processed"])


async def test_concurrent_commands_share_one_round_trip(
    pipelined: AutoPipelinedRedis, redis_client: Redis
) -> None:
    await pipelined.ping()  # opens the connection, whose handshake takes round trips of its own
    before = await reads_processed(redis_client)
    counts = await asyncio.gather(*(pipelined.incr("hits") for _ in range(100)))
    # The observer's own INFO is one read; the hundred INCRs went in a single write.
    assert await reads_processed(redis_client) - before <= 3
    assert sorted(counts) == list(range(1, 101))
    assert await redis_client.get("hits") == b"100"


async def test_concurrent_commands_hold_one_connection(
    pipelined: AutoPipelinedRedis, redis_client: Redis
) -> None:
    await asyncio.gather(*(pipelined.get(f"key:{number}") for number in range(100)))
    clients = await redis_client.client_list()
    assert sum(1 for client in clients if client["name"] == "taskapi") == 1


async def test_each_command_gets_its_own_reply(pipelined: AutoPipelinedRedis) -> None:
    await pipelined.set("name", "Ada")
    name, written, deleted, missing = await asyncio.gather(
        pipelined.get("name"),
        pipelined.set("other", "value", ex=60),
        pipelined.delete("name"),
        pipelined.get("absent"),
    )
    assert (name, written, deleted, missing) == (b"Ada", True, 1, None)


async def answers_to_shaped_commands(client: Redis) -> list[object]:
    """Commands whose replies redis-py reshapes, each through a different part of its reply handling."""
    return list(
        await asyncio.gather(
            client.zrange("scores", 0, -1, withscores=True),  # a callback that takes the command's options
            client.hgetall("user"),  # a callback without options
            client.mget([]),  # an error reply that redis-py answers with a value of its own
            client.dump("scores"),  # never decoded, even by a decoding client
            client.get("user:name"),  # no callback: the reply as it came
        )
    )


@pytest.mark.parametrize("decoded", [False, True], ids=["bytes", "decoded"])
async def test_replies_are_shaped_as_plain_redis_py_shapes_them(
    redis_server: RedisServer, redis_client: Redis, decoded: bool
) -> None:
    await redis_client.zadd("scores", {"ada": 2.5, "grace": 1.0})
    await redis_client.hset("user", mapping={"name": "Ada", "role": "admin"})
    await redis_client.set("user:name", "Ada")
    pipelined = AutoPipelinedRedis.from_url(redis_server.url, decode_responses=decoded)
    plain = Redis.from_url(redis_server.url, decode_responses=decoded)
    try:
        answers = await answers_to_shaped_commands(pipelined)
        assert answers == await answers_to_shaped_commands(plain)
    finally:
        await pipelined.aclose()
        await plain.aclose()

    def text(value: str) -> str | bytes:
        return value if decoded else value.encode()

    assert answers[0] == [(text("grace"), 1.0), (text("ada"), 2.5)]
    assert answers[1] == {text("name"): text("Ada"), text("role"): text("admin")}
    assert answers[2] == []
    assert isinstance(answers[3], bytes)
    assert answers[4] == text("Ada")


async def test_text_is_stored_in_the_clients_encoding(redis_server: RedisServer, redis_client: Redis) -> None:
    latin = AutoPipelinedRedis.from_url(redis_server.url, encoding="latin-1")
    try:
        await asyncio.gather(latin.set("greeting", "naïve café"), latin.set("raw", b"\xff\x00 raw"))
    finally:
        await latin.aclose()
    assert await redis_client.get("greeting") == "naïve café".encode("latin-1")
    assert await redis_client.get("raw") == b"\xff\x00 raw"


async def test_an_argument_redis_cannot_take_fails_only_its_own_caller(pipelined: AutoPipelinedRedis) -> None:
    refused, counted = await asyncio.gather(
        pipelined.set("flag", True),
        pipelined.incr("counter"),
        return_exceptions=True,
    )
    assert isinstance(refused, DataError)
    assert "Invalid input of type: 'bool'" in str(refused)
    assert counted == 1


async def test_an_error_answer_fails_only_its_own_command(pipelined: AutoPipelinedRedis) -> None:
    await pipelined.set("text", "not a list")
    results = await asyncio.gather(
        pipelined.evalsha(UNKNOWN_SCRIPT_SHA, 0),
        pipelined.lpush("text", "item"),
        pipelined.get("text"),
        return_exceptions=True,
    )
    assert isinstance(results[0], NoScriptError)
    assert isinstance(results[1], ResponseError)
    assert "WRONGTYPE" in str(results[1])
    assert results[2] == b"not a list"


async def test_a_lost_connection_fails_every_command_of_its_batch() -> None:
    client = create_redis(Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    assert client is not None
    try:
        commands = (client.ping(), client.get("a"), client.incr("b"))
        results = await asyncio.gather(*commands, return_exceptions=True)
    finally:
        await close_redis(client)
    assert all(isinstance(result, RedisConnectionError) for result in results), results


async def test_a_cancelled_command_leaves_the_others_answered(pipelined: AutoPipelinedRedis) -> None:
    doomed = asyncio.create_task(incr(pipelined, "counter"))
    survivors = [asyncio.create_task(incr(pipelined, "counter")) for _ in range(5)]
    await asyncio.sleep(0)  # every command is queued, none sent yet
    doomed.cancel()
    counts = await asyncio.gather(*survivors)
    assert doomed.cancelled()
    # The cancelled request's command was already queued: it still counts once on the server.
    assert sorted(counts) == sorted(set(counts))
    assert int(await pipelined.get("counter") or 0) == 6


async def test_more_commands_than_one_batch_holds_are_all_answered(
    pipelined: AutoPipelinedRedis, redis_client: Redis
) -> None:
    total = MAX_BATCH * 2 + 10
    counts = await asyncio.gather(*(pipelined.incr("many") for _ in range(total)))
    assert sorted(counts) == list(range(1, total + 1))
    clients = await redis_client.client_list()
    assert sum(1 for client in clients if client["name"] == "taskapi") <= 3


async def test_closing_waits_for_commands_already_sent(
    redis_server: RedisServer, redis_client: Redis
) -> None:
    client = create_redis(Settings(redis_url=redis_server.url))
    assert client is not None
    commands = [asyncio.create_task(incr(client, "closing")) for _ in range(20)]
    await asyncio.sleep(0)  # queued
    await asyncio.sleep(0)  # the batch is on its way
    await close_redis(client)
    assert sorted(await asyncio.gather(*commands)) == list(range(1, 21))
    assert await redis_client.get("closing") == b"20"


async def test_a_redis_that_stops_answering_fails_the_batch_within_the_timeout_then_recovers(
    pipelined: AutoPipelinedRedis, redis_client: Redis
) -> None:
    await pipelined.ping()
    await redis_client.client_pause(1500, all=False)  # writes wait until the pause ends
    loop = asyncio.get_running_loop()
    started = loop.time()
    results = await asyncio.gather(pipelined.incr("paused"), pipelined.incr("paused"), return_exceptions=True)
    waited = loop.time() - started
    assert all(isinstance(result, RedisTimeoutError) for result in results), results
    assert waited < SOCKET_TIMEOUT_SECONDS + 0.5
    await redis_client.client_unpause()
    # The timed-out connection was dropped; the next command opens a fresh one and is answered.
    assert await pipelined.incr("after") == 1


async def test_commands_queued_behind_a_failed_batch_fail_with_it(
    pipelined: AutoPipelinedRedis, redis_client: Redis
) -> None:
    await pipelined.ping()
    stats = await redis_client.info("stats")
    connections_before = int(stats["total_connections_received"])
    await redis_client.client_pause(1500, all=False)
    # More than one batch holds: the first times out, and the rest must not try a connection of their own.
    results = await asyncio.gather(
        *(pipelined.incr("queued") for _ in range(MAX_BATCH + 50)), return_exceptions=True
    )
    await redis_client.client_unpause()
    assert all(isinstance(result, RedisTimeoutError) for result in results)
    stats = await redis_client.info("stats")
    assert int(stats["total_connections_received"]) == connections_before


async def test_commands_sent_while_a_batch_is_on_the_wire_form_the_next_batch(
    pipelined: AutoPipelinedRedis, redis_client: Redis
) -> None:
    await pipelined.ping()
    before = await reads_processed(redis_client)

    async def one_then_five() -> list[int]:
        first = await pipelined.incr("waves")
        return [first, *await asyncio.gather(*(pipelined.incr("waves") for _ in range(5)))]

    counts = await asyncio.gather(*(one_then_five() for _ in range(20)))
    # A wave of 20 commands, then the 100 their answers set off: one batch each (the observer's INFO
    # is one more read).
    assert await reads_processed(redis_client) - before <= 3
    assert sorted(count for request in counts for count in request) == list(range(1, 121))


async def test_with_auto_pipelining_off_each_command_takes_its_own_round_trip(
    redis_server: RedisServer, redis_client: Redis
) -> None:
    plain = create_redis(Settings(redis_url=redis_server.url, redis_auto_pipelining=False))
    assert plain is not None
    assert not isinstance(plain, AutoPipelinedRedis)
    try:
        await plain.ping()
        before = await reads_processed(redis_client)
        counts = await asyncio.gather(*(plain.incr("hits") for _ in range(100)))
        assert await reads_processed(redis_client) - before > 50
        assert sorted(counts) == list(range(1, 101))
    finally:
        await close_redis(plain)
