from __future__ import annotations

from starlette.types import Message

from app.web.response_headers import appending, editing_response_headers


async def test_only_the_response_start_has_its_headers_edited_and_every_message_is_sent_in_order() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    edited = editing_response_headers(send, appending([(b"x-added", b"1")]))
    await edited({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await edited({"type": "http.response.body", "body": b"{}"})

    assert sent == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", b"2"), (b"x-added", b"1")],
        },
        {"type": "http.response.body", "body": b"{}"},
    ]


async def test_a_start_without_headers_gets_the_added_ones() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await editing_response_headers(send, appending([(b"x-added", b"1")]))(
        {"type": "http.response.start", "status": 204}
    )

    assert sent[0]["headers"] == [(b"x-added", b"1")]
