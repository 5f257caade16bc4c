from __future__ import annotations

from starlette.types import Message

from app.web.response_start import NotingStart


async def test_started_turns_true_with_the_start_message_and_every_message_passes_through() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    noting_start = NotingStart(send)
    before = noting_start.started
    start = {"type": "http.response.start", "status": 200, "headers": []}
    await noting_start(start)
    assert (before, noting_start.started) == (False, True)
    await noting_start({"type": "http.response.body", "body": b"{}"})

    assert sent == [start, {"type": "http.response.body", "body": b"{}"}]
