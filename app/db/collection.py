"""The types the repositories speak: PyMongo's async collection of plain documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

Document = dict[str, Any]
Filter = Mapping[str, Any]
DocumentCollection = AsyncCollection[Document]
