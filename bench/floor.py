"""The floor: a bare FastAPI endpoint returning a small JSON object, served like the task API."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/floor")
async def floor() -> dict[str, str]:
    return {"status": "OK"}
