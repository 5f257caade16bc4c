"""Every query on the users collection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.db.clock import stored_now
from app.db.collection import Document, DocumentCollection
from app.db.ids import parse_object_id


class EmailTakenError(Exception):
    pass


@dataclass(frozen=True)
class User:
    id: str
    name: str
    email: str
    password_hash: str
    created_at: datetime

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email, "createdAt": self.created_at}


def _user(document: Document) -> User:
    # "password" is the Express service's field name for the bcrypt hash; existing documents keep working.
    return User(
        id=str(document["_id"]),
        name=str(document["name"]),
        email=str(document["email"]),
        password_hash=str(document["password"]),
        created_at=document["createdAt"],
    )


class UserRepository:
    def __init__(self, users: DocumentCollection) -> None:
        self._users = users

    async def create(self, name: str, email: str, password_hash: str) -> User:
        now = stored_now()
        document: Document = {
            "name": name,
            "email": email,
            "password": password_hash,
            "createdAt": now,
            "updatedAt": now,
        }
        try:
            result = await self._users.insert_one(document)
        except DuplicateKeyError:
            raise EmailTakenError(email) from None
        return _user({**document, "_id": result.inserted_id})

    async def by_email(self, email: str) -> User | None:
        document = await self._users.find_one({"email": email})
        return _user(document) if document is not None else None

    async def by_id(self, user_id: str) -> User | None:
        oid = parse_object_id(user_id)
        if oid is None:
            return None
        document = await self._users.find_one({"_id": oid})
        return _user(document) if document is not None else None

    async def update_profile(self, user_id: str, *, name: str | None, email: str | None) -> User | None:
        oid = parse_object_id(user_id)
        if oid is None:
            return None
        changes: dict[str, Any] = {"updatedAt": stored_now()}
        if name is not None:
            changes["name"] = name
        if email is not None:
            changes["email"] = email
        try:
            document = await self._users.find_one_and_update(
                {"_id": oid}, {"$set": changes}, return_document=ReturnDocument.AFTER
            )
        except DuplicateKeyError:
            raise EmailTakenError(email or "") from None
        return _user(document) if document is not None else None
