"""The shared timing wrapper behind the access log and the request metrics."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from app.observability.response_observer import ResponseObserver


class RecordingObserver(ResponseObserver):
    def __init__(self, app: object) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.seen: list[tuple[str, int, float]] = []

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        self.seen.append((scope["path"], status, seconds))


async def teapot(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 418, "headers": []})
    await send({"type": "http.response.body", "body": b"short and stout"})


async def crashing(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("boom")


async def test_the_status_the_app_sent_is_observed_once_with_its_duration() -> None:
    observer = RecordingObserver(teapot)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=observer), base_url="http://t") as client:
        response = await client.get("/brew")
    assert response.status_code == 418
    assert len(observer.seen) == 1
    path, status, seconds = observer.seen[0]
    assert (path, status) == ("/brew", 418)
    assert seconds >= 0


async def test_an_app_that_raises_before_answering_is_observed_as_a_500() -> None:
    observer = RecordingObserver(crashing)
    transport = httpx.ASGITransport(app=observer)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with pytest.raises(RuntimeError, match="boom"):
            await client.get("/fail")
    assert [(path, status) for path, status, _ in observer.seen] == [("/fail", 500)]
