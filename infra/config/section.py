"""The base every config section shares: camelCase keys, nothing unknown, immutable once loaded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Section(BaseModel):
    """Base for every config section: camelCase keys, nothing unknown, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, validate_by_name=False)
